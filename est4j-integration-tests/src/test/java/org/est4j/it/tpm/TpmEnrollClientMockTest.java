package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.EstPendingException;
import org.est4j.client.EstResponseException;
import org.est4j.client.EstServerException;
import org.est4j.client.KeyPairs;
import org.est4j.client.TpmEnrollRequest;
import org.est4j.client.TpmEnrollResult;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.cms.PskEncryptedData;
import org.est4j.testing.MockEstResponse;
import org.est4j.testing.MockEstServer;
import org.est4j.testing.RecordedEstRequest;
import org.est4j.testing.TestCertificate;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EstClient#tpmEnroll} against {@link MockEstServer}: the request compared byte for byte
 * with the Go seed's wire form (seed-behavior §1.8), the answer's parts checked one by one.
 */
class TpmEnrollClientMockTest {
  private static final String BOUNDARY = "estTPMEnrollBoundary";
  private static final String CRLF = "\r\n";

  private static TestPki pki;
  private static TestCertificate ekCert;
  private static TestCertificate ekIssuer;
  private static TestCertificate issued;
  private static byte[] csr;
  private static final byte[] EK_PUBLIC = tpmtLike(314);
  private static final byte[] AK_PUBLIC = tpmtLike(280);
  private static final byte[] CREDENTIAL = random(16);
  private static final byte[] BLOB = random(68);
  private static final byte[] SEED = random(256);

  private MockEstServer server;

  @BeforeAll
  static void pki() throws Exception {
    pki = TestPki.create();
    ekIssuer = TestCertificate.builder().commonName("TPM Manufacturer CA").certificateAuthority(0)
        .signedBy(pki.root()).build();
    ekCert = TestCertificate.builder().commonName("EK").rsa(2048).signedBy(ekIssuer).build();
    issued = pki.newClient("ak-1");
    KeyPair ak = KeyPairs.generate("ec:P-256");
    csr = CsrBuilder.create().commonName("ak-1").sign(ak);
  }

  @BeforeEach
  void start() throws Exception {
    server = new MockEstServer(pki).start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private EstClient client() {
    return EstClient.builder().server("localhost:" + server.port())
        .trust(TrustAnchors.explicit(List.of(pki.root().certificate()))).build();
  }

  private static TpmEnrollRequest request() {
    return TpmEnrollRequest.builder().csr(csr)
        .ekCertificates(List.of(ekCert.certificate(), ekIssuer.certificate()))
        .ekPublic(EK_PUBLIC).akPublic(AK_PUBLIC).build();
  }

  @Test
  void requestIsTheSeedsFourPartsByteForByte() throws Exception {
    server.enqueue(answer(PskEncryptedData.Form.STANDARD));
    client().tpmEnroll(request());

    RecordedEstRequest r = server.takeRequest();
    assertThat(r.requestLine()).isEqualTo("POST /.well-known/est/tpmenroll HTTP/1.1");
    assertThat(r.header("Content-Type")).hasValue("multipart/mixed; boundary=" + BOUNDARY);
    assertThat(r.header("Accept")).hasValue("multipart/mixed");
    assertThat(r.header("Content-Transfer-Encoding")).as("the seed sends none at the top level").isEmpty();
    assertThat(r.bodyWasChunked()).isFalse();

    // Part 2 is a certs-only SignedData; read it with Bouncy Castle's CMS, EK certificate first.
    byte[] certsOnly = certsOnlyOf(r.body());
    List<X509CertificateHolder> certs = new ArrayList<>(new CMSSignedData(certsOnly).getCertificates().getMatches(null));
    assertThat(certs).extracting(c -> c.getSubject().toString())
        .containsExactly("CN=EK", "CN=TPM Manufacturer CA");

    String expected = part("application/pkcs10", csr)
        + CRLF + part("application/pkcs7-mime; smime-type=certs-only", certsOnly)
        + CRLF + part("application/octet-stream", EK_PUBLIC)
        + CRLF + part("application/octet-stream", AK_PUBLIC)
        + CRLF + "--" + BOUNDARY + "--" + CRLF;
    assertThat(r.bodyUtf8()).isEqualTo(expected);
  }

  @Test
  void answerPartsAreReturnedAndTheCertificateDecrypts() throws Exception {
    server.enqueue(answer(PskEncryptedData.Form.STANDARD));
    TpmEnrollResult result = client().tpmEnroll(request());
    assertThat(result.credentialBlob()).isEqualTo(BLOB);
    assertThat(result.encryptedSeed()).isEqualTo(SEED);
    assertThat(result.decryptCertificate(CREDENTIAL)).isEqualTo(issued.certificate());
  }

  @Test
  void activatorGetsBlobAndSeedAndItsCredentialDecrypts() throws Exception {
    server.enqueue(answer(PskEncryptedData.Form.STANDARD));
    AtomicReference<byte[][]> seen = new AtomicReference<>();
    X509Certificate cert = client().tpmEnroll(request(), (blob, seed) -> {
      seen.set(new byte[][] {blob, seed});
      return CREDENTIAL.clone();
    });
    assertThat(cert).isEqualTo(issued.certificate());
    assertThat(seen.get()[0]).isEqualTo(BLOB);
    assertThat(seen.get()[1]).isEqualTo(SEED);
  }

  @Test
  void goPkcs7FormOfTheCertificatePartDecrypts() throws Exception {
    server.enqueue(answer(PskEncryptedData.Form.GO_PKCS7));
    assertThat(client().tpmEnroll(request(), (blob, seed) -> CREDENTIAL.clone()))
        .isEqualTo(issued.certificate());
  }

  @Test
  void wrongCredentialIsAClearError() throws Exception {
    server.enqueue(answer(PskEncryptedData.Form.GO_PKCS7));
    TpmEnrollResult result = client().tpmEnroll(request());
    assertThatThrownBy(() -> result.decryptCertificate(random(16)))
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("cannot decrypt the certificate with the activated credential");
  }

  @Test
  void missingPartIsDetected() throws Exception { // the seed's client returns nil values (B9)
    server.enqueue(multipart(List.of(
        octets(BLOB), octets(SEED))));
    assertThatThrownBy(() -> client().tpmEnroll(request()))
        .isInstanceOf(EstResponseException.class)
        .hasMessage("/tpmenroll: the response has 2 parts, expected 3 (credential blob, encrypted seed,"
            + " encrypted certificate)");
  }

  @Test
  void extraPartIsRefused() throws Exception {
    byte[] cert = PskEncryptedData.encrypt(issued.certificate().getEncoded(), CREDENTIAL, PskEncryptedData.Form.STANDARD);
    server.enqueue(multipart(List.of(octets(BLOB), octets(SEED), pkcs7(cert), octets(SEED))));
    assertThatThrownBy(() -> client().tpmEnroll(request()))
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("the response has 4 parts, expected 3");
  }

  @Test
  void partOfTheWrongTypeIsNamed() throws Exception {
    byte[] cert = PskEncryptedData.encrypt(issued.certificate().getEncoded(), CREDENTIAL, PskEncryptedData.Form.STANDARD);
    server.enqueue(multipart(List.of(octets(BLOB), pkcs7(SEED), pkcs7(cert))));
    assertThatThrownBy(() -> client().tpmEnroll(request()))
        .isInstanceOf(EstResponseException.class)
        .hasMessage("/tpmenroll: part 2 (encrypted seed) has Content-Type application/pkcs7-mime,"
            + " expected application/octet-stream");
  }

  @Test
  void certificatePartMustBePkcs7() throws Exception {
    server.enqueue(multipart(List.of(octets(BLOB), octets(SEED), octets(SEED))));
    assertThatThrownBy(() -> client().tpmEnroll(request()))
        .hasMessageContaining("part 3 (encrypted certificate) has Content-Type application/octet-stream,"
            + " expected application/pkcs7-mime");
  }

  @Test
  void badBase64InAPartIsNamed() throws Exception {
    String body = "--b\r\nContent-Type: application/octet-stream\r\n\r\nAAAA\r\n"
        + "--b\r\nContent-Type: application/octet-stream\r\n\r\n!!not base64!!\r\n"
        + "--b\r\nContent-Type: application/pkcs7-mime\r\n\r\nAAAA\r\n--b--\r\n";
    server.enqueue(MockEstResponse.builder().addHeader("Content-Type", "multipart/mixed; boundary=b")
        .body(body).build());
    assertThatThrownBy(() -> client().tpmEnroll(request()))
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("part 2 (encrypted seed) is not valid base64");
  }

  @Test
  void nonMultipartAnswerIsRefused() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(List.of(issued.certificate())));
    assertThatThrownBy(() -> client().tpmEnroll(request()))
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("unexpected Content-Type application/pkcs7-mime; smime-type=certs-only")
        .hasMessageContaining("expected multipart/mixed");
  }

  @Test
  void refusalCarriesStatusAndMessage() throws Exception {
    server.enqueue(MockEstResponse.error(422, "public key in public area doesn't match"));
    assertThatThrownBy(() -> client().tpmEnroll(request()))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessageContaining("public key in public area doesn't match");
  }

  @Test
  void pendingCarriesRetryAfter() throws Exception {
    server.enqueue(MockEstResponse.pending(Duration.ofSeconds(90)));
    assertThatThrownBy(() -> client().tpmEnroll(request()))
        .isInstanceOfSatisfying(EstPendingException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(90)));
  }

  @Test
  void andWaitResubmitsTheSameRequestAfterRetryAfter() throws Exception {
    server.enqueue(MockEstResponse.pending(Duration.ofSeconds(1)));
    server.enqueue(answer(PskEncryptedData.Form.STANDARD));
    X509Certificate cert = client().tpmEnrollAndWait(request(), (b, s) -> CREDENTIAL.clone(), Duration.ofSeconds(30));
    assertThat(cert).isEqualTo(issued.certificate());
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.takeRequest().body()).isEqualTo(server.takeRequest().body());
  }

  @Test
  void requestWithoutEkCertificateIsRefusedBeforeSending() {
    assertThatThrownBy(() -> TpmEnrollRequest.builder().csr(csr).ekCertificates(List.of())
        .ekPublic(EK_PUBLIC).akPublic(AK_PUBLIC).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one EK certificate");
  }

  @Test
  void publicAreaWithItsTpm2bSizePrefixIsRefused() {
    byte[] tpmt = {0x00, 0x23, 0x00, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] tpm2b = new byte[tpmt.length + 2];
    tpm2b[1] = (byte) tpmt.length;
    System.arraycopy(tpmt, 0, tpm2b, 2, tpmt.length);
    assertThatThrownBy(() -> TpmEnrollRequest.builder().csr(csr).ekCertificates(List.of(ekCert.certificate()))
        .ekPublic(EK_PUBLIC).akPublic(tpm2b).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the AK public area starts with a TPM2B size prefix");
    assertThat(TpmEnrollRequest.builder().csr(csr).ekCertificates(List.of(ekCert.certificate()))
        .ekPublic(EK_PUBLIC).akPublic(tpmt).build().akPublic()).isEqualTo(tpmt);
  }

  // --- helpers --------------------------------------------------------------------------------

  private static MockEstResponse answer(PskEncryptedData.Form form) throws Exception {
    byte[] cert = PskEncryptedData.encrypt(issued.certificate().getEncoded(), CREDENTIAL, form);
    return multipart(List.of(octets(BLOB), octets(SEED), pkcs7(cert)));
  }

  private static String[] octets(byte[] b) {
    return new String[] {"application/octet-stream", mime(b)};
  }

  private static String[] pkcs7(byte[] b) {
    return new String[] {"application/pkcs7-mime; smime-type=enveloped-data", mime(b)};
  }

  /** The seed server's answer: its boundary, each part Content-Transfer-Encoding then Content-Type. */
  private static MockEstResponse multipart(List<String[]> parts) {
    StringBuilder sb = new StringBuilder();
    for (String[] p : parts) {
      sb.append("--").append(BOUNDARY).append(CRLF)
          .append("Content-Transfer-Encoding: base64").append(CRLF)
          .append("Content-Type: ").append(p[0]).append(CRLF).append(CRLF)
          .append(p[1]).append(CRLF);
    }
    sb.append("--").append(BOUNDARY).append("--").append(CRLF);
    return MockEstResponse.builder()
        .addHeader("Content-Type", "multipart/mixed; boundary=" + BOUNDARY)
        .body(sb.toString()).build();
  }

  /** A part as Go's multipart writer and the seed's 76-column base64 write it. */
  private static String part(String contentType, byte[] content) {
    return "--" + BOUNDARY + CRLF
        + "Content-Transfer-Encoding: base64" + CRLF
        + "Content-Type: " + contentType + CRLF + CRLF
        + mime(content);
  }

  /** Base64 in 76-column lines, each (the last too) ending in CRLF. */
  private static String mime(byte[] b) {
    return Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII)).encodeToString(b) + CRLF;
  }

  /** The DER of the second part of a recorded request. */
  private static byte[] certsOnlyOf(byte[] body) {
    String s = new String(body, StandardCharsets.US_ASCII);
    String[] parts = s.split("--" + BOUNDARY);
    String p = parts[2];
    String b64 = p.substring(p.indexOf(CRLF + CRLF) + 4);
    return Base64.getMimeDecoder().decode(b64.trim());
  }

  /** Random bytes starting with TPM_ALG_RSA, as a TPMT_PUBLIC does (the content is opaque to the client). */
  private static byte[] tpmtLike(int n) {
    byte[] b = random(n);
    b[0] = 0x00;
    b[1] = 0x01;
    return b;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
