package org.est4j.server.jetty;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.est4j.protocol.ErrorBody;

/**
 * Errors Jetty raises before a request reaches the engine (an unparseable URI, an ambiguous
 * percent-encoding, a bad request line) in the same form as the engine's: {@code text/plain}
 * {@code "<status> <message>\n"} with the security headers, never an HTML page.
 */
final class PlainTextErrorHandler extends ErrorHandler {
  PlainTextErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    HttpFields.Mutable headers = response.getHeaders();
    addHeaders(headers);
    byte[] body = ErrorBody.of(code, text(code, message));
    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    addHeaders(fields);
    return ByteBuffer.wrap(ErrorBody.of(status, text(status, reason)));
  }

  private static void addHeaders(HttpFields.Mutable headers) {
    headers.put(HttpHeader.CONTENT_TYPE, ErrorBody.CONTENT_TYPE);
    headers.put("Strict-Transport-Security", "max-age=31536000");
    headers.put("X-Content-Type-Options", "nosniff");
  }

  private static String text(int code, String message) {
    String reason = HttpStatus.getMessage(code);
    if (message == null || message.isBlank() || message.equals(reason)) {
      return reason.toLowerCase(java.util.Locale.ROOT) + ": the request could not be parsed";
    }
    return message;
  }
}
