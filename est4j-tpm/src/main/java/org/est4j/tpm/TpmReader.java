package org.est4j.tpm;

import java.util.Arrays;

/**
 * Reads TPM 2.0 marshalled values (big-endian integers, TPM2B size-prefixed buffers) from a byte
 * array, with every read bounds-checked so truncated input is a {@link TpmFormatException} naming
 * the structure, never an index exception.
 */
public final class TpmReader {
  private final byte[] data;
  private final String structure;
  private int position;

  /** A reader over {@code data}; {@code structure} names it in error messages ("TPMT_PUBLIC"). */
  public TpmReader(byte[] data, String structure) {
    this.data = data.clone();
    this.structure = structure;
  }

  public int u8() throws TpmFormatException {
    need(1);
    return data[position++] & 0xff;
  }

  public int u16() throws TpmFormatException {
    need(2);
    int v = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
    position += 2;
    return v;
  }

  public int u32() throws TpmFormatException {
    need(4);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (data[position + i] & 0xff);
    }
    position += 4;
    return v;
  }

  /** Exactly {@code n} bytes. */
  public byte[] bytes(int n) throws TpmFormatException {
    need(n);
    byte[] out = Arrays.copyOfRange(data, position, position + n);
    position += n;
    return out;
  }

  /** A TPM2B: a 16-bit size followed by that many bytes; returns the bytes without the size. */
  public byte[] tpm2b() throws TpmFormatException {
    return bytes(u16());
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return data.length - position;
  }

  /** Fails when bytes are left over: a structure must be consumed exactly. */
  public void expectEnd() throws TpmFormatException {
    if (position != data.length) {
      throw new TpmFormatException(
          structure + ": " + (data.length - position) + " unexpected trailing byte(s)");
    }
  }

  private void need(int n) throws TpmFormatException {
    if (n < 0 || data.length - position < n) {
      throw new TpmFormatException(structure + ": truncated at byte " + position);
    }
  }
}
