package org.est4j.tpm;

import java.io.ByteArrayOutputStream;

/** Writes TPM 2.0 marshalled values: big-endian integers and TPM2B size-prefixed buffers. */
public final class TpmWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public TpmWriter u8(int v) {
    out.write(v);
    return this;
  }

  public TpmWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public TpmWriter u32(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public TpmWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  /** A TPM2B: the 16-bit size, then the bytes. */
  public TpmWriter tpm2b(byte[] b) {
    if (b.length > 0xffff) {
      throw new IllegalArgumentException("a TPM2B holds at most 65535 bytes, not " + b.length);
    }
    return u16(b.length).bytes(b);
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
