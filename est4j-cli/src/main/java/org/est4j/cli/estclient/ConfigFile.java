package org.est4j.cli.estclient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The Go estclient's JSON configuration file, with the same keys. Relative paths in the file
 * resolve against the file's directory. Unknown keys are ignored as the seed does, with a warning
 * so a typo does not go unnoticed. Hardware keys ({@code private_key.hsm}, {@code .tpm}) are kept as
 * {@link HardwareKeyConfig} for {@link HardwareKeys} to open.
 */
record ConfigFile(
    Path file,
    Optional<String> server,
    Optional<String> additionalPathSegment,
    Map<String, String> additionalHeaders,
    Optional<String> hostHeader,
    Optional<String> username,
    Optional<String> password,
    Optional<Path> explicitAnchor,
    Optional<Path> implicitAnchor,
    Optional<Path> clientCertificates,
    Optional<Path> privateKey,
    Optional<HardwareKeyConfig> hardwareKey) {

  static final String ENV_DIRECTORY = "ESTCLIENT_CONFIG_DIRECTORY";

  private static final Set<String> KEYS =
      Set.of("server", "additional_path_segment", "additional_headers", "host_header", "username",
          "password", "explicit_anchor", "implicit_anchor", "client_certificates", "private_key");

  /**
   * Finds a relative {@code -config} name as the seed does (first regular file wins): the working
   * directory, {@code $ESTCLIENT_CONFIG_DIRECTORY} (if absolute and existing), the home directory;
   * otherwise the name as given.
   */
  static Path locate(String name, Io io) {
    Path given = Path.of(name);
    if (given.isAbsolute()) {
      return given;
    }
    List<Path> candidates = new ArrayList<>();
    candidates.add(io.cwd().resolve(given));
    io.env(ENV_DIRECTORY).map(Path::of).filter(Path::isAbsolute).filter(Files::isDirectory)
        .ifPresent(d -> candidates.add(d.resolve(given)));
    io.home().ifPresent(h -> candidates.add(h.resolve(given)));
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return c.normalize();
      }
    }
    return io.cwd().resolve(given).normalize();
  }

  /** Reads and checks the file; the messages name the file and the key. */
  static ConfigFile read(Path file, Io io) throws CliException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw CliException.usage("-config " + file + ": no such file (looked in the working directory, $"
          + ENV_DIRECTORY + " and the home directory)");
    } catch (IOException e) {
      throw CliException.failure("cannot read -config " + file + ": " + e.getMessage(), e);
    }
    Object root;
    try {
      // JSON is YAML, except that YAML refuses tab indentation; raw tabs cannot occur inside JSON strings.
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text.replace('\t', ' '));
    } catch (YAMLException e) {
      throw CliException.usage("-config " + file + " is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(root instanceof Map)) {
      throw CliException.usage("-config " + file + ": expected a JSON object");
    }
    Map<?, ?> map = (Map<?, ?>) root;
    for (Object k : map.keySet()) {
      if (!KEYS.contains(String.valueOf(k))) {
        io.err().println("estclient: warning: -config " + file + ": unknown key \"" + k + "\" ignored");
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    Reader r = new Reader(file, map, dir);
    Optional<Path> key = Optional.empty();
    Optional<HardwareKeyConfig> hardware = Optional.empty();
    Object pk = map.get("private_key");
    if (pk instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        throw CliException.usage("-config " + file + ": private_key: no private key provided");
      }
      if (m.size() > 1) {
        throw CliException.usage("-config " + file + ": private_key: more than one private key provided");
      }
      String kind = String.valueOf(m.keySet().iterator().next());
      if (!kind.equals("hsm") && !kind.equals("tpm")) {
        throw CliException.usage("-config " + file + ": private_key: unknown private key format \"" + kind + "\"");
      }
      Object settings = m.values().iterator().next();
      if (!(settings instanceof Map<?, ?> sm)) {
        throw CliException.usage("-config " + file + ": private_key." + kind + " must be an object");
      }
      hardware = Optional.of(new HardwareKeyConfig(kind, sm, dir, file));
    } else if (pk instanceof String uri && uri.regionMatches(true, 0, "pkcs11:", 0, 7)) {
      // est4j extension: an RFC 7512 URI instead of a file (as -key accepts)
      hardware = Optional.of(new HardwareKeyConfig(HardwareKeyConfig.PKCS11_URI, Map.of("uri", uri), dir, file));
    } else if (pk != null) {
      key = r.path("private_key");
    }
    return new ConfigFile(file, r.string("server"), r.string("additional_path_segment"), r.headers(),
        r.string("host_header"), r.string("username"), r.string("password"), r.path("explicit_anchor"),
        r.path("implicit_anchor"), r.path("client_certificates"), key, hardware);
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }

  /** Typed access to the keys, with errors naming file and key. */
  private record Reader(Path file, Map<?, ?> map, Path dir) {
    Optional<String> string(String key) throws CliException {
      Object v = map.get(key);
      if (v == null) {
        return Optional.empty();
      }
      if (!(v instanceof String s)) {
        throw CliException.usage("-config " + file + ": " + key + " must be a string");
      }
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    Optional<Path> path(String key) throws CliException {
      return string(key).map(s -> dir.resolve(s).normalize());
    }

    Map<String, String> headers() throws CliException {
      Object v = map.get("additional_headers");
      if (v == null) {
        return Map.of();
      }
      if (!(v instanceof Map<?, ?> m)) {
        throw CliException.usage("-config " + file + ": additional_headers must be an object of strings");
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getValue() instanceof String)) {
          throw CliException.usage("-config " + file + ": additional_headers." + e.getKey() + " must be a string");
        }
        out.put(String.valueOf(e.getKey()), (String) e.getValue());
      }
      return out;
    }
  }
}
