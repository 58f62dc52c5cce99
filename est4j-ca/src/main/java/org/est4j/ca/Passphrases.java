package org.est4j.ca;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a server reads the passphrase of an encrypted CA key from, so that it need not appear on a
 * command line (visible in the process list) or in a configuration file.
 */
public final class Passphrases {

  private Passphrases() {}

  /**
   * The first line of the file, without its line ending, like OpenSSL's {@code -passin file:}.
   *
   * @throws IllegalArgumentException if the file cannot be read or is empty
   */
  public static char[] passphraseFromFile(Path file) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      // readLine strips "\n", "\r" and "\r\n" alike.
      String line = reader.readLine();
      if (line == null || line.isEmpty()) {
        throw new IllegalArgumentException("the passphrase file " + file + " is empty");
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the passphrase file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The value of an environment variable, like OpenSSL's {@code -passin env:}.
   *
   * @throws IllegalArgumentException if the variable is unset or empty
   */
  public static char[] passphraseFromEnv(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "the environment variable " + variable + " holding the CA key passphrase is not set");
    }
    return value.toCharArray();
  }
}
