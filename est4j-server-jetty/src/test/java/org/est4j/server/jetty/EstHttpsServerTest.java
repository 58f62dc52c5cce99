package org.est4j.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.server.EstServerEngine;
import org.est4j.server.EstServerSettings;
import org.est4j.server.LabelSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Jetty binding over real TLS sockets: what only the transport can get wrong. */
class EstHttpsServerTest {
  private static EmbeddedCa ca;
  private static EstHttpsServer server;
  private static SSLContext client;

  @BeforeAll
  static void start() throws Exception {
    ca = TransientCa.create();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    X509Certificate leaf =
        ca.issue(new CertificateRequest(new X500Name("CN=localhost"),
            Optional.of(new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost"))),
            SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded())));
    List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
    chain.addAll(ca.caCertificates());
    EstServerEngine engine = new EstServerEngine(
        EstServerSettings.builder(LabelSettings.builder(ca).allowUnauthenticatedEnrollment(true).build()).build());
    server = EstHttpsServer.builder(engine, new TlsCredentials(chain, kp.getPrivate()))
        .host("127.0.0.1").port(0).requestHeaderTimeout(Duration.ofSeconds(1)).build().start();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.caCertificates().get(ca.caCertificates().size() - 1));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static SSLSocket tls() throws IOException {
    SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port());
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  private static String exchange(Socket s, String request, byte[] body) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    if (body != null) {
      out.write(body);
    }
    out.flush();
    return readResponse(s.getInputStream(), request.startsWith("HEAD "));
  }

  /** Reads one response: headers, then Content-Length bytes (or until close). */
  private static String readResponse(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int contentLength = -1;
    int headerEnd = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      buf.write(b);
      String sofar = buf.toString(StandardCharsets.ISO_8859_1);
      if (headerEnd < 0 && sofar.endsWith("\r\n\r\n")) {
        headerEnd = sofar.length();
        for (String line : sofar.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            contentLength = Integer.parseInt(line.substring(15).trim());
          }
        }
        if (contentLength <= 0 || head) {
          break;
        }
      } else if (headerEnd >= 0 && buf.size() - headerEnd >= contentLength) {
        break;
      }
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  private static String cacertsRequest() {
    return "GET /.well-known/est/cacerts HTTP/1.1\r\nHost: localhost\r\nUser-Agent: t\r\n\r\n";
  }

  @Test
  void headAnswersTheLengthWithoutABody() throws Exception {
    try (SSLSocket s = tls()) {
      String get = exchange(s, cacertsRequest(), null);
      String head = exchange(s, "HEAD /.well-known/est/cacerts HTTP/1.1\r\nHost: localhost\r\nUser-Agent: t\r\n\r\n", null);
      assertThat(head).startsWith("HTTP/1.1 200");
      String length = get.lines().filter(l -> l.startsWith("Content-Length")).findFirst().orElseThrow();
      assertThat(head).contains(length).endsWith("\r\n\r\n");
    }
  }

  @Test
  void chunkedBodiesAreRead() throws Exception {
    byte[] csr = org.est4j.protocol.EstBase64.encode(TestCsr.p256("CN=chunked"));
    String chunked = Integer.toHexString(csr.length) + "\r\n" + new String(csr, StandardCharsets.US_ASCII) + "\r\n0\r\n\r\n";
    try (SSLSocket s = tls()) {
      String r = exchange(s, "POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/pkcs10\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked, null);
      assertThat(r).startsWith("HTTP/1.1 200").contains("smime-type=certs-only");
    }
  }

  @Test
  void anOversizedBodyIs413AndTheServerKeepsServing() throws Exception {
    byte[] big = new byte[1 << 20];
    java.util.Arrays.fill(big, (byte) 'A');
    try (SSLSocket s = tls()) {
      String r;
      try {
        r = exchange(s, "POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/pkcs10\r\nContent-Length: " + big.length + "\r\n\r\n", big);
      } catch (IOException e) {
        r = readResponse(s.getInputStream(), false); // the server may answer before the upload ends
      }
      assertThat(r).startsWith("HTTP/1.1 413").contains("413 request body larger than 65536 bytes");
    }
    try (SSLSocket s = tls()) {
      assertThat(exchange(s, cacertsRequest(), null)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void plainHttpOnTheTlsPortGetsA400SayingSo() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()));
      s.setSoTimeout(10_000);
      String r = exchange(s, cacertsRequest(), null);
      assertThat(r).startsWith("HTTP/1.1 400").contains("HTTPS only");
    }
  }

  @Test
  void aClientThatNeverFinishesItsHeadersIsDisconnected() throws Exception {
    try (SSLSocket s = tls()) {
      OutputStream out = s.getOutputStream();
      out.write("GET /.well-known/est/cacerts HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.setSoTimeout(8_000);
      int read;
      try {
        read = s.getInputStream().read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the connection was still open after 8 s; the deadline is 1 s", e);
      } catch (IOException e) {
        read = -1; // reset: closed as well
      }
      assertThat(read).isEqualTo(-1);
    }
  }

  @Test
  void closedConnectionsDoNotKeepTheirDeadlineTimers() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (SSLSocket s = tls()) {
        exchange(s, "GET /.well-known/est/cacerts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", null);
      }
    }
    // a pending timer pins the connection and Conscrypt's native engine (file descriptors) for 20 s
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (server.pendingDeadlines() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.pendingDeadlines()).isZero();
  }

  @Test
  void onlyTls12And13AreOffered() throws Exception {
    try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      s.setEnabledProtocols(new String[] {"TLSv1.1"});
      org.assertj.core.api.Assertions.assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
    }
    try (SSLSocket s = tls()) {
      assertThat(s.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
    }
  }
}
