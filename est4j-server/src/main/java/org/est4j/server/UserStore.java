package org.est4j.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Basic users with hashed passwords. A slow hash on every enrollment would cap the server
 * at a few requests per second, so a successful check is remembered for a few minutes as an HMAC
 * of the password under a per-process random key (never the password itself).
 */
public final class UserStore {
  private static final long REMEMBER_NANOS = 5L * 60 * 1_000_000_000;
  private static final PasswordHash DUMMY = PasswordHash.create("est4j-dummy".toCharArray(), 10_000);

  private final Map<String, PasswordHash> users;
  private final Map<String, Remembered> verified = new ConcurrentHashMap<>();
  private final byte[] cacheKey = new byte[32];

  private record Remembered(byte[] mac, long expiresNanos) {}

  private UserStore(Map<String, PasswordHash> users) {
    this.users = Map.copyOf(users);
    new SecureRandom().nextBytes(cacheKey);
  }

  public static UserStore empty() {
    return new UserStore(Map.of());
  }

  public static UserStore of(Map<String, PasswordHash> users) {
    return new UserStore(users);
  }

  public boolean isEmpty() {
    return users.isEmpty();
  }

  /** Whether the user exists and the password is theirs. */
  public boolean authenticate(String user, String password) {
    PasswordHash hash = users.get(user);
    if (hash == null) {
      DUMMY.matches(password.toCharArray()); // spend similar time for unknown users
      return false;
    }
    byte[] mac = mac(user, password);
    Remembered r = verified.get(user);
    long now = System.nanoTime();
    if (r != null && now - r.expiresNanos() < 0 && MessageDigest.isEqual(r.mac(), mac)) {
      return true;
    }
    boolean ok = hash.matches(password.toCharArray());
    if (ok) {
      verified.put(user, new Remembered(mac, now + REMEMBER_NANOS));
    }
    return ok;
  }

  private byte[] mac(String user, String password) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      hmac.update(user.getBytes(StandardCharsets.UTF_8));
      hmac.update((byte) 0);
      return hmac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
