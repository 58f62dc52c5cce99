package org.est4j.server.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.est4j.server.ReadinessCheck;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (every {@link ReadinessCheck} passes:
 * 200, else 503 naming the failures) and {@code /metrics} (Prometheus text). With an admin
 * connector they are served only there, and the admin connector serves nothing else; without one
 * they sit beside the EST paths on the main port.
 */
final class AdminHandler extends Handler.Wrapper {
  static final List<String> PATHS = List.of("/healthz", "/readyz", "/metrics");
  private static final String TEXT = "text/plain; charset=utf-8";
  static final String CRL_PREFIX = "/crl/";

  private final EstMetrics metrics;
  private final List<ReadinessCheck> checks;
  private volatile Connector adminConnector;

  private final org.est4j.server.CrlPublisher crls; // null: no CRLs served

  AdminHandler(Handler est, EstMetrics metrics, List<ReadinessCheck> checks, org.est4j.server.CrlPublisher crls) {
    super(est);
    this.metrics = metrics;
    this.checks = List.copyOf(checks);
    this.crls = crls;
  }

  void adminConnector(Connector connector) {
    this.adminConnector = connector;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    boolean onAdminPort = adminConnector != null && request.getConnectionMetaData().getConnector() == adminConnector;
    boolean adminPath = PATHS.contains(path);
    if (crls != null && path.startsWith(CRL_PREFIX)) {
      return crl(path.substring(CRL_PREFIX.length()), request, response, callback); // on both ports
    }
    if (onAdminPort && !adminPath) {
      return answer(response, callback, 404, TEXT, "404 not found: this port serves " + PATHS + "\n", request);
    }
    if (!adminPath || (adminConnector != null && !onAdminPort)) {
      return super.handle(request, response, callback); // the EST engine (404 for admin paths)
    }
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      return answer(response, callback, 405, TEXT, "405 method not allowed: use GET\n", request);
    }
    switch (path) {
      case "/healthz":
        return answer(response, callback, 200, TEXT, "ok\n", request);
      case "/readyz":
        return readiness(request, response, callback);
      default:
        return answer(response, callback, 200, EstMetrics.CONTENT_TYPE, metrics.scrape(), request);
    }
  }

  /**
   * {@code GET /crl/<ca>.crl}: DER (RFC 5280 §5; application/pkix-crl, RFC 2585), cacheable by
   * anyone until its nextUpdate (CRLs are signed and public; caches in front of several nodes
   * spare the database).
   */
  private boolean crl(String file, Request request, Response response, Callback callback) {
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      return answer(response, callback, 405, TEXT, "405 method not allowed: use GET\n", request);
    }
    java.util.Optional<org.est4j.server.store.CrlStore.Published> crl =
        file.endsWith(".crl") ? crls.crl(file.substring(0, file.length() - 4)) : java.util.Optional.empty();
    if (crl.isEmpty()) {
      return answer(response, callback, 404, TEXT, "404 no CRL here: try " + crls.caNames().stream().sorted()
          .map(n -> CRL_PREFIX + n + ".crl").toList() + "\n", request);
    }
    byte[] der = crl.get().der();
    long maxAge = Math.max(0, java.time.Duration.between(java.time.Instant.now(), crl.get().nextUpdate()).toSeconds());
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/pkix-crl");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=" + maxAge);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, der.length);
    response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(der), callback);
    return true;
  }

  private boolean readiness(Request request, Response response, Callback callback) {
    StringBuilder body = new StringBuilder();
    boolean ready = true;
    for (ReadinessCheck check : checks) {
      try {
        check.check();
        body.append(check.name()).append(": ok\n");
      } catch (Exception e) {
        ready = false;
        body.append(check.name()).append(": ").append(oneLine(e)).append('\n');
      }
    }
    body.insert(0, ready ? "ready\n" : "not ready\n");
    return answer(response, callback, ready ? 200 : 503, TEXT, body.toString(), request);
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }

  private static boolean answer(Response response, Callback callback, int status, String type, String text,
      Request request) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(body), callback);
    return true;
  }
}
