package org.est4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.est4j.client.Pkcs11KeySpec;
import org.est4j.protocol.CsrAttrs;
import org.est4j.server.PasswordHash;
import org.est4j.server.jetty.CryptoProviders;

/**
 * The estserver configuration, checked. {@link #noFile()} is the no-file test server; files
 * are read by {@link ServerConfigReader}.
 *
 * @param zeroConfig no configuration file: transient CA, test labels, no credentials needed
 * @param store where issued certificates are recorded (in memory for the zero-config server)
 * @param pki CAs, profiles and per-label policies
 * @param userLabels for the users of {@code users} limited to labels, those labels ({@code /}: the
 *     unlabelled path); a user not here may enroll on every label
 */
record ServerConfig(
    boolean zeroConfig,
    Optional<KeyMaterial> ca,
    ListenAddress listen,
    Optional<KeyMaterial> tls,
    List<Path> clientCas,
    List<String> allowedHosts,
    String healthcheckPassword,
    double rateLimit,
    double rateLimitPerClient,
    Duration timeout,
    Optional<Path> logFile,
    CryptoProviders.Mode cryptoProvider,
    Map<String, PasswordHash> users,
    LabelConfig unlabelled,
    Map<String, LabelConfig> labels,
    boolean onlyConfiguredLabels,
    int maxBodyBytes,
    StoreConfig store,
    Optional<ListenAddress> adminListen,
    PkiConfig pki,
    Duration approvalRetryAfter,
    boolean audit,
    Crl crl,
    Map<String, Set<String>> userLabels) {

  /** CRL timing (key {@code crl}): nextUpdate - thisUpdate, and how often a new one is signed. */
  record Crl(Duration validity, Duration refresh) {
    static final Crl DEFAULT = new Crl(Duration.ofDays(7), Duration.ofDays(1));
  }

  /** A PEM certificate chain and its key, with where the key's passphrase comes from. */
  /**
   * A certificate chain and its key: a PEM file ({@code privateKey}, possibly encrypted) or, for
   * the CA, a key on a PKCS#11 token ({@code hsmKey}; {@code privateKey} is then null).
   */
  record KeyMaterial(Path certificates, Path privateKey, Optional<Path> passphraseFile, Optional<String> passphraseEnv,
      Optional<Pkcs11KeySpec> hsmKey) {
    KeyMaterial(Path certificates, Path privateKey, Optional<Path> passphraseFile, Optional<String> passphraseEnv) {
      this(certificates, privateKey, passphraseFile, passphraseEnv, Optional.empty());
    }
  }

  /**
   * How one label is served; empty values inherit the unlabelled path's.
   *
   * @param tpmEkRoots PEM files of TPM manufacturer certificates that /tpmenroll verifies EK
   *     certificates against (an empty list: not verified)
   * @param clientCas PEM files of CAs whose client certificates may authenticate enrollment on this
   *     label only (not inherited), besides {@code tls.client_cas}
   */
  record LabelConfig(
      OptionalInt base64LineLength,
      Optional<Boolean> allowUnauthenticated,
      Optional<CsrAttrs> csrAttrs,
      Optional<List<Path>> tpmEkRoots,
      Optional<ServerKeyGenConfig> serverKeyGen,
      Optional<Boolean> manualApproval,
      List<Path> clientCas) {
    LabelConfig(OptionalInt base64LineLength, Optional<Boolean> allowUnauthenticated, Optional<CsrAttrs> csrAttrs,
        Optional<List<Path>> tpmEkRoots, Optional<ServerKeyGenConfig> serverKeyGen, Optional<Boolean> manualApproval) {
      this(base64LineLength, allowUnauthenticated, csrAttrs, tpmEkRoots, serverKeyGen, manualApproval, List.of());
    }

    static LabelConfig defaults() {
      return new LabelConfig(OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty());
    }
  }

  /** Retry-After of a 202 while a request waits for approval, unless approval_retry_after says otherwise. */
  static final Duration DEFAULT_APPROVAL_RETRY_AFTER = Duration.ofSeconds(60);

  static ServerConfig noFile() {
    return new ServerConfig(
        true,
        Optional.empty(),
        ListenAddress.DEFAULT,
        Optional.empty(),
        List.of(),
        List.of(),
        "",
        0,
        0,
        Duration.ofSeconds(30),
        Optional.empty(),
        CryptoProviders.Mode.AUTO,
        Map.of(),
        new LabelConfig(OptionalInt.empty(), Optional.of(true), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty()),
        Map.of(),
        false,
        org.est4j.server.EstServerSettings.DEFAULT_MAX_BODY_BYTES,
        StoreConfig.inMemory(),
        Optional.empty(),
        PkiConfig.none(Path.of(PkiConfigReader.DEFAULT_DATA_DIR)),
        DEFAULT_APPROVAL_RETRY_AFTER,
        false,
        Crl.DEFAULT,
        Map.of());
  }

  ServerConfig withListen(ListenAddress address) {
    return new ServerConfig(
        zeroConfig, ca, address, tls, clientCas, allowedHosts, healthcheckPassword, rateLimit, rateLimitPerClient,
        timeout, logFile, cryptoProvider, users, unlabelled, labels, onlyConfiguredLabels, maxBodyBytes, store, adminListen,
        pki, approvalRetryAfter, audit, crl, userLabels);
  }

  /** This configuration with another store (see {@link StoreOverride}). */
  ServerConfig withStore(StoreConfig other) {
    return new ServerConfig(
        zeroConfig, ca, listen, tls, clientCas, allowedHosts, healthcheckPassword, rateLimit, rateLimitPerClient,
        timeout, logFile, cryptoProvider, users, unlabelled, labels, onlyConfiguredLabels, maxBodyBytes, other,
        adminListen, pki, approvalRetryAfter, audit, crl, userLabels);
  }

  ServerConfig withCryptoProvider(CryptoProviders.Mode mode) {
    return new ServerConfig(
        zeroConfig, ca, listen, tls, clientCas, allowedHosts, healthcheckPassword, rateLimit, rateLimitPerClient,
        timeout, logFile, mode, users, unlabelled, labels, onlyConfiguredLabels, maxBodyBytes, store, adminListen, pki,
        approvalRetryAfter, audit, crl, userLabels);
  }
}
