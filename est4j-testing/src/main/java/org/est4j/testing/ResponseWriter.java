package org.est4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link MockEstResponse} byte for byte as scripted, including its transport faults.
 * This is why the mock has its own HTTP code: a real server would fix the very mistakes the
 * tests need (wrong lengths, truncated bodies).
 */
final class ResponseWriter {
  private static final int THROTTLE_PERIOD_MILLIS = 100;

  private ResponseWriter() {}

  /**
   * Writes the response.
   *
   * @return true if the connection must be closed afterwards (a fault, a body delimited by the
   *     end of the connection, or {@code Connection: close})
   */
  static boolean write(OutputStream out, MockEstResponse response, boolean headRequest)
      throws IOException, InterruptedException {
    MockEstResponse.Builder r = response.recipe();
    if (r.disconnectAtStart) {
      return true;
    }
    byte[] body = response.body();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.writeBytes(
        ("HTTP/1.1 " + response.status() + " " + response.reason() + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    boolean closeRequested = false;
    for (Map.Entry<String, String> h : response.headers()) {
      head.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
      closeRequested |= h.getKey().equalsIgnoreCase("Connection")
          && h.getValue().toLowerCase(Locale.ROOT).contains("close");
    }
    head.writeBytes(new byte[] {'\r', '\n'});
    out.write(head.toByteArray());
    out.flush();

    int status = response.status();
    if (headRequest || status < 200 || status == 204 || status == 304) {
      return closeRequested;
    }
    if (!r.bodyDelay.isZero()) {
      Thread.sleep(r.bodyDelay.toMillis());
    }
    byte[] framed = r.chunkSize > 0 ? chunk(body, r.chunkSize) : body;
    boolean truncated = r.truncateAfter >= 0 && r.truncateAfter < framed.length;
    if (truncated) {
      framed = Arrays.copyOf(framed, r.truncateAfter);
    }
    writeThrottled(out, framed, r.bytesPerSecond);
    out.flush();
    boolean closeDelimited = r.withoutContentLength && r.chunkSize == 0
        && Headers.indexOf(response.headers(), "Content-Length") < 0;
    return truncated || closeDelimited || closeRequested;
  }

  /** RFC 9112 §7.1: hex size CRLF data CRLF per chunk, then a zero-size last chunk. */
  private static byte[] chunk(byte[] body, int chunkSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < body.length; i += chunkSize) {
      int n = Math.min(chunkSize, body.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, i, n);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static void writeThrottled(OutputStream out, byte[] data, long bytesPerSecond)
      throws IOException, InterruptedException {
    if (bytesPerSecond <= 0) {
      out.write(data);
      return;
    }
    int perPeriod = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytesPerSecond * THROTTLE_PERIOD_MILLIS / 1000));
    long sleepMillis = Math.max(1, perPeriod * 1000L / bytesPerSecond);
    for (int i = 0; i < data.length; i += perPeriod) {
      out.write(data, i, Math.min(perPeriod, data.length - i));
      out.flush();
      if (i + perPeriod < data.length) {
        Thread.sleep(sleepMillis);
      }
    }
  }
}
