package org.est4j.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Base64 as EST peers send it (RFC 8951 §3): the standard alphabet with padding, where any
 * whitespace and NUL bytes are ignored wherever they appear. Real clients wrap at 64 or 76
 * columns, use CRLF or bare LF, and libest appends a trailing NUL; all of that must decode.
 *
 * <p>Encoding wraps at 76 columns with CRLF after every line, including the last, which is the
 * form the reference (Go) server writes. {@link #encode(byte[], int)} with a line length of zero
 * writes a single unterminated line, because some clients (strongSwan 5.9) only parse that.
 */
public final class EstBase64 {
  /** Line length of MIME base64 (RFC 2045 §6.8). */
  public static final int DEFAULT_LINE_LENGTH = 76;

  private static final byte[] CRLF = {'\r', '\n'};

  private EstBase64() {}

  /**
   * Decodes a request or response body. Whitespace and NUL bytes are dropped in one pass, the rest
   * must be strict padded base64. An input that is empty after stripping decodes to an empty
   * array; whether that is acceptable is the caller's decision.
   */
  public static byte[] decode(byte[] body) throws EstProtocolException {
    byte[] compact = new byte[body.length];
    int n = 0;
    for (byte b : body) {
      if (!isIgnorable(b)) {
        compact[n++] = b;
      }
    }
    return decodeCompact(compact, n);
  }

  /** Decodes base64 text; see {@link #decode(byte[])}. Non-ASCII characters are invalid. */
  public static byte[] decode(String s) throws EstProtocolException {
    byte[] compact = new byte[s.length()];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0x7f) {
        throw invalid(null);
      }
      if (!isIgnorable((byte) c)) {
        compact[n++] = (byte) c;
      }
    }
    return decodeCompact(compact, n);
  }

  /** Encodes with 76-column lines, each (also the last) terminated by CRLF. */
  public static byte[] encode(byte[] data) {
    return encode(data, DEFAULT_LINE_LENGTH);
  }

  /**
   * Encodes with lines of {@code lineLength} characters, each terminated by CRLF; an empty input
   * gives a lone CRLF. A {@code lineLength} of 0 gives one line without any terminator.
   *
   * @throws IllegalArgumentException if {@code lineLength} is negative or not a multiple of 4
   */
  public static byte[] encode(byte[] data, int lineLength) {
    if (lineLength < 0 || lineLength % 4 != 0) {
      throw new IllegalArgumentException(
          "lineLength must be 0 or a positive multiple of 4: " + lineLength);
    }
    byte[] flat = Base64.getEncoder().encode(data);
    if (lineLength == 0) {
      return flat;
    }
    int lines = Math.max(1, (flat.length + lineLength - 1) / lineLength);
    byte[] out = new byte[flat.length + lines * CRLF.length];
    int in = 0;
    int pos = 0;
    for (int line = 0; line < lines; line++) {
      int len = Math.min(lineLength, flat.length - in);
      System.arraycopy(flat, in, out, pos, len);
      in += len;
      pos += len;
      out[pos++] = '\r';
      out[pos++] = '\n';
    }
    return out;
  }

  /** Encodes as a String; see {@link #encode(byte[], int)}. */
  public static String encodeToString(byte[] data, int lineLength) {
    return new String(encode(data, lineLength), StandardCharsets.US_ASCII);
  }

  private static boolean isIgnorable(byte b) {
    // CR, LF, space, tab, form feed, vertical tab, and NUL (libest's string terminator).
    return b == '\r' || b == '\n' || b == ' ' || b == '\t' || b == '\f' || b == 0x0b || b == 0;
  }

  private static byte[] decodeCompact(byte[] compact, int n) throws EstProtocolException {
    if (n == 0) {
      return new byte[0];
    }
    // java.util.Base64's basic decoder rejects anything outside the alphabet, which is what we
    // want now that whitespace is gone; it also insists on correct padding when '=' is present.
    // Unpadded input is rejected explicitly: RFC 8951 requires padding.
    if (n % 4 != 0) {
      throw invalid(null);
    }
    try {
      return Base64.getDecoder().decode(n == compact.length ? compact : copyOf(compact, n));
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    }
  }

  private static byte[] copyOf(byte[] a, int n) {
    byte[] out = new byte[n];
    System.arraycopy(a, 0, out, 0, n);
    return out;
  }

  private static EstProtocolException invalid(Throwable cause) {
    return new EstProtocolException("invalid base64 encoding", cause);
  }
}
