package org.est4j.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.est4j.server.store.EnrollmentToken;
import org.est4j.server.store.TokenStore;

/**
 * Creates one-time enrollment tokens: {@value #PREFIX} followed by 160 random bits in lower-case
 * base32 (32 characters). The prefix lets the server tell a token from a password in an HTTP Basic
 * header or a CSR challengePassword without a database lookup, and lets secret scanners find
 * leaked ones. Only the SHA-256 of the text is stored.
 */
public final class EnrollmentTokens {
  public static final String PREFIX = "estt_";
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private EnrollmentTokens() {}

  /** A created token: the text, shown once, and its stored form. */
  public record Created(String text, EnrollmentToken stored) {
    @Override
    public String toString() {
      return "Created[token " + stored.id() + "]"; // never the text
    }
  }

  /**
   * Creates and stores a token.
   *
   * @param label the label it may enroll on (empty: the unlabelled path)
   * @param subjectPattern see {@link SubjectPattern}; checked here
   */
  public static Created create(
      TokenStore store, Optional<String> label, String subjectPattern, Instant now, Instant expires, String createdBy) {
    SubjectPattern.parse(subjectPattern);
    if (!expires.isAfter(now)) {
      throw new IllegalArgumentException("a token must expire after it is created");
    }
    String text = newText();
    EnrollmentToken stored =
        store.create(EnrollmentToken.unused(sha256(text), label, subjectPattern, now, createdBy, expires));
    return new Created(text, stored);
  }

  static String newText() {
    byte[] random = new byte[20];
    RANDOM.nextBytes(random);
    StringBuilder out = new StringBuilder(PREFIX);
    int buffer = 0;
    int bits = 0;
    for (byte b : random) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    return out.toString();
  }

  /** Whether a presented secret has the form of a token (not a password). */
  public static boolean looksLikeToken(String secret) {
    return secret != null && secret.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }

  /** Lower-case hex SHA-256 of the token text (trimmed, lower-cased: base32 is case-insensitive). */
  public static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(text.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
