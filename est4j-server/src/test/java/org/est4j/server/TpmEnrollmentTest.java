package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.protocol.CertsOnly;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.InMemoryCertificateStore;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.est4j.protocol.cms.PskEncryptedData;
import org.est4j.tpm.CredentialActivation;
import org.est4j.tpm.CredentialChallenge;
import org.est4j.tpm.TpmPublic;
import org.est4j.tpm.TpmPublicBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /tpmenroll in the engine: check order, the round trip, and the EK chain against configured roots. */
class TpmEnrollmentTest {
  private static final String PATH = "/.well-known/est/tpmenroll";
  private static final String MULTIPART = "multipart/mixed; boundary=estTPMEnrollBoundary";
  private static EmbeddedCa ca;
  private static EmbeddedCa manufacturer;
  private static KeyPair ekKeys;
  private static TpmPublic ek;
  private static X509Certificate ekCert;
  private static KeyPair akKeys;
  private static TpmPublic ak;

  @BeforeAll
  static void setUp() throws Exception {
    ca = TransientCa.create();
    manufacturer = TransientCa.create();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    ekKeys = rsa.generateKeyPair();
    ek = TpmPublicBuilder.ekTemplate(ekKeys.getPublic()).build();
    ekCert = manufacturer.issue(new CertificateRequest(new X500Name("CN=EK"), Optional.empty(),
        SubjectPublicKeyInfo.getInstance(ekKeys.getPublic().getEncoded())));
    akKeys = TestRequests.p256();
    ak = TpmPublicBuilder.akTemplate(akKeys.getPublic()).build();
  }

  private static byte[] body() throws Exception {
    return body(List.of(ekCert));
  }

  private static byte[] body(List<X509Certificate> ekChain) throws Exception {
    return Multipart.encode("estTPMEnrollBoundary", List.of(
        MultipartPart.base64("application/pkcs10", TestRequests.csr(akKeys, "CN=AK")),
        MultipartPart.base64("application/pkcs7-mime; smime-type=certs-only", CertsOnly.encode(ekChain)),
        MultipartPart.base64("application/octet-stream", ek.encode()),
        MultipartPart.base64("application/octet-stream", ak.encode())));
  }

  private static byte[] body(byte[] akCsr) throws Exception {
    return Multipart.encode("estTPMEnrollBoundary", List.of(
        MultipartPart.base64("application/pkcs10", akCsr),
        MultipartPart.base64("application/pkcs7-mime; smime-type=certs-only", CertsOnly.encode(List.of(ekCert))),
        MultipartPart.base64("application/octet-stream", ek.encode()),
        MultipartPart.base64("application/octet-stream", ak.encode())));
  }

  private static X509Certificate activate(EstResponse ok) throws Exception {
    List<MultipartPart> parts = Multipart.decode(MediaType.parse(ok.header("Content-Type")), ok.body());
    byte[] credential = CredentialActivation.activate(ekKeys.getPrivate(), ek, ak.name(),
        new CredentialChallenge(parts.get(0).decodedBody(), parts.get(1).decodedBody()));
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(PskEncryptedData.decrypt(parts.get(2).decodedBody(), credential)));
  }

  private static String token(InMemoryCertificateStore store, String pattern) {
    java.time.Instant now = java.time.Instant.now();
    return EnrollmentTokens.create(store.tokens().orElseThrow(), Optional.empty(), pattern, now, now.plusSeconds(3600),
        "test").text();
  }

  /** An enrollment token on /tpmenroll: consumed with the AK certificate's row, once; also in the AK CSR. */
  @Test
  void aTokenAuthorisesOneTpmEnrollment() throws Exception {
    InMemoryCertificateStore store = new InMemoryCertificateStore();
    EstServerEngine engine = new EstServerEngine(EstServerSettings.builder(LabelSettings.builder(ca).build())
        .certificateStore(store).build());
    String t = token(store, "AK");
    EstResponse ok = engine.handle(TestRequests.post(PATH, body()).header("Content-Type", MULTIPART)
        .header("Authorization", "Bearer " + t).build());
    assertThat(ok.status()).as(ok.bodyText()).isEqualTo(200);
    assertThat(activate(ok).getPublicKey()).isEqualTo(akKeys.getPublic());
    var row = store.list(CertificateQuery.builder().build()).get(0);
    var spent = store.tokens().orElseThrow().findBySha256(EnrollmentTokens.sha256(t)).orElseThrow();
    assertThat(row.requester()).isEqualTo("token:" + spent.id());
    assertThat(spent.usedByRequestId()).as("consumed with the certificate row").contains(row.requestId());

    EstResponse again = engine.handle(TestRequests.post(PATH, body()).header("Content-Type", MULTIPART)
        .basic("device", t).build());
    assertThat(again.status()).isEqualTo(403);
    assertThat(again.bodyText()).contains("already been used");

    String wrongSubject = token(store, "not-the-ak");
    EstResponse refused = engine.handle(TestRequests.post(PATH, body()).header("Content-Type", MULTIPART)
        .header("Authorization", "Bearer " + wrongSubject).build());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.bodyText()).contains("does not match");
    assertThat(store.tokens().orElseThrow().findBySha256(EnrollmentTokens.sha256(wrongSubject)).orElseThrow().isUsed())
        .isFalse();

    String inCsr = token(store, "AK");
    byte[] akCsr = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(new X500Name("CN=AK"),
        akKeys.getPublic())
        .addAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
            new org.bouncycastle.asn1.DERUTF8String(inCsr))
        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(akKeys.getPrivate()))
        .getEncoded();
    EstResponse challenge = engine.handle(TestRequests.post(PATH, body(akCsr)).header("Content-Type", MULTIPART).build());
    assertThat(challenge.status()).as(challenge.bodyText()).isEqualTo(200);
    assertThat(store.list(CertificateQuery.builder().build())).hasSize(2);
  }

  private static EstServerEngine engine(LabelSettings.Builder label) {
    return new EstServerEngine(EstServerSettings.builder(label.build())
        .users(UserStore.of(Map.of("dev", PasswordHash.create("pw".toCharArray(), 10_000)))).build());
  }

  @Test
  void onlyPost() {
    EstResponse r = engine(LabelSettings.builder(ca)).handle(TestRequests.get(PATH).build());
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isEqualTo("POST");
  }

  @Test
  void contentTypeBeforeAuthentication() throws Exception {
    EstServerEngine engine = engine(LabelSettings.builder(ca));
    EstResponse wrongType = engine.handle(TestRequests.post(PATH, body()).build());
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.bodyText()).isEqualTo("415 Content-Type must be multipart/mixed\n");
    EstResponse anonymous = engine.handle(TestRequests.post(PATH, body()).header("Content-Type", MULTIPART).build());
    assertThat(anonymous.status()).isEqualTo(401);
  }

  @Test
  void roundTripAndChainVerification() throws Exception {
    List<X509Certificate> mca = manufacturer.caCertificates(); // issuing CA first, root last
    assertThat(mca).hasSize(2);
    X509Certificate root = mca.get(mca.size() - 1);
    LabelSettings.Builder rootOnly = LabelSettings.builder(ca).tpmEndorsementRoots(List.of(root));
    // the EK certificate alone cannot reach the root: the intermediate must come with it
    EstResponse noPath = engine(rootOnly)
        .handle(TestRequests.post(PATH, body()).header("Content-Type", MULTIPART).basic("dev", "pw").build());
    assertThat(noPath.status()).as(noPath.bodyText()).isEqualTo(422);
    List<X509Certificate> chain = new java.util.ArrayList<>(List.of(ekCert));
    chain.addAll(mca.subList(0, mca.size() - 1));
    EstResponse ok = engine(rootOnly)
        .handle(TestRequests.post(PATH, body(chain)).header("Content-Type", MULTIPART).basic("dev", "pw").build());
    assertThat(ok.status()).as(ok.bodyText()).isEqualTo(200);
    assertThat(ok.header("Cache-Control")).isEqualTo("no-store");
    List<MultipartPart> parts = Multipart.decode(MediaType.parse(ok.header("Content-Type")), ok.body());
    byte[] credential = CredentialActivation.activate(ekKeys.getPrivate(), ek, ak.name(),
        new CredentialChallenge(parts.get(0).decodedBody(), parts.get(1).decodedBody()));
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(PskEncryptedData.decrypt(parts.get(2).decodedBody(), credential)));
    assertThat(cert.getPublicKey()).isEqualTo(akKeys.getPublic());

    // EK certificate issued by another "manufacturer" than the configured one
    EstResponse refused = engine(LabelSettings.builder(ca).tpmEndorsementRoots(ca.caCertificates()))
        .handle(TestRequests.post(PATH, body()).header("Content-Type", MULTIPART).basic("dev", "pw").build());
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.bodyText()).contains("does not chain to a trusted TPM manufacturer certificate");
  }

  /** Some vendors' EK certificates label the RSA key id-RSAES-OAEP: still the same key. */
  @Test
  void ekCertificateWithAnOaepKeyIdentifier() throws Exception {
    X509Certificate oaepCert = TcgEkCertificates.create().oaepLabelled(ekKeys.getPublic());
    EstServerEngine engine = engine(LabelSettings.builder(ca));
    EstResponse ok = engine.handle(TestRequests.post(PATH, body(List.of(oaepCert)))
        .header("Content-Type", MULTIPART).basic("dev", "pw").build());
    assertThat(ok.status()).as(ok.bodyText()).isEqualTo(200);

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    X509Certificate otherKey = manufacturer.issue(new CertificateRequest(new X500Name("CN=EK"), Optional.empty(),
        SubjectPublicKeyInfo.getInstance(rsa.generateKeyPair().getPublic().getEncoded())));
    EstResponse mismatch = engine.handle(TestRequests.post(PATH, body(List.of(otherKey)))
        .header("Content-Type", MULTIPART).basic("dev", "pw").build());
    assertThat(mismatch.status()).isEqualTo(422);
    assertThat(mismatch.bodyText()).isEqualTo("422 public key in public area doesn't match\n");
  }

  /** A TCG-profile EK certificate (see {@link TcgEkCertificates}) passes PKIX against its root. */
  @Test
  void tcgProfileEkCertificatePassesPkix() throws Exception {
    TcgEkCertificates pki = TcgEkCertificates.create();
    X509Certificate tcgEk = pki.ekCertificate(ekKeys.getPublic());
    EstResponse ok = engine(LabelSettings.builder(ca).tpmEndorsementRoots(List.of(pki.root())))
        .handle(TestRequests.post(PATH, body(List.of(tcgEk))).header("Content-Type", MULTIPART).basic("dev", "pw").build());
    assertThat(ok.status()).as(ok.bodyText()).isEqualTo(200);
  }
}
