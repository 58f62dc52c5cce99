package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedData;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.est4j.protocol.cms.PskEncryptedData;
import org.est4j.protocol.cms.PskEncryptedData.Form;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PskEncryptedDataTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] PSEUDOHISTORICAL = "pseudohistorical".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT = "a certificate, say".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @ValueSource(ints = {16, 24, 32})
  void roundTripsEveryKeySizeInBothForms(int keyBytes) throws Exception {
    byte[] key = new byte[keyBytes];
    Arrays.fill(key, (byte) 7);
    for (Form form : Form.values()) {
      assertThat(PskEncryptedData.decrypt(PskEncryptedData.encrypt(CONTENT, key, form), key))
          .as(form.name()).isEqualTo(CONTENT);
    }
  }

  @Test
  void standardFormIsRfc5084ThatBouncyCastleReads() throws Exception {
    byte[] der = PskEncryptedData.encrypt(CONTENT, PSEUDOHISTORICAL, Form.STANDARD);
    EncryptedData ed = EncryptedData.getInstance(ContentInfo.getInstance(ASN1Primitive.fromByteArray(der)).getContent());
    assertThat(ed.getEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm().getId())
        .isEqualTo("2.16.840.1.101.3.4.1.6");
    GCMParameters gcm = GCMParameters.getInstance(ed.getEncryptedContentInfo().getContentEncryptionAlgorithm().getParameters());
    assertThat(gcm.getNonce()).hasSize(12);
    assertThat(gcm.getIcvLen()).isEqualTo(16);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(PSEUDOHISTORICAL, "AES"), new GCMParameterSpec(128, gcm.getNonce()));
    assertThat(c.doFinal(ed.getEncryptedContentInfo().getEncryptedContent().getOctets())).isEqualTo(CONTENT);
  }

  @Test
  void goFormHasGoPkcs7sByteLayout() {
    String hex = HEX.formatHex(PskEncryptedData.encrypt(CONTENT, PSEUDOHISTORICAL, Form.GO_PKCS7));
    // ContentInfo: encryptedData OID, then [0] { SEQUENCE { INTEGER 0, SEQUENCE { id-data, ...
    assertThat(hex).startsWith("30").contains("06092a864886f70d010706a0");
    assertThat(hex).contains("020100" + "30").contains("06092a864886f70d010701");
    // AlgorithmIdentifier: aes128-GCM, parameters as primitive tag 0x10 wrapping
    // SEQUENCE { [4] IMPLICIT 12-byte nonce, INTEGER 16 }
    assertThat(hex).containsPattern("3020060960864801650304010610133011840c[0-9a-f]{24}020110");
    // encryptedContent: [0] constructed holding one OCTET STRING (18 bytes + 16-byte tag)
    assertThat(hex).containsPattern("a0240422[0-9a-f]{68}$");
  }

  /** A Go-form structure assembled by hand, octet by octet, as Go's encoding/asn1 writes it. */
  @Test
  void decryptsAHandAssembledGoVector() throws Exception {
    byte[] nonce = HEX.parseHex("000102030405060708090a0b");
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(PSEUDOHISTORICAL, "AES"), new GCMParameterSpec(128, nonce));
    String ct = HEX.formatHex(c.doFinal(CONTENT)); // 34 bytes
    String params = "10133011" + "840c" + HEX.formatHex(nonce) + "020110";
    String algId = "3020" + "0609608648016503040106" + params;
    String content = "a024" + "0422" + ct;
    String eci = "3053" + "06092a864886f70d010701" + algId + content; // 11 + 34 + 38 = 0x53
    String ed = "3058" + "020100" + eci; // 3 + 85
    String ci = "3067" + "06092a864886f70d010706" + "a05a" + ed; // 11 + 2 + 90
    assertThat(HEX.parseHex(eci)).hasSize(2 + 0x53);
    assertThat(HEX.parseHex(ci)).hasSize(2 + 0x67);
    assertThat(PskEncryptedData.decrypt(HEX.parseHex(ci), PSEUDOHISTORICAL)).isEqualTo(CONTENT);
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aWrongKeyOrAlteredContentIsRefusedAsSuch(Form form) {
    byte[] der = PskEncryptedData.encrypt(CONTENT, PSEUDOHISTORICAL, form);
    byte[] otherKey = "pseudohistoricaL".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> PskEncryptedData.decrypt(der, otherKey))
        .isInstanceOf(EstProtocolException.class).hasMessageContaining("wrong key");
    byte[] altered = der.clone();
    altered[altered.length - 20] ^= 1;
    assertThatThrownBy(() -> PskEncryptedData.decrypt(altered, PSEUDOHISTORICAL))
        .isInstanceOf(EstProtocolException.class).hasMessageContaining("altered");
    assertThatThrownBy(() -> PskEncryptedData.decrypt(der, new byte[32]))
        .isInstanceOf(EstProtocolException.class).hasMessageContaining("AES-128").hasMessageContaining("32 bytes");
  }

  @Test
  void malformedInputIsAProtocolErrorNotACrash() {
    assertThatThrownBy(() -> PskEncryptedData.decrypt(new byte[] {0x30, 0x05, 1}, PSEUDOHISTORICAL))
        .isInstanceOf(EstProtocolException.class).hasMessageContaining("malformed");
    byte[] certsOnly = CertsOnly.encode(java.util.List.of());
    assertThatThrownBy(() -> PskEncryptedData.decrypt(certsOnly, PSEUDOHISTORICAL))
        .isInstanceOf(EstProtocolException.class).hasMessageContaining("not a CMS EncryptedData");
  }

  /** openssl cannot do GCM in EncryptedData, but its AES-CBC output, DER and streamed BER, must read. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsOpensslAesCbcEncryptedData(boolean streamed, @TempDir Path dir) throws Exception {
    Files.write(dir.resolve("m.txt"), CONTENT);
    String key = "000102030405060708090a0b0c0d0e0f";
    if (streamed) {
      OpenSsl.run(dir, "cms", "-EncryptedData_encrypt", "-in", "m.txt", "-aes-128-cbc", "-secretkey", key,
          "-outform", "DER", "-stream", "-out", "e.der");
    } else {
      OpenSsl.run(dir, "cms", "-EncryptedData_encrypt", "-in", "m.txt", "-aes-128-cbc", "-secretkey", key,
          "-outform", "DER", "-out", "e.der");
    }
    byte[] der = Files.readAllBytes(dir.resolve("e.der"));
    assertThat(PskEncryptedData.decrypt(der, HEX.parseHex(key))).isEqualTo(CONTENT);
  }
}
