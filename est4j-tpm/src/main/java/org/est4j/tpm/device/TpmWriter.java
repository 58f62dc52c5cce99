package org.est4j.tpm.device;

import java.io.ByteArrayOutputStream;

/** Big-endian marshalling of TPM 2.0 types (Part 1 §18, Part 2): integers and TPM2B buffers. */
final class TpmWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  TpmWriter u8(int v) {
    out.write(v);
    return this;
  }

  TpmWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  TpmWriter u32(int v) {
    u16(v >>> 16);
    return u16(v);
  }

  TpmWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  /** A TPM2B: a 16-bit size, then the bytes. */
  TpmWriter tpm2b(byte[] b) {
    if (b.length > 0xFFFF) {
      throw new IllegalArgumentException("a TPM2B holds at most 65535 bytes, not " + b.length);
    }
    return u16(b.length).bytes(b);
  }

  int size() {
    return out.size();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
