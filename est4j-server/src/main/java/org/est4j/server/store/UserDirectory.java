package org.est4j.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Basic-auth users shared by every server node (the {@code users} table). */
public interface UserDirectory {
  Optional<StoredUser> find(String username);

  /** Every user, by name. */
  List<StoredUser> list();

  /**
   * Adds a user limited to {@code labels} ({@link StoredUser#UNLABELLED} for the unlabelled path;
   * empty: every label); false when the name is taken.
   */
  boolean add(String username, String passwordHash, Set<String> labels, Instant at);

  /** Adds a user allowed on every label; false when the name is taken. */
  default boolean add(String username, String passwordHash, Instant at) {
    return add(username, passwordHash, Set.of(), at);
  }

  /** Replaces a user's password hash; false when there is no such user. */
  boolean changePassword(String username, String passwordHash, Instant at);

  /** Removes a user; false when there is no such user. */
  boolean remove(String username);
}
