package org.est4j.server.store;

/** What {@link CertificateStore#revoke} did. */
public enum RevokeResult {
  /** The row was issued and is now revoked. */
  REVOKED,
  /** The row was already revoked; nothing changed (the first reason and time are kept). */
  ALREADY_REVOKED,
  /** No certificate with that CA and serial is recorded. */
  NOT_FOUND
}
