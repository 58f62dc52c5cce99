package org.est4j.client.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.est4j.client.EstConnectionException;
import org.est4j.client.TlsInfo;

/**
 * One TLS connection to the EST server, directly or through an HTTPS proxy (CONNECT), used for
 * exactly one request ({@code Connection: close}).
 */
public final class Connection implements Closeable {
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** Where and how to connect. Timeouts in milliseconds, 0 = none. */
  public record Target(
      String host,
      int port,
      SSLContext ssl,
      boolean verifyHostName,
      int connectTimeoutMillis,
      int readTimeoutMillis,
      ProxySettings proxy,
      String userAgent) {
    public String hostPort() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private final Target target;
  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;

  private Connection(Target target, SSLSocket socket) throws IOException {
    this.target = target;
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
  }

  /** Connects and completes the TLS handshake. */
  public static Connection open(Target t) throws EstConnectionException {
    Socket raw = new Socket();
    String where = t.proxy() == null ? t.hostPort() : "proxy " + t.proxy().host() + ":" + t.proxy().port();
    try {
      raw.setTcpNoDelay(true);
      raw.setSoTimeout(t.readTimeoutMillis());
      if (t.proxy() == null) {
        raw.connect(new InetSocketAddress(t.host(), t.port()), t.connectTimeoutMillis());
      } else {
        raw.connect(new InetSocketAddress(t.proxy().host(), t.proxy().port()), t.connectTimeoutMillis());
        tunnel(raw, t);
      }
    } catch (EstConnectionException e) {
      closeQuietly(raw);
      throw e;
    } catch (SocketTimeoutException e) {
      closeQuietly(raw);
      throw new EstConnectionException("cannot connect to " + where + ": timed out", e);
    } catch (IOException e) {
      closeQuietly(raw);
      throw new EstConnectionException("cannot connect to " + where + ": " + e.getMessage(), e);
    }
    SSLSocket ssl = null;
    try {
      ssl = (SSLSocket) t.ssl().getSocketFactory().createSocket(raw, t.host(), t.port(), true);
      SSLParameters params = ssl.getSSLParameters();
      List<String> supported = Arrays.asList(ssl.getSupportedProtocols());
      List<String> protocols = new ArrayList<>();
      for (String p : PROTOCOLS) {
        if (supported.contains(p)) {
          protocols.add(p);
        }
      }
      params.setProtocols(protocols.toArray(new String[0]));
      if (!isIpLiteral(t.host())) {
        params.setServerNames(List.of(new SNIHostName(t.host())));
      }
      if (t.verifyHostName()) {
        params.setEndpointIdentificationAlgorithm("HTTPS");
      }
      ssl.setSSLParameters(params);
      ssl.startHandshake();
      return new Connection(t, ssl);
    } catch (IOException | IllegalArgumentException e) {
      closeQuietly(ssl != null ? ssl : raw);
      throw handshakeFailure(t, e);
    }
  }

  private static void tunnel(Socket raw, Target t) throws IOException {
    String authority = t.hostPort();
    StringBuilder sb = new StringBuilder();
    sb.append("CONNECT ").append(authority).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(authority).append("\r\n");
    sb.append("User-Agent: ").append(t.userAgent()).append("\r\n");
    if (t.proxy().authorization() != null) {
      sb.append("Proxy-Authorization: ").append(t.proxy().authorization()).append("\r\n");
    }
    sb.append("\r\n");
    OutputStream o = raw.getOutputStream();
    o.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    o.flush();
    // Unbuffered on purpose: not a byte of the TLS handshake that follows may be consumed here.
    HttpResponse r = HttpWire.readHeadOnly(raw.getInputStream());
    if (r.status() / 100 != 2) {
      throw new EstConnectionException(
          "proxy " + t.proxy().host() + ":" + t.proxy().port() + " refused CONNECT to " + authority
              + ": " + r.status() + " " + HttpWire.printable(r.reason()),
          null);
    }
  }

  private static EstConnectionException handshakeFailure(Target t, Exception e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertificateException) {
        return new EstConnectionException(
            "TLS handshake with " + t.hostPort() + " failed: " + untrusted(t.host(), e, c), e);
      }
    }
    if (e instanceof SocketTimeoutException) {
      return new EstConnectionException("TLS handshake with " + t.hostPort() + " timed out", e);
    }
    String kind = e instanceof SSLException ? "TLS handshake with " : "cannot connect to ";
    return new EstConnectionException(kind + t.hostPort() + " failed: " + withoutClassNames(e.getMessage()), e);
  }

  /**
   * Why the server's certificate was refused, in words and without JDK internals (the JDK's
   * messages nest class names such as sun.security.provider.certpath.SunCertPathBuilderException).
   */
  static String untrusted(String host, Throwable top, Throwable certificateException) {
    for (Throwable c = top; c != null; c = c.getCause()) {
      if (c instanceof CertificateExpiredException) {
        return "the server's certificate for " + host + " (or one of its CA certificates) has expired";
      }
      if (c instanceof CertificateNotYetValidException) {
        return "the server's certificate for " + host + " (or one of its CA certificates) is not valid yet";
      }
    }
    for (Throwable c = top; c != null; c = c.getCause()) {
      if (c instanceof CertPathBuilderException) {
        return "the server's certificate for " + host
            + " is not trusted by the configured trust anchors (PKIX path building failed)";
      }
      if (c instanceof CertPathValidatorException v) {
        return "the server's certificate for " + host
            + " is not trusted by the configured trust anchors (PKIX path validation failed: "
            + v.getReason().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
      }
    }
    String detail = withoutClassNames(certificateException.getMessage());
    if (detail != null && (detail.startsWith("No subject alternative") || detail.startsWith("No name matching"))) {
      return "the server's certificate does not name " + host + " (" + detail + ")";
    }
    return "the server's certificate for " + host + " is not trusted by the configured trust anchors"
        + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
  }

  /** Drops "java.x.FooException: " style prefixes the JDK puts into nested messages. */
  static String withoutClassNames(String message) {
    if (message == null) {
      return null;
    }
    return message.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ", "");
  }

  public TlsInfo tlsInfo() {
    return new TlsInfo(socket.getSession());
  }

  /**
   * Sends the request and reads the response.
   *
   * @throws HttpFormatException for a malformed, truncated or oversized response
   * @throws EstConnectionException for I/O failures and timeouts
   */
  public HttpResponse exchange(HttpRequest request, int maxBody) throws IOException {
    try {
      HttpWire.write(out, request);
      return HttpWire.read(in, maxBody, request.method().equals("HEAD"));
    } catch (HttpFormatException e) {
      throw e;
    } catch (SocketTimeoutException e) {
      throw new EstConnectionException(
          "no response from " + target.hostPort() + " within the read timeout of "
              + target.readTimeoutMillis() + " ms",
          e);
    } catch (IOException e) {
      throw new EstConnectionException(
          "connection to " + target.hostPort() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
  }
}
