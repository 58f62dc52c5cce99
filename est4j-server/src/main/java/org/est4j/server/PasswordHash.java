package org.est4j.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A salted password hash. New hashes are Argon2id (RFC 9106) in the PHC string form
 * {@code $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>} (unpadded base64), with RFC 9106's second
 * recommended parameter set: 64 MiB, 3 passes, 4 lanes. Measured with Bouncy Castle 1.83 (which
 * computes the lanes one after the other) on the 2-core build machine under load: 225-360 ms per
 * hash. That is paid once per user per {@link UserStore} cache period, not per request.
 * Hashes of the earlier form {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} still verify.
 *
 * <p>At most as many Argon2 computations as there are processors run at once: each needs its
 * 64 MiB, and a burst of wrong passwords on 64 request threads would otherwise ask for 4 GiB.
 */
public final class PasswordHash {
  static final int DEFAULT_ITERATIONS = 210_000;
  /** RFC 9106 §4, second recommended option: memory in KiB, passes, lanes. */
  static final int ARGON2_MEMORY_KIB = 64 * 1024;
  static final int ARGON2_PASSES = 3;
  static final int ARGON2_LANES = 4;
  private static final String PBKDF2 = "pbkdf2-sha256";
  private static final String ARGON2ID = "argon2id";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Semaphore ARGON2_SLOTS = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

  private final String scheme;
  private final int iterations; // PBKDF2 iterations or Argon2 passes
  private final int memoryKib;
  private final int lanes;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(String scheme, int iterations, int memoryKib, int lanes, byte[] salt, byte[] hash) {
    this.scheme = scheme;
    this.iterations = iterations;
    this.memoryKib = memoryKib;
    this.lanes = lanes;
    this.salt = salt;
    this.hash = hash;
  }

  /** Hashes a password with Argon2id and a new random salt. */
  public static PasswordHash create(char[] password) {
    return argon2id(password, ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES);
  }

  /** PBKDF2-HMAC-SHA256: for tests and for secrets that are not user passwords (fast to check). */
  static PasswordHash create(char[] password, int iterations) {
    byte[] salt = newSalt();
    return new PasswordHash(PBKDF2, iterations, 0, 0, salt, pbkdf2(password, salt, iterations));
  }

  static PasswordHash argon2id(char[] password, int memoryKib, int passes, int lanes) {
    byte[] salt = newSalt();
    return new PasswordHash(ARGON2ID, passes, memoryKib, lanes, salt, argon2(password, salt, passes, memoryKib, lanes));
  }

  /** Parses a stored hash of either form; throws IllegalArgumentException naming what is wrong. */
  public static PasswordHash parse(String encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.startsWith("$" + ARGON2ID + "$")) {
      return parseArgon2(encoded);
    }
    String[] parts = encoded.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PBKDF2)) {
      throw new IllegalArgumentException("a password hash must look like $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>"
          + "$<salt>$<hash> or " + PBKDF2 + "$<iterations>$<salt>$<hash>");
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      if (iterations < 10_000) {
        throw new IllegalArgumentException("a password hash needs at least 10000 iterations");
      }
      return new PasswordHash(PBKDF2, iterations, 0, 0, decode(parts[2]), decode(parts[3]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the iteration count of a password hash is not a number", e);
    }
  }

  private static PasswordHash parseArgon2(String encoded) {
    String[] parts = encoded.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[2].equals("v=19")) {
      throw new IllegalArgumentException("an Argon2id hash must look like $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>");
    }
    int m = -1;
    int t = -1;
    int p = -1;
    for (String kv : parts[3].split(",")) {
      String[] pair = kv.split("=", 2);
      if (pair.length != 2) {
        throw new IllegalArgumentException("Argon2id parameters must be m=<KiB>,t=<passes>,p=<lanes>");
      }
      int v;
      try {
        v = Integer.parseInt(pair[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Argon2id parameter " + pair[0] + " is not a number", e);
      }
      switch (pair[0]) {
        case "m" -> m = v;
        case "t" -> t = v;
        case "p" -> p = v;
        default -> throw new IllegalArgumentException("unknown Argon2id parameter " + pair[0]);
      }
    }
    if (m < 8 * 1024 || t < 1 || p < 1 || p > 64 || m > 4 * 1024 * 1024) {
      throw new IllegalArgumentException("Argon2id needs m >= 8192 KiB (at most 4 GiB), t >= 1 and 1 <= p <= 64");
    }
    byte[] s = decode(parts[4]);
    byte[] h = decode(parts[5]);
    if (s.length < 8 || h.length < 16) {
      throw new IllegalArgumentException("an Argon2id hash needs a salt of at least 8 bytes and a hash of at least 16");
    }
    return new PasswordHash(ARGON2ID, t, m, p, s, h);
  }

  /** Checks a password in time independent of where it differs. */
  public boolean matches(char[] password) {
    byte[] derived = scheme.equals(ARGON2ID)
        ? argon2(password, salt, iterations, memoryKib, lanes)
        : pbkdf2(password, salt, iterations);
    return MessageDigest.isEqual(hash, derived);
  }

  /** Whether this is the current, memory-hard form (a pbkdf2 hash is worth replacing). */
  public boolean isArgon2id() {
    return scheme.equals(ARGON2ID);
  }

  public String encoded() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    if (scheme.equals(ARGON2ID)) {
      return "$" + ARGON2ID + "$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + lanes + "$"
          + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }
    return PBKDF2 + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  @Override
  public String toString() {
    return scheme + "(…)"; // never the hash: it can be attacked offline
  }

  private static byte[] newSalt() {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return salt;
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the salt or hash of a password hash is not base64", e);
    }
  }

  private static byte[] argon2(char[] password, byte[] salt, int passes, int memoryKib, int lanes) {
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] pw = new byte[utf8.remaining()];
    utf8.get(pw);
    if (utf8.hasArray()) {
      Arrays.fill(utf8.array(), (byte) 0);
    }
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(passes)
        .withParallelism(lanes)
        .withSalt(salt)
        .build());
    byte[] out = new byte[32];
    ARGON2_SLOTS.acquireUninterruptibly();
    try {
      g.generateBytes(pw, out);
    } finally {
      ARGON2_SLOTS.release();
      Arrays.fill(pw, (byte) 0);
    }
    return out;
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      return f.generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    }
  }
}
