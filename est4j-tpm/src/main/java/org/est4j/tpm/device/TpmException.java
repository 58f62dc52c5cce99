package org.est4j.tpm.device;

import java.io.IOException;

/**
 * A TPM command failed: either the TPM answered with a response code other than TPM_RC_SUCCESS
 * ({@link #responseCode()} then holds it, decoded in the message) or the answer was malformed.
 */
public class TpmException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int responseCode;

  public TpmException(String message) {
    super(message);
    this.responseCode = 0;
  }

  TpmException(String command, int responseCode) {
    super(command + ": " + ResponseCodes.describe(responseCode));
    this.responseCode = responseCode;
  }

  /** The TPM_RC the TPM returned, or 0 when the failure was not a TPM response code. */
  public int responseCode() {
    return responseCode;
  }

  /** The response code without its handle/session/parameter number (format-one codes). */
  public int baseCode() {
    return ResponseCodes.base(responseCode);
  }
}
