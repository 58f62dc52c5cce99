package org.est4j.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One answered request as the audit trail keeps it (issue 5 §5).
 *
 * @param label the EST label, empty for the unlabelled path
 * @param operation simpleenroll, cacerts, ... or "-" when the path named none
 * @param outcome {@link #outcomeOf(int)}: success, pending, failure (4xx) or error (5xx)
 * @param serial the hex serial of the certificate delivered, if one was
 * @param reason why it failed or waits, if it did
 */
public record AuditEvent(
    Instant time,
    String requestId,
    String clientAddress,
    String identity,
    Optional<String> label,
    String operation,
    String outcome,
    int httpStatus,
    Optional<String> serial,
    Optional<String> reason) {

  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(reason, "reason");
  }

  /** success (2xx but 202), pending (202), failure (other 4xx and below), error (5xx). */
  public static String outcomeOf(int status) {
    if (status == 202) {
      return "pending";
    }
    if (status >= 500) {
      return "error";
    }
    return status >= 200 && status < 300 ? "success" : "failure";
  }
}
