package org.est4j.cli.estclient;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;

/** What enroll and reenroll share: -wait, the 202 report and the output. */
final class EnrollSupport {
  private EnrollSupport() {}

  static Duration parseWait(String wait) throws CliException {
    if (wait == null) {
      return null;
    }
    try {
      return GoDuration.parse(wait);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("-wait: " + e.getMessage());
    }
  }

  /** Sends the CSR; with a wait bound, resubmits after each 202's Retry-After. */
  static X509Certificate send(EstClient client, byte[] csr, boolean reenroll, Duration wait) throws Exception {
    if (wait != null && !wait.isZero()) {
      return reenroll ? client.reenrollAndWait(csr, wait) : client.enrollAndWait(csr, wait);
    }
    EnrollResult r = reenroll ? client.reenroll(csr) : client.enroll(csr);
    if (r instanceof EnrollResult.Pending p) {
      throw pending(p.retryAfter());
    }
    return ((EnrollResult.Issued) r).certificate();
  }

  static CliException pending(Duration retryAfter) {
    return new CliException(ExitCodes.PENDING, "pending: retry after " + retryAfter.toSeconds()
        + " s (the server accepted the request for later processing: run the same command again"
        + " then with the same CSR, or pass -wait DURATION to poll)");
  }

  static void writeCert(Io io, OutOptions out, X509Certificate cert) throws CliException {
    Output.write(io, out.out, "-out", Output.certificates(List.of(cert), out.der()));
  }
}
