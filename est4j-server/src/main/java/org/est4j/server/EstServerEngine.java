package org.est4j.server;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.EstOperation;
import org.est4j.protocol.MediaTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container-free EST server: one call per HTTP request, no I/O of its own. An HTTP binding
 * (Jetty, a servlet) turns its request into an {@link EstRequest}, calls {@link #handle} and
 * writes the {@link EstResponse} back. Thread-safe.
 *
 * <p>Order of checks (outermost first): allowed host, route (404/400), method (405), rate limit
 * (429), body size (413), then the operation: content type (415), authentication (401), decoding
 * (400), the CA. Every rejection is an {@link EstError}; anything else is logged with a request
 * id and answered 500 with that id, never an empty 200.
 */
public final class EstServerEngine {
  private static final Logger LOG = LoggerFactory.getLogger(EstServerEngine.class);

  private final EstServerSettings settings;
  private final HostCheck hosts;
  private final RateLimiter rateLimiter;
  private final Authenticator authenticator;
  private final Enrollments enrollments;
  private final TpmEnrollment tpmEnrollment;
  private final LabelRuntime unlabelled;
  private final Map<String, LabelRuntime> labels;
  private final Set<String> exemptLabels;
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();
  private final CopyOnWriteArrayList<RequestListener> listeners = new CopyOnWriteArrayList<>();

  public EstServerEngine(EstServerSettings settings) {
    this(settings, UserStore.of(Map.of("healthcheck", PasswordHash.create(new char[0], 10_000))));
  }

  public EstServerEngine(EstServerSettings settings, UserStore healthcheck) {
    this.settings = settings;
    this.hosts = new HostCheck(settings.allowedHosts());
    this.rateLimiter = new RateLimiter(settings.globalRequestsPerSecond(), settings.clientRequestsPerSecond());
    java.time.Clock clock = java.time.Clock.systemUTC();
    this.authenticator = new Authenticator(settings.users(), healthcheck, settings.realm(),
        new TokenCredential(settings.certificateStore().tokens(), clock));
    this.enrollments = new Enrollments(authenticator, settings.testLabels(),
        new IssuanceRecorder(settings.certificateStore(), clock, settings.audit()),
        new Approvals(settings.pendingRequests(), settings.certificateStore(), settings.approvalRetryAfter(), clock),
        settings.certificateStore(), clock);
    this.tpmEnrollment = new TpmEnrollment(authenticator, enrollments);
    this.unlabelled = new LabelRuntime(settings.unlabelled(), settings.clientCas());
    Map<String, LabelRuntime> all = new HashMap<>();
    if (settings.testLabels()) {
      TestLabels.derive(settings.unlabelled()).forEach((k, v) -> all.put(k, new LabelRuntime(v, settings.clientCas())));
    }
    settings.labels().forEach((k, v) -> all.put(k, new LabelRuntime(v, settings.clientCas())));
    this.labels = Map.copyOf(all);
    this.exemptLabels = settings.testLabels() ? Set.of(TestLabels.CSRATTRS) : Set.of();
    byte[] prefix = new byte[3];
    new SecureRandom().nextBytes(prefix);
    this.idPrefix = HexFormat.of().formatHex(prefix);
  }

  public EstServerSettings settings() {
    return settings;
  }

  /** Adds a listener told about every answered request (metrics). Add before serving. */
  public EstServerEngine addRequestListener(RequestListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Handles one request. Never throws. */
  public EstResponse handle(EstRequest request) {
    RequestLog log = new RequestLog(idPrefix + "-" + Long.toString(sequence.incrementAndGet(), 36));
    log.clientAddress = request.clientAddress().getHostAddress();
    EstResponse response;
    try {
      response = route(request, log);
    } catch (EstError e) {
      log.reason = e.getMessage();
      response = e.toResponse();
    } catch (RuntimeException | LinkageError e) {
      LOG.error("request {} failed: {} {}", log.requestId, request.method(), request.path(), e);
      log.reason = Errors.INTERNAL;
      response = EstError.of(500, Errors.INTERNAL + " (request id " + log.requestId + ")").toResponse();
    }
    response = response.withHeaders(
        "Strict-Transport-Security", "max-age=31536000",
        "X-Content-Type-Options", "nosniff",
        "X-Request-Id", log.requestId);
    log.write(request, response);
    notifyListeners(log, response);
    audit(request, log, response.status());
    return response;
  }

  private void audit(EstRequest request, RequestLog log, int status) {
    AuditSink sink = settings.audit();
    if (sink == AuditSink.NONE) {
      return;
    }
    try {
      if (log.committedAudit != null && status == 200) { // the row committed with the certificate
        sink.recordCommitted(log.committedAudit);
        return;
      }
      // Everything else, including the rare 500 after a committed certificate (a second row then
      // says how the request ended), is written by the sink after the response.
      sink.record(new org.est4j.server.store.AuditEvent(java.time.Instant.now(), log.requestId,
          log.clientAddress, log.identity, java.util.Optional.ofNullable(log.routeLabel),
          log.operation, org.est4j.server.store.AuditEvent.outcomeOf(status), status,
          java.util.Optional.ofNullable(status < 300 ? log.serial : null), java.util.Optional.ofNullable(log.reason)));
    } catch (RuntimeException e) {
      LOG.warn("audit of request {} failed", log.requestId, e);
    }
  }

  private void notifyListeners(RequestLog log, EstResponse response) {
    if (listeners.isEmpty()) {
      return;
    }
    RequestListener.RequestOutcome outcome = log.outcome(response.status());
    for (RequestListener l : listeners) {
      try {
        l.completed(outcome);
      } catch (RuntimeException e) {
        LOG.warn("request listener {} failed on request {}", l, log.requestId, e);
      }
    }
  }

  private EstResponse route(EstRequest request, RequestLog log) throws EstError {
    if (!hosts.permits(request.headers().get("Host"))) {
      throw EstError.of(400, Errors.HOST_NOT_ALLOWED);
    }
    Route route = Route.parse(request.path(), exemptLabels);
    log.label = route.logLabel();
    log.routeLabel = route.label().orElse(null);
    log.operation = route.logOperation();
    if (!route.permits(request.method())) {
      throw EstError.of(405, "method " + request.method() + " not allowed: use " + route.allowedMethods())
          .withHeader("Allow", route.allowedMethods());
    }
    long wait = rateLimiter.acquire(request.clientAddress());
    if (wait > 0) {
      throw EstError.of(429, Errors.RATE_LIMITED).withHeader("Retry-After", Long.toString(wait));
    }
    if (request.body().length > settings.maxBodyBytes()) {
      throw EstError.of(413, "request body larger than " + settings.maxBodyBytes() + " bytes");
    }
    if (route.healthcheck()) {
      authenticator.authenticateHealthcheck(request);
      return EstResponse.empty(200);
    }
    LabelRuntime label = label(route);
    return dispatch(route.operation(), request, label, log);
  }

  private LabelRuntime label(Route route) throws EstError {
    if (route.label().isEmpty()) {
      return unlabelled;
    }
    LabelRuntime runtime = labels.get(route.label().get());
    if (runtime != null) {
      return runtime;
    }
    if (settings.onlyConfiguredLabels()) {
      throw EstError.of(404, "unknown label: " + route.label().get());
    }
    return unlabelled;
  }

  private EstResponse dispatch(EstOperation op, EstRequest request, LabelRuntime label, RequestLog log)
      throws EstError {
    switch (op) {
      case CACERTS:
        return EstResponse.base64(
            MediaTypes.CERTS_ONLY, label.caCertsBody(Base64Style.lineLength(label.settings, request)));
      case CSRATTRS:
        return csrAttrs(request, label);
      case SIMPLEENROLL:
        return enrollments.enroll(request, label, log);
      case SIMPLEREENROLL:
        return enrollments.reenroll(request, label, log);
      case SERVERKEYGEN:
        return enrollments.serverKeyGen(request, label, log);
      case TPMENROLL:
        return tpmEnrollment.enroll(request, label, log);
      default:
        throw EstError.of(404, Errors.NOT_FOUND);
    }
  }

  /** RFC 7030 §4.5.2: 204 when there is nothing to ask for. */
  private static EstResponse csrAttrs(EstRequest request, LabelRuntime label) {
    CsrAttrs attrs = label.settings.csrAttrs();
    if (attrs.isEmpty()) {
      return EstResponse.empty(204);
    }
    return EstResponse.base64(
        MediaTypes.CSRATTRS, EstBase64.encode(attrs.encoded(), Base64Style.lineLength(label.settings, request)));
  }
}
