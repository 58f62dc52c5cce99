package org.est4j.cli;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.est4j.ca.CertificateAuthority;
import org.est4j.server.store.CertificateStore;

/**
 * estserver inside the calling JVM, exactly as the command line assembles it: for tests and for
 * applications that embed a server. Close it to stop gracefully.
 *
 * <pre>{@code
 * try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0")) {
 *   int port = server.port();
 * }
 * }</pre>
 */
public final class EmbeddedEstServer implements AutoCloseable {
  private final ServerAssembly.Started started;

  private EmbeddedEstServer(ServerAssembly.Started started) {
    this.started = started;
  }

  /**
   * Starts the server a configuration file describes, or the zero-config test server when the
   * file is empty; {@code listen} (e.g. {@code 127.0.0.1:0}) overrides the listen address when
   * not null. {@code EST4J_STORE} / {@code est4j.store} replace the store, as for the command line.
   *
   * @throws ConfigException when the configuration is invalid (nothing is started)
   */
  public static EmbeddedEstServer start(Optional<Path> configFile, String listen) throws Exception {
    ServerConfig config = ServerConfigReader.load(configFile);
    if (listen != null) {
      config = config.withListen(ListenAddress.parse("listen", listen));
    }
    return new EmbeddedEstServer(ServerAssembly.start(config));
  }

  public int port() {
    return started.server().port();
  }

  /** The CA certificates, issuing CA first and root last. */
  public List<X509Certificate> caCertificates() {
    return started.ca().caCertificates();
  }

  public X509Certificate root() {
    List<X509Certificate> cas = caCertificates();
    return cas.get(cas.size() - 1);
  }

  /** The unlabelled path's CA. */
  public CertificateAuthority ca() {
    return started.ca();
  }

  /** The CA certificates of the configured CA {@code name}, issuing CA first. */
  public List<X509Certificate> caCertificates(String name) {
    CertificateAuthority ca = started.authorities().get(name);
    if (ca == null) {
      throw new IllegalArgumentException("no CA named " + name);
    }
    return ca.caCertificates();
  }

  /** The crypto provider line the server logged. */
  public String providerDescription() {
    return started.providerDescription();
  }

  /** Where the server records the certificates it issues. */
  public CertificateStore certificateStore() {
    return started.store();
  }

  @Override
  public void close() throws Exception {
    started.stop();
  }
}
