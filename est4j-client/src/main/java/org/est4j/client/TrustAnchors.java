package org.est4j.client;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.est4j.client.internal.InsecureTrustManager;

/**
 * Which certificates authenticate the EST server (RFC 7030 §3.6.1).
 *
 * <ul>
 *   <li>{@link #explicit} — the <em>Explicit TA database</em>: anchors configured for this EST
 *       server, typically its CA's root obtained from /cacerts and checked out of band. Only
 *       these are trusted. This is the normal choice.
 *   <li>{@link #implicit} — the <em>Implicit TA database</em>: anchors that authenticate TLS
 *       servers in general (like a browser's), given explicitly. Only these are trusted too, but
 *       they vouch for the server's host name only: RFC 7030 §4.1.3 says CA certificates
 *       obtained from /cacerts over such a connection must not become explicit anchors without
 *       an out-of-band check.
 *   <li>{@link #system()} — the JVM's default trust store used as an implicit TA database.
 *   <li>{@link #insecureBootstrapForCaCertsOnly()} — no server authentication at all, allowed for
 *       {@link EstClient#caCerts()} only (bootstrap, RFC 7030 §4.1.1): fetch /cacerts, compare
 *       the root's fingerprint out of band, then build a client with {@code explicit(root)}.
 * </ul>
 *
 * <p>In every mode except the insecure one the server's host name is verified (RFC 6125).
 */
public final class TrustAnchors {
  /** The role of the anchors, per RFC 7030 §3.6.1. */
  public enum Kind {
    EXPLICIT,
    IMPLICIT,
    SYSTEM,
    INSECURE_BOOTSTRAP
  }

  private final Kind kind;
  private final List<X509Certificate> anchors;

  private TrustAnchors(Kind kind, List<X509Certificate> anchors) {
    this.kind = kind;
    this.anchors = anchors;
  }

  /** Only these certificates (usually the EST CA's root) authenticate the server. */
  public static TrustAnchors explicit(List<X509Certificate> anchors) {
    return new TrustAnchors(Kind.EXPLICIT, checked(anchors));
  }

  /** These general-purpose TLS anchors authenticate the server; see the class comment. */
  public static TrustAnchors implicit(List<X509Certificate> anchors) {
    return new TrustAnchors(Kind.IMPLICIT, checked(anchors));
  }

  /** The JVM's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
  public static TrustAnchors system() {
    return new TrustAnchors(Kind.SYSTEM, List.of());
  }

  /**
   * INSECURE: the server is not authenticated. Only {@link EstClient#caCerts()} may be used;
   * every other operation throws {@link IllegalStateException}, and credentials (Basic, a TLS
   * client certificate) are never sent. Check the returned root out of band before trusting it.
   */
  public static TrustAnchors insecureBootstrapForCaCertsOnly() {
    return new TrustAnchors(Kind.INSECURE_BOOTSTRAP, List.of());
  }

  public Kind kind() {
    return kind;
  }

  /** The configured anchors; empty for {@link #system()} and the insecure mode. */
  public List<X509Certificate> anchors() {
    return anchors;
  }

  public boolean isInsecure() {
    return kind == Kind.INSECURE_BOOTSTRAP;
  }

  /** Trust managers for an {@code SSLContext}. */
  TrustManager[] trustManagers() throws GeneralSecurityException {
    if (kind == Kind.INSECURE_BOOTSTRAP) {
      return new TrustManager[] {new InsecureTrustManager()};
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    if (kind == Kind.SYSTEM) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try {
        ks.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
      int i = 0;
      for (X509Certificate c : anchors) {
        ks.setCertificateEntry("anchor-" + i++, c);
      }
      tmf.init(ks);
    }
    return tmf.getTrustManagers();
  }

  private static List<X509Certificate> checked(List<X509Certificate> anchors) {
    Objects.requireNonNull(anchors, "anchors");
    List<X509Certificate> copy = List.copyOf(anchors);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("no trust anchors given");
    }
    return copy;
  }

  @Override
  public String toString() {
    return "TrustAnchors[" + kind + ", " + anchors.size() + " anchors]";
  }
}
