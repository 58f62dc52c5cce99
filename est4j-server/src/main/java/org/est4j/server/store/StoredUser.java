package org.est4j.server.store;

import java.time.Instant;
import java.util.Objects;

/** A Basic-auth user in the store: the password only as a hash ({@code PasswordHash} form). */
public record StoredUser(String username, String passwordHash, Instant createdAt, Instant updatedAt) {
  public StoredUser {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  @Override
  public String toString() {
    return "StoredUser[" + username + "]"; // never the hash
  }
}
