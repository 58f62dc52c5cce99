package org.est4j.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import org.est4j.protocol.ErrorBody;

/**
 * Serves one accepted connection of a {@link MockEstServer}: the TLS handshake, then requests
 * one after another (HTTP/1.1 keep-alive) until the client or a scripted response closes it.
 * Every failure ends up in the server's {@link MockEstServer#errors()} so a test can see it.
 */
final class EstConnection implements Runnable {
  private final MockEstServer server;
  private final Socket socket;

  EstConnection(MockEstServer server, Socket socket) {
    this.server = server;
    this.socket = socket;
  }

  @Override
  public void run() {
    try {
      serve();
    } catch (ProtocolException e) {
      server.recordError(e);
      rejectQuietly(e.getMessage()); // before closing, so the client sees why
    } catch (IOException e) {
      if (!server.isClosed()) {
        server.recordError(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is closing
    } finally {
      server.forget(socket);
      try {
        socket.close();
      } catch (IOException ignored) {
        // the connection is finished either way
      }
    }
  }

  private void serve() throws IOException, InterruptedException {
    socket.setSoTimeout(server.readTimeoutMillis());
    TlsInfo tls = TlsInfo.NONE;
    if (socket instanceof SSLSocket) {
      SSLSocket ssl = (SSLSocket) socket;
      ssl.startHandshake(); // here, not in the accept loop: a slow client blocks only itself
      tls = TlsInfo.of(ssl.getSession());
    }
    HttpRequestReader reader = new HttpRequestReader(new BufferedInputStream(socket.getInputStream()));
    OutputStream out = new BufferedOutputStream(socket.getOutputStream());
    for (int sequence = 0; ; sequence++) {
      HttpRequestReader.Head head = reader.readHead();
      if (head == null) {
        return; // the client closed an idle connection
      }
      if (head.expectsContinue()) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      byte[] body;
      try {
        body = reader.readBody(head);
      } catch (ProtocolException e) {
        throw new ProtocolException(e.getMessage() + " in " + head.requestLine());
      }
      RecordedEstRequest request =
          new RecordedEstRequest(head.requestLine(), head.headers(), body, head.chunked(), tls, sequence);
      MockEstResponse response = server.dispatch(request);
      boolean close =
          ResponseWriter.write(out, response, request.method().equals("HEAD")) || head.wantsClose();
      if (close) {
        return;
      }
    }
  }

  /** A best-effort 400 for a request the mock could not parse; the connection closes next. */
  private void rejectQuietly(String message) {
    try {
      byte[] body = ErrorBody.of(400, message);
      String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: " + ErrorBody.CONTENT_TYPE
          + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException ignored) {
      // the client is gone already; the parse error itself is recorded
    }
  }
}
