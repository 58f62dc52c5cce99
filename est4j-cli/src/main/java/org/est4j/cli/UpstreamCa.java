package org.est4j.cli;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.est4j.ca.CaException;
import org.est4j.ca.CertificateAuthority;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.RetryLaterException;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.EstServerException;

/**
 * RA mode: a CA that is another EST server. est4j authenticates and authorizes its own clients,
 * checks the label's profile, then forwards the client's signed CSR to the upstream server's
 * /simpleenroll with est4j's own credentials (Basic or a TLS client certificate). Re-enrollments
 * are forwarded the same way: the upstream server trusts est4j, which has already checked the
 * client's current certificate (RFC 7030 §3.2.3: an RA vouches for the requests it forwards).
 * The upstream CA certificates are fetched once at start and served as this CA's /cacerts.
 */
final class UpstreamCa implements CertificateAuthority {
  private final String name;
  private final EstClient client;
  private volatile List<X509Certificate> caCertificates;

  UpstreamCa(String name, EstClient client) {
    this.name = name;
    this.client = client;
  }

  /**
   * Fetches the upstream CA certificates now (the server does this at start, to fail early).
   *
   * @throws IOException when the upstream server cannot be reached or authenticated
   */
  UpstreamCa connect() throws IOException {
    caCertificates = List.copyOf(client.caCerts());
    return this;
  }

  /** The upstream CA certificates, fetched on first use if {@link #connect()} was not called. */
  @Override
  public List<X509Certificate> caCertificates() {
    List<X509Certificate> certs = caCertificates;
    if (certs == null) {
      try {
        connect();
      } catch (IOException e) {
        throw new IllegalStateException("upstream CA '" + name + "': cannot get its CA certificates: " + e.getMessage(), e);
      }
      certs = caCertificates;
    }
    return certs;
  }

  /**
   * Ready when the upstream server answers /cacerts (no credentials needed, no side effect). A
   * refused connection fails at once; an unresponsive host after the connect timeout (10 s).
   */
  @Override
  public void checkReady() throws CaException {
    try {
      client.caCerts();
    } catch (IOException e) {
      throw new CaException(503, "upstream CA '" + name + "' at " + client.server() + " unreachable: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean forwardsCsr() {
    return true;
  }

  @Override
  public X509Certificate issue(CertificateRequest request) throws CaException {
    request.profile().check(request);
    byte[] csr = request.signedCsr().orElseThrow(
        () -> new CaException(500, "upstream CA '" + name + "' needs the signed CSR, which the request lacks"));
    EnrollResult result;
    try {
      result = client.enroll(csr);
    } catch (EstServerException e) {
      if (e.status() >= 400 && e.status() < 500 && e.status() != 401 && e.status() != 407) {
        throw new CaException(e.status(), "upstream CA refused the request: " + e.serverMessage());
      }
      // 401: our own credentials are wrong; 5xx: the upstream failed. Neither is the client's fault.
      throw new CaException(502, "upstream CA '" + name + "' answered " + e.status() + ": " + e.serverMessage(), e);
    } catch (IOException e) {
      throw new CaException(502, "upstream CA '" + name + "' unreachable: " + e.getMessage(), e);
    }
    if (result instanceof EnrollResult.Pending pending) {
      throw new RetryLaterException("the upstream CA has not decided yet", pending.retryAfter());
    }
    return ((EnrollResult.Issued) result).certificate();
  }

  @Override
  public String toString() {
    return "UpstreamCa[" + name + " at " + client.server() + client.label().map(l -> " label " + l).orElse("") + "]";
  }
}
