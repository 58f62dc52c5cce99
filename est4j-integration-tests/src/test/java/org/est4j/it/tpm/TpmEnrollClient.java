package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.est4j.protocol.cms.PskEncryptedData;
import org.est4j.testing.TestPki;
import org.est4j.tpm.TpmPublic;

/**
 * Sends /tpmenroll as the Go seed's client does (reference §1.8): multipart/mixed with boundary
 * estTPMEnrollBoundary, four base64 parts in order, each with Content-Transfer-Encoding before
 * Content-Type and 76-column CRLF lines, the body chunked. Decodes the 3-part answer.
 */
final class TpmEnrollClient {
  static final String BOUNDARY = "estTPMEnrollBoundary";
  static final String OCTET = "application/octet-stream";

  private final int port;
  private final HttpClient http;
  private final String authorization;

  TpmEnrollClient(int port, X509Certificate root, String user, String password) throws Exception {
    this.port = port;
    this.http = HttpClient.newBuilder().sslContext(TestPki.clientSslContextTrusting(root)).connectTimeout(Duration.ofSeconds(10)).build();
    this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  record Response(int status, String contentType, String retryAfter, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + text();
    }
  }

  /** The parts the Go client sends for this device and CSR. */
  static List<MultipartPart> parts(SoftwareTpm tpm, byte[] csr) {
    return parts(csr, tpm.ekChain, tpm.ek, tpm.ak);
  }

  static List<MultipartPart> parts(byte[] csr, List<X509Certificate> ekChain, TpmPublic ek, TpmPublic ak) {
    List<MultipartPart> parts = new ArrayList<>();
    parts.add(MultipartPart.base64("application/pkcs10", csr));
    parts.add(MultipartPart.base64("application/pkcs7-mime; smime-type=certs-only", CertsOnly.encode(ekChain)));
    parts.add(MultipartPart.base64(OCTET, ek.encode()));
    parts.add(MultipartPart.base64(OCTET, ak.encode()));
    return parts;
  }

  /** The three parts of a 200 answer, after checking the seed's shape. */
  static List<MultipartPart> responseParts(Response r) throws Exception {
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("multipart/mixed; boundary=" + BOUNDARY);
    List<MultipartPart> parts = Multipart.decode(MediaType.parse(r.contentType()), r.body());
    assertThat(parts).hasSize(3);
    assertThat(parts.get(0).header("Content-Type")).contains(OCTET);
    assertThat(parts.get(1).header("Content-Type")).contains(OCTET);
    assertThat(parts.get(2).header("Content-Type")).contains("application/pkcs7-mime; smime-type=enveloped-data");
    for (MultipartPart p : parts) {
      assertThat(p.header("Content-Transfer-Encoding")).contains("base64");
    }
    return parts;
  }

  static X509Certificate decrypt(MultipartPart encrypted, byte[] credential) throws Exception {
    byte[] der = PskEncryptedData.decrypt(encrypted.decodedBody(), credential);
    return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  Response post(String label, List<MultipartPart> parts) throws Exception {
    return post(label, "multipart/mixed; boundary=" + BOUNDARY, Multipart.encode(BOUNDARY, parts));
  }

  Response post(String label, String contentType, byte[] body) throws Exception {
    String path = "/.well-known/est" + (label == null ? "" : "/" + label) + "/tpmenroll";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType)
        .header("User-Agent", "GlobalSign EST Client v1.0.6 github.com/globalsign/est")
        // an InputStream of unknown length: sent chunked, as Go's client sends it
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
        r.headers().firstValue("Retry-After").orElse(null), r.body());
  }

  /**
   * Checks the response's shape (3 base64 parts with the seed's types), activates the credential
   * with the software TPM and decrypts the certificate with it.
   */
  static X509Certificate certificate(Response r, SoftwareTpm tpm) throws Exception {
    List<MultipartPart> parts = responseParts(r);
    byte[] credential = tpm.activate(parts.get(0).decodedBody(), parts.get(1).decodedBody());
    assertThat(credential).hasSize(16);
    return decrypt(parts.get(2), credential);
  }
}
