package org.est4j.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.est4j.ca.Profile;
import org.est4j.protocol.EstOperation;
import org.est4j.server.AuthPolicy;
import org.est4j.server.ReenrollPolicy;

/**
 * The CAs, profiles and per-label policies of a configuration (keys {@code cas}, {@code profiles},
 * {@code data_dir}, and {@code ca}, {@code profile}, {@code auth}, {@code enforce_csrattrs},
 * {@code approval}, {@code reenroll} at the top level and under each label).
 *
 * @param dataDir where embedded CAs live ({@code <data_dir>/cas/<name>/})
 * @param cas the named CAs; {@code mock_ca} appears here as the files CA "default"
 * @param profiles the named profiles
 * @param unlabelled the unlabelled path's policy (top-level keys), which labels inherit
 * @param labels each label's own policy values
 */
record PkiConfig(
    Path dataDir,
    Map<String, CaConfig> cas,
    Map<String, Profile> profiles,
    LabelPolicy unlabelled,
    Map<String, LabelPolicy> labels) {

  /** The CA name used when a label names none and {@code cas.default} or {@code mock_ca} exists. */
  static final String DEFAULT = "default";

  static PkiConfig none(Path dataDir) {
    return new PkiConfig(dataDir, Map.of(), Map.of(), LabelPolicy.empty(), Map.of());
  }

  /** One named CA. */
  sealed interface CaConfig permits EmbeddedCaConfig, FilesCaConfig, UpstreamCaConfig {
    String name();

    /** The config key it was read from, for messages: {@code cas.devices} or {@code mock_ca}. */
    String key();
  }

  /**
   * Made by {@code estserver ca init}; its keys are decrypted with the passphrase, or are on the
   * PKCS#11 token {@code pkcs11} (the issuing key's spec) when it was made with {@code --pkcs11}.
   */
  record EmbeddedCaConfig(String name, String key, Optional<Path> passphraseFile, Optional<String> passphraseEnv,
      Optional<org.est4j.client.Pkcs11KeySpec> pkcs11) implements CaConfig {
    EmbeddedCaConfig(String name, String key, Optional<Path> passphraseFile, Optional<String> passphraseEnv) {
      this(name, key, passphraseFile, passphraseEnv, Optional.empty());
    }
  }

  /** An existing CA's PEM chain and key (what {@code mock_ca} is). */
  record FilesCaConfig(String name, String key, ServerConfig.KeyMaterial material) implements CaConfig {}

  /**
   * RA mode: enrollments are forwarded to another EST server with est4j's own credentials.
   *
   * @param trustAnchors PEM files that authenticate the upstream server's TLS certificate
   * @param username HTTP Basic user at the upstream server (with a password file or variable)
   * @param clientCertificate est4j's TLS client certificate and key at the upstream server
   */
  record UpstreamCaConfig(
      String name,
      String key,
      URI url,
      Optional<String> label,
      List<Path> trustAnchors,
      Optional<String> username,
      Optional<Path> passwordFile,
      Optional<String> passwordEnv,
      Optional<ServerConfig.KeyMaterial> clientCertificate)
      implements CaConfig {}

  /**
   * A label's policy values; empty ones inherit the unlabelled path's (then the defaults).
   *
   * @param auth per operation, the methods that may perform it (operations not listed inherit)
   * @param approval "auto" or "manual" (read into LabelConfig.manualApproval by ServerConfigReader)
   */
  record LabelPolicy(
      Optional<String> ca,
      Optional<String> profile,
      Map<EstOperation, java.util.Set<AuthPolicy.Method>> auth,
      Optional<Boolean> enforceCsrAttrs,
      Optional<String> approval,
      Optional<ReenrollPolicy> reenroll) {

    static LabelPolicy empty() {
      return new LabelPolicy(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.empty(),
          Optional.empty());
    }
  }
}
