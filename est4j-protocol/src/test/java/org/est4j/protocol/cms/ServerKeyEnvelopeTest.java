package org.est4j.protocol.cms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.est4j.protocol.EstProtocolException;
import org.junit.jupiter.api.Test;

/** Round trips of every recipient kind and content cipher, and what the opener refuses. */
class ServerKeyEnvelopeTest {
  static final byte[] KEY_ID = "device-key-1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] AES256 = new byte[32];
  static final KeyPair GENERATED = ec("secp256r1");
  static final Ca CA = new Ca("CN=Test Key Signer");

  static {
    for (int i = 0; i < AES256.length; i++) {
      AES256[i] = (byte) i;
    }
  }

  @Test
  void sharedKeyRoundTrip() throws Exception {
    byte[] sealed = ServerKeyEnvelope.seal(pkcs8(), CA, KeyRecipient.sharedKey(KEY_ID, AES256), KeyGenAlgorithms.DEFAULT);
    assertThat(contentType(sealed)).isEqualTo(CMSObjectIdentifiers.envelopedData.getId());
    ServerKeyOpener.Opened opened = ServerKeyOpener.open(sealed, KeyDecryptor.sharedKey(KEY_ID, AES256), List.of(CA.cert));
    assertThat(opened.pkcs8()).isEqualTo(pkcs8());
    assertThat(opened.signer()).isEqualTo(CA.cert);
  }

  @Test
  void rsaAndEcRecipientsRoundTripWithCbcAndGcm() throws Exception {
    KeyPair rsa = rsa();
    KeyPair ec = ec("secp384r1");
    for (KeyGenAlgorithms algs : List.of(KeyGenAlgorithms.DEFAULT,
        KeyGenAlgorithms.choose(List.of(CMSAlgorithm.AES256_GCM)))) {
      for (KeyPair recipient : List.of(rsa, ec)) {
        byte[] sealed = ServerKeyEnvelope.seal(pkcs8(), CA, KeyRecipient.publicKey(KEY_ID, recipient.getPublic()), algs);
        assertThat(contentType(sealed)).isEqualTo(algs.authenticatedContent()
            ? CMSObjectIdentifiers.authEnvelopedData.getId() : CMSObjectIdentifiers.envelopedData.getId());
        byte[] key = ServerKeyOpener.open(sealed, KeyDecryptor.privateKey(recipient.getPrivate(), Optional.of(KEY_ID)),
            List.of(CA.cert)).pkcs8();
        assertThat(key).isEqualTo(pkcs8());
      }
    }
  }

  @Test
  void seedFormOpensWithThePasswordInBothEncodings() throws Exception {
    byte[] psk = "pseudohistorical".getBytes(StandardCharsets.US_ASCII);
    byte[] signed = ServerKeyEnvelope.signedPkcs8(pkcs8(), CA);
    byte[] cbc = ServerKeyEnvelope.encryptWithPresharedKey(signed, psk);
    assertThat(contentType(cbc)).isEqualTo(CMSObjectIdentifiers.encryptedData.getId());
    assertThat(ServerKeyOpener.open(cbc, KeyDecryptor.preSharedKey(psk), List.of(CA.cert)).pkcs8()).isEqualTo(pkcs8());
    for (PskEncryptedData.Form form : PskEncryptedData.Form.values()) {
      byte[] sealed = PskEncryptedData.encrypt(signed, psk, form);
      assertThat(ServerKeyOpener.open(sealed, KeyDecryptor.preSharedKey(psk), List.of(CA.cert)).pkcs8())
          .as(form.name()).isEqualTo(pkcs8());
      assertThatThrownBy(() -> ServerKeyOpener.open(sealed, KeyDecryptor.preSharedKey(AES256), List.of(CA.cert)))
          .isInstanceOf(EstProtocolException.class);
    }
  }

  @Test
  void wrongKeyIdentifierAndWrongKeyAreNamed() throws Exception {
    byte[] sealed = ServerKeyEnvelope.seal(pkcs8(), CA, KeyRecipient.sharedKey(KEY_ID, AES256), KeyGenAlgorithms.DEFAULT);
    assertThatThrownBy(() -> ServerKeyOpener.open(sealed, KeyDecryptor.sharedKey(new byte[] {1, 2}, AES256), List.of(CA.cert)))
        .hasMessageContaining("not encrypted for shared key 0102")
        .hasMessageContaining("shared key " + KeyGenAttributes.hex(KEY_ID));
    byte[] other = AES256.clone();
    other[0] ^= 1;
    assertThatThrownBy(() -> ServerKeyOpener.open(sealed, KeyDecryptor.sharedKey(KEY_ID, other), List.of(CA.cert)))
        .hasMessageContaining("cannot decrypt the key");
  }

  @Test
  void untrustedSignerIsRefused() throws Exception {
    byte[] sealed = ServerKeyEnvelope.seal(pkcs8(), CA, KeyRecipient.sharedKey(KEY_ID, AES256), KeyGenAlgorithms.DEFAULT);
    Ca stranger = new Ca("CN=Someone Else");
    assertThatThrownBy(() -> ServerKeyOpener.open(sealed, KeyDecryptor.sharedKey(KEY_ID, AES256), List.of(stranger.cert)))
        .hasMessageContaining("not trusted");
  }

  @Test
  void capabilitiesChooseOrRefuseWithNames() throws Exception {
    assertThat(KeyGenAlgorithms.choose(List.of()).content()).isEqualTo(CMSAlgorithm.AES256_CBC);
    assertThat(KeyGenAlgorithms.choose(List.of(CMSAlgorithm.DES_EDE3_CBC, CMSAlgorithm.AES128_CBC)).content())
        .isEqualTo(CMSAlgorithm.AES128_CBC);
    assertThatThrownBy(() -> KeyGenAlgorithms.choose(List.of(CMSAlgorithm.DES_EDE3_CBC)))
        .isInstanceOf(EstProtocolException.class)
        .hasMessageContaining("content-encryption")
        .hasMessageContaining("des-ede3-cbc (1.2.840.113549.3.7)");
    assertThatThrownBy(() -> KeyGenAlgorithms.choose(List.of(PKCSObjectIdentifiers.rsaEncryption)))
        .hasMessageContaining("RSAES-PKCS1-v1_5");
    assertThatThrownBy(() -> KeyGenAlgorithms.keyWrapFor(16, List.of(CMSAlgorithm.AES256_WRAP)))
        .hasMessageContaining("id-aes128-wrap");
    assertThat(KeyGenAlgorithms.keyWrapFor(32, List.of(CMSAlgorithm.AES256_WRAP))).isEqualTo(CMSAlgorithm.AES256_WRAP);
  }

  @Test
  void ed25519KeysCannotReceive() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThatThrownBy(() -> KeyRecipient.publicKey(KEY_ID, ed.getPublic()))
        .hasMessageContaining("only RSA (key transport) and EC (key agreement)")
        .isInstanceOf(IllegalArgumentException.class);
  }

  static String contentType(byte[] der) throws Exception {
    return ContentInfo.getInstance(ASN1Primitive.fromByteArray(der)).getContentType().getId();
  }

  static byte[] pkcs8() {
    return GENERATED.getPrivate().getEncoded();
  }

  static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  /** A self-signed P-256 CA that signs key packages. */
  static final class Ca implements KeyPackageSigner {
    final PrivateKey key;
    final X509Certificate cert;

    Ca(String name) {
      try {
        KeyPair kp = ec("secp256r1");
        key = kp.getPrivate();
        X500Name dn = new X500Name(name);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(dn, BigInteger.ONE,
            new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis() + 3_600_000), dn,
            kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        cert = new JcaX509CertificateConverter().getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public X509Certificate certificate() {
      return cert;
    }

    @Override
    public List<X509Certificate> certificates() {
      return List.of(cert);
    }

    @Override
    public ContentSigner contentSigner() throws GeneralSecurityException {
      try {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
      } catch (org.bouncycastle.operator.OperatorCreationException e) {
        throw new GeneralSecurityException(e);
      }
    }
  }
}
