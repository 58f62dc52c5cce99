package org.est4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, path-aware reading of a parsed YAML/JSON mapping: every error names the full key
 * ({@code labels.iot.base64_line_length}), unknown keys are refused (a typo must not silently
 * leave a default in force), and relative paths resolve against the config file's directory.
 */
final class ConfigNode {
  private final String path;
  private final Map<String, Object> values;
  private final Path baseDir;

  ConfigNode(String path, Map<String, Object> values, Path baseDir) {
    this.path = path;
    this.values = values;
    this.baseDir = baseDir;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String name) {
    return values.containsKey(name) && values.get(name) != null;
  }

  void allowOnly(Set<String> known) throws ConfigException {
    for (String k : values.keySet()) {
      if (!known.contains(k)) {
        throw new ConfigException(key(k), "unknown key (known here: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  /** The value as parsed (a String, Number, Boolean, Map or List), or null. */
  Object raw(String name) {
    return values.get(name);
  }

  Path baseDir() {
    return baseDir;
  }

  Optional<String> string(String name) throws ConfigException {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return Optional.of(v.toString());
    }
    throw new ConfigException(key(name), "must be a string");
  }

  /** A file path; empty strings count as absent (the seed's sample leaves some empty). */
  Optional<Path> path(String name) throws ConfigException {
    Optional<String> s = string(name).filter(x -> !x.isBlank());
    return s.map(x -> baseDir.resolve(x).normalize());
  }

  Optional<Double> number(String name) throws ConfigException {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Number n) {
      return Optional.of(n.doubleValue());
    }
    try {
      return Optional.of(Double.parseDouble(v.toString().trim()));
    } catch (NumberFormatException e) {
      throw new ConfigException(key(name), "must be a number, not '" + v + "'");
    }
  }

  Optional<Integer> integer(String name) throws ConfigException {
    Optional<Double> d = number(name);
    if (d.isPresent() && (d.get() != Math.rint(d.get()) || Math.abs(d.get()) > Integer.MAX_VALUE)) {
      throw new ConfigException(key(name), "must be a whole number");
    }
    return d.map(Double::intValue);
  }

  Optional<Boolean> bool(String name) throws ConfigException {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Boolean b) {
      return Optional.of(b);
    }
    throw new ConfigException(key(name), "must be true or false");
  }

  List<String> strings(String name) throws ConfigException {
    Object v = values.get(name);
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (!(v instanceof List<?> list)) {
      throw new ConfigException(key(name), "must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String || o instanceof Number)) {
        throw new ConfigException(key(name), "must be a list of strings");
      }
      out.add(o.toString());
    }
    return out;
  }

  List<Path> paths(String name) throws ConfigException {
    List<Path> out = new ArrayList<>();
    for (String s : strings(name)) {
      if (!s.isBlank()) {
        out.add(baseDir.resolve(s).normalize());
      }
    }
    return out;
  }

  Optional<ConfigNode> child(String name) throws ConfigException {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    return Optional.of(asNode(key(name), v));
  }

  List<Object> list(String name) throws ConfigException {
    Object v = values.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new ConfigException(key(name), "must be a list");
    }
    return new ArrayList<>(list);
  }

  Map<String, ConfigNode> children(String name) throws ConfigException {
    Object v = values.get(name);
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof Map<?, ?> map)) {
      throw new ConfigException(key(name), "must be a mapping");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String k = String.valueOf(e.getKey());
      out.put(k, asNode(key(name) + "." + k, e.getValue() == null ? Map.of() : e.getValue()));
    }
    return out;
  }

  ConfigNode asNode(String key, Object v) throws ConfigException {
    if (!(v instanceof Map<?, ?> map)) {
      throw new ConfigException(key, "must be a mapping");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    map.forEach((k, val) -> m.put(String.valueOf(k), val));
    return new ConfigNode(key, m, baseDir);
  }
}
