package org.est4j.server;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.Labels;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.InMemoryCertificateStore;

/**
 * Everything the engine needs, checked in {@link Builder#build()}. Defaults are secure:
 * authentication required for enrollment, a 64 KiB body limit, no test labels.
 */
public final class EstServerSettings {
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  private final LabelSettings unlabelled;
  private final Map<String, LabelSettings> labels;
  private final boolean onlyConfiguredLabels;
  private final Set<String> allowedHosts;
  private final double globalRequestsPerSecond;
  private final double clientRequestsPerSecond;
  private final UserStore users;
  private final String realm;
  private final List<X509Certificate> clientCas;
  private final boolean testLabels;
  private final int maxBodyBytes;
  private final CertificateStore certificateStore;
  private final org.est4j.server.store.PendingRequestStore pendingRequests;
  private final java.time.Duration approvalRetryAfter;
  private final AuditSink audit;
  private final org.est4j.server.store.StoreTimings storeTimings;

  private EstServerSettings(Builder b) {
    this.unlabelled = b.unlabelled;
    this.labels = Map.copyOf(b.labels);
    this.onlyConfiguredLabels = b.onlyConfiguredLabels;
    this.allowedHosts = Set.copyOf(b.allowedHosts);
    this.globalRequestsPerSecond = b.globalRequestsPerSecond;
    this.clientRequestsPerSecond = b.clientRequestsPerSecond;
    this.users = b.users;
    this.realm = b.realm;
    this.clientCas = List.copyOf(b.clientCas);
    this.testLabels = b.testLabels;
    this.maxBodyBytes = b.maxBodyBytes;
    this.certificateStore = b.certificateStore;
    this.pendingRequests = b.pendingRequests;
    this.approvalRetryAfter = b.approvalRetryAfter;
    this.audit = b.audit;
    this.storeTimings = b.storeTimings;
  }

  public static Builder builder(LabelSettings unlabelled) {
    return new Builder(unlabelled);
  }

  public LabelSettings unlabelled() {
    return unlabelled;
  }

  public Map<String, LabelSettings> labels() {
    return labels;
  }

  public boolean onlyConfiguredLabels() {
    return onlyConfiguredLabels;
  }

  public Set<String> allowedHosts() {
    return allowedHosts;
  }

  public double globalRequestsPerSecond() {
    return globalRequestsPerSecond;
  }

  public double clientRequestsPerSecond() {
    return clientRequestsPerSecond;
  }

  public UserStore users() {
    return users;
  }

  public String realm() {
    return realm;
  }

  public List<X509Certificate> clientCas() {
    return clientCas;
  }

  public boolean testLabels() {
    return testLabels;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Where issued certificates are recorded; an {@link InMemoryCertificateStore} unless set. */
  public CertificateStore certificateStore() {
    return certificateStore;
  }

  /** Requests held for approval ({@code approval: manual}); in memory beside an in-memory certificate store unless set. */
  public org.est4j.server.store.PendingRequestStore pendingRequests() {
    return pendingRequests;
  }

  /** The Retry-After of a 202 for a request waiting for approval (RFC 7030 §4.2.3). */
  public java.time.Duration approvalRetryAfter() {
    return approvalRetryAfter;
  }

  /** Where every request's audit event goes; {@link AuditSink#NONE} unless set. */
  public AuditSink audit() {
    return audit;
  }

  /** Where the timed store decorators report (the metrics' store latency histogram observes it). */
  public org.est4j.server.store.StoreTimings storeTimings() {
    return storeTimings;
  }

  /** Builder; see the getters for what each setting means. */
  public static final class Builder {
    private final LabelSettings unlabelled;
    private final Map<String, LabelSettings> labels = new LinkedHashMap<>();
    private boolean onlyConfiguredLabels;
    private final Set<String> allowedHosts = new TreeSet<>();
    private double globalRequestsPerSecond;
    private double clientRequestsPerSecond;
    private UserStore users = UserStore.empty();
    private String realm = "est4j";
    private List<X509Certificate> clientCas = List.of();
    private boolean testLabels;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private CertificateStore certificateStore;
    private org.est4j.server.store.PendingRequestStore pendingRequests;
    private java.time.Duration approvalRetryAfter = java.time.Duration.ofSeconds(60);
    private AuditSink audit = AuditSink.NONE;
    private org.est4j.server.store.StoreTimings storeTimings = new org.est4j.server.store.StoreTimings();

    private Builder(LabelSettings unlabelled) {
      this.unlabelled = Objects.requireNonNull(unlabelled, "unlabelled");
    }

    public Builder label(String name, LabelSettings settings) {
      try {
        Labels.check(name);
      } catch (EstProtocolException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      labels.put(name, Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /** When set, labels other than the configured ones get 404; otherwise they share the unlabelled settings. */
    public Builder onlyConfiguredLabels(boolean only) {
      this.onlyConfiguredLabels = only;
      return this;
    }

    /** Host header values (without port) accepted; empty accepts any. IPv6 literals with or without brackets. */
    public Builder allowedHosts(Iterable<String> hosts) {
      allowedHosts.clear();
      for (String h : hosts) {
        allowedHosts.add(HostCheck.normalise(h));
      }
      return this;
    }

    /** Requests per second for the whole server (burst twice that); 0 turns the limit off. */
    public Builder globalRateLimit(double perSecond) {
      this.globalRequestsPerSecond = requireRate(perSecond);
      return this;
    }

    /** Requests per second per client address (burst twice that); 0 turns the limit off. */
    public Builder clientRateLimit(double perSecond) {
      this.clientRequestsPerSecond = requireRate(perSecond);
      return this;
    }

    public Builder users(UserStore users) {
      this.users = Objects.requireNonNull(users, "users");
      return this;
    }

    public Builder realm(String realm) {
      this.realm = Objects.requireNonNull(realm, "realm");
      return this;
    }

    /** Extra anchors for authenticating /simpleenroll with a client certificate (e.g. an IDevID CA). */
    public Builder clientCas(List<X509Certificate> cas) {
      this.clientCas = List.copyOf(cas);
      return this;
    }

    /**
     * The Go seed's test labels ({@code triggererrors}, {@code csrattrs}). Only for the zero-config
     * test server.
     */
    public Builder testLabels(boolean enabled) {
      this.testLabels = enabled;
      return this;
    }

    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("the body limit must be at least 1024 bytes");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** Where every issued certificate is recorded before it is sent (default: in memory, not durable). */
    public Builder certificateStore(CertificateStore store) {
      this.certificateStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Where requests of {@code approval: manual} labels wait (on the same database as the certificates). */
    public Builder pendingRequests(org.est4j.server.store.PendingRequestStore store) {
      this.pendingRequests = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Retry-After of a pending request's 202 (1 s to 1 day; default 60 s). */
    public Builder approvalRetryAfter(java.time.Duration retryAfter) {
      if (retryAfter.compareTo(java.time.Duration.ofSeconds(1)) < 0 || retryAfter.compareTo(java.time.Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("approval Retry-After must be between 1 second and 1 day");
      }
      this.approvalRetryAfter = retryAfter;
      return this;
    }

    /** The timings the stores given here were wrapped with ({@link org.est4j.server.store.StoreTimings#timed}). */
    public Builder storeTimings(org.est4j.server.store.StoreTimings timings) {
      this.storeTimings = Objects.requireNonNull(timings, "timings");
      return this;
    }

    public Builder audit(AuditSink sink) {
      this.audit = Objects.requireNonNull(sink, "sink");
      return this;
    }

    public EstServerSettings build() {
      if (certificateStore == null) {
        certificateStore = new InMemoryCertificateStore();
      }
      if (pendingRequests == null) {
        pendingRequests = new org.est4j.server.store.InMemoryPendingRequestStore(certificateStore);
      }
      return new EstServerSettings(this);
    }

    private static double requireRate(double perSecond) {
      if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("a rate limit must be a finite number >= 0");
      }
      return perSecond;
    }
  }
}
