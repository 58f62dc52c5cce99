package org.est4j.tpm.device;

import java.util.ArrayList;
import java.util.List;

/**
 * A TPM 2.0 command being built (Part 1 §18.2): tag, size, command code, handles, the
 * authorization area when there are sessions, then the parameters.
 */
final class Command {
  private final String name;
  private final int code;
  private final List<Integer> handles = new ArrayList<>();
  private final List<Authorization> auths = new ArrayList<>();
  private final TpmWriter params = new TpmWriter();

  private Command(String name, int code) {
    this.name = name;
    this.code = code;
  }

  static Command of(String name, int code) {
    return new Command(name, code);
  }

  String name() {
    return name;
  }

  int code() {
    return code;
  }

  Command handle(int handle) {
    handles.add(handle);
    return this;
  }

  Command auth(Authorization a) {
    auths.add(a);
    return this;
  }

  /** The parameter area, written in order by the caller. */
  TpmWriter params() {
    return params;
  }

  boolean hasSessions() {
    return !auths.isEmpty();
  }

  int handleCount() {
    return handles.size();
  }

  byte[] encode() {
    TpmWriter body = new TpmWriter();
    for (int h : handles) {
      body.u32(h);
    }
    if (!auths.isEmpty()) {
      TpmWriter area = new TpmWriter();
      for (Authorization a : auths) {
        a.writeTo(area);
      }
      body.u32(area.size()).bytes(area.toByteArray());
    }
    body.bytes(params.toByteArray());
    byte[] b = body.toByteArray();
    return new TpmWriter().u16(auths.isEmpty() ? Tpm2.ST_NO_SESSIONS : Tpm2.ST_SESSIONS)
        .u32(10 + b.length).u32(code).bytes(b).toByteArray();
  }

  void clearSecrets() {
    auths.forEach(Authorization::clear);
  }
}
