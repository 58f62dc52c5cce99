package org.est4j.server.store;

/**
 * A certificate with the same serial number is already recorded for the same CA: the database's
 * unique constraint (or the in-memory store's index) refused the second one. RFC 5280 §4.1.2.2
 * requires serials to be unique per issuer, so this is a CA fault, never a client's.
 */
public final class DuplicateSerialException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String caName;
  private final String serial;

  public DuplicateSerialException(String caName, String serial, Throwable cause) {
    super("serial " + serial + " is already recorded for CA '" + caName + "'", cause);
    this.caName = caName;
    this.serial = serial;
  }

  public String caName() {
    return caName;
  }

  public String serial() {
    return serial;
  }
}
