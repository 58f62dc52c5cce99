package org.est4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.est4j.server.jetty.CryptoProviders;
import org.est4j.server.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code estserver}: with no configuration, a test EST server on localhost:8443 with a transient
 * CA; with {@code -config FILE}, the server that file describes. Flags as the Go seed's
 * ({@code -config}, {@code -sampleconfig}, {@code -version}, {@code -help}), double-dash forms too.
 */
@Command(
    name = "estserver",
    sortOptions = false,
    description = {
      "An EST (RFC 7030) server. With no configuration it runs a test server on localhost:8443",
      "with a transient CA, where anyone may enroll. With -config FILE it runs what FILE describes."
    },
    subcommands = {EstServerCommand.SampleConfig.class, EstServerCommand.Version.class, CheckCommand.class,
        CaCommand.class, CertsCommand.class, RequestsCommand.class, AuditCommand.class, UsersCommand.class,
        TokensCommand.class},
    exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG)
public final class EstServerCommand implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_CONFIG = 2;

  @Option(names = {"-config", "--config"}, paramLabel = "FILE", description = "configuration file (YAML or JSON)")
  Path config;

  @Option(names = {"-listen", "--listen"}, paramLabel = "HOST:PORT",
      description = "listen address, overriding tls.listen_address (port 0 picks a free port)")
  String listen;

  @Option(names = {"-crypto", "--crypto"}, paramLabel = "auto|conscrypt|jdk",
      description = "JCA/JSSE provider, overriding crypto_provider (default auto: Conscrypt when it loads)")
  String crypto;

  @Option(names = {"-sampleconfig", "--sampleconfig"}, description = "print a sample configuration and exit")
  boolean sampleConfig;

  @Option(names = {"-version", "--version"}, description = "print the version and exit")
  boolean version;

  /** Where messages go: picocli's streams, so {@link #execute} callers (tests, embedders) get them. */
  @Spec CommandSpec spec;

  @Option(names = {"-help", "--help", "-h"}, usageHelp = true, description = "show this help")
  boolean help;

  public static void main(String[] args) {
    int exit = commandLine().execute(args);
    Logging.flush(); // the async appender would otherwise drop the last lines at exit
    System.exit(exit);
  }

  /**
   * Runs an estserver command line in this JVM without exiting it (for tests and embedding, e.g.
   * {@code tokens create}); returns the exit code.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  /** The picocli command line of estserver (for tests and embedding; main() is this plus System.exit). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new EstServerCommand());
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("estserver: " + e.getMessage());
          return EXIT_FAILURE;
        });
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (sampleConfig) {
      return SampleConfig.print(spec.commandLine().getOut());
    }
    if (version) {
      return Version.print(spec.commandLine().getOut());
    }
    ServerConfig cfg;
    try {
      cfg = ServerConfigReader.load(java.util.Optional.ofNullable(config));
      if (listen != null) {
        cfg = cfg.withListen(ListenAddress.parse("-listen", listen));
      }
      if (crypto != null) {
        cfg = cfg.withCryptoProvider(CryptoProviders.Mode.parse(crypto));
      }
      cfg.logFile().ifPresent(Logging::appendTo);
    } catch (ConfigException e) {
      return fail(err, EXIT_CONFIG, "configuration error: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return fail(err, EXIT_CONFIG, e.getMessage());
    }
    return run(cfg, err);
  }

  private static int fail(PrintWriter err, int exit, String message) {
    err.println("estserver: " + message);
    err.flush();
    return exit;
  }

  private static int run(ServerConfig cfg, PrintWriter err) throws InterruptedException {
    Logger log = LoggerFactory.getLogger("estserver");
    ServerAssembly.Started started;
    try {
      started = ServerAssembly.start(cfg);
    } catch (ConfigException e) {
      return fail(err, EXIT_CONFIG, "configuration error: " + e.getMessage());
    } catch (IOException e) {
      String why = e.getCause() instanceof BindException b ? b.getMessage() : e.getMessage();
      return fail(err, EXIT_FAILURE, "cannot listen on " + cfg.listen().display(cfg.listen().port()) + ": " + why);
    } catch (StoreException e) {
      return fail(err, EXIT_FAILURE, "cannot open the store: " + e.getMessage());
    } catch (Exception e) {
      return fail(err, EXIT_FAILURE, "cannot start: " + e);
    }
    if (cfg.zeroConfig()) {
      log.warn("TEST SERVER: transient CA, anyone may enroll without credentials, test labels on. Not for production.");
    }
    List<X509Certificate> cas = started.ca().caCertificates();
    X509Certificate root = cas.get(cas.size() - 1);
    log.info("crypto: {}", started.providerDescription());
    log.info("CA: {} (root {} SHA-256 {})", cas.get(0).getSubjectX500Principal().getName(),
        root.getSubjectX500Principal().getName(), fingerprint(root));
    started.authorities().forEach((name, authority) -> {
      List<X509Certificate> chain = authority.caCertificates();
      X509Certificate top = chain.get(chain.size() - 1);
      log.info("CA {}: {} (root {} SHA-256 {}){}", name, chain.get(0).getSubjectX500Principal().getName(),
          top.getSubjectX500Principal().getName(), fingerprint(top), authority.forwardsCsr() ? " via " + authority : "");
    });
    Signals.onTermination(signal -> stop(started, signal, log)); // before "listening": a supervisor may signal at once
    log.info("est4j {} listening on https://{}", version(), cfg.listen().display(started.server().port()));
    cfg.adminListen().ifPresent(a -> log.info("health and metrics on http://{}/healthz, /readyz, /metrics",
        a.display(started.server().adminPort())));
    started.server().join();
    started.closeStores(); // also closed by stop(); closing twice is harmless
    log.info("stopped");
    return EXIT_OK;
  }

  /** A graceful stop: no new connections, in-flight requests finish; then main returns 0. */
  private static void stop(ServerAssembly.Started started, String signal, Logger log) {
    log.info("stopping on SIG{}", signal);
    try {
      started.stop();
    } catch (Exception e) {
      log.error("graceful stop failed", e);
    }
  }

  static String fingerprint(X509Certificate cert) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      return "unavailable";
    }
  }

  static String version() {
    try (InputStream in = EstServerCommand.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /** {@code estserver sampleconfig}: a documented sample configuration. */
  @Command(name = "sampleconfig", description = "print a sample configuration")
  static final class SampleConfig implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      return print(spec.commandLine().getOut());
    }

    static int print(PrintWriter out) throws IOException {
      try (InputStream in = EstServerCommand.class.getResourceAsStream("estserver-sample.yaml")) {
        out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        out.flush();
      }
      return EXIT_OK;
    }
  }

  /** {@code estserver version}. */
  @Command(name = "version", description = "print the version")
  static final class Version implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return print(spec.commandLine().getOut());
    }

    static int print(PrintWriter out) {
      out.println("est4j estserver " + version() + " (Java " + System.getProperty("java.version") + ", "
          + System.getProperty("os.name").toLowerCase(Locale.ROOT) + ")");
      out.flush();
      return EXIT_OK;
    }
  }
}
