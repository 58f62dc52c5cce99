package org.est4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The password of the default H2 database, generated on first start into
 * {@code <data_dir>/h2.password} (mode 0600) and read from there afterwards, by the server and by
 * {@code estserver certs}.
 */
final class H2Password {
  static final String FILE = "h2.password";

  private H2Password() {}

  static char[] readOrCreate(Path dataDir) throws ConfigException {
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
          // another process created it first: read theirs
        }
      }
      String line = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (line.isEmpty()) {
        throw new ConfigException("data_dir", file + " is empty: delete it only together with the database");
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new ConfigException("data_dir", "cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }
}
