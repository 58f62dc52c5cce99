package org.est4j.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLContext;

/**
 * A one-connection-per-request server on 127.0.0.1 that records each request and answers with
 * the next scripted bytes, then closes. Plain TCP or TLS.
 */
public final class ScriptedServer implements AutoCloseable {
  /** What the client sent. Header names lower-cased; repeated headers joined with ", ". */
  public record Recorded(String requestLine, List<String> rawHeaderLines, Map<String, String> headers, byte[] body) {}

  private final ServerSocket socket;
  private final BlockingQueue<byte[]> script = new LinkedBlockingQueue<>();
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private final boolean readRequest;

  private ScriptedServer(ServerSocket socket, boolean readRequest) {
    this.socket = socket;
    this.readRequest = readRequest;
    this.thread = new Thread(this::run, "scripted-server");
    thread.setDaemon(true);
    thread.start();
  }

  /** Plain TCP; does not read a request first (for parser tests that write nothing). */
  public static ScriptedServer plainWriteOnly() throws IOException {
    return new ScriptedServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
  }

  public static ScriptedServer tls(SSLContext ctx) throws IOException {
    return new ScriptedServer(
        ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), true);
  }

  public ScriptedServer enqueue(byte[] response) {
    script.add(response);
    return this;
  }

  public ScriptedServer enqueue(String response) {
    return enqueue(response.getBytes(StandardCharsets.ISO_8859_1));
  }

  public int port() {
    return socket.getLocalPort();
  }

  public List<Recorded> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void run() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        s.setSoTimeout(10_000);
        if (readRequest) {
          requests.add(read(s.getInputStream()));
        }
        byte[] response = script.poll();
        if (response == null) {
          response = "HTTP/1.1 599 No script left\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        OutputStream out = s.getOutputStream();
        out.write(response);
        out.flush();
        s.shutdownOutput();
        if (!readRequest) {
          s.getInputStream().readAllBytes(); // wait for the client to close
        }
      } catch (IOException e) {
        // closed, or a client that gave up (e.g. a handshake failure)
      }
    }
  }

  private static Recorded read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("eof in request head");
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> raw = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      raw.add(lines[i]);
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Recorded(lines[0], raw, headers, body);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
