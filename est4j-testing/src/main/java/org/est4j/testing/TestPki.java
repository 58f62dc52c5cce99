package org.est4j.testing;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * A small certificate hierarchy for TLS tests, generated when created: a root CA, an
 * intermediate CA signed by the root, and a server certificate signed by the intermediate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}. Client certificates come from the same
 * intermediate, which is how most EST deployments look: one CA issues both.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create();
 * SSLContext client = pki.clientSslContext(pki.newClient("device-1")); // trusts only the root
 * SSLContext server = pki.serverSslContext(); // presents server + intermediate
 * }</pre>
 *
 * <p>All keys are ECDSA P-256, the cheapest to generate; creating a PKI takes a few
 * milliseconds. Build other shapes with {@link TestCertificate#builder()}.
 */
public final class TestPki {
  private final TestCertificate root;
  private final TestCertificate intermediate;
  private final TestCertificate server;

  private TestPki(TestCertificate root, TestCertificate intermediate, TestCertificate server) {
    this.root = root;
    this.intermediate = intermediate;
    this.server = server;
  }

  /** Generates a fresh root, intermediate and localhost server certificate. */
  public static TestPki create() {
    TestCertificate root =
        TestCertificate.builder().commonName("est4j Test Root CA").certificateAuthority(1).build();
    TestCertificate intermediate =
        TestCertificate.builder()
            .commonName("est4j Test Intermediate CA")
            .certificateAuthority(0)
            .signedBy(root)
            .build();
    TestCertificate server =
        TestCertificate.builder()
            .commonName("localhost")
            .addDnsName("localhost")
            .addIpAddress("127.0.0.1")
            .addIpAddress("::1")
            .serverAuth()
            .signedBy(intermediate)
            .build();
    return new TestPki(root, intermediate, server);
  }

  public TestCertificate root() {
    return root;
  }

  public TestCertificate intermediate() {
    return intermediate;
  }

  /** The localhost server certificate; its {@link TestCertificate#chain()} includes the intermediate. */
  public TestCertificate server() {
    return server;
  }

  /** A new TLS client certificate for {@code commonName}, issued by the intermediate. */
  public TestCertificate newClient(String commonName) {
    return TestCertificate.builder()
        .commonName(Objects.requireNonNull(commonName, "commonName"))
        .clientAuth()
        .signedBy(intermediate)
        .build();
  }

  /** A trust manager that trusts only the root (PKIX, as the JDK validates). */
  public X509TrustManager trustManager() {
    return Tls.trustManager(List.of(root.certificate()));
  }

  /**
   * A trust manager that trusts only {@code root} (PKIX, as the JDK validates), for a server whose
   * root the test got elsewhere (an embedded server's, one read from a file).
   */
  public static X509TrustManager trustManagerTrusting(X509Certificate root) {
    return Tls.trustManager(List.of(Objects.requireNonNull(root, "root")));
  }

  /** TLS for a client that trusts only {@code root} and has no certificate of its own. */
  public static SSLContext clientSslContextTrusting(X509Certificate root) {
    return Tls.sslContext(null, List.of(Objects.requireNonNull(root, "root")));
  }

  /** TLS for a client that trusts only the root and has no certificate of its own. */
  public SSLContext clientSslContext() {
    return Tls.sslContext(null, List.of(root.certificate()));
  }

  /** TLS for a client that trusts only the root and authenticates with {@code identity}. */
  public SSLContext clientSslContext(TestCertificate identity) {
    return Tls.sslContext(Objects.requireNonNull(identity, "identity"), List.of(root.certificate()));
  }

  /**
   * TLS for a server presenting {@link #server()} and its chain, which accepts client
   * certificates issued under the intermediate or the root.
   */
  public SSLContext serverSslContext() {
    return serverSslContext(server, List.of(intermediate.certificate(), root.certificate()));
  }

  /**
   * TLS for a server presenting {@code identity}, which accepts client certificates chaining to
   * one of {@code clientIssuers}.
   */
  public static SSLContext serverSslContext(
      TestCertificate identity, Collection<X509Certificate> clientIssuers) {
    return Tls.sslContext(Objects.requireNonNull(identity, "identity"), clientIssuers);
  }
}
