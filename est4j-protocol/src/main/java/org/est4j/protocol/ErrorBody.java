package org.est4j.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The plain-text body of an error response: {@code "<status> <description>\n"} in UTF-8, the
 * form the Go reference server sends and that humans read in client logs.
 */
public final class ErrorBody {
  public static final String CONTENT_TYPE = MediaTypes.TEXT_PLAIN_UTF8;

  private ErrorBody() {}

  /**
   * The body for {@code status}. Control characters in {@code description} (CR, LF, ...) become
   * spaces, so the body is always exactly one line whatever text reaches it.
   */
  public static byte[] of(int status, String description) {
    StringBuilder out = new StringBuilder(description.length() + 6);
    out.append(status).append(' ');
    for (int i = 0; i < description.length(); i++) {
      char c = description.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }
}
