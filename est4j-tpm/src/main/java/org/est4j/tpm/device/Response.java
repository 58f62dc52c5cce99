package org.est4j.tpm.device;

/**
 * A successful TPM response (Part 1 §18.3): the handles the command returns, its parameters and,
 * with sessions, the first TPMS_AUTH_RESPONSE (the one an HMAC session checks; password and
 * unbound policy sessions need no check).
 */
final class Response {
  private final TpmReader handles;
  private final byte[] paramBytes;
  private final TpmReader params;
  private final AuthResponse auth;

  /** TPMS_AUTH_RESPONSE: the TPM's new nonce, the session attributes and the response HMAC. */
  record AuthResponse(byte[] nonceTpm, int attributes, byte[] hmac) {}

  private Response(TpmReader handles, byte[] paramBytes, AuthResponse auth, String what) {
    this.handles = handles;
    this.paramBytes = paramBytes;
    this.params = new TpmReader(paramBytes, what);
    this.auth = auth;
  }

  /** Parses {@code raw}, or throws with the decoded response code. */
  static Response parse(Command command, byte[] raw, int responseHandles) throws TpmException {
    TpmReader r = new TpmReader(raw, command.name());
    int tag = r.u16();
    int size = r.u32();
    int rc = r.u32();
    if (size != raw.length) {
      throw new TpmException(command.name() + ": response size field " + size + " but " + raw.length + " bytes received");
    }
    if (rc != ResponseCodes.SUCCESS) {
      throw new TpmException(command.name(), rc);
    }
    TpmReader handles = r.slice(4 * responseHandles);
    if (tag == Tpm2.ST_SESSIONS) {
      byte[] paramBytes = r.bytes(r.u32());
      AuthResponse auth = null;
      if (r.remaining() > 0) {
        auth = new AuthResponse(r.tpm2b(), r.u8(), r.tpm2b());
      }
      return new Response(handles, paramBytes, auth, command.name());
    }
    if (tag != Tpm2.ST_NO_SESSIONS) {
      throw new TpmException(command.name() + String.format(": unexpected response tag 0x%04x", tag));
    }
    return new Response(handles, r.bytes(r.remaining()), null, command.name());
  }

  /** The parameter area as bytes (for the rpHash of an HMAC session). */
  byte[] paramBytes() {
    return paramBytes.clone();
  }

  /** The first session's answer, or null without sessions. */
  AuthResponse auth() {
    return auth;
  }

  int handle() throws TpmException {
    return handles.u32();
  }

  TpmReader params() {
    return params;
  }
}
