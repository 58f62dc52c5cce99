package org.est4j.cli;

import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import org.est4j.client.Pkcs11KeySpec;

/**
 * {@code mock_ca.private_key} on a PKCS#11 token: the estclient form {@code {hsm:
 * {pkcs11_library_path, token_label, token_pin, key_id}}} (library path relative to the
 * configuration file) or an RFC 7512 {@code pkcs11:} URI string. A server cannot ask for a PIN,
 * so the PIN must be in the configuration: {@code token_pin}, or the URI's {@code pin-value} or
 * {@code pin-source=file:...} (keeps it out of the configuration file).
 */
final class Pkcs11Config {
  private static final Set<String> HSM_KEYS = Set.of("pkcs11_library_path", "token_label", "token_pin", "key_id");

  private Pkcs11Config() {}

  static boolean isHsmKey(Object value) {
    return value instanceof Map<?, ?> || value instanceof String s && s.regionMatches(true, 0, "pkcs11:", 0, 7);
  }

  static Pkcs11KeySpec spec(ConfigNode parent, String name) throws ConfigException {
    Object v = parent.raw(name);
    String key = parent.key(name);
    Pkcs11KeySpec spec;
    if (v instanceof String uri) {
      try {
        spec = Pkcs11KeySpec.fromUri(uri);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, e.getMessage()); // not the URI itself: it may hold the PIN
      }
    } else {
      ConfigNode outer = parent.child(name).orElseThrow();
      outer.allowOnly(Set.of("hsm"));
      ConfigNode hsm = outer.child("hsm").orElseThrow(() -> new ConfigException(key, "must be a file path,"
          + " a pkcs11: URI or {hsm: {pkcs11_library_path, token_label, token_pin, key_id}}"));
      hsm.allowOnly(HSM_KEYS);
      spec = token(hsm).keyId(Pkcs11KeySpec.keyIdFromInteger(keyId(hsm))).build();
    }
    return requirePin(key, spec);
  }

  /** The token part of an {@code hsm:} block: module, token label and PIN when given. */
  private static Pkcs11KeySpec.Builder token(ConfigNode hsm) throws ConfigException {
    Pkcs11KeySpec.Builder b = Pkcs11KeySpec.builder()
        .module(hsm.path("pkcs11_library_path").orElseThrow(
            () -> new ConfigException(hsm.key("pkcs11_library_path"), "is required")))
        .tokenLabel(hsm.string("token_label").orElseThrow(
            () -> new ConfigException(hsm.key("token_label"), "is required")));
    hsm.string("token_pin").filter(p -> !p.isEmpty()).ifPresent(p -> b.pin(p.toCharArray()));
    return b;
  }

  private static Pkcs11KeySpec requirePin(String key, Pkcs11KeySpec spec) throws ConfigException {
    if (!spec.hasPin()) {
      throw new ConfigException(key, "no PIN for " + spec.describe() + ": a server cannot ask for it;"
          + " set token_pin, or pin-source=file:/path in the pkcs11: URI");
    }
    return spec;
  }

  private static BigInteger keyId(ConfigNode hsm) throws ConfigException {
    Object v = hsm.raw("key_id");
    if (v instanceof BigInteger b && b.signum() >= 0) {
      return b;
    }
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0) {
      return BigInteger.valueOf(((Number) v).longValue());
    }
    throw new ConfigException(hsm.key("key_id"), "is required and must be a non-negative integer (the key's"
        + " CKA_ID as a number, e.g. 1 for id 01)");
  }

  /** The CKA_LABEL of an embedded CA's root or issuing key made on a token by {@code ca init --pkcs11}. */
  static String caKeyLabel(String caName, String which) {
    return "est4j-ca-" + caName + "-" + which;
  }

  /**
   * The token of an embedded CA ({@code cas.NAME.pkcs11}, {@code ca init --pkcs11}): a {@code
   * pkcs11:} URI or {@code {hsm: {pkcs11_library_path, token_label, token_pin}}} naming the token
   * but no key (ca init names the keys), returned as the spec of the key labelled {@code keyLabel}.
   */
  static Pkcs11KeySpec tokenSpec(ConfigNode parent, String name, String keyLabel) throws ConfigException {
    Object v = parent.raw(name);
    String key = parent.key(name);
    Pkcs11KeySpec spec;
    if (v instanceof String uri) {
      spec = tokenUri(key, uri, keyLabel);
    } else {
      ConfigNode outer = parent.child(name).orElseThrow();
      outer.allowOnly(Set.of("hsm"));
      ConfigNode hsm = outer.child("hsm").orElseThrow(() -> new ConfigException(key, "must be a pkcs11: URI"
          + " or {hsm: {pkcs11_library_path, token_label, token_pin}}"));
      hsm.allowOnly(Set.of("pkcs11_library_path", "token_label", "token_pin"));
      spec = token(hsm).keyLabel(keyLabel).build();
    }
    return requirePin(key, spec);
  }

  /** A token URI (no id= or object=: the CA's keys are named by ca init) as the spec of key {@code keyLabel}. */
  static Pkcs11KeySpec tokenUri(String key, String uri, String keyLabel) throws ConfigException {
    if (!uri.regionMatches(true, 0, "pkcs11:", 0, 7)) {
      throw new ConfigException(key, "must be a pkcs11: URI (RFC 7512) naming the token and module-path");
    }
    int q = uri.indexOf('?');
    String path = uri.substring(7, q < 0 ? uri.length() : q);
    for (String attr : path.split(";")) {
      if (attr.startsWith("id=") || attr.startsWith("object=")) {
        throw new ConfigException(key, "names a key (" + attr.substring(0, attr.indexOf('=')) + "=): give the token"
            + " only; the CA's keys on it are labelled " + keyLabel.replaceAll("-(root|issuing)$", "-root/-issuing"));
      }
    }
    String withKey = "pkcs11:" + path + (path.isEmpty() ? "" : ";") + "object=" + keyLabel
        + (q < 0 ? "" : uri.substring(q));
    try {
      return Pkcs11KeySpec.fromUri(withKey);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage()); // not the URI itself: it may hold the PIN
    }
  }
}
