package org.est4j.tpm.device;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One TPMS_AUTH_COMMAND of a command's authorization area (Part 1 §18.6): a password session
 * (TPM_RS_PW, the password in clear as the HMAC field) or a policy session whose policy has already
 * been satisfied. Policy sessions here are unbound and unsalted, so their session key is empty and
 * the TPM accepts an empty HMAC (Part 1 §19.6.17): no HMAC to compute.
 */
final class Authorization {
  private final int sessionHandle;
  private final byte[] nonce;
  private final byte[] hmac;

  private Authorization(int sessionHandle, byte[] nonce, byte[] hmac) {
    this.sessionHandle = sessionHandle;
    this.nonce = nonce;
    this.hmac = hmac;
  }

  /** TPM_RS_PW with the password's UTF-8 bytes (empty for an empty password). */
  static Authorization password(String password) {
    return new Authorization(Tpm2.RS_PW, new byte[0],
        password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8));
  }

  /** A policy session already satisfied by its policy commands. */
  static Authorization policy(int sessionHandle) {
    return new Authorization(sessionHandle, new byte[0], new byte[0]);
  }

  /** An HMAC session's authorization: the caller's nonce and the command HMAC (see {@link HmacSession}). */
  static Authorization hmac(int sessionHandle, byte[] nonceCaller, byte[] hmac) {
    return new Authorization(sessionHandle, nonceCaller, hmac);
  }

  void writeTo(TpmWriter w) {
    w.u32(sessionHandle).tpm2b(nonce).u8(Tpm2.SESSION_CONTINUE).tpm2b(hmac);
  }

  /** Overwrites the password bytes once the command has been sent. */
  void clear() {
    Arrays.fill(hmac, (byte) 0);
  }
}
