package org.est4j.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.PendingRequest;
import org.est4j.server.store.PendingRequestStore;
import org.est4j.server.store.PendingStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code estserver requests list|show|approve|reject}: requests held by {@code approval: manual}
 * labels, in the configured store (the server may be running; any node then delivers what is
 * approved here). Approving only records the decision: the certificate is issued by the server
 * when the client retries. Exit codes: 0 done, 1 not found / already decided / store failed,
 * 2 bad configuration or options.
 */
@Command(
    name = "requests",
    exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG,
    description = "list, show, approve and reject requests waiting for approval (approval: manual)",
    subcommands = {RequestsCommand.ListRequests.class, RequestsCommand.Show.class, RequestsCommand.Approve.class,
        RequestsCommand.Reject.class})
final class RequestsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EstServerCommand.EXIT_CONFIG;
  }

  @Command(name = "list", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "list requests, newest first")
  static final class ListRequests extends CertsCommand.StoreCommand {
    @Option(names = {"-status", "--status"}, paramLabel = "pending|approved|rejected|all", defaultValue = "pending",
        description = "only this status (default pending)")
    String status;

    @Option(names = {"-limit", "--limit"}, paramLabel = "N", defaultValue = "1000", description = "at most N rows (default 1000)")
    int limit;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      Optional<PendingStatus> s = status.equalsIgnoreCase("all") ? Optional.empty() : Optional.of(PendingStatus.parse(status));
      List<PendingRequest> rows = StoreAssembly.pendingRequests(store).list(s, limit);
      out.printf("%-8s %-9s %-16s %-14s %-24s %-30s %s%n", "ID", "STATUS", "LABEL", "OPERATION", "CREATED", "REQUESTER", "SUBJECT");
      for (PendingRequest r : rows) {
        out.printf("%-8d %-9s %-16s %-14s %-24s %-30s %s%n", r.id(), r.status().id(), r.label().orElse("-"),
            r.operation(), r.createdAt(), r.requester(), r.subject());
      }
      return EstServerCommand.EXIT_OK;
    }
  }

  @Command(name = "show", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "show one request and its CSR")
  static final class Show extends CertsCommand.StoreCommand {
    @Parameters(paramLabel = "ID", description = "the request id (from requests list)")
    long id;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      Optional<PendingRequest> found = StoreAssembly.pendingRequests(store).find(id);
      if (found.isEmpty()) {
        err.println("estserver: no request " + id);
        return EstServerCommand.EXIT_FAILURE;
      }
      PendingRequest r = found.get();
      out.println("id:                 " + r.id());
      out.println("status:             " + r.status().id());
      out.println("label:              " + r.label().orElse("-"));
      out.println("ca:                 " + r.caName());
      out.println("operation:          " + r.operation());
      out.println("subject:            " + r.subject());
      out.println("requester:          " + r.requester());
      out.println("request_id:         " + r.requestId());
      out.println("fingerprint:        " + r.fingerprint());
      out.println("created_at:         " + r.createdAt());
      r.decidedAt().ifPresent(t -> out.println("decided_at:         " + t));
      r.decidedBy().ifPresent(t -> out.println("decided_by:         " + t));
      r.decisionReason().ifPresent(t -> out.println("decision_reason:    " + t));
      r.certificateSerial().ifPresent(t -> out.println("certificate_serial: " + t));
      out.println("-----BEGIN CERTIFICATE REQUEST-----");
      out.println(java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(r.csrDer()));
      out.println("-----END CERTIFICATE REQUEST-----");
      return EstServerCommand.EXIT_OK;
    }
  }

  /** approve and reject: one decision, once. */
  abstract static class Decide extends CertsCommand.StoreCommand {
    @Parameters(paramLabel = "ID", description = "the request id (from requests list)")
    long id;

    @Option(names = {"-by", "--by"}, paramLabel = "NAME", description = "who decides (default: the USER environment variable)")
    String by;

    abstract PendingStatus decision();

    abstract String reason();

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      String who = by != null ? by : Optional.ofNullable(System.getenv("USER")).orElse("operator");
      PendingRequestStore pending = StoreAssembly.pendingRequests(store);
      switch (pending.decide(id, decision(), who, reason(), Instant.now())) {
        case DECIDED -> {
          out.println((decision() == PendingStatus.APPROVED ? "approved" : "rejected") + " request " + id
              + (decision() == PendingStatus.APPROVED ? ": the certificate is issued when the client retries" : ""));
          return EstServerCommand.EXIT_OK;
        }
        case ALREADY_DECIDED -> {
          err.println("estserver: request " + id + " was already "
              + pending.find(id).map(r -> r.status().id()).orElse("decided"));
          return EstServerCommand.EXIT_FAILURE;
        }
        default -> {
          err.println("estserver: no request " + id);
          return EstServerCommand.EXIT_FAILURE;
        }
      }
    }
  }

  @Command(name = "approve", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "approve a pending request")
  static final class Approve extends Decide {
    @Option(names = {"-reason", "--reason"}, paramLabel = "TEXT", description = "a note kept with the decision")
    String reason;

    @Override
    PendingStatus decision() {
      return PendingStatus.APPROVED;
    }

    @Override
    String reason() {
      return reason;
    }
  }

  @Command(name = "reject", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG,
      description = "reject a pending request; the client gets 403 with the reason")
  static final class Reject extends Decide {
    @Option(names = {"-reason", "--reason"}, paramLabel = "TEXT", required = true, description = "why (sent to the client)")
    String reason;

    @Override
    PendingStatus decision() {
      return PendingStatus.REJECTED;
    }

    @Override
    String reason() {
      return reason;
    }
  }
}
