package org.est4j.server.store;

/**
 * The enrollment token of a {@link TokenConsumption} was no longer usable when the certificate
 * was to be committed: another request consumed it first (or it expired, or was revoked, in
 * between). Nothing was recorded. A client's fault, not the store's: the engine answers 403.
 */
public final class TokenNotUsableException extends StoreException {
  private static final long serialVersionUID = 1L;

  public TokenNotUsableException(String message) {
    super(message);
  }
}
