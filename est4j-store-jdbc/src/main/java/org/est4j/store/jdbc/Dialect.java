package org.est4j.store.jdbc;

/** The databases est4j supports, told apart by the JDBC URL. */
enum Dialect {
  H2,
  POSTGRESQL;

  static Dialect of(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database URL: expected jdbc:h2:file:PATH or jdbc:postgresql://HOST:PORT/DB");
  }
}
