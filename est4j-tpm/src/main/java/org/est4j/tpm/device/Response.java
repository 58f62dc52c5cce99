package org.est4j.tpm.device;

/**
 * A successful TPM response (Part 1 §18.3): the handles the command returns, then its parameters
 * (the authorization area that follows them is not read: password and unbound policy sessions
 * need no response HMAC check).
 */
final class Response {
  private final TpmReader handles;
  private final TpmReader params;

  private Response(TpmReader handles, TpmReader params) {
    this.handles = handles;
    this.params = params;
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
      int paramSize = r.u32();
      return new Response(handles, r.slice(paramSize));
    }
    if (tag != Tpm2.ST_NO_SESSIONS) {
      throw new TpmException(command.name() + String.format(": unexpected response tag 0x%04x", tag));
    }
    return new Response(handles, r.slice(r.remaining()));
  }

  int handle() throws TpmException {
    return handles.u32();
  }

  TpmReader params() {
    return params;
  }
}
