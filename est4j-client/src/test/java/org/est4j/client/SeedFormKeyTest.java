package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.est4j.protocol.cms.KeyPackageSigner;
import org.est4j.protocol.cms.ServerKeyEnvelope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Go seed's encrypted server-generated key, as its mock CA makes it: EncryptedData (AES-128-GCM
 * under "pseudohistorical", Go pkcs7's non-standard parameter encoding) around SignedData around
 * the PKCS#8 key as id-data. The vector is assembled octet by octet here, independently of
 * est4j's own encoders, and opened through {@link ServerKeyGenResult#decrypt}.
 */
class SeedFormKeyTest {
  static final byte[] PSEUDOHISTORICAL = "pseudohistorical".getBytes(StandardCharsets.US_ASCII);
  static TestCerts pki;
  static KeyPair generated;
  static X509Certificate cert;

  @BeforeAll
  static void setUp() throws Exception {
    pki = TestCerts.create();
    generated = KeyPairs.generate("rsa:2048");
    cert = pki.leaf("Jane Doe", generated);
  }

  @Test
  void handBuiltGoVectorOpensWithThePassword() throws Exception {
    byte[] vector = goEncryptedData(ServerKeyEnvelope.signedPkcs8(generated.getPrivate().getEncoded(), signer()));
    ServerKeyGenResult r = ServerKeyGenResult.encrypted(cert, vector);
    ServerKeyGenResult opened = r.decrypt(KeyEncryption.seedPassword("pseudohistorical".toCharArray()), List.of(pki.ca));
    assertThat(opened.privateKey().getEncoded()).isEqualTo(generated.getPrivate().getEncoded());
    assertThat(opened.signer()).hasValue(pki.ca);
    assertThatThrownBy(() -> r.decrypt(KeyEncryption.seedPassword("pseudohistoricaX".toCharArray()), List.of(pki.ca)))
        .isInstanceOf(EstResponseException.class);
    assertThatThrownBy(() -> r.decrypt(KeyEncryption.sharedKey(new byte[] {1}, PSEUDOHISTORICAL), List.of(pki.ca)))
        .hasMessageContaining("needs the pre-shared password");
  }

  @Test
  void seedPasswordMustBeAnAesKeyLength() {
    assertThatThrownBy(() -> KeyEncryption.seedPassword("short".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16, 24 or 32");
  }

  private static KeyPackageSigner signer() {
    return new KeyPackageSigner() {
      @Override
      public X509Certificate certificate() {
        return pki.ca;
      }

      @Override
      public List<X509Certificate> certificates() {
        return List.of(pki.ca);
      }

      @Override
      public ContentSigner contentSigner() throws GeneralSecurityException {
        try {
          return new JcaContentSignerBuilder("SHA256withECDSA").build(pki.caKey.getPrivate());
        } catch (OperatorCreationException e) {
          throw new GeneralSecurityException(e);
        }
      }
    };
  }

  /** ContentInfo{encryptedData, [0]{EncryptedData{0, {id-data, {aes128-GCM, 0x10{[4] nonce, 16}}, [0]{OCTET STRING}}}}}. */
  static byte[] goEncryptedData(byte[] content) throws Exception {
    byte[] nonce = new byte[12];
    new SecureRandom().nextBytes(nonce);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(PSEUDOHISTORICAL, "AES"), new GCMParameterSpec(128, nonce));
    byte[] ciphertext = gcm.doFinal(content);
    byte[] aes128Gcm = hex("0609608648016503040106");
    byte[] idData = hex("06092a864886f70d010701");
    byte[] encryptedDataOid = hex("06092a864886f70d010706");
    byte[] params = tlv(0x10, tlv(0x30, cat(tlv(0x84, nonce), hex("020110"))));
    byte[] algorithm = tlv(0x30, cat(aes128Gcm, params));
    byte[] eci = tlv(0x30, cat(idData, algorithm, tlv(0xa0, tlv(0x04, ciphertext))));
    return tlv(0x30, cat(encryptedDataOid, tlv(0xa0, tlv(0x30, cat(hex("020100"), eci)))));
  }

  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] hex(String h) {
    return java.util.HexFormat.of().parseHex(h);
  }
}
