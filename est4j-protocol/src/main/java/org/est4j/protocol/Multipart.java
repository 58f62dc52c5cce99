package org.est4j.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code multipart/mixed} bodies (RFC 2046 §5.1), as used by the serverkeygen response of RFC
 * 7030 §4.4.2.
 *
 * <p>Encoding writes exactly what the Go reference server writes, so that byte-for-byte
 * comparisons with it hold. Decoding is lenient in the ways real peers need: preamble and epilogue
 * are ignored, bare LF is accepted wherever CRLF is expected, transport padding after a boundary
 * is skipped, and header names are case-insensitive with folded lines joined. It runs in time
 * linear in the body size times the (bounded) boundary length.
 */
public final class Multipart {
  private static final String MALFORMED = "malformed multipart body";
  /** RFC 2046 allows 70; a little slack for sloppy peers, but bounded to keep searches cheap. */
  private static final int MAX_BOUNDARY_LENGTH = 200;

  private static final String BOUNDARY_ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Multipart() {}

  /**
   * Writes {@code --B CRLF headers CRLF body CRLF} per part, then {@code --B-- CRLF}.
   *
   * @throws IllegalArgumentException if the boundary is not a valid RFC 2046 boundary, or a
   *     header contains CR or LF (which would allow header injection)
   */
  public static byte[] encode(String boundary, List<MultipartPart> parts) {
    checkBoundary(boundary);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    for (MultipartPart part : parts) {
      out.writeBytes(delimiter);
      writeCrlf(out);
      for (Map.Entry<String, String> header : part.headers()) {
        checkHeaderText(header.getKey());
        checkHeaderText(header.getValue());
        out.writeBytes(
            (header.getKey() + ": " + header.getValue()).getBytes(StandardCharsets.UTF_8));
        writeCrlf(out);
      }
      writeCrlf(out);
      out.writeBytes(part.body());
      writeCrlf(out);
    }
    out.writeBytes(delimiter);
    out.writeBytes(new byte[] {'-', '-'});
    writeCrlf(out);
    return out.toByteArray();
  }

  /** A random 32-character boundary, for callers that need not match a reference server. */
  public static String newBoundary() {
    char[] chars = new char[32];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = BOUNDARY_ALPHABET.charAt(RANDOM.nextInt(BOUNDARY_ALPHABET.length()));
    }
    return new String(chars);
  }

  /** Splits a multipart body using the {@code boundary} parameter of {@code contentType}. */
  public static List<MultipartPart> decode(MediaType contentType, byte[] body)
      throws EstProtocolException {
    String boundary =
        contentType
            .parameter("boundary")
            .orElseThrow(() -> new EstProtocolException("missing multipart boundary"));
    if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH) {
      throw new EstProtocolException(MALFORMED);
    }
    byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);

    List<MultipartPart> parts = new ArrayList<>();
    int delimiter = findDelimiterLine(body, dashBoundary, 0); // everything before: preamble
    while (delimiter >= 0) {
      int afterBoundary = delimiter + dashBoundary.length;
      if (isClose(body, afterBoundary)) {
        return Collections.unmodifiableList(parts); // everything after: epilogue
      }
      int contentStart = lineEnd(body, afterBoundary);
      int next = findDelimiterLine(body, dashBoundary, contentStart);
      if (next < 0) {
        break;
      }
      // The line break before a delimiter belongs to the delimiter, not to the content.
      int contentEnd = next;
      if (next > contentStart) {
        contentEnd = next - 1;
        if (contentEnd > contentStart && body[contentEnd - 1] == '\r') {
          contentEnd--;
        }
      }
      parts.add(parsePart(body, contentStart, contentEnd));
      delimiter = next;
    }
    throw new EstProtocolException(MALFORMED);
  }

  /**
   * The index of the next "--boundary" that starts a line and is followed by "--", or by optional
   * padding and a line break; -1 if there is none.
   */
  private static int findDelimiterLine(byte[] body, byte[] dashBoundary, int from) {
    int i = indexOf(body, dashBoundary, from);
    while (i >= 0) {
      boolean startsLine = i == 0 || body[i - 1] == '\n';
      int after = i + dashBoundary.length;
      if (startsLine && (isClose(body, after) || lineEnd(body, after) >= 0)) {
        return i;
      }
      i = indexOf(body, dashBoundary, i + 1);
    }
    return -1;
  }

  private static boolean isClose(byte[] body, int i) {
    return i + 1 < body.length && body[i] == '-' && body[i + 1] == '-';
  }

  /** Skips transport padding; returns the index after CRLF or LF, or -1 if something else. */
  private static int lineEnd(byte[] body, int i) {
    while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
      i++;
    }
    if (i < body.length && body[i] == '\n') {
      return i + 1;
    }
    if (i + 1 < body.length && body[i] == '\r' && body[i + 1] == '\n') {
      return i + 2;
    }
    return -1;
  }

  private static MultipartPart parsePart(byte[] body, int start, int end) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    String name = null; // the header being read; its value may continue on folded lines
    StringBuilder value = new StringBuilder(); // a builder keeps unfolding linear
    int pos = start;
    while (pos < end) {
      int newline = indexOf(body, (byte) '\n', pos, end);
      int lineEnd = newline < 0 ? end : newline;
      int next = newline < 0 ? end : newline + 1;
      if (lineEnd > pos && body[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      if (lineEnd == pos) {
        pos = next; // the blank line: the body follows
        break;
      }
      // ISO-8859-1 maps bytes to chars one to one, so no input can make decoding fail.
      String line = new String(body, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
      pos = next;
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (name != null) {
          value.append(' ').append(line.trim()); // folded line (RFC 5322 §2.2.3)
        }
        continue;
      }
      addHeader(headers, name, value);
      name = null;
      int colon = line.indexOf(':');
      if (colon > 0) { // anything else is not a header: tolerated and ignored
        name = line.substring(0, colon).trim();
        value.setLength(0);
        value.append(line.substring(colon + 1).trim());
      }
    }
    addHeader(headers, name, value);
    return new MultipartPart(headers, Arrays.copyOfRange(body, pos, Math.max(pos, end)));
  }

  private static void addHeader(
      List<Map.Entry<String, String>> headers, String name, StringBuilder value) {
    if (name != null) {
      headers.add(Map.entry(name, value.toString()));
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    byte first = needle[0];
    int last = haystack.length - needle.length;
    outer:
    for (int i = Math.max(from, 0); i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int indexOf(byte[] haystack, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (haystack[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static void checkBoundary(String boundary) {
    // RFC 2046 §5.1.1: 1 to 70 bchars, not ending in a space.
    if (boundary.isEmpty() || boundary.length() > 70 || boundary.endsWith(" ")) {
      throw new IllegalArgumentException("invalid multipart boundary");
    }
    for (int i = 0; i < boundary.length(); i++) {
      char c = boundary.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || "'()+_,-./:=? ".indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException("invalid multipart boundary");
      }
    }
  }

  private static void checkHeaderText(String s) {
    if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("CR or LF in a multipart header");
    }
  }

  private static void writeCrlf(ByteArrayOutputStream out) {
    out.write('\r');
    out.write('\n');
  }
}
