package org.est4j.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.est4j.server.store.StoredUser;
import org.est4j.server.store.UserDirectory;

/**
 * HTTP Basic users: those of the configuration file (kept in memory, never written to the
 * store) and, when a {@link UserDirectory} is given, those of the store ({@code estserver users
 * add}), which every node sees. A configured name shadows a stored one.
 *
 * <p>An Argon2id check costs about a quarter of a second (see {@link PasswordHash}), too much
 * per request, so a successful check is remembered for {@value #REMEMBER_MINUTES} minutes as an
 * HMAC of user, stored hash and password under a per-process random key (never the password):
 * a changed password (a new hash) misses the cache at once. Store lookups are cached for
 * {@value #LOOKUP_SECONDS} seconds, so a user removed or changed on one node is refused by the
 * others within that time (a user added is found at once: misses are not cached).
 *
 * <p>A user may be limited to some labels ({@link #admits}); {@link StoredUser#UNLABELLED} names
 * the unlabelled path. A user without labels may enroll on every label.
 */
public final class UserStore {
  static final int REMEMBER_MINUTES = 5;
  static final int LOOKUP_SECONDS = 5;
  private static final long REMEMBER_NANOS = REMEMBER_MINUTES * 60L * 1_000_000_000;
  private static final long LOOKUP_NANOS = LOOKUP_SECONDS * 1_000_000_000L;
  private static final int MAX_CACHED = 10_000;

  private final Map<String, PasswordHash> configured;
  private final Map<String, Set<String>> configuredLabels;
  private final Optional<UserDirectory> directory;
  private final Map<String, Remembered> verified = new ConcurrentHashMap<>();
  private final Map<String, Lookup> lookups = new ConcurrentHashMap<>();
  private final byte[] cacheKey = new byte[32];
  private final Object[] stripes = new Object[64];
  private volatile PasswordHash dummy;

  private record Remembered(byte[] mac, long expiresNanos) {}

  private record Lookup(Optional<PasswordHash> hash, Set<String> labels, long expiresNanos) {}

  private UserStore(Map<String, PasswordHash> configured, Map<String, Set<String>> labels,
      Optional<UserDirectory> directory) {
    this.configured = Map.copyOf(configured);
    this.configuredLabels = Map.copyOf(labels);
    this.directory = directory;
    new SecureRandom().nextBytes(cacheKey);
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  public static UserStore empty() {
    return new UserStore(Map.of(), Map.of(), Optional.empty());
  }

  public static UserStore of(Map<String, PasswordHash> users) {
    return new UserStore(users, Map.of(), Optional.empty());
  }

  /**
   * Configured users, some limited to labels.
   *
   * @param labels per user name, the labels it may enroll on (absent or empty: every label)
   */
  public static UserStore of(Map<String, PasswordHash> users, Map<String, Set<String>> labels) {
    return new UserStore(users, labels, Optional.empty());
  }

  /** Configured users plus the store's. */
  public static UserStore of(Map<String, PasswordHash> users, UserDirectory directory) {
    return new UserStore(users, Map.of(), Optional.of(directory));
  }

  /** Configured users (some limited to labels) plus the store's. */
  public static UserStore of(Map<String, PasswordHash> users, Map<String, Set<String>> labels,
      UserDirectory directory) {
    return new UserStore(users, labels, Optional.of(directory));
  }

  /**
   * The labels {@code user} may enroll on (empty: every label). Call after {@link #authenticate}
   * succeeded: it uses the same cached lookup.
   */
  public Set<String> labels(String user) {
    if (configured.containsKey(user)) {
      return configuredLabels.getOrDefault(user, Set.of());
    }
    Lookup l = lookups.get(user);
    if (l != null) {
      return l.labels();
    }
    return directory.flatMap(d -> d.find(user)).map(StoredUser::labels).orElse(Set.of());
  }

  /** Whether {@code user} may enroll on {@code label} (empty: the unlabelled path). */
  public boolean admits(String user, Optional<String> label) {
    return StoredUser.admits(labels(user), label);
  }

  /** True when no user can ever authenticate (no configured users and no store). */
  public boolean isEmpty() {
    return configured.isEmpty() && directory.isEmpty();
  }

  /** Whether the user exists and the password is theirs. */
  public boolean authenticate(String user, String password) {
    Optional<PasswordHash> found = hashOf(user);
    if (found.isEmpty()) {
      dummy().matches(password.toCharArray()); // spend similar time for unknown users
      return false;
    }
    PasswordHash hash = found.get();
    byte[] mac = mac(user, hash.encoded(), password);
    if (remembered(user, mac)) {
      return true;
    }
    // One verification per user at a time: 64 connections of one client arriving together cost
    // one Argon2 run, not 64 (the others find the result remembered). Wrong passwords for one
    // user are serialised too, which slows guessing.
    synchronized (stripes[Math.floorMod(user.hashCode(), stripes.length)]) {
      if (remembered(user, mac)) {
        return true;
      }
      boolean ok = hash.matches(password.toCharArray());
      if (ok) {
        if (verified.size() >= MAX_CACHED) {
          verified.clear(); // bounded: a flood of distinct users only costs re-verification
        }
        verified.put(user, new Remembered(mac, System.nanoTime() + REMEMBER_NANOS));
      }
      return ok;
    }
  }

  private boolean remembered(String user, byte[] mac) {
    Remembered r = verified.get(user);
    return r != null && System.nanoTime() - r.expiresNanos() < 0 && MessageDigest.isEqual(r.mac(), mac);
  }

  private Optional<PasswordHash> hashOf(String user) {
    PasswordHash h = configured.get(user);
    if (h != null || directory.isEmpty()) {
      return Optional.ofNullable(h);
    }
    long now = System.nanoTime();
    Lookup l = lookups.get(user);
    if (l != null && now - l.expiresNanos() < 0) {
      return l.hash();
    }
    Optional<StoredUser> row = directory.get().find(user);
    Optional<PasswordHash> fresh = row.map(StoredUser::passwordHash).flatMap(UserStore::parse);
    if (fresh.isEmpty()) {
      lookups.remove(user); // misses are not cached: a user added on another node works at once
      return fresh;
    }
    if (lookups.size() >= MAX_CACHED) {
      lookups.clear();
    }
    lookups.put(user, new Lookup(fresh, row.get().labels(), now + LOOKUP_NANOS));
    return fresh;
  }

  private static Optional<PasswordHash> parse(String encoded) {
    try {
      return Optional.of(PasswordHash.parse(encoded));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a damaged row authenticates nobody
    }
  }

  /** Argon2id when any user has such a hash, so an unknown name costs what a known one does. */
  private PasswordHash dummy() {
    PasswordHash d = dummy;
    if (d == null) {
      boolean argon = directory.isPresent() || configured.values().stream().anyMatch(PasswordHash::isArgon2id);
      d = argon ? PasswordHash.create("est4j-dummy".toCharArray()) : PasswordHash.create("est4j-dummy".toCharArray(), 10_000);
      dummy = d;
    }
    return d;
  }

  private byte[] mac(String user, String hash, String password) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      hmac.update(user.getBytes(StandardCharsets.UTF_8));
      hmac.update((byte) 0);
      hmac.update(hash.getBytes(StandardCharsets.UTF_8));
      hmac.update((byte) 0);
      return hmac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
