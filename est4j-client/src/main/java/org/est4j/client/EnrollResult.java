package org.est4j.client;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link EstClient#enroll} and {@link EstClient#reenroll}: either a certificate
 * ({@link Issued}) or a request the server accepted but has not decided yet ({@link Pending}).
 *
 * <pre>{@code
 * EnrollResult r = client.enroll(csr);
 * if (r instanceof EnrollResult.Issued issued) {
 *   X509Certificate cert = issued.certificate();
 * } else if (r instanceof EnrollResult.Pending pending) {
 *   // resubmit the same CSR after pending.retryAfter()
 * }
 * }</pre>
 */
public sealed interface EnrollResult {

  /**
   * The default wait when a 202 carries no (valid) Retry-After. RFC 7030 §4.2.3 requires the
   * header, so its absence is a server bug; Bouncy Castle's client fails outright and the Go
   * client reads it as 0 s, which makes a polling loop hammer the server. One minute is a polite
   * interval that still gets a certificate promptly from a server approving in the background.
   */
  Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

  /**
   * The server issued a certificate (200). RFC 7030 §4.2.3 says the response holds "only the
   * certificate that was issued", but some servers add their CA chain; the first certificate is
   * taken as the issued one (every server seen puts it first) and the rest are kept in {@code
   * additional}.
   */
  record Issued(X509Certificate certificate, List<X509Certificate> additional)
      implements EnrollResult {
    public Issued {
      Objects.requireNonNull(certificate, "certificate");
      additional = List.copyOf(additional);
    }
  }

  /**
   * The server accepted the request for manual or delayed processing (202, RFC 7030 §4.2.3).
   * Resubmit the same CSR after {@code retryAfter}. {@code retryAfterGiven} is false when the
   * server sent no valid Retry-After and {@link #DEFAULT_RETRY_AFTER} was used.
   */
  record Pending(Duration retryAfter, boolean retryAfterGiven) implements EnrollResult {
    public Pending {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter is negative");
      }
    }
  }
}
