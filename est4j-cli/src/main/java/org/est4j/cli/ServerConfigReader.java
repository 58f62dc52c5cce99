package org.est4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.Labels;
import org.est4j.server.PasswordHash;
import org.est4j.server.jetty.CryptoProviders;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads an estserver configuration: YAML, so the Go seed's JSON files load unchanged. Keys are
 * the seed's ({@code mock_ca}, {@code tls}, {@code allowed_hosts}, {@code healthcheck_password},
 * {@code rate_limit}, {@code timeout}, {@code log_file}) plus est4j's; see the sample.
 */
final class ServerConfigReader {
  private static final Set<String> TOP =
      union(
          Set.of(
              "mock_ca", "tls", "allowed_hosts", "healthcheck_password", "rate_limit", "rate_limit_per_client",
              "timeout", "log_file", "crypto_provider", "users", "allow_unauthenticated_enrollment",
              "base64_line_length", "csrattrs", "labels", "only_configured_labels", "max_body_bytes",
              "admin_listen_address", "tpm_ek_roots", "server_keygen", "store", "data_dir", "approval_retry_after", "audit", "crl"),
          PkiConfigReader.TOP_KEYS);
  private static final Set<String> KEY_MATERIAL =
      Set.of("certificates", "private_key", "private_key_passphrase_file", "private_key_passphrase_env");
  private static final Set<String> TLS = Set.of(
      "listen_address", "certificates", "private_key", "private_key_passphrase_file",
      "private_key_passphrase_env", "client_cas");
  private static final Set<String> LABEL =
      union(Set.of("base64_line_length", "allow_unauthenticated_enrollment", "csrattrs", "tpm_ek_roots",
          "server_keygen", "client_cas"),
          PkiConfigReader.LABEL_KEYS);

  /** Key sets from several readers; a key two readers claim is kept once. */
  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new java.util.HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }

  private ServerConfigReader() {}

  static ServerConfig read(Path file) throws ConfigException {
    String text;
    try {
      if (Files.size(file) > 1 << 20) {
        throw new ConfigException("", file + " is larger than 1 MiB: is it really a configuration file?");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("", "cannot read the configuration file " + file + ": " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base, file.toString());
  }

  /**
   * The configuration an estserver command runs with: the file's, or the zero-config server's when
   * there is none, with the store override of {@code EST4J_STORE} / {@code est4j.store} applied
   * (see {@link StoreOverride}).
   */
  static ServerConfig load(java.util.Optional<Path> file) throws ConfigException {
    return StoreOverride.apply(file.isPresent() ? read(file.get()) : ServerConfig.noFile());
  }

  static ServerConfig parse(String text, Path baseDir, String name) throws ConfigException {
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (YAMLException e) {
      throw new ConfigException("", name + " is not valid YAML/JSON: " + e.getMessage(), e);
    }
    if (root == null) {
      root = Map.of();
    }
    ConfigNode top = new ConfigNode("", Map.of(), baseDir).asNode("", root);
    top.allowOnly(TOP);

    Optional<ServerConfig.KeyMaterial> ca = keyMaterial(top, "mock_ca", KEY_MATERIAL);
    Optional<ConfigNode> tlsNode = top.child("tls");
    ListenAddress listen = ListenAddress.DEFAULT;
    List<Path> clientCas = List.of();
    Optional<ServerConfig.KeyMaterial> tls = Optional.empty();
    if (tlsNode.isPresent()) {
      ConfigNode t = tlsNode.get();
      t.allowOnly(TLS);
      Optional<String> addr = t.string("listen_address").filter(s -> !s.isBlank());
      if (addr.isPresent()) {
        listen = ListenAddress.parse(t.key("listen_address"), addr.get());
      }
      clientCas = t.paths("client_cas");
      tls = keyMaterialOf(t);
    }

    double rate = nonNegative(top, "rate_limit");
    double rateClient = nonNegative(top, "rate_limit_per_client");
    int timeoutSeconds = top.integer("timeout").orElse(30);
    if (timeoutSeconds < 0) {
      throw new ConfigException("timeout", "must be >= 0 seconds");
    }
    Duration timeout = Duration.ofSeconds(timeoutSeconds == 0 ? 60 : timeoutSeconds);
    CryptoProviders.Mode mode;
    try {
      mode = CryptoProviders.Mode.parse(top.string("crypto_provider").orElse("auto"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("crypto_provider", e.getMessage());
    }
    int maxBody = top.integer("max_body_bytes").orElse(org.est4j.server.EstServerSettings.DEFAULT_MAX_BODY_BYTES);
    if (maxBody < 1024 || maxBody > 16 << 20) {
      throw new ConfigException("max_body_bytes", "must be between 1024 and 16777216");
    }

    Optional<ListenAddress> admin = Optional.empty();
    Optional<String> adminText = top.string("admin_listen_address").filter(s -> !s.isBlank());
    if (adminText.isPresent()) {
      admin = Optional.of(ListenAddress.parse("admin_listen_address", adminText.get()));
    }

    ServerConfig.LabelConfig unlabelled =
        new ServerConfig.LabelConfig(
            lineLength(top, "base64_line_length"),
            top.bool("allow_unauthenticated_enrollment"),
            csrAttrs(top, "csrattrs"),
            tpmEkRoots(top),
            ServerKeyGenConfig.read(top, "server_keygen"),
            approval(top));
    Map<String, ServerConfig.LabelConfig> labels = new LinkedHashMap<>();
    Map<String, ConfigNode> labelNodes = top.children("labels");
    for (Map.Entry<String, ConfigNode> e : labelNodes.entrySet()) {
      if (!Labels.isValid(e.getKey())) {
        throw new ConfigException("labels." + e.getKey(), "is not a valid label (one path segment of RFC 3986 pchar, not an operation name)");
      }
      ConfigNode l = e.getValue();
      l.allowOnly(LABEL);
      labels.put(
          e.getKey(),
          new ServerConfig.LabelConfig(
              lineLength(l, "base64_line_length"), l.bool("allow_unauthenticated_enrollment"), csrAttrs(l, "csrattrs"),
              tpmEkRoots(l),
              ServerKeyGenConfig.read(l, "server_keygen"),
              approval(l),
              l.paths("client_cas")));
    }

    Map<String, Set<String>> userLabels = new LinkedHashMap<>();
    Map<String, PasswordHash> users = users(top, userLabels);
    return new ServerConfig(
        false, ca, listen, tls, clientCas, top.strings("allowed_hosts"),
        top.string("healthcheck_password").orElse(""), rate, rateClient, timeout,
        top.path("log_file"), mode, users, unlabelled, labels,
        top.bool("only_configured_labels").orElse(false), maxBody, StoreConfigReader.read(top, baseDir), admin,
        PkiConfigReader.read(top, baseDir, ca, labelNodes), approvalRetryAfter(top), top.bool("audit").orElse(true),
        crl(top), userLabels);
  }

  /** {@code crl: {validity: 7d, refresh: 1d}}. */
  private static ServerConfig.Crl crl(ConfigNode top) throws ConfigException {
    Optional<ConfigNode> node = top.child("crl");
    if (node.isEmpty()) {
      return ServerConfig.Crl.DEFAULT;
    }
    ConfigNode c = node.get();
    c.allowOnly(Set.of("validity", "refresh"));
    Duration validity = duration(c, "validity", ServerConfig.Crl.DEFAULT.validity());
    Duration refresh = duration(c, "refresh", Duration.ofSeconds(Math.min(ServerConfig.Crl.DEFAULT.refresh().toSeconds(),
        validity.toSeconds() / 2)));
    if (refresh.compareTo(validity) >= 0 || refresh.toSeconds() < 1) {
      throw new ConfigException(c.key("refresh"), "must be at least 1s and shorter than crl.validity (" + validity + ")");
    }
    return new ServerConfig.Crl(validity, refresh);
  }

  private static Duration duration(ConfigNode n, String key, Duration fallback) throws ConfigException {
    Optional<String> v = n.string(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      String t = v.get().strip();
      return t.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(t)) : CertsCommand.duration("", t);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(n.key(key), "is not a duration like 7d, 12h or 3600");
    }
  }

  /** {@code approval: auto | manual}; absent inherits (the unlabelled path's, else auto). */
  static Optional<Boolean> approval(ConfigNode n) throws ConfigException {
    Optional<String> v = n.string("approval");
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return switch (v.get().strip().toLowerCase(java.util.Locale.ROOT)) {
      case "auto" -> Optional.of(false);
      case "manual" -> Optional.of(true);
      default -> throw new ConfigException(n.key("approval"), "must be auto or manual, not '" + v.get() + "'");
    };
  }

  /** Seconds, or a duration such as 30s, 2m. */
  private static Duration approvalRetryAfter(ConfigNode top) throws ConfigException {
    Optional<String> v = top.string("approval_retry_after");
    if (v.isEmpty()) {
      return ServerConfig.DEFAULT_APPROVAL_RETRY_AFTER;
    }
    Duration d;
    try {
      String t = v.get().strip();
      d = t.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(t)) : CertsCommand.duration("", t);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("approval_retry_after", "is not a duration like 60, 30s or 2m");
    }
    if (d.getSeconds() < 1 || d.compareTo(Duration.ofDays(1)) > 0) {
      throw new ConfigException("approval_retry_after", "must be between 1 second and 1 day");
    }
    return d;
  }

  /** {@code tpm_ek_roots}: one PEM file or a list; present but empty turns verification off. */
  private static Optional<List<Path>> tpmEkRoots(ConfigNode node) throws ConfigException {
    return node.has("tpm_ek_roots") ? Optional.of(node.paths("tpm_ek_roots")) : Optional.empty();
  }

  private static Optional<ServerConfig.KeyMaterial> keyMaterial(ConfigNode top, String name, Set<String> allowed)
      throws ConfigException {
    Optional<ConfigNode> node = top.child(name);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    node.get().allowOnly(allowed);
    return keyMaterialOf(node.get());
  }

  static Optional<ServerConfig.KeyMaterial> keyMaterialOf(ConfigNode n) throws ConfigException {
    Optional<Path> certs = n.path("certificates");
    if (Pkcs11Config.isHsmKey(n.raw("private_key"))) {
      // CA keys only: mock_ca, or a files CA under cas (its upstream client_certificate is not one)
      String k = n.key("private_key");
      boolean caKey = k.equals("mock_ca.private_key")
          || (k.startsWith("cas.") && !k.endsWith(".client_certificate.private_key"));
      if (!caKey) {
        throw new ConfigException(k, "a key on a PKCS#11 token is supported for CA keys only"
            + " (mock_ca, or cas.<name> of kind files)");
      }
      if (certs.isEmpty()) {
        throw new ConfigException(n.key("certificates"), "is required when private_key is set");
      }
      if (!Files.isReadable(certs.get())) {
        throw new ConfigException(n.key("certificates"), "cannot read " + certs.get());
      }
      for (String pass : List.of("private_key_passphrase_file", "private_key_passphrase_env")) {
        if (n.has(pass)) {
          throw new ConfigException(n.key(pass), "does not apply to a key on a PKCS#11 token (its PIN is"
              + " token_pin, or pin-value/pin-source in the pkcs11: URI)");
        }
      }
      return Optional.of(new ServerConfig.KeyMaterial(certs.get(), null, Optional.empty(), Optional.empty(),
          Optional.of(Pkcs11Config.spec(n, "private_key"))));
    }
    Optional<Path> key = n.path("private_key");
    if (certs.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (certs.isEmpty()) {
      throw new ConfigException(n.key("certificates"), "is required when private_key is set");
    }
    if (key.isEmpty()) {
      throw new ConfigException(n.key("private_key"), "is required when certificates is set");
    }
    for (Map.Entry<String, Path> f : List.of(Map.entry("certificates", certs.get()), Map.entry("private_key", key.get()))) {
      if (!Files.isReadable(f.getValue())) {
        throw new ConfigException(n.key(f.getKey()), "cannot read " + f.getValue());
      }
    }
    Optional<Path> passFile = n.path("private_key_passphrase_file");
    Optional<String> passEnv = n.string("private_key_passphrase_env");
    if (passFile.isPresent() && passEnv.isPresent()) {
      throw new ConfigException(n.key("private_key_passphrase_file"), "give either a passphrase file or an environment variable, not both");
    }
    return Optional.of(new ServerConfig.KeyMaterial(certs.get(), key.get(), passFile, passEnv));
  }

  private static double nonNegative(ConfigNode n, String name) throws ConfigException {
    double v = n.number(name).orElse(0.0);
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new ConfigException(n.key(name), "must be a number >= 0 (0 turns the limit off)");
    }
    return v;
  }

  private static OptionalInt lineLength(ConfigNode n, String name) throws ConfigException {
    Optional<String> s = n.string(name);
    if (s.isEmpty() || s.get().equalsIgnoreCase("auto")) {
      return OptionalInt.empty();
    }
    int v = n.integer(name).orElseThrow();
    if (v < 0 || v % 4 != 0) {
      throw new ConfigException(n.key(name), "must be auto, 0 (one line) or a positive multiple of 4 such as 64 or 76");
    }
    return OptionalInt.of(v);
  }

  /** The {@code users} list; the labels of those limited to some go into {@code labelsOut}. */
  private static Map<String, PasswordHash> users(ConfigNode top, Map<String, Set<String>> labelsOut)
      throws ConfigException {
    Map<String, PasswordHash> users = new LinkedHashMap<>();
    List<Object> list = top.list("users");
    for (int i = 0; i < list.size(); i++) {
      ConfigNode u = top.asNode("users[" + i + "]", list.get(i));
      u.allowOnly(Set.of("username", "password", "password_hash", "labels"));
      String name = u.string("username").filter(s -> !s.isBlank())
          .orElseThrow(() -> new ConfigException(u.key("username"), "is required"));
      if (name.contains(":")) {
        throw new ConfigException(u.key("username"), "cannot contain ':' (HTTP Basic separates user and password with it)");
      }
      Optional<String> plain = u.string("password");
      Optional<String> hash = u.string("password_hash");
      if (plain.isPresent() == hash.isPresent()) {
        throw new ConfigException(u.key("password"), "give exactly one of password or password_hash");
      }
      try {
        users.put(name, hash.isPresent() ? PasswordHash.parse(hash.get()) : PasswordHash.create(plain.get().toCharArray()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(u.key("password_hash"), e.getMessage());
      }
      if (users.size() != i + 1) {
        throw new ConfigException(u.key("username"), "'" + name + "' appears twice");
      }
      Set<String> labels = new java.util.TreeSet<>();
      for (String l : u.strings("labels")) {
        String problem = UserLabels.problem(l);
        if (problem != null) {
          throw new ConfigException(u.key("labels"), problem);
        }
        labels.add(l);
      }
      if (u.has("labels")) {
        if (labels.isEmpty()) {
          throw new ConfigException(u.key("labels"), "must list at least one label ('/' for the unlabelled path);"
              + " leave labels out to allow every label");
        }
        labelsOut.put(name, Set.copyOf(labels));
      }
    }
    return users;
  }

  /**
   * Either base64 DER, a list of OIDs and {type, values: [OIDs]} attributes (RFC 7030 form), or a
   * mapping {attributes: that list, template: {subject, key, extensions}} (RFC 9908 template).
   */
  private static Optional<CsrAttrs> csrAttrs(ConfigNode n, String name) throws ConfigException {
    if (!n.has(name)) {
      return Optional.empty();
    }
    Optional<ConfigNode> mapping = Optional.empty();
    try {
      mapping = n.child(name);
    } catch (ConfigException notAMapping) {
      // a string or a list, read below
    }
    if (mapping.isPresent()) {
      ConfigNode m = mapping.get();
      m.allowOnly(Set.of("attributes", "template"));
      List<CsrAttrs.Entry> entries = new ArrayList<>(csrAttrs(m, "attributes").orElse(CsrAttrs.empty()).entries());
      Optional<ConfigNode> t = m.child("template");
      if (t.isPresent()) {
        entries.add(CsrTemplateConfig.read(t.get()).toAttribute());
      }
      return Optional.of(CsrAttrs.of(entries));
    }
    String key = n.key(name);
    try {
      Optional<String> b64 = n.string(name);
      if (b64.isPresent()) {
        return Optional.of(CsrAttrs.decode(EstBase64.decode(b64.get())));
      }
    } catch (ConfigException e) {
      // not a string: a list follows
    } catch (EstProtocolException e) {
      throw new ConfigException(key, "is not base64 of DER CsrAttrs: " + e.getMessage());
    }
    List<CsrAttrs.Entry> entries = new ArrayList<>();
    List<Object> items = n.list(name);
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      String itemKey = key + "[" + i + "]";
      if (item instanceof String oid) {
        entries.add(new CsrAttrs.Oid(oid(itemKey, oid)));
        continue;
      }
      ConfigNode a = n.asNode(itemKey, item);
      a.allowOnly(Set.of("type", "values"));
      ASN1ObjectIdentifier type = oid(a.key("type"), a.string("type").orElseThrow(() -> new ConfigException(a.key("type"), "is required")));
      List<ASN1Encodable> values = new ArrayList<>();
      for (String v : a.strings("values")) {
        values.add(oid(a.key("values"), v));
      }
      if (values.isEmpty()) {
        throw new ConfigException(a.key("values"), "needs at least one OID");
      }
      entries.add(new CsrAttrs.Attribute(type, values));
    }
    return Optional.of(CsrAttrs.of(entries));
  }

  private static ASN1ObjectIdentifier oid(String key, String text) throws ConfigException {
    try {
      return new ASN1ObjectIdentifier(text.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "'" + text + "' is not an OID (like 1.2.840.113549.1.9.7)");
    }
  }
}
