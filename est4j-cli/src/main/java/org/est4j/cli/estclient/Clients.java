package org.est4j.cli.estclient;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.est4j.client.ClientIdentity;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.TrustAnchors;

/** Builds the {@link EstClient} a command line describes. */
final class Clients {
  private Clients() {}

  /** The connection settings after merging flags over the configuration file. */
  record Resolved(
      String server,
      Optional<String> aps,
      Optional<Path> explicit,
      Optional<Path> implicit,
      Optional<Path> certs,
      Map<String, String> headers,
      Optional<String> hostHeader,
      Optional<String> user,
      String pass,
      Duration timeout,
      boolean insecure) {}

  static Resolved resolve(Settings s, ServerOptions o) throws CliException {
    Optional<ConfigFile> cfg = s.config;
    String server = o.server != null ? o.server : cfg.flatMap(ConfigFile::server).orElse(null);
    if (server == null || server.isBlank()) {
      throw CliException.usage("no EST server given: use -server host:port (or \"server\" in the -config file)");
    }
    return new Resolved(
        server,
        o.aps != null ? Optional.of(o.aps).filter(a -> !a.isEmpty()) : cfg.flatMap(ConfigFile::additionalPathSegment),
        o.explicit != null ? Optional.of(s.io.resolve(o.explicit)) : cfg.flatMap(ConfigFile::explicitAnchor),
        o.implicit != null ? Optional.of(s.io.resolve(o.implicit)) : cfg.flatMap(ConfigFile::implicitAnchor),
        o.certs != null ? Optional.of(s.io.resolve(o.certs)) : cfg.flatMap(ConfigFile::clientCertificates),
        s.headers(o.headers),
        o.hostHeader != null ? Optional.of(o.hostHeader) : cfg.flatMap(ConfigFile::hostHeader),
        o.user != null ? Optional.of(o.user) : cfg.flatMap(ConfigFile::username),
        o.pass != null ? o.pass : cfg.flatMap(ConfigFile::password).orElse(""),
        timeout(o),
        o.insecure);
  }

  /**
   * @param operation the command, for messages ("cacerts", "enroll", ...)
   * @param requireIdentity reenroll: a TLS client certificate is mandatory
   */
  static EstClient build(Settings s, ServerOptions o, String operation, boolean requireIdentity)
      throws CliException {
    Resolved r = resolve(s, o);
    EstClientBuilder b = EstClient.builder();
    try {
      b.server(r.server());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("-server " + r.server() + ": " + e.getMessage());
    }
    r.aps().ifPresent(b::label);
    b.trust(trust(r, operation));
    if (r.certs().isPresent() && !r.insecure()) {
      List<X509Certificate> chain = Settings.certificates(r.certs().get(), o.certs != null ? "-certs" : "client_certificates");
      b.clientIdentity(ClientIdentity.of(s.privateKey(), chain));
    } else if (requireIdentity) {
      throw CliException.usage("no client certificate provided: " + operation
          + " authenticates with the current certificate; use -certs FILE and -key FILE");
    }
    if (r.user().isPresent() && !r.insecure()) {
      b.basicAuth(r.user().get(), r.pass().toCharArray());
    }
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    r.hostHeader().ifPresent(b::hostHeader);
    b.connectTimeout(r.timeout()).readTimeout(r.timeout());
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    } catch (IllegalStateException e) {
      throw CliException.failure(e.getMessage(), e);
    }
  }

  static Duration timeout(ServerOptions o) throws CliException {
    if (o.timeout == null) {
      return Settings.DEFAULT_TIMEOUT;
    }
    try {
      return GoDuration.parse(o.timeout);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("-timeout: " + e.getMessage());
    }
  }

  private static TrustAnchors trust(Resolved r, String operation) throws CliException {
    if (r.insecure()) {
      if (!operation.equals("cacerts")) {
        throw CliException.usage("-insecure is only allowed with cacerts: it is the bootstrap of RFC 7030"
            + " §4.1.1, and no credentials or requests may go to a server that is not authenticated."
            + " Fetch the root with 'cacerts -insecure -rootout -out anchor.pem', check its fingerprint,"
            + " then use -explicit anchor.pem");
      }
      return TrustAnchors.insecureBootstrapForCaCertsOnly();
    }
    if (r.explicit().isPresent()) {
      return TrustAnchors.explicit(Settings.certificates(r.explicit().get(), "explicit anchor"));
    }
    if (r.implicit().isPresent()) {
      return TrustAnchors.implicit(Settings.certificates(r.implicit().get(), "implicit anchor"));
    }
    return TrustAnchors.system();
  }
}
