package org.est4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.est4j.ca.CaDirectory;
import org.est4j.ca.CertificateAuthority;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.Passphrases;
import org.est4j.client.ClientIdentity;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.pem.PemException;
import org.est4j.protocol.pem.PemReader;

/**
 * Opens the configured CAs: embedded ones from the data directory (keys decrypted with their
 * passphrase), files ones from their PEM files, upstream ones by fetching the upstream server's
 * CA certificates. Every failure names the CA's configuration key.
 */
final class Authorities {
  private Authorities() {}

  /**
   * Opens every CA. With {@code connect} false (estserver check), upstream CAs are checked offline:
   * their anchors and credentials are read, their CA certificates fetched only on first use.
   */
  static Map<String, CertificateAuthority> open(PkiConfig pki, boolean connect) throws ConfigException {
    Map<String, CertificateAuthority> out = new LinkedHashMap<>();
    for (PkiConfig.CaConfig c : pki.cas().values()) {
      if (c instanceof PkiConfig.EmbeddedCaConfig e) {
        out.put(c.name(), embedded(pki.dataDir(), e));
      } else if (c instanceof PkiConfig.FilesCaConfig f) {
        out.put(c.name(), files(f));
      } else {
        PkiConfig.UpstreamCaConfig u = (PkiConfig.UpstreamCaConfig) c;
        EstClient client = upstreamClient(u);
        UpstreamCa upstream = new UpstreamCa(c.name(), client);
        if (connect) {
          try {
            upstream.connect();
          } catch (IOException ex) {
            throw new ConfigException(u.key() + ".url", "cannot get the CA certificates of " + u.url()
                + u.label().map(l -> " label " + l).orElse("") + ": " + ex.getMessage(), ex);
          }
        }
        out.put(c.name(), upstream);
      }
    }
    return out;
  }

  private static EmbeddedCa embedded(Path dataDir, PkiConfig.EmbeddedCaConfig c) throws ConfigException {
    if (c.pkcs11().isPresent()) {
      return onToken(dataDir, c, c.pkcs11().get());
    }
    char[] passphrase = passphrase(c.key(), c.passphraseFile(), c.passphraseEnv());
    try {
      return CaDirectory.load(dataDir, c.name(), passphrase).build();
    } catch (PemException | IllegalArgumentException e) {
      throw new ConfigException(c.key(), e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(passphrase, '\0');
    }
  }

  /** An embedded CA made by {@code ca init --pkcs11}: chain from the data directory, key on the token. */
  private static EmbeddedCa onToken(Path dataDir, PkiConfig.EmbeddedCaConfig c, org.est4j.client.Pkcs11KeySpec spec)
      throws ConfigException {
    java.util.List<X509Certificate> chain;
    try {
      chain = CaDirectory.chain(dataDir, c.name());
    } catch (PemException | IllegalArgumentException e) {
      throw new ConfigException(c.key(), e.getMessage(), e);
    }
    if (!CaDirectory.keysOnToken(dataDir, c.name())) {
      throw new ConfigException(c.key() + ".pkcs11", "CA '" + c.name() + "' in " + dataDir + " keeps its keys in"
          + " files (made without --pkcs11): use passphrase_file or passphrase_env");
    }
    org.est4j.client.Pkcs11Key token;
    try {
      token = org.est4j.client.Pkcs11Key.open(spec); // open for the server's lifetime: it signs every certificate
    } catch (org.est4j.client.Pkcs11KeyException e) {
      throw new ConfigException(c.key() + ".pkcs11", e.getMessage(), e);
    }
    try {
      return EmbeddedCa.builder().chain(chain).privateKey(token.privateKey()).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      token.close();
      throw new ConfigException(c.key() + ".pkcs11", e.getMessage(), e);
    }
  }

  private static EmbeddedCa files(PkiConfig.FilesCaConfig c) throws ConfigException {
    return ServerAssembly.loadCa(c.material(), c.key());
  }

  /** The client est4j uses towards an upstream server; reads the anchors and credentials now. */
  static EstClient upstreamClient(PkiConfig.UpstreamCaConfig u) throws ConfigException {
    List<X509Certificate> anchors = new ArrayList<>();
    for (Path p : u.trustAnchors()) {
      try {
        anchors.addAll(PemReader.readCertificates(p));
      } catch (PemException e) {
        throw new ConfigException(u.key() + ".trust_anchors", e.getMessage(), e);
      }
    }
    // A client waiting on est4j waits on the upstream too: keep both bounded.
    EstClientBuilder b = EstClient.builder().server(u.url()).trust(TrustAnchors.explicit(anchors))
        .connectTimeout(java.time.Duration.ofSeconds(10)).readTimeout(java.time.Duration.ofSeconds(30));
    u.label().ifPresent(b::label);
    if (u.username().isPresent()) {
      char[] password = passphrase(u.key() + ".password", u.passwordFile(), u.passwordEnv());
      b.basicAuth(u.username().get(), password).preemptiveBasicAuth(true);
    }
    if (u.clientCertificate().isPresent()) {
      ServerConfig.KeyMaterial m = u.clientCertificate().get();
      Optional<char[]> pass = m.passphraseFile().isPresent() || m.passphraseEnv().isPresent()
          ? Optional.of(passphrase(u.key() + ".client_certificate.private_key_passphrase", m.passphraseFile(),
              m.passphraseEnv()))
          : Optional.empty();
      try {
        b.clientIdentity(ClientIdentity.fromPem(m.certificates(), m.privateKey(), pass));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(u.key() + ".client_certificate", e.getMessage(), e);
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException(u.key(), e.getMessage(), e);
    }
  }

  /** A secret from a file (first line) or an environment variable; never logged. */
  static char[] passphrase(String key, Optional<Path> file, Optional<String> env) throws ConfigException {
    try {
      if (file.isPresent()) {
        if (!Files.isReadable(file.get())) {
          throw new ConfigException(key + "_file", "cannot read " + file.get());
        }
        return Passphrases.passphraseFromFile(file.get());
      }
      return Passphrases.passphraseFromEnv(env.orElseThrow());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file.isPresent() ? key + "_file" : key + "_env", e.getMessage(), e);
    }
  }
}
