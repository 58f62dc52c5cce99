package org.est4j.cli.estclient;

import java.nio.file.Path;
import java.util.Map;

/**
 * A {@code private_key} object of the configuration file: {@code {"hsm": {...}}} or {@code {"tpm":
 * {...}}}. The settings stay raw here; the code that opens the key reads and checks them, and
 * resolves relative paths against {@code dir} (the configuration file's directory) as the seed does.
 */
record HardwareKeyConfig(String kind, Map<?, ?> settings, Path dir, Path file) {
  /** The kind of a {@code private_key: "pkcs11:..."} string: settings hold it under "uri". */
  static final String PKCS11_URI = "pkcs11-uri";

  /** "private_key.hsm in -config FILE", for messages. */
  String describe() {
    return (kind.equals(PKCS11_URI) ? "private_key (pkcs11: URI)" : "private_key." + kind) + " in -config " + file;
  }
}
