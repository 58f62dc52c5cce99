package org.est4j.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A parsed HTTP/1.x response: status, headers in order (names as sent), the whole body. */
public final class HttpResponse {
  private final int status;
  private final String reason;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;

  public HttpResponse(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
    this.status = status;
    this.reason = reason;
    this.headers = List.copyOf(headers);
    this.body = body;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The first value of the header, compared case-insensitively. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return Optional.of(h.getValue());
      }
    }
    return Optional.empty();
  }

  /** Every value of the header, in order. */
  public List<String> headers(String name) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        out.add(h.getValue());
      }
    }
    return out;
  }

  public byte[] body() {
    return body;
  }
}
