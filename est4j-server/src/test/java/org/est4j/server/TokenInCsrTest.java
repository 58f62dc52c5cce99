package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A token in a CSR attribute is found in every DirectoryString form; a CSR without one is not decoded for it. */
class TokenInCsrTest {
  private static final String TOKEN = "estt_abcdefghijklmnopqrstuvwxyz234567abcd";
  private static KeyPair key;

  @BeforeAll
  static void setUp() throws Exception {
    key = TestRequests.p256();
  }

  private static byte[] csrWith(org.bouncycastle.asn1.ASN1ObjectIdentifier attr, ASN1Encodable value) throws Exception {
    JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=dev"), key.getPublic());
    b.addAttribute(attr, value);
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
  }

  @Test
  void everyStringFormOfTheTokenIsFound() throws Exception {
    ASN1Encodable[] forms = {
      new DERPrintableString(TOKEN), new DERUTF8String(TOKEN.toUpperCase(java.util.Locale.ROOT)),
      new DERBMPString(TOKEN), new DERUniversalString(utf32(TOKEN))
    };
    for (ASN1Encodable form : forms) {
      byte[] der = csrWith(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, form);
      assertThat(TokenCredential.mayHoldToken(der)).as(form.getClass().getSimpleName()).isTrue();
    }
    byte[] printable = csrWith(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(TOKEN));
    assertThat(TokenCredential.fromCsr(TestRequests.base64(printable))).contains(TOKEN);
    byte[] bmp = csrWith(TokenCredential.OTP_CHALLENGE, new DERBMPString(TOKEN));
    assertThat(TokenCredential.fromCsr(TestRequests.base64(bmp))).contains(TOKEN);
  }

  @Test
  void aCsrWithoutATokenIsPassedOver() throws Exception {
    byte[] plain = TestRequests.csr(key, "CN=estt,O=estt_ is not in here", "dev.example");
    assertThat(TokenCredential.mayHoldToken(plain)).isTrue(); // the prefix alone: decoded, then refused
    assertThat(TokenCredential.fromCsr(TestRequests.base64(plain))).isEmpty();
    byte[] none = TestRequests.csr(key, "CN=device-1,O=Example", "dev.example");
    assertThat(TokenCredential.mayHoldToken(none)).isFalse();
    byte[] password = csrWith(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString("hunter2"));
    assertThat(TokenCredential.mayHoldToken(password)).isFalse();
    assertThat(TokenCredential.fromCsr(TestRequests.base64(password))).isEmpty();
  }

  private static byte[] utf32(String s) {
    byte[] out = new byte[s.length() * 4];
    for (int i = 0; i < s.length(); i++) {
      out[i * 4 + 3] = (byte) s.charAt(i);
    }
    return out;
  }
}
