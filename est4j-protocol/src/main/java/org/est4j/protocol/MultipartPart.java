package org.est4j.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One body part of a {@code multipart/mixed} message (RFC 2046 §5.1), as used by the
 * serverkeygen response (RFC 7030 §4.4.2). Headers keep their order and spelling.
 *
 * <p>Immutable: the body is copied on the way in and on the way out.
 */
public record MultipartPart(List<Map.Entry<String, String>> headers, byte[] body) {
  public MultipartPart {
    // Map.entry copies make the entries immutable and reject nulls.
    headers = headers.stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    body = body.clone();
  }

  /**
   * A part carrying {@code der} base64-encoded in 76-column CRLF lines, with the headers in the
   * order the Go reference server writes them: Content-Transfer-Encoding, then Content-Type.
   */
  public static MultipartPart base64(String contentType, byte[] der) {
    return base64(contentType, der, EstBase64.DEFAULT_LINE_LENGTH);
  }

  /** As {@link #base64(String, byte[])}, with lines of {@code lineLength} (0: unwrapped). */
  public static MultipartPart base64(String contentType, byte[] der, int lineLength) {
    return new MultipartPart(
        List.of(
            Map.entry("Content-Transfer-Encoding", "base64"), Map.entry("Content-Type", contentType)),
        EstBase64.encode(der, lineLength));
  }

  /** The first header with this name, compared case-insensitively. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return Optional.of(header.getValue());
      }
    }
    return Optional.empty();
  }

  /** The parsed Content-Type header. */
  public MediaType contentType() throws EstProtocolException {
    return MediaType.parse(header("Content-Type").orElse(null));
  }

  /**
   * The decoded body. EST parts are base64 whatever their headers say (RFC 8951 §3: receivers must
   * not depend on Content-Transfer-Encoding), so the body is base64-decoded unless the part
   * explicitly declares {@code binary}, {@code 8bit} or {@code 7bit}.
   */
  public byte[] decodedBody() throws EstProtocolException {
    Optional<String> encoding = header("Content-Transfer-Encoding").map(e -> e.trim().toLowerCase(java.util.Locale.ROOT));
    if (encoding.isPresent() && (encoding.get().equals("binary") || encoding.get().equals("8bit") || encoding.get().equals("7bit"))) {
      return body.clone();
    }
    return EstBase64.decode(body);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultipartPart
        && headers.equals(((MultipartPart) o).headers)
        && Arrays.equals(body, ((MultipartPart) o).body);
  }

  @Override
  public int hashCode() {
    return headers.hashCode() * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "MultipartPart{headers=" + headers + ", body=" + body.length + " bytes}";
  }
}
