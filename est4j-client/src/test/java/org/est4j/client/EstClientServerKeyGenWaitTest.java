package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.est4j.client.EstClientWireTest.response;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** serverKeyGenAndWait (202 polling) and the wording of TLS trust failures, against a scripted server. */
class EstClientServerKeyGenWaitTest {
  private static TestCerts pki;
  private static KeyPair generated;
  private static X509Certificate cert;
  private static byte[] csr;
  private ScriptedServer server;

  @BeforeAll
  static void pki() throws Exception {
    pki = TestCerts.create();
    generated = KeyPairs.generate("ec:P-256");
    cert = pki.leaf("kg", generated);
    csr = CsrBuilder.create().commonName("kg").sign(KeyPairs.generate("ec:P-256"));
  }

  @BeforeEach
  void start() throws Exception {
    server = ScriptedServer.tls(pki.serverContext());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private EstClient client() {
    return EstClient.builder().server("127.0.0.1:" + server.port()).trust(TrustAnchors.explicit(List.of(pki.ca))).build();
  }

  private static String keyAndCert() {
    byte[] body = Multipart.encode("estServerKeyGenBoundary", List.of(
        MultipartPart.base64("application/pkcs8", generated.getPrivate().getEncoded()),
        MultipartPart.base64("application/pkcs7-mime; smime-type=certs-only", CertsOnly.encode(List.of(cert)))));
    return response("200 OK", "Content-Type: multipart/mixed; boundary=estServerKeyGenBoundary\r\n", body);
  }

  @Test
  void resubmitsTheSameCsrAfterRetryAfter() throws Exception {
    server.enqueue(response("202 Accepted", "Retry-After: 1\r\n", new byte[0]))
        .enqueue(response("202 Accepted", "Retry-After: 0\r\n", new byte[0]))
        .enqueue(keyAndCert());
    long start = System.nanoTime();
    ServerKeyGenResult r = client().serverKeyGenAndWait(csr, Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.certificate()).isEqualTo(cert);
    assertThat(r.privateKey().getEncoded()).isEqualTo(generated.getPrivate().getEncoded());
    // Retry-After: 0 still waits the one-second minimum
    assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(20));
    List<ScriptedServer.Recorded> reqs = server.requests();
    assertThat(reqs).hasSize(3);
    assertThat(reqs).allSatisfy(req -> {
      assertThat(req.requestLine()).isEqualTo("POST /.well-known/est/serverkeygen HTTP/1.1");
      assertThat(req.headers()).containsEntry("accept", "multipart/mixed");
      assertThat(EstBase64.decode(req.body())).isEqualTo(csr);
    });
  }

  @Test
  void noPendingAnswerIsOneRequest() throws Exception {
    server.enqueue(keyAndCert());
    assertThat(client().serverKeyGenAndWait(csr, Duration.ZERO).certificate()).isEqualTo(cert);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void givesUpWithoutSleepingPastTheBound() throws Exception {
    server.enqueue(response("202 Accepted", "Retry-After: 600\r\n", new byte[0]));
    long start = System.nanoTime();
    assertThatThrownBy(() -> client().serverKeyGenAndWait(csr, Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(EstPendingException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(600)))
        .hasMessage("/serverkeygen: still pending after waiting up to 5 s; the server asks to retry after 600 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void serverRefusalWhilePollingIsThrown() throws Exception {
    server.enqueue(response("202 Accepted", "Retry-After: 1\r\n", new byte[0]))
        .enqueue(response("403 Forbidden", "Content-Type: text/plain\r\n", "no\n".getBytes()));
    assertThatThrownBy(() -> client().serverKeyGenAndWait(csr, Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void untrustedServerMessageIsShortAndKeepsTheCause() throws Exception {
    TestCerts other = TestCerts.create();
    EstClient c = EstClient.builder().server("127.0.0.1:" + server.port()).trust(TrustAnchors.explicit(List.of(other.ca))).build();
    assertThatThrownBy(c::caCerts).isInstanceOfSatisfying(EstConnectionException.class, e -> {
      assertThat(e.getMessage()).isEqualTo("TLS handshake with 127.0.0.1:" + server.port() + " failed: the server's"
          + " certificate for 127.0.0.1 is not trusted by the configured trust anchors (PKIX path building failed)");
      assertThat(e.getMessage()).doesNotContain("sun.").doesNotContain("Exception");
      assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
    });
    assertThat(server.requests()).isEmpty();
  }
}
