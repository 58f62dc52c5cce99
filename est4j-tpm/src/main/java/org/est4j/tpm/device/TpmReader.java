package org.est4j.tpm.device;

import java.util.Arrays;

/**
 * Reads TPM 2.0 big-endian structures from a response. Running past the end is a {@link
 * TpmException} naming what was being read: a short answer means a broken TPM or transport.
 */
final class TpmReader {
  private final byte[] buf;
  private final String what;
  private int pos;
  private final int end;

  TpmReader(byte[] buf, String what) {
    this(buf, 0, buf.length, what);
  }

  TpmReader(byte[] buf, int offset, int end, String what) {
    this.buf = buf;
    this.pos = offset;
    this.end = end;
    this.what = what;
  }

  int u8() throws TpmException {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int u16() throws TpmException {
    need(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  int u32() throws TpmException {
    return (u16() << 16) | u16();
  }

  byte[] bytes(int n) throws TpmException {
    need(n);
    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  byte[] tpm2b() throws TpmException {
    return bytes(u16());
  }

  /** A sub-reader over the next {@code n} bytes (a size-prefixed structure), skipping them here. */
  TpmReader slice(int n) throws TpmException {
    need(n);
    TpmReader r = new TpmReader(buf, pos, pos + n, what);
    pos += n;
    return r;
  }

  int remaining() {
    return end - pos;
  }

  private void need(int n) throws TpmException {
    if (n < 0 || end - pos < n) {
      throw new TpmException(what + ": the TPM's response is truncated (wanted " + n + " more bytes, "
          + (end - pos) + " left)");
    }
  }
}
