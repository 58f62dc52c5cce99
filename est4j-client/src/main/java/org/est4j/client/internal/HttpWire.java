package org.est4j.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 message framing for the client (RFC 9112): writes a request, reads a response with
 * bounded headers and body. Bodies are delimited by chunked transfer coding (extensions and
 * trailers allowed), Content-Length, or the end of the connection. A body that ends early is an
 * error, never a partial success.
 */
public final class HttpWire {
  /** How much of a non-2xx body is read: enough for any server message (shown at most 4 KiB). */
  static final int ERROR_BODY_PREFIX = 16 * 1024;

  /** Header section limit (status line, headers, chunked trailers). */
  public static final int MAX_HEAD_BYTES = 64 * 1024;

  public static final int MAX_HEADERS = 100;

  private HttpWire() {}

  public static void write(OutputStream out, HttpRequest request) throws IOException {
    byte[] head = request.encodeHead();
    byte[] body = request.body();
    // One buffer, one write: small requests leave in one TLS record.
    byte[] all = new byte[head.length + (body == null ? 0 : body.length)];
    System.arraycopy(head, 0, all, 0, head.length);
    if (body != null) {
      System.arraycopy(body, 0, all, head.length, body.length);
    }
    out.write(all);
    out.flush();
  }

  /**
   * Reads one response (skipping interim 1xx responses).
   *
   * @param in a buffered stream
   * @param maxBody the body limit in bytes
   * @param headRequest true if the request was HEAD (no body follows)
   */
  public static HttpResponse read(InputStream in, int maxBody, boolean headRequest) throws IOException {
    while (true) {
      Head head = readHead(in);
      if (head.status >= 100 && head.status < 200) {
        continue; // 100 Continue and friends: the real response follows
      }
      byte[] body;
      if (headRequest || head.status == 204 || head.status == 304) {
        body = new byte[0];
      } else if (head.status >= 300) {
        // Only the start of an error body is shown to anyone: keep the status and Retry-After
        // even when a proxy sends a large error page. The connection is closed afterwards.
        body = readBody(in, head, ERROR_BODY_PREFIX, true);
      } else {
        body = readBody(in, head, maxBody, false);
      }
      return new HttpResponse(head.status, head.reason, head.headers, body);
    }
  }

  /** The status line and headers only (for CONNECT, whose 2xx has no body). */
  public static HttpResponse readHeadOnly(InputStream in) throws IOException {
    Head head = readHead(in);
    return new HttpResponse(head.status, head.reason, head.headers, new byte[0]);
  }

  private static final class Head {
    int status;
    String reason;
    List<Map.Entry<String, String>> headers = new ArrayList<>();
  }

  private static Head readHead(InputStream in) throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    String statusLine = readLine(in, budget, true);
    if (statusLine == null) {
      throw new HttpFormatException("the server closed the connection without a response");
    }
    Head head = new Head();
    // "HTTP/1.1 200 OK"; the reason phrase may be empty or missing.
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
      throw new HttpFormatException("not an HTTP/1.x status line: " + printable(statusLine));
    }
    String code = statusLine.substring(9, 12);
    if (!code.chars().allMatch(c -> c >= '0' && c <= '9')
        || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
      throw new HttpFormatException("malformed status line: " + printable(statusLine));
    }
    head.status = Integer.parseInt(code);
    head.reason = statusLine.length() > 13 ? statusLine.substring(13).trim() : "";
    readFields(in, budget, head.headers);
    return head;
  }

  /** Header (or trailer) fields up to the blank line; obsolete line folding is joined. */
  private static void readFields(InputStream in, int[] budget, List<Map.Entry<String, String>> out)
      throws IOException {
    while (true) {
      String line = readLine(in, budget, false);
      if (line.isEmpty()) {
        return;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !out.isEmpty()) {
        Map.Entry<String, String> last = out.remove(out.size() - 1);
        out.add(new AbstractMap.SimpleImmutableEntry<>(last.getKey(), (last.getValue() + " " + line.trim()).trim()));
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new HttpFormatException("malformed header line: " + printable(line));
      }
      String name = line.substring(0, colon);
      if (!name.equals(name.trim())) {
        throw new HttpFormatException("malformed header name: " + printable(name));
      }
      if (out.size() >= MAX_HEADERS) {
        throw new HttpFormatException("more than " + MAX_HEADERS + " header fields");
      }
      out.add(new AbstractMap.SimpleImmutableEntry<>(name, line.substring(colon + 1).trim()));
    }
  }

  private static byte[] readBody(InputStream in, Head head, int maxBody, boolean truncate) throws IOException {
    String te = last(head.headers, "Transfer-Encoding");
    if (te != null) {
      String[] codings = te.split(",");
      if (!codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
        throw new HttpFormatException("unsupported Transfer-Encoding: " + printable(te));
      }
      return readChunked(in, maxBody, head, truncate);
    }
    List<String> lengths = new ArrayList<>();
    for (Map.Entry<String, String> h : head.headers) {
      if (h.getKey().equalsIgnoreCase("Content-Length")) {
        for (String v : h.getValue().split(",")) {
          lengths.add(v.trim());
        }
      }
    }
    if (!lengths.isEmpty()) {
      String first = lengths.get(0);
      for (String v : lengths) {
        if (!v.equals(first)) {
          throw new HttpFormatException("conflicting Content-Length values");
        }
      }
      if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new HttpFormatException("invalid Content-Length: " + printable(first));
      }
      long length = Long.parseLong(first);
      if (length > maxBody) {
        if (truncate) {
          return in.readNBytes(maxBody);
        }
        throw tooLarge(maxBody);
      }
      byte[] body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new HttpFormatException(
            "truncated body: the connection closed after " + body.length + " of " + length + " bytes");
      }
      return body;
    }
    // Delimited by the end of the connection.
    byte[] body = in.readNBytes(maxBody);
    if (!truncate && body.length == maxBody && in.read() >= 0) {
      throw tooLarge(maxBody);
    }
    return body;
  }

  private static byte[] readChunked(InputStream in, int maxBody, Head head, boolean truncate) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int[] budget = {MAX_HEAD_BYTES};
    while (true) {
      String sizeLine = readLine(in, budget, true);
      if (sizeLine == null) {
        throw new HttpFormatException("truncated chunked body: the connection closed before the last chunk");
      }
      int semicolon = sizeLine.indexOf(';'); // chunk extensions are ignored
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new HttpFormatException("malformed chunk size: " + printable(sizeLine));
      }
      long size = Long.parseLong(hex, 16);
      if (size == 0) {
        readFields(in, budget, new ArrayList<>()); // trailers: read and dropped
        return body.toByteArray();
      }
      if (body.size() + size > maxBody) {
        if (truncate) {
          body.write(in.readNBytes(maxBody - body.size()));
          return body.toByteArray();
        }
        throw tooLarge(maxBody);
      }
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length < size) {
        throw new HttpFormatException("truncated chunked body: the connection closed inside a chunk");
      }
      body.write(chunk);
      String crlf = readLine(in, budget, true);
      if (crlf == null) {
        throw new HttpFormatException("truncated chunked body: the connection closed after a chunk");
      }
      if (!crlf.isEmpty()) {
        throw new HttpFormatException("malformed chunked body: data after a chunk's declared size");
      }
    }
  }

  /**
   * A line without its CRLF (or bare LF), as ISO-8859-1. Returns null at a clean EOF before any
   * byte if {@code eofOk}; EOF inside a line is an error.
   */
  private static String readLine(InputStream in, int[] budget, boolean eofOk) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofOk && sb.length() == 0) {
          return null;
        }
        throw new HttpFormatException("truncated response: the connection closed inside the header section");
      }
      if (--budget[0] < 0) {
        throw new HttpFormatException("header section larger than " + MAX_HEAD_BYTES + " bytes");
      }
      if (b == '\n') {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
          sb.setLength(n - 1);
        }
        return sb.toString();
      }
      sb.append((char) b);
    }
  }

  private static String last(List<Map.Entry<String, String>> headers, String name) {
    String v = null;
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        v = v == null ? h.getValue() : v + "," + h.getValue();
      }
    }
    return v;
  }

  private static HttpFormatException tooLarge(int maxBody) {
    return new HttpFormatException(
        "response body larger than " + maxBody + " bytes (raise maxResponseBytes if this is expected)");
  }

  /** At most 100 characters, control characters escaped: safe to put in a message. */
  public static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 100; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c & 0xff));
    }
    if (s.length() > 100) {
      sb.append("...");
    }
    return sb.toString();
  }
}
