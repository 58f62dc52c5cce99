package org.est4j.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Basic-auth user in the store: the password only as a hash ({@code PasswordHash} form).
 *
 * @param labels the labels this user may enroll on, {@link #UNLABELLED} for the unlabelled path;
 *     empty: every label
 */
public record StoredUser(String username, String passwordHash, Set<String> labels, Instant createdAt, Instant updatedAt) {
  /** How the unlabelled path is named in a user's labels ({@code /} is never part of a label). */
  public static final String UNLABELLED = "/";

  public StoredUser {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
    labels = Set.copyOf(new TreeSet<>(labels));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A user allowed on every label. */
  public StoredUser(String username, String passwordHash, Instant createdAt, Instant updatedAt) {
    this(username, passwordHash, Set.of(), createdAt, updatedAt);
  }

  /** Whether {@code labels} (a user's scope, empty: all) admits a request on {@code label}. */
  public static boolean admits(Set<String> labels, Optional<String> label) {
    return labels.isEmpty() || labels.contains(label.orElse(UNLABELLED));
  }

  /** The labels sorted, for listings and messages: "[iot, /]"; "*" when unrestricted. */
  public static String describe(Set<String> labels) {
    return labels.isEmpty() ? "*" : String.join(",", new TreeSet<>(labels));
  }

  @Override
  public String toString() {
    return "StoredUser[" + username + "]"; // never the hash
  }
}
