package org.est4j.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.AuditQuery;
import org.est4j.server.store.AuditStore;
import org.est4j.server.store.CertificateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code estserver audit}: the audit trail in the configured store, newest first; one JSON object
 * per line with {@code --json} (the same form as the org.est4j.audit log).
 */
@Command(name = "audit", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG,
    description = "query the audit trail (every request the server answered)")
final class AuditCommand extends CertsCommand.StoreCommand {
  @Option(names = {"-since", "--since"}, paramLabel = "TIME|DURATION",
      description = "events at or after TIME (ISO-8601, e.g. 2026-11-23T02:00:00Z) or within DURATION ago (1h, 7d)")
  String since;

  @Option(names = {"-until", "--until"}, paramLabel = "TIME|DURATION", description = "events before TIME (or DURATION ago)")
  String until;

  @Option(names = {"-label", "--label"}, paramLabel = "LABEL", description = "only this label ('' for the unlabelled path)")
  String label;

  @Option(names = {"-identity", "--identity"}, paramLabel = "ID", description = "only this identity, e.g. user:alice or cert:CN=x")
  String identity;

  @Option(names = {"-outcome", "--outcome"}, paramLabel = "success|pending|failure|error", description = "only this outcome")
  String outcome;

  @Option(names = {"-limit", "--limit"}, paramLabel = "N", defaultValue = "1000", description = "at most N events (default 1000)")
  int limit;

  @Option(names = {"-json", "--json"}, description = "one JSON object per line")
  boolean json;

  @Override
  int run(CertificateStore store, PrintWriter out, PrintWriter err) {
    Optional<AuditStore> audit = StoreAssembly.audit(store);
    if (audit.isEmpty()) {
      err.println("estserver: this store keeps no audit trail");
      return EstServerCommand.EXIT_FAILURE;
    }
    if (outcome != null && !List.of("success", "pending", "failure", "error").contains(outcome)) {
      throw new IllegalArgumentException("--outcome: '" + outcome + "' is not success, pending, failure or error");
    }
    Instant now = Instant.now();
    AuditQuery q = new AuditQuery(time("--since", since, now), time("--until", until, now), Optional.ofNullable(label),
        Optional.ofNullable(identity), Optional.ofNullable(outcome), limit);
    List<AuditEvent> events = audit.get().query(q);
    if (!json) {
      out.printf("%-30s %-16s %-15s %-14s %-12s %-8s %-4s %-30s %s%n", "TIME", "REQUEST_ID", "CLIENT", "LABEL", "OPERATION",
          "OUTCOME", "HTTP", "IDENTITY", "SERIAL/REASON");
    }
    for (AuditEvent e : events) {
      if (json) {
        out.println(org.est4j.server.AuditTrail.json(e));
      } else {
        out.printf("%-30s %-16s %-15s %-14s %-12s %-8s %-4d %-30s %s%n", e.time(), e.requestId(), e.clientAddress(),
            e.label().orElse("-"), e.operation(), e.outcome(), e.httpStatus(), e.identity(),
            e.serial().or(e::reason).orElse("-"));
      }
    }
    return EstServerCommand.EXIT_OK;
  }

  private static Optional<Instant> time(String option, String text, Instant now) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.strip()));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(now.minus(CertsCommand.duration(option, text)));
      } catch (IllegalArgumentException d) {
        throw new IllegalArgumentException(option + ": '" + text + "' is neither a time like 2026-11-23T02:00:00Z nor a duration like 1h");
      }
    }
  }
}
