package org.est4j.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal HTTP CONNECT proxy for tests: records each CONNECT head and tunnels the bytes. */
final class ConnectProxy implements AutoCloseable {
  final List<String> heads = new CopyOnWriteArrayList<>();
  private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

  ConnectProxy() throws IOException {
    Thread t = new Thread(this::run, "connect-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void run() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            throw new IOException("eof");
          }
          head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        heads.add(h);
        String authority = h.substring("CONNECT ".length(), h.indexOf(' ', "CONNECT ".length()));
        int colon = authority.lastIndexOf(':');
        Socket upstream = new Socket(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)));
        client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        pipe(in, upstream.getOutputStream(), upstream);
        pipe(upstream.getInputStream(), client.getOutputStream(), client);
      } catch (IOException e) {
        // next
      }
    }
  }

  private static void pipe(InputStream in, OutputStream out, Socket toClose) {
    Thread t = new Thread(() -> {
      try {
        in.transferTo(out);
        toClose.shutdownOutput();
      } catch (IOException e) {
        // done
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
