package org.est4j.client.internal;

import java.io.IOException;

/** The peer's bytes are not an acceptable HTTP/1.x response (malformed, truncated, too large). */
public final class HttpFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public HttpFormatException(String message) {
    super(message);
  }
}
