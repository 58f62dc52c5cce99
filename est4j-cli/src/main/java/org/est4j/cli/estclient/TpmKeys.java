package org.est4j.cli.estclient;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.est4j.tpm.device.TpmKeyConfig;
import org.est4j.tpm.device.TpmPrivateKey;

/**
 * Keys in a TPM named by {@code private_key.tpm} of the configuration file, with the seed's keys:
 * device, persistent_handle (wins), storage_handle, ek_handle, key_password, storage_password,
 * ek_password, ek_certs, public_area, private_area. Relative paths resolve against the
 * configuration file's directory, for the blobs too (the seed's tpmenroll reads those relative to
 * the working directory, its bug B17; est4j does not).
 */
final class TpmKeys {
  private static final Set<String> KEYS = Set.of("device", "persistent_handle", "storage_handle", "ek_handle",
      "key_password", "storage_password", "ek_password", "ek_certs", "public_area", "private_area");
  private static final BigInteger UINT32_MAX = BigInteger.valueOf(0xFFFFFFFFL);

  private TpmKeys() {}

  /** Opens the key; it is flushed (if loaded from blobs) and the device closed when the run ends. */
  static PrivateKey open(HardwareKeyConfig config, Io io) throws CliException {
    TpmKeyConfig c = config(config, io);
    try {
      TpmPrivateKey key = org.est4j.tpm.device.TpmKeys.open(c);
      io.closeAtEnd(key);
      return key;
    } catch (IOException e) {
      throw CliException.failure(config.describe() + ": " + e.getMessage(), e);
    }
  }

  /** The settings as a {@link TpmKeyConfig} (also what {@code tpmenroll} needs: EK handle, certificates). */
  static TpmKeyConfig config(HardwareKeyConfig config, Io io) throws CliException {
    Map<?, ?> m = config.settings();
    for (Object k : m.keySet()) {
      if (!KEYS.contains(String.valueOf(k))) {
        io.err().println("estclient: warning: " + config.describe() + ": unknown key \"" + k + "\" ignored");
      }
    }
    return new TpmKeyConfig(string(config, "device"), handle(config, "persistent_handle"),
        handle(config, "storage_handle"), handle(config, "ek_handle"), string(config, "key_password"),
        string(config, "storage_password"), string(config, "ek_password"), path(config, "ek_certs"),
        path(config, "public_area"), path(config, "private_area"));
  }

  private static String string(HardwareKeyConfig c, String key) throws CliException {
    Object v = c.settings().get(key);
    if (v == null) {
      return "";
    }
    if (!(v instanceof String)) {
      throw CliException.usage(c.describe() + ": " + key + " must be a string");
    }
    return (String) v;
  }

  private static Optional<Path> path(HardwareKeyConfig c, String key) throws CliException {
    String s = string(c, key);
    return s.isEmpty() ? Optional.empty() : Optional.of(c.dir().resolve(s).normalize());
  }

  /** A JSON integer in uint32 range; absent or 0 (Go's zero value) means not set. */
  private static OptionalInt handle(HardwareKeyConfig c, String key) throws CliException {
    Object v = c.settings().get(key);
    if (v == null) {
      return OptionalInt.empty();
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof BigInteger)) {
      throw CliException.usage(c.describe() + ": " + key + ": invalid handle value \"" + v + "\" (an integer is needed)");
    }
    BigInteger b = new BigInteger(v.toString());
    if (b.signum() < 0 || b.compareTo(UINT32_MAX) > 0) {
      throw CliException.usage(c.describe() + ": " + key + ": invalid handle value " + b);
    }
    return b.signum() == 0 ? OptionalInt.empty() : OptionalInt.of(b.intValue());
  }
}
