package org.est4j.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An HTTP/1.1 request as written on the wire. Header names and values were checked for CR/LF
 * when they entered the client; {@link #encodeHead()} checks again.
 */
public final class HttpRequest {
  private final String method;
  private final String target;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;

  /** @param body null for none (no Content-Length is sent), else sent with Content-Length */
  public HttpRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    this.method = method;
    this.target = target;
    this.headers = List.copyOf(headers);
    this.body = body;
  }

  public String method() {
    return method;
  }

  public String target() {
    return target;
  }

  public byte[] body() {
    return body;
  }

  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** Request line, headers (with Content-Length when there is a body) and the blank line. */
  public byte[] encodeHead() {
    StringBuilder sb = new StringBuilder(256);
    sb.append(checked(method)).append(' ').append(checked(target)).append(" HTTP/1.1\r\n");
    for (Map.Entry<String, String> h : headers) {
      sb.append(checked(h.getKey())).append(": ").append(checked(h.getValue())).append("\r\n");
    }
    if (body != null) {
      sb.append("Content-Length: ").append(body.length).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Throws if the text could break the message framing (CR, LF, NUL). */
  public static String checked(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
        throw new IllegalArgumentException(
            "header text contains CR, LF, NUL or a non-Latin-1 character: " + s.replaceAll("[\\r\\n]", "\\\\n"));
      }
    }
    return s;
  }
}
