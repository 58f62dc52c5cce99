package org.est4j.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.est4j.ca.CaDirectory;
import org.est4j.ca.Profile;
import org.est4j.protocol.EstOperation;
import org.est4j.server.AuthPolicy;
import org.est4j.server.ReenrollPolicy;

/**
 * Reads {@code data_dir}, {@code cas}, {@code profiles} and the policy keys of the unlabelled path
 * (top level) and of each label, then checks that every reference resolves. Every error names
 * its key.
 */
final class PkiConfigReader {
  /** Keys this reader owns at the top level. */
  static final Set<String> TOP_KEYS = Set.of("data_dir", "cas", "profiles", "ca", "profile", "auth",
      "enforce_csrattrs", "approval", "reenroll");
  /** Keys this reader owns under each label. */
  static final Set<String> LABEL_KEYS = Set.of("ca", "profile", "auth", "enforce_csrattrs", "approval", "reenroll");
  static final String DEFAULT_DATA_DIR = "est4j-data";

  private static final Set<String> EMBEDDED = Set.of("kind", "passphrase_file", "passphrase_env", "pkcs11");
  private static final Set<String> FILES = Set.of("kind", "certificates", "private_key",
      "private_key_passphrase_file", "private_key_passphrase_env");
  private static final Set<String> UPSTREAM = Set.of("kind", "url", "label", "trust_anchors", "username",
      "password_file", "password_env", "client_certificate");
  private static final Set<String> KEY_MATERIAL = Set.of("certificates", "private_key",
      "private_key_passphrase_file", "private_key_passphrase_env");
  private static final Map<String, EstOperation> AUTH_OPERATIONS = Map.of(
      "enroll", EstOperation.SIMPLEENROLL, "reenroll", EstOperation.SIMPLEREENROLL,
      "serverkeygen", EstOperation.SERVERKEYGEN, "tpmenroll", EstOperation.TPMENROLL);

  private PkiConfigReader() {}

  static PkiConfig read(ConfigNode top, Path baseDir, Optional<ServerConfig.KeyMaterial> mockCa,
      Map<String, ConfigNode> labelNodes) throws ConfigException {
    Path dataDir = top.path("data_dir").orElse(baseDir.resolve(DEFAULT_DATA_DIR));
    Map<String, PkiConfig.CaConfig> cas = new LinkedHashMap<>();
    if (mockCa.isPresent()) {
      cas.put(PkiConfig.DEFAULT, new PkiConfig.FilesCaConfig(PkiConfig.DEFAULT, "mock_ca", mockCa.get()));
    }
    for (Map.Entry<String, ConfigNode> e : top.children("cas").entrySet()) {
      String key = "cas." + e.getKey();
      if (cas.containsKey(e.getKey())) {
        throw new ConfigException(key, "mock_ca already defines the CA named 'default': remove one of them");
      }
      try {
        CaDirectory.directory(dataDir, e.getKey());
      } catch (IllegalArgumentException bad) {
        throw new ConfigException(key, bad.getMessage());
      }
      cas.put(e.getKey(), ca(e.getKey(), key, e.getValue()));
    }
    Map<String, Profile> profiles = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : top.children("profiles").entrySet()) {
      profiles.put(e.getKey(), ProfileConfigReader.read(e.getKey(), e.getValue()));
    }
    PkiConfig.LabelPolicy unlabelled = policy(top);
    Map<String, PkiConfig.LabelPolicy> labels = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : labelNodes.entrySet()) {
      labels.put(e.getKey(), policy(e.getValue()));
    }
    PkiConfig pki = new PkiConfig(dataDir, cas, profiles, unlabelled, labels);
    checkReferences(pki);
    return pki;
  }

  private static PkiConfig.CaConfig ca(String name, String key, ConfigNode n) throws ConfigException {
    String kind = n.string("kind").orElseThrow(() -> new ConfigException(n.key("kind"), "is required: embedded, files or upstream"));
    switch (kind.trim().toLowerCase(Locale.ROOT)) {
      case "embedded": {
        n.allowOnly(EMBEDDED);
        Optional<Path> file = n.path("passphrase_file");
        Optional<String> env = n.string("passphrase_env").filter(s -> !s.isBlank());
        if (n.has("pkcs11")) {
          if (file.isPresent() || env.isPresent()) {
            throw new ConfigException(n.key("pkcs11"), "a CA whose keys are on a token has no passphrase:"
                + " drop passphrase_file/passphrase_env");
          }
          return new PkiConfig.EmbeddedCaConfig(name, key, file, env,
              Optional.of(Pkcs11Config.tokenSpec(n, "pkcs11", Pkcs11Config.caKeyLabel(name, "issuing"))));
        }
        if (file.isPresent() == env.isPresent()) {
          throw new ConfigException(n.key("passphrase_file"), "give exactly one of passphrase_file or passphrase_env:"
              + " the embedded CA's keys are encrypted with it (or pkcs11: for keys made on a token)");
        }
        return new PkiConfig.EmbeddedCaConfig(name, key, file, env);
      }
      case "files": {
        n.allowOnly(FILES);
        ServerConfig.KeyMaterial m = ServerConfigReader.keyMaterialOf(n)
            .orElseThrow(() -> new ConfigException(n.key("certificates"), "is required for a files CA"));
        return new PkiConfig.FilesCaConfig(name, key, m);
      }
      case "upstream":
        n.allowOnly(UPSTREAM);
        return upstream(name, key, n);
      default:
        throw new ConfigException(n.key("kind"), "'" + kind + "' is not a CA kind: use embedded, files or upstream");
    }
  }

  private static PkiConfig.UpstreamCaConfig upstream(String name, String key, ConfigNode n) throws ConfigException {
    String text = n.string("url").orElseThrow(() -> new ConfigException(n.key("url"), "is required (https://HOST:PORT)"));
    URI url;
    try {
      url = new URI(text.contains("://") ? text : "https://" + text);
    } catch (URISyntaxException e) {
      throw new ConfigException(n.key("url"), "'" + text + "' is not a URL");
    }
    if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new ConfigException(n.key("url"), "must be an https:// URL with a host, not '" + text + "'");
    }
    List<Path> anchors = n.paths("trust_anchors");
    if (anchors.isEmpty()) {
      throw new ConfigException(n.key("trust_anchors"), "is required: PEM file(s) of the CA that issued the upstream"
          + " server's TLS certificate (an RA never trusts an unauthenticated server)");
    }
    for (Path p : anchors) {
      if (!Files.isReadable(p)) {
        throw new ConfigException(n.key("trust_anchors"), "cannot read " + p);
      }
    }
    Optional<String> user = n.string("username").filter(s -> !s.isBlank());
    Optional<Path> passFile = n.path("password_file");
    Optional<String> passEnv = n.string("password_env").filter(s -> !s.isBlank());
    if (user.isPresent() && passFile.isPresent() == passEnv.isPresent()) {
      throw new ConfigException(n.key("password_file"), "give exactly one of password_file or password_env with username");
    }
    if (user.isEmpty() && (passFile.isPresent() || passEnv.isPresent())) {
      throw new ConfigException(n.key("username"), "is required with a password");
    }
    Optional<ServerConfig.KeyMaterial> cert = Optional.empty();
    Optional<ConfigNode> certNode = n.child("client_certificate");
    if (certNode.isPresent()) {
      certNode.get().allowOnly(KEY_MATERIAL);
      cert = ServerConfigReader.keyMaterialOf(certNode.get());
    }
    Optional<String> label = n.string("label").filter(s -> !s.isBlank());
    if (label.isPresent() && !org.est4j.protocol.Labels.isValid(label.get())) {
      throw new ConfigException(n.key("label"), "'" + label.get() + "' is not a valid EST label");
    }
    return new PkiConfig.UpstreamCaConfig(name, key, url, label, anchors, user, passFile, passEnv, cert);
  }

  /** The policy keys of one node (the top level or a label). */
  private static PkiConfig.LabelPolicy policy(ConfigNode n) throws ConfigException {
    Map<EstOperation, Set<AuthPolicy.Method>> auth = new LinkedHashMap<>();
    Optional<ConfigNode> authNode = n.child("auth");
    if (authNode.isPresent()) {
      ConfigNode a = authNode.get();
      a.allowOnly(AUTH_OPERATIONS.keySet());
      for (Map.Entry<String, EstOperation> op : AUTH_OPERATIONS.entrySet()) {
        if (!a.has(op.getKey())) {
          continue;
        }
        Set<AuthPolicy.Method> methods = EnumSet.noneOf(AuthPolicy.Method.class);
        for (String m : a.strings(op.getKey())) {
          methods.add(method(a.key(op.getKey()), m));
        }
        try {
          AuthPolicy.builder().allow(op.getValue(), methods);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(a.key(op.getKey()), e.getMessage());
        }
        auth.put(op.getValue(), methods);
      }
    }
    Optional<String> approval = n.string("approval").map(s -> s.trim().toLowerCase(Locale.ROOT));
    if (approval.isPresent()) {
      if (!approval.get().equals("auto") && !approval.get().equals("manual")) {
        throw new ConfigException(n.key("approval"), "must be auto or manual, not '" + approval.get() + "'");
      }
    }
    Optional<ReenrollPolicy> reenroll = Optional.empty();
    Optional<ConfigNode> r = n.child("reenroll");
    if (r.isPresent()) {
      r.get().allowOnly(Set.of("same_key", "subject_change"));
      reenroll = Optional.of(new ReenrollPolicy(
          allowDeny(r.get(), "same_key", ReenrollPolicy.DEFAULT.sameKeyAllowed()),
          allowDeny(r.get(), "subject_change", ReenrollPolicy.DEFAULT.subjectChangeAllowed())));
    }
    return new PkiConfig.LabelPolicy(n.string("ca").filter(s -> !s.isBlank()),
        n.string("profile").filter(s -> !s.isBlank()), auth, n.bool("enforce_csrattrs"), approval, reenroll);
  }

  private static AuthPolicy.Method method(String key, String text) throws ConfigException {
    String m = text.trim().toLowerCase(Locale.ROOT);
    switch (m) {
      case "basic":
        return AuthPolicy.Method.BASIC;
      case "client_cert":
        return AuthPolicy.Method.CLIENT_CERT;
      case "token":
        return AuthPolicy.Method.TOKEN;
      default:
        throw new ConfigException(key, "'" + text + "' is not an authentication method: use basic, client_cert or token");
    }
  }

  private static boolean allowDeny(ConfigNode n, String name, boolean dflt) throws ConfigException {
    Optional<String> v = n.string(name).map(s -> s.trim().toLowerCase(Locale.ROOT));
    if (v.isEmpty()) {
      return dflt;
    }
    if (v.get().equals("allow") || v.get().equals("true")) {
      return true;
    }
    if (v.get().equals("deny") || v.get().equals("false")) {
      return false;
    }
    throw new ConfigException(n.key(name), "must be allow or deny, not '" + v.get() + "'");
  }

  /** Labels name existing CAs and profiles; several CAs need a choice for the unlabelled path. */
  private static void checkReferences(PkiConfig pki) throws ConfigException {
    check(pki, "", pki.unlabelled());
    for (Map.Entry<String, PkiConfig.LabelPolicy> e : pki.labels().entrySet()) {
      check(pki, "labels." + e.getKey() + ".", e.getValue());
    }
    if (pki.unlabelled().ca().isEmpty() && pki.cas().size() > 1 && !pki.cas().containsKey(PkiConfig.DEFAULT)) {
      throw new ConfigException("ca", "several CAs are configured (" + String.join(", ", pki.cas().keySet())
          + "): name the unlabelled path's CA with a top-level ca key, or call one of them 'default'");
    }
  }

  private static void check(PkiConfig pki, String prefix, PkiConfig.LabelPolicy p) throws ConfigException {
    if (p.ca().isPresent() && !pki.cas().containsKey(p.ca().get())) {
      throw new ConfigException(prefix + "ca", "no CA named '" + p.ca().get() + "' under cas"
          + (pki.cas().isEmpty() ? "" : " (there are: " + String.join(", ", pki.cas().keySet()) + ")"));
    }
    if (p.profile().isPresent() && !pki.profiles().containsKey(p.profile().get())) {
      throw new ConfigException(prefix + "profile", "no profile named '" + p.profile().get() + "' under profiles"
          + (pki.profiles().isEmpty() ? "" : " (there are: " + String.join(", ", pki.profiles().keySet()) + ")"));
    }
  }
}
