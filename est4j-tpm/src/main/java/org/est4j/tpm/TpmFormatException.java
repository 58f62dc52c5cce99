package org.est4j.tpm;

import org.est4j.protocol.EstProtocolException;

/**
 * A TPM structure could not be decoded, or holds values est4j cannot use. The message is written
 * for the peer that sent the structure ("TPMT_PUBLIC: unsupported curve 0x0020"), so a server may
 * return it in an error body as it is.
 */
public final class TpmFormatException extends EstProtocolException {
  private static final long serialVersionUID = 1L;

  public TpmFormatException(String publicMessage) {
    super(publicMessage);
  }

  public TpmFormatException(String publicMessage, Throwable cause) {
    super(publicMessage, cause);
  }
}
