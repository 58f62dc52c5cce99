package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.est4j.protocol.cms.KeyDecryptor;
import org.est4j.protocol.cms.KeyGenAttributes;
import org.est4j.protocol.cms.KeyIdentifiers;
import org.est4j.protocol.cms.ServerKeyOpener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /serverkeygen with RFC 7030 §4.4.1 encryption requests, through the engine alone. */
class ServerKeyEncryptionEngineTest {
  static final byte[] ID = "group-1".getBytes(StandardCharsets.UTF_8);
  static final byte[] AES = new byte[32];
  static EmbeddedCa ca;
  static EstServerEngine engine;

  @BeforeAll
  static void setUp() throws Exception {
    ca = TransientCa.create();
    LabelSettings base = LabelSettings.builder(ca).allowUnauthenticatedEnrollment(true)
        .serverKeyEncryption(ServerKeyEncryption.builder().sharedKey(ID, AES).build()).build();
    engine = new EstServerEngine(EstServerSettings.builder(base).testLabels(true).build());
  }

  static byte[] csr(Attribute... attributes) throws Exception {
    KeyPair key = TestRequests.p256();
    JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=kg"), key.getPublic());
    for (Attribute a : attributes) {
      b.addAttribute(a.getAttrType(), a.getAttributeValues());
    }
    return TestRequests.base64(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded());
  }

  static List<MultipartPart> parts(EstResponse r) throws Exception {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    return Multipart.decode(MediaType.parse(r.header("Content-Type")), r.body());
  }

  @Test
  void sharedKeyGivesEnvelopedDataSignedByTheIssuingCa() throws Exception {
    EstResponse r = engine.handle(TestRequests.post("/.well-known/est/serverkeygen",
        csr(KeyGenAttributes.decryptKeyIdAttribute(ID))).build());
    List<MultipartPart> parts = parts(r);
    assertThat(parts.get(0).header("Content-Type")).hasValue("application/pkcs7-mime; smime-type=server-generated-key");
    ServerKeyOpener.Opened opened = ServerKeyOpener.open(EstBase64.decode(parts.get(0).body()),
        KeyDecryptor.sharedKey(ID, AES), ca.caCertificates());
    assertThat(opened.signer()).isEqualTo(ca.caCertificates().get(0));
    X509Certificate cert = CertsOnly.decode(EstBase64.decode(parts.get(1).body())).get(0);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=kg");
  }

  @Test
  void theTlsClientCertificateIsARecipient() throws Exception {
    KeyPair tlsKey = TestRequests.p256();
    X509Certificate tls = ca.issue(new CertificateRequest(new X500Name("CN=device"), Optional.empty(),
        SubjectPublicKeyInfo.getInstance(tlsKey.getPublic().getEncoded())));
    byte[] ski = KeyIdentifiers.subjectKeyId(tls);
    byte[] body = csr(KeyGenAttributes.asymmetricDecryptKeyIdAttribute(ski));
    EstResponse r = engine.handle(TestRequests.post("/.well-known/est/serverkeygen", body).peers(List.of(tls)).build());
    byte[] cms = EstBase64.decode(parts(r).get(0).body());
    assertThat(ServerKeyOpener.open(cms, KeyDecryptor.privateKey(tlsKey.getPrivate(), Optional.of(ski)),
        ca.caCertificates()).pkcs8()).isNotEmpty();
    EstResponse without = engine.handle(TestRequests.post("/.well-known/est/serverkeygen", body).build());
    assertThat(without.status()).isEqualTo(400);
    assertThat(without.bodyText()).contains("unknown AsymmetricDecryptKeyIdentifier").contains("none was sent");
  }

  @Test
  void refusalsAreA400AndIssueNothing() throws Exception {
    EstResponse unknown = engine.handle(TestRequests.post("/.well-known/est/serverkeygen",
        csr(KeyGenAttributes.decryptKeyIdAttribute(new byte[] {(byte) 0xff}))).build());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.bodyText()).isEqualTo("400 unknown DecryptKeyIdentifier ff: this label has no shared key with"
        + " that identifier\n");
    assertThat(unknown.header("X-Request-Id")).isNotNull();
    EstResponse rc2 = engine.handle(TestRequests.post("/.well-known/est/serverkeygen",
        csr(KeyGenAttributes.decryptKeyIdAttribute(ID),
            KeyGenAttributes.smimeCapabilitiesAttribute(List.of(CMSAlgorithm.RC2_CBC)))).build());
    assertThat(rc2.status()).isEqualTo(400);
    assertThat(rc2.bodyText()).contains("rc2-cbc");
  }

  @Test
  void pkcs7TestLabelUsesTheSeedsPassword() throws Exception {
    EstResponse r = engine.handle(TestRequests.post("/.well-known/est/pkcs7/serverkeygen", csr()).build());
    byte[] cms = EstBase64.decode(parts(r).get(0).body());
    assertThat(parts(r).get(0).header("Content-Type")).hasValue("application/pkcs7-mime; smime-type=server-generated-key");
    assertThat(ServerKeyOpener.open(cms, KeyDecryptor.preSharedKey("pseudohistorical".getBytes(StandardCharsets.US_ASCII)),
        ca.caCertificates()).pkcs8()).isNotEmpty();
    EstResponse bad = engine.handle(TestRequests.post("/.well-known/est/pkcs7/serverkeygen", csr())
        .header("Bit-Size", "1024").build());
    assertThat(bad.bodyText()).isEqualTo("400 invalid bit size value\n");
  }

  @Test
  void aConfiguredServerHasNoPkcs7LabelNorBitSize() throws Exception {
    EstServerEngine configured = new EstServerEngine(EstServerSettings.builder(
        LabelSettings.builder(ca).allowUnauthenticatedEnrollment(true).build()).build());
    List<MultipartPart> p = parts(configured.handle(TestRequests.post("/.well-known/est/pkcs7/serverkeygen", csr())
        .header("Bit-Size", "1024").build()));
    assertThat(p.get(0).header("Content-Type")).hasValue("application/pkcs8");
  }
}
