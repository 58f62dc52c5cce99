package org.est4j.cli.estclient;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code private_key.tpm} settings tpmenroll reads (the seed's keys, seed-behavior §3.4).
 * Unlike the seed, {@code public_area} and {@code private_area} resolve against the configuration
 * file's directory like every other path of the file (the seed reads them from the working
 * directory in tpmenroll, B17).
 */
record TpmEnrollConfig(
    String source,
    Optional<String> device,
    Optional<Integer> persistentHandle,
    Optional<Integer> storageHandle,
    Optional<Integer> ekHandle,
    String keyPassword,
    String storagePassword,
    String ekPassword,
    Optional<Path> ekCerts,
    Optional<Path> publicArea,
    Optional<Path> privateArea) {

  static TpmEnrollConfig of(HardwareKeyConfig c) throws CliException {
    Map<?, ?> m = c.settings();
    String where = c.describe();
    return new TpmEnrollConfig(
        where,
        string(m, "device", where),
        handle(m, "persistent_handle", where),
        handle(m, "storage_handle", where),
        handle(m, "ek_handle", where),
        string(m, "key_password", where).orElse(""),
        string(m, "storage_password", where).orElse(""),
        string(m, "ek_password", where).orElse(""),
        string(m, "ek_certs", where).map(p -> c.dir().resolve(p).normalize()),
        string(m, "public_area", where).map(p -> c.dir().resolve(p).normalize()),
        string(m, "private_area", where).map(p -> c.dir().resolve(p).normalize()));
  }

  private static Optional<String> string(Map<?, ?> m, String key, String where) throws CliException {
    Object v = m.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw CliException.usage(where + ": " + key + " must be a string");
    }
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** A JSON integer in the uint32 range (the seed's "invalid handle value"). */
  private static Optional<Integer> handle(Map<?, ?> m, String key, String where) throws CliException {
    Object v = m.get(key);
    if (v == null) {
      return Optional.empty();
    }
    BigInteger n;
    if (v instanceof Integer || v instanceof Long) {
      n = BigInteger.valueOf(((Number) v).longValue());
    } else if (v instanceof BigInteger b) {
      n = b;
    } else {
      throw CliException.usage(where + ": " + key + " must be an integer handle, e.g. 2164326401 (0x81010001)");
    }
    if (n.signum() < 0 || n.bitLength() > 32) {
      throw CliException.usage(where + ": " + key + ": invalid handle value: " + n);
    }
    return Optional.of(n.intValue());
  }

  /** "0x81010001". */
  static String hex(int handle) {
    return String.format("0x%08x", handle);
  }
}
