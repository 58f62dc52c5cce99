package org.est4j.it.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;

/**
 * A running est4j server in one of the two shapes the seed's suite needs, with a client set up
 * like the seed's test client.
 *
 * <ul>
 *   <li>{@link #zeroConfig()}: no configuration file, so the seed's mock-CA test labels
 *       ({@code triggererrors}, {@code csrattrs}) exist and anyone may enroll;
 *   <li>{@link #configured(Path)}: the seed harness ({@code newTestServer}) as a YAML file:
 *       allowed host {@code est.fake.domain}, rate limit 1000, user testuser/xyzzy, health-check
 *       password xyzzy, and a second CA ({@code altCA}) accepted at the TLS layer. Its client
 *       sends {@code Host: est.fake.domain:<port>} and Basic testuser:xyzzy, as the seed's does.
 * </ul>
 */
final class SeedServer implements AutoCloseable {
  static final String FAKE_HOST = "est.fake.domain";

  final EmbeddedEstServer server;
  /** The seed-like client: trusts only the server's root; for {@link #configured} also Host + Basic. */
  final TestHttpClient client;
  /** The alternative CA of the configured server (null for zero-config). */
  final TestPki.AltCa altCa;

  private SeedServer(EmbeddedEstServer server, TestHttpClient client, TestPki.AltCa altCa) {
    this.server = server;
    this.client = client;
    this.altCa = altCa;
  }

  static SeedServer zeroConfig() throws Exception {
    EmbeddedEstServer s = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
    return new SeedServer(s, new TestHttpClient(s.port(), s.root()), null);
  }

  static SeedServer configured(Path dir) throws Exception {
    return configured(dir, "allowed_hosts: [" + FAKE_HOST + "]\n");
  }

  /** The seed harness configuration with {@code allowedHostsLine} in place of its allowed_hosts. */
  static SeedServer configured(Path dir, String allowedHostsLine) throws Exception {
    return configured(dir, allowedHostsLine, 1000);
  }

  /** As {@link #configured(Path, String)} with another global rate limit (requests/s). */
  static SeedServer configured(Path dir, String allowedHostsLine, double rateLimit) throws Exception {
    TestPki.AltCa alt = TestPki.AltCa.create();
    Files.writeString(dir.resolve("alt-root.pem"), TestPki.pem(alt.root()), StandardCharsets.US_ASCII);
    Path config = dir.resolve("estserver.yaml");
    Files.writeString(
        config,
        "tls:\n"
            + "  listen_address: 127.0.0.1:0\n"
            + "  client_cas: [alt-root.pem]\n"
            + allowedHostsLine
            + "rate_limit: " + rateLimit + "\n"
            + "users:\n"
            + "  - {username: testuser, password: xyzzy}\n"
            + "healthcheck_password: xyzzy\n",
        StandardCharsets.UTF_8);
    EmbeddedEstServer s = EmbeddedEstServer.start(Optional.of(config), null);
    TestHttpClient c =
        new TestHttpClient(s.port(), s.root()).withHost(FAKE_HOST + ":" + s.port()).withBasic("testuser", "xyzzy");
    return new SeedServer(s, c, alt);
  }

  int port() {
    return server.port();
  }

  static String path(String label, String operation) {
    return TestHttpClient.PREFIX + (label == null ? "" : "/" + label) + "/" + operation;
  }

  /** GET /cacerts through {@code c}: 200, certs-only, issuing CA first and the root last. */
  List<X509Certificate> caCerts(TestHttpClient c) throws Exception {
    TestHttpClient.Response r = c.get(path(null, "cacerts"));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/pkcs7-mime");
    return TestPki.certsOnly(r.body());
  }

  List<X509Certificate> caCerts() throws Exception {
    return caCerts(client);
  }

  /** POSTs {@code csrDer} to {@code operation} and expects one certificate in a certs-only 200. */
  static X509Certificate enrolled(TestHttpClient.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/pkcs7-mime; smime-type=certs-only");
    List<X509Certificate> certs = TestPki.certsOnly(r.body());
    assertThat(certs).hasSize(1);
    return certs.get(0);
  }

  X509Certificate enroll(TestHttpClient c, String label, byte[] csrDer) throws Exception {
    return enrolled(c.post(path(label, "simpleenroll"), "application/pkcs10", TestPki.base64(csrDer)));
  }

  /** Enrolls and checks the seed's TestEnroll assertions: chains to /cacerts, CN and key match. */
  X509Certificate enrollChecked(TestHttpClient c, KeyPair keys, String cn) throws Exception {
    X509Certificate cert = enroll(c, null, TestPki.csr(keys, cn));
    assertIssued(cert, keys, cn);
    return cert;
  }

  void assertIssued(X509Certificate cert, KeyPair keys, String cn) throws Exception {
    TestPki.assertChains(cert, caCerts());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + cn);
    assertThat(cert.getPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
  }

  /** Asserts an est4j error response: status, text/plain, body "<status> <message>\n". */
  static void assertError(TestHttpClient.Response r, int status, String message) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.text()).isEqualTo(status + " " + message + "\n");
  }

  /**
   * A 401: the seed sent "401 authorization required\n"; est4j sends the challenge with an empty
   * body, because Bouncy Castle's EST client fails on any 401 body (see the interop suite).
   */
  static void assertUnauthorized(TestHttpClient.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).startsWith("Basic realm=");
    assertThat(r.body()).isEmpty();
  }

  /**
   * A 500: est4j appends a request id ("500 internal server error (request id X)\n") where the
   * seed wrote "500 internal server error\n", so only the prefix is compared.
   */
  static void assertInternalError(TestHttpClient.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(500);
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.text()).startsWith("500 internal server error").endsWith("\n");
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
