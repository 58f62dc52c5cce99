package org.est4j.cli.estclient;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.est4j.client.Pkcs11Key;
import org.est4j.client.Pkcs11KeyException;
import org.est4j.client.Pkcs11KeySpec;

/**
 * Keys in a HSM: the seed's {@code private_key: {hsm: {pkcs11_library_path, token_label, token_pin,
 * key_id}}} and RFC 7512 {@code pkcs11:} URIs ({@code -key pkcs11:...}). As the seed does, an empty
 * PIN is asked for on the terminal ("Enter PIN for HSM: "); key_id is a JSON integer whose
 * big-endian bytes are the key's CKA_ID. The key stays open until the command ends ({@link Io#closeAtEnd}).
 */
final class HsmKeys {
  static final String PIN_PROMPT = "Enter PIN for HSM: ";
  private static final Set<String> KEYS = Set.of("pkcs11_library_path", "token_label", "token_pin", "key_id");

  private HsmKeys() {}

  static PrivateKey open(HardwareKeyConfig config, Io io) throws CliException {
    Map<?, ?> s = config.settings();
    String where = config.describe();
    for (Object k : s.keySet()) {
      if (!KEYS.contains(String.valueOf(k))) {
        io.err().println("estclient: warning: " + where + ": unknown key \"" + k + "\" ignored");
      }
    }
    String library = string(s, "pkcs11_library_path", where)
        .orElseThrow(() -> CliException.usage(where + ": pkcs11_library_path is required"));
    Pkcs11KeySpec.Builder b = Pkcs11KeySpec.builder()
        .module(config.dir().resolve(library).normalize()) // relative to the configuration file, as the seed
        .tokenLabel(string(s, "token_label", where).orElseThrow(
            () -> CliException.usage(where + ": token_label is required")))
        .keyId(Pkcs11KeySpec.keyIdFromInteger(keyId(s.get("key_id"), where)));
    Optional<String> pin = string(s, "token_pin", where).filter(p -> !p.isEmpty());
    if (pin.isPresent()) {
      b.pin(pin.get().toCharArray());
    }
    return open(b.build(), where, io);
  }

  /** {@code -key pkcs11:...} or {@code private_key: "pkcs11:..."}. */
  static PrivateKey openUri(String uri, String where, Io io) throws CliException {
    Pkcs11KeySpec spec;
    try {
      spec = Pkcs11KeySpec.fromUri(uri);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(where + ": " + e.getMessage()); // the URI may hold a PIN: not echoed
    }
    return open(spec, where, io);
  }

  private static PrivateKey open(Pkcs11KeySpec spec, String where, Io io) throws CliException {
    if (!spec.hasPin()) {
      char[] typed = io.prompter().readSecret(PIN_PROMPT).orElseThrow(() -> CliException.usage(where
          + ": no PIN given and no terminal to ask for it: set token_pin (or pin-value/pin-source in the URI)"));
      try {
        spec = spec.withPin(typed);
      } finally {
        Arrays.fill(typed, '\0');
      }
    }
    try {
      Pkcs11Key key = Pkcs11Key.open(spec);
      io.closeAtEnd(key);
      return key.privateKey();
    } catch (Pkcs11KeyException e) {
      throw CliException.failure(where + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> string(Map<?, ?> s, String key, String where) throws CliException {
    Object v = s.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String str)) {
      throw CliException.usage(where + ": " + key + " must be a string");
    }
    return Optional.of(str);
  }

  private static BigInteger keyId(Object v, String where) throws CliException {
    if (v instanceof BigInteger b && b.signum() >= 0) {
      return b;
    }
    if ((v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
        && ((Number) v).longValue() >= 0) {
      return BigInteger.valueOf(((Number) v).longValue());
    }
    throw CliException.usage(where + ": key_id is required and must be a non-negative integer (the key's"
        + " CKA_ID as a number, e.g. 1 for id 01)");
  }
}
