package org.est4j.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the engine answers: a status, headers in order and a body. The binding adds nothing but
 * Content-Length and its own transport headers.
 */
public record EstResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

  public EstResponse {
    headers = List.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  public static EstResponse of(int status, String contentType, byte[] body) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(2);
    if (contentType != null) {
      headers.add(Map.entry("Content-Type", contentType));
    }
    return new EstResponse(status, headers, body);
  }

  /** A base64 body: RFC 7030 messages still announce the encoding for older clients. */
  public static EstResponse base64(String contentType, byte[] base64Body) {
    return new EstResponse(
        200,
        List.of(
            Map.entry("Content-Type", contentType),
            Map.entry("Content-Transfer-Encoding", "base64")),
        base64Body);
  }

  public static EstResponse empty(int status) {
    return new EstResponse(status, List.of(), new byte[0]);
  }

  /** A copy with more headers, given as name, value, name, value, ... (one copy for all). */
  public EstResponse withHeaders(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    List<Map.Entry<String, String>> more = new ArrayList<>(headers.size() + namesAndValues.length / 2);
    more.addAll(headers);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      more.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
    }
    return new EstResponse(status, more, body);
  }

  /** A copy with one more header. */
  public EstResponse withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(headers.size() + 1);
    more.addAll(headers);
    more.add(Map.entry(name, value));
    return new EstResponse(status, more, body);
  }

  /** The first value of a header, case-insensitively, or null. */
  public String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
