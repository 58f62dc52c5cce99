package org.est4j.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLServerSocket;

/**
 * A scriptable HTTPS server for testing EST clients, in three steps: script the responses, run
 * the client, verify the requests it made.
 *
 * <pre>{@code
 * try (MockEstServer server = new MockEstServer()) {
 *   server.enqueue(MockEstResponse.certsOnly(List.of(server.pki().root().certificate())));
 *   server.start();
 *
 *   // the client under test trusts server.pki().root() and talks to server.url("/.well-known/est/cacerts")
 *
 *   RecordedEstRequest request = server.takeRequest();
 *   assertThat(request.method()).isEqualTo("GET");
 * }
 * }</pre>
 *
 * <p>Responses are served in the order enqueued, one per request; when the script runs out the
 * server answers 503 with a body saying so, which makes the test's failure obvious. A {@link
 * #setDispatcher dispatcher} may choose responses instead.
 *
 * <p>The server listens on 127.0.0.1 on a free port, with TLS 1.3 and 1.2 and a certificate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1} from its {@link #pki()}. It asks for a
 * client certificate but does not require one, and accepts any chain to the PKI's intermediate
 * or root. It writes each response byte for byte as scripted, which is why it is its own small
 * HTTP/1.1 server and not Jetty or the JDK's: a test can send truncated bodies, wrong lengths
 * and malformed base64 that a real server would never emit. Every socket has a read timeout, so
 * a confused client cannot hang a test; server-side failures are kept in {@link #errors()}.
 */
public final class MockEstServer implements AutoCloseable {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_CONNECTIONS = 64;

  private enum ClientAuth { NONE, WANT, NEED }

  private final TestPki pki;
  private boolean tls = true;
  private ClientAuth clientAuth = ClientAuth.WANT;
  private List<X509Certificate> clientIssuers;
  private TestCertificate serverCertificate;
  private String[] tlsProtocols = {"TLSv1.3", "TLSv1.2"};
  private Duration timeout = DEFAULT_TIMEOUT;

  private final BlockingQueue<MockEstResponse> script = new LinkedBlockingQueue<>();
  private volatile Function<RecordedEstRequest, MockEstResponse> dispatcher;
  private final BlockingQueue<RecordedEstRequest> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();

  private ServerSocket serverSocket;
  private ThreadPoolExecutor executor;
  private Thread acceptThread;
  private volatile boolean closed;

  /** A server with a freshly generated {@link TestPki}. */
  public MockEstServer() {
    this(TestPki.create());
  }

  /** A server whose certificate and client trust come from {@code pki}. */
  public MockEstServer(TestPki pki) {
    this.pki = Objects.requireNonNull(pki, "pki");
  }

  /** The PKI whose root a client must trust, and whose intermediate issues client certificates. */
  public TestPki pki() {
    return pki;
  }

  /** Plain HTTP instead of HTTPS when false (before {@link #start()}). */
  public MockEstServer useTls(boolean useTls) {
    checkNotStarted();
    this.tls = useTls;
    return this;
  }

  /** Fails the handshake of clients without a certificate when true; back to "want" when false. */
  public MockEstServer requireClientCertificate(boolean require) {
    checkNotStarted();
    this.clientAuth = require ? ClientAuth.NEED : ClientAuth.WANT;
    return this;
  }

  /** Asks clients for a certificate (the default) when true; never asks when false. */
  public MockEstServer wantClientCertificate(boolean want) {
    checkNotStarted();
    this.clientAuth = want ? ClientAuth.WANT : ClientAuth.NONE;
    return this;
  }

  /**
   * Accepts client certificates that chain to one of {@code issuers} (default: the PKI's
   * intermediate and root). A client presenting any other chain fails the handshake.
   */
  public MockEstServer trustClientCertificatesFrom(Collection<X509Certificate> issuers) {
    checkNotStarted();
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("no issuers: use wantClientCertificate(false) instead");
    }
    this.clientIssuers = List.copyOf(issuers);
    return this;
  }

  /**
   * Presents {@code certificate} (with its chain) instead of the PKI's server certificate, for
   * example an expired one or one for another host name.
   */
  public MockEstServer serverCertificate(TestCertificate certificate) {
    checkNotStarted();
    this.serverCertificate = Objects.requireNonNull(certificate, "certificate");
    return this;
  }

  /** The TLS versions to offer (default TLSv1.3 and TLSv1.2), e.g. only "TLSv1.2" for tls-unique. */
  public MockEstServer tlsProtocols(String... protocols) {
    checkNotStarted();
    if (protocols.length == 0) {
      throw new IllegalArgumentException("no TLS protocols");
    }
    this.tlsProtocols = protocols.clone();
    return this;
  }

  /** Socket read timeout and {@link #takeRequest()} wait (default 10 seconds). */
  public MockEstServer timeout(Duration timeout) {
    checkNotStarted();
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /** Binds 127.0.0.1 on a free port and starts accepting connections. */
  public synchronized MockEstServer start() throws IOException {
    checkNotStarted();
    if (closed) {
      throw new IllegalStateException("closed");
    }
    ServerSocket socket;
    if (tls) {
      TestCertificate identity = serverCertificate != null ? serverCertificate : pki.server();
      List<X509Certificate> issuers = clientIssuers != null
          ? clientIssuers
          : List.of(pki.intermediate().certificate(), pki.root().certificate());
      SSLServerSocket ssl = (SSLServerSocket)
          TestPki.serverSslContext(identity, issuers).getServerSocketFactory().createServerSocket();
      ssl.setEnabledProtocols(tlsProtocols);
      ssl.setWantClientAuth(clientAuth == ClientAuth.WANT);
      if (clientAuth == ClientAuth.NEED) {
        ssl.setNeedClientAuth(true);
      }
      socket = ssl;
    } else {
      socket = new ServerSocket();
    }
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    serverSocket = socket;
    int port = socket.getLocalPort();
    AtomicInteger threads = new AtomicInteger();
    executor = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> daemon(r, "MockEstServer-" + port + "-connection-" + threads.incrementAndGet()));
    acceptThread = daemon(this::acceptLoop, "MockEstServer-" + port + "-accept");
    acceptThread.start();
    return this;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!closed) {
          recordError(e);
        }
        return;
      }
      openSockets.add(socket);
      try {
        executor.execute(new EstConnection(this, socket));
      } catch (RejectedExecutionException e) {
        recordError(new IOException("more than " + MAX_CONNECTIONS + " connections at once", e));
        forget(socket);
        closeQuietly(socket);
      }
    }
  }

  public int port() {
    checkStarted();
    return serverSocket.getLocalPort();
  }

  /** {@code "127.0.0.1:<port>"}, for clients configured with a host and port. */
  public String hostAndPort() {
    return "127.0.0.1:" + port();
  }

  /** {@code https://localhost:<port><path>} ({@code http:} without TLS); path starts with "/". */
  public String url(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    return (tls ? "https" : "http") + "://localhost:" + port() + path;
  }

  /** Adds a response to the script, served after those enqueued before it. */
  public void enqueue(MockEstResponse response) {
    script.add(Objects.requireNonNull(response, "response"));
  }

  /** Chooses each response with {@code dispatcher} instead of the script; null restores it. */
  public void setDispatcher(Function<RecordedEstRequest, MockEstResponse> dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** The next request received, waiting up to the {@link #timeout(Duration)} (10 s). */
  public RecordedEstRequest takeRequest() throws InterruptedException {
    return takeRequest(timeout);
  }

  /**
   * The next request received, waiting up to {@code wait}.
   *
   * @throws IllegalStateException if none arrives; server-side errors are attached as suppressed
   */
  public RecordedEstRequest takeRequest(Duration wait) throws InterruptedException {
    RecordedEstRequest request = requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (request == null) {
      IllegalStateException e = new IllegalStateException(
          "no request within " + wait.toMillis() + " ms (" + errors.size() + " server-side errors)");
      errors.forEach(e::addSuppressed);
      throw e;
    }
    return request;
  }

  /** How many requests have been received so far, taken or not. */
  public int requestCount() {
    return requestCount.get();
  }

  /**
   * Failures on the server side, in order: handshake failures, unparseable requests (answered
   * 400), dispatcher exceptions (answered 500), connections lost mid-request.
   */
  public List<Throwable> errors() {
    return List.copyOf(errors);
  }

  /** Stops accepting, closes every connection and waits for the server's threads to end. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (serverSocket == null) {
      return;
    }
    serverSocket.close();
    for (Socket socket : new ArrayList<>(openSockets)) {
      closeQuietly(socket);
    }
    executor.shutdownNow();
    try {
      acceptThread.join(timeout.toMillis());
      if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("connection threads still running after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  MockEstResponse dispatch(RecordedEstRequest request) {
    requestCount.incrementAndGet();
    requests.add(request);
    Function<RecordedEstRequest, MockEstResponse> d = dispatcher;
    if (d == null) {
      MockEstResponse next = script.poll();
      return next != null
          ? next
          : MockEstResponse.error(503, "MockEstServer: no response enqueued for " + request.requestLine());
    }
    try {
      return Objects.requireNonNull(d.apply(request), "the dispatcher returned null");
    } catch (RuntimeException e) {
      recordError(e);
      return MockEstResponse.error(500, "MockEstServer: the dispatcher failed: " + e);
    }
  }

  void recordError(Throwable e) {
    errors.add(e);
  }

  void forget(Socket socket) {
    openSockets.remove(socket);
  }

  boolean isClosed() {
    return closed;
  }

  int readTimeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }

  private void checkNotStarted() {
    if (serverSocket != null) {
      throw new IllegalStateException("already started");
    }
  }

  private void checkStarted() {
    if (serverSocket == null) {
      throw new IllegalStateException("not started");
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return serverSocket == null ? "MockEstServer{not started}" : "MockEstServer{" + url("/") + "}";
  }
}
