package org.est4j.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Users of an {@link InMemoryCertificateStore}: for tests and the non-durable server. */
final class InMemoryUserDirectory implements UserDirectory {
  private final TreeMap<String, StoredUser> users = new TreeMap<>();

  @Override
  public synchronized Optional<StoredUser> find(String username) {
    return Optional.ofNullable(users.get(username));
  }

  @Override
  public synchronized List<StoredUser> list() {
    return List.copyOf(users.values());
  }

  @Override
  public synchronized boolean add(String username, String passwordHash, Set<String> labels, Instant at) {
    return users.putIfAbsent(username, new StoredUser(username, passwordHash, labels, at, at)) == null;
  }

  @Override
  public synchronized boolean changePassword(String username, String passwordHash, Instant at) {
    StoredUser u = users.get(username);
    if (u == null) {
      return false;
    }
    users.put(username, new StoredUser(username, passwordHash, u.labels(), u.createdAt(), at));
    return true;
  }

  @Override
  public synchronized boolean remove(String username) {
    return users.remove(username) != null;
  }
}
