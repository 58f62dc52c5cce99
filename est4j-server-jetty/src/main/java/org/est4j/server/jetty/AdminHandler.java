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

  private final EstMetrics metrics;
  private final List<ReadinessCheck> checks;
  private volatile Connector adminConnector;

  AdminHandler(Handler est, EstMetrics metrics, List<ReadinessCheck> checks) {
    super(est);
    this.metrics = metrics;
    this.checks = List.copyOf(checks);
  }

  void adminConnector(Connector connector) {
    this.adminConnector = connector;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    boolean onAdminPort = adminConnector != null && request.getConnectionMetaData().getConnector() == adminConnector;
    boolean adminPath = PATHS.contains(path);
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
