package org.est4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 requests (RFC 9112) from one connection: request line, headers, and a body
 * framed by {@code Content-Length} or {@code Transfer-Encoding: chunked}. Strict where a lenient
 * parse could hide a client bug (a malformed line throws {@link ProtocolException}), bounded so a
 * broken client cannot exhaust memory.
 */
final class HttpRequestReader {
  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 200;
  private static final int MAX_BODY = 16 * 1024 * 1024;

  /** A request line and its headers, before the body. */
  record Head(String requestLine, List<Map.Entry<String, String>> headers) {
    boolean chunked() {
      return Headers.all(headers, "Transfer-Encoding").stream()
          .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
    }

    boolean expectsContinue() {
      return Headers.first(headers, "Expect").filter(v -> v.equalsIgnoreCase("100-continue")).isPresent();
    }

    boolean wantsClose() {
      return Headers.all(headers, "Connection").stream()
              .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"))
          || requestLine.endsWith("HTTP/1.0");
    }
  }

  private final InputStream in;

  HttpRequestReader(InputStream in) {
    this.in = in;
  }

  /** The next request's head, or null if the client closed the connection between requests. */
  Head readHead() throws IOException {
    String requestLine = readLine(true);
    if (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(true); // RFC 9112 §2.2: ignore one empty line before a request
    }
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
      throw new ProtocolException("malformed request line: " + printable(requestLine));
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
          || line.substring(0, colon).contains(" ")) {
        // Obsolete line folding and spaces before the colon are rejected by RFC 9112 §5.
        throw new ProtocolException("malformed header line: " + printable(line));
      }
      if (headers.size() == MAX_HEADERS) {
        throw new ProtocolException("more than " + MAX_HEADERS + " headers");
      }
      headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
    }
    return new Head(requestLine, headers);
  }

  /** The body of the request whose head was just read, without chunked framing. */
  byte[] readBody(Head head) throws IOException {
    if (head.chunked()) {
      return readChunked();
    }
    List<String> lengths = Headers.all(head.headers(), "Content-Length");
    if (lengths.isEmpty()) {
      return new byte[0];
    }
    long length;
    try {
      length = Long.parseLong(lengths.get(0));
    } catch (NumberFormatException e) {
      throw new ProtocolException("malformed Content-Length: " + printable(lengths.get(0)));
    }
    if (lengths.stream().distinct().count() > 1 || length < 0 || length > MAX_BODY) {
      throw new ProtocolException("unacceptable Content-Length: " + lengths);
    }
    return readExactly((int) length);
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(false);
      int semicolon = sizeLine.indexOf(';'); // chunk extensions are ignored
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new ProtocolException("malformed chunk size: " + printable(sizeLine));
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY) {
        throw new ProtocolException("chunked body too large");
      }
      if (size == 0) {
        while (!readLine(false).isEmpty()) {
          // trailer fields: ignored
        }
        return body.toByteArray();
      }
      body.writeBytes(readExactly(size));
      if (!readLine(false).isEmpty()) {
        throw new ProtocolException("chunk not followed by CRLF");
      }
    }
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] data = in.readNBytes(n);
    if (data.length < n) {
      throw new EOFException("body ended after " + data.length + " of " + n + " bytes");
    }
    return data;
  }

  /**
   * One line without its CRLF (a bare LF is accepted, as RFC 9112 §2.2 allows). At the start of
   * a request, end of stream returns null; anywhere else it is an error.
   */
  private String readLine(boolean eofAllowed) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = readByte(eofAllowed && line.size() == 0)) != '\n') {
      if (b < 0) {
        if (eofAllowed && line.size() == 0) {
          return null;
        }
        throw new EOFException("connection closed in the middle of a line");
      }
      if (line.size() == MAX_LINE) {
        throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    byte[] bytes = line.toByteArray();
    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }

  /** A byte; a read timeout before a request starts is an idle keep-alive connection: EOF. */
  private int readByte(boolean idle) throws IOException {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      if (idle) {
        return -1;
      }
      throw e;
    }
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.substring(0, Math.min(s.length(), 200)).toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return out.toString();
  }
}
