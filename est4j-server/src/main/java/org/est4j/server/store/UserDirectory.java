package org.est4j.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Basic-auth users shared by every server node (the {@code users} table). */
public interface UserDirectory {
  Optional<StoredUser> find(String username);

  /** Every user, by name. */
  List<StoredUser> list();

  /** Adds a user; false when the name is taken. */
  boolean add(String username, String passwordHash, Instant at);

  /** Replaces a user's password hash; false when there is no such user. */
  boolean changePassword(String username, String passwordHash, Instant at);

  /** Removes a user; false when there is no such user. */
  boolean remove(String username);
}
