package org.est4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.RevokeResult;
import org.est4j.server.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code estserver certs list|show|revoke}: the certificates the server recorded, read from the
 * store the configuration file names (the same file the server runs with; the server may be
 * running). Exit codes: 0 done, 1 not found or the store failed, 2 bad configuration or options.
 */
@Command(
    name = "certs",
    exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG,
    description = "list, show and revoke the certificates the server issued (reads the configured store)",
    subcommands = {CertsCommand.ListCerts.class, CertsCommand.Show.class, CertsCommand.Revoke.class})
final class CertsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EstServerCommand.EXIT_CONFIG;
  }

  /** What every certs subcommand shares: the configuration file and how to open its store. */
  abstract static class StoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-config", "--config"}, paramLabel = "FILE", required = true,
        description = "the server's configuration file; its store and data_dir keys say where the records are")
    Path config;

    @Option(names = {"-help", "--help", "-h"}, usageHelp = true, description = "show this command's usage")
    boolean help;

    /** The parsed configuration, for subcommands that need more than its store. */
    ServerConfig serverConfig;

    @Override
    public final Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      StoreConfig storeConfig;
      try {
        serverConfig = ServerConfigReader.load(java.util.Optional.of(config));
        storeConfig = serverConfig.store();
      } catch (ConfigException e) {
        err.println("estserver: configuration error: " + e.getMessage());
        return EstServerCommand.EXIT_CONFIG;
      }
      if (storeConfig.isInMemory()) {
        err.println("estserver: the store of " + config + storeConfig.overriddenBy().map(k -> " (from " + k + ")").orElse("")
            + " is 'memory': its records live only inside the server process");
        return EstServerCommand.EXIT_CONFIG;
      }
      try (CertificateStore store = StoreAssembly.open(storeConfig)) {
        return run(store, spec.commandLine().getOut(), err);
      } catch (ConfigException e) {
        err.println("estserver: configuration error: " + e.getMessage());
        return EstServerCommand.EXIT_CONFIG;
      } catch (IllegalArgumentException e) {
        err.println("estserver: " + e.getMessage());
        return EstServerCommand.EXIT_CONFIG;
      } catch (StoreException e) {
        err.println("estserver: store: " + e.getMessage());
        return EstServerCommand.EXIT_FAILURE;
      } finally {
        err.flush();
        spec.commandLine().getOut().flush();
      }
    }

    abstract int run(CertificateStore store, PrintWriter out, PrintWriter err);
  }

  @Command(name = "list", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "list certificates, newest first")
  static final class ListCerts extends StoreCommand {
    @Option(names = {"-ca", "--ca"}, paramLabel = "NAME", description = "only certificates of this CA")
    String ca;

    @Option(names = {"-label", "--label"}, paramLabel = "LABEL", description = "only this label ('' for the unlabelled path)")
    String label;

    @Option(names = {"-subject", "--subject"}, paramLabel = "TEXT", description = "subject DN contains TEXT (any case)")
    String subject;

    @Option(names = {"-status", "--status"}, paramLabel = "issued|revoked|expired", description = "only this status")
    String status;

    @Option(names = {"-expiring-within", "--expiring-within"}, paramLabel = "DURATION",
        description = "valid now and expiring within DURATION: 30d, 12h, 2w, 90m or ISO-8601 (P30D)")
    String expiringWithin;

    @Option(names = {"-limit", "--limit"}, paramLabel = "N", defaultValue = "1000", description = "at most N rows (default 1000)")
    int limit;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      CertificateQuery.Builder q = CertificateQuery.builder().limit(limit);
      if (ca != null) {
        q.caName(ca);
      }
      if (label != null) {
        q.label(label);
      }
      if (subject != null) {
        q.subjectContains(subject);
      }
      if (status != null) {
        q.status(CertificateStatus.parse(status));
      }
      if (expiringWithin != null) {
        q.expiringWithin(duration("--expiring-within", expiringWithin));
      }
      CertificateQuery query = q.build();
      List<CertificateRecord> rows = store.list(query);
      out.printf("%-40s %-12s %-16s %-8s %-20s %s%n", "SERIAL", "CA", "LABEL", "STATUS", "NOT_AFTER", "SUBJECT");
      for (CertificateRecord r : rows) {
        out.printf("%-40s %-12s %-16s %-8s %-20s %s%n", r.serial(), r.caName(), r.label().orElse("-"),
            r.effectiveStatus(query.now()).id(), r.notAfter().toString(), r.subject());
      }
      return EstServerCommand.EXIT_OK;
    }
  }

  @Command(name = "show", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "show one certificate's record and PEM")
  static final class Show extends StoreCommand {
    @Parameters(paramLabel = "SERIAL", description = "serial number in hex (colons and 0x allowed)")
    String serial;

    @Option(names = {"-ca", "--ca"}, paramLabel = "NAME", description = "the CA's name, when several CAs used the serial")
    String ca;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      List<CertificateRecord> rows = ca == null ? store.findBySerial(serial) : store.find(ca, serial).stream().toList();
      if (rows.isEmpty()) {
        err.println("estserver: no certificate with serial " + serial + (ca == null ? "" : " from CA " + ca));
        return EstServerCommand.EXIT_FAILURE;
      }
      Instant now = Instant.now();
      for (CertificateRecord r : rows) {
        out.println("serial:            " + r.serial());
        out.println("ca:                " + r.caName());
        out.println("label:             " + r.label().orElse("-"));
        out.println("subject:           " + r.subject());
        out.println("subject_alt_names: " + (r.subjectAltNames().isEmpty() ? "-" : String.join(", ", r.subjectAltNames())));
        out.println("public_key_sha256: " + r.publicKeySha256());
        out.println("not_before:        " + r.notBefore());
        out.println("not_after:         " + r.notAfter());
        out.println("status:            " + r.effectiveStatus(now).id());
        r.revokedAt().ifPresent(t -> out.println("revoked_at:        " + t));
        r.revocationReason().ifPresent(t -> out.println("revocation_reason: " + t));
        out.println("requester:         " + r.requester());
        out.println("request_id:        " + r.requestId());
        out.println("issued_at:         " + r.issuedAt());
        out.print(r.pem());
      }
      return EstServerCommand.EXIT_OK;
    }
  }

  @Command(name = "revoke", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "mark a certificate revoked (CRLs are published by a later release)")
  static final class Revoke extends StoreCommand {
    @Parameters(paramLabel = "SERIAL", description = "serial number in hex")
    String serial;

    @Option(names = {"-ca", "--ca"}, paramLabel = "NAME", description = "the CA's name, when several CAs used the serial")
    String ca;

    @Option(names = {"-reason", "--reason"}, paramLabel = "REASON", defaultValue = "unspecified",
        description = "RFC 5280 reason: unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, "
            + "cessationOfOperation, privilegeWithdrawn (default unspecified)")
    String reason;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      String why = RevocationReasons.canonical(reason);
      String caName = ca;
      if (caName == null) {
        List<CertificateRecord> rows = store.findBySerial(serial);
        if (rows.size() > 1) {
          err.println("estserver: serial " + serial + " was issued by several CAs ("
              + String.join(", ", rows.stream().map(CertificateRecord::caName).toList()) + "): choose one with --ca");
          return EstServerCommand.EXIT_CONFIG;
        }
        caName = rows.isEmpty() ? "" : rows.get(0).caName();
      }
      RevokeResult result = caName.isEmpty() ? RevokeResult.NOT_FOUND : store.revoke(caName, serial, why, Instant.now());
      switch (result) {
        case REVOKED -> out.println("revoked " + CertificateRecord.normaliseSerial(serial) + " (CA " + caName + ", reason " + why + ")");
        case ALREADY_REVOKED -> out.println("already revoked: " + CertificateRecord.normaliseSerial(serial) + " (CA " + caName + ")");
        case NOT_FOUND -> {
          err.println("estserver: no certificate with serial " + serial + (ca == null ? "" : " from CA " + ca));
          return EstServerCommand.EXIT_FAILURE;
        }
      }
      return EstServerCommand.EXIT_OK;
    }
  }

  /** 30d, 12h, 2w, 90m, 45s, or ISO-8601 (P30D, PT12H). */
  static Duration duration(String option, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.length() >= 2) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        Optional<Duration> d = switch (t.charAt(t.length() - 1)) {
          case 'w' -> Optional.of(Duration.ofDays(7 * n));
          case 'd' -> Optional.of(Duration.ofDays(n));
          case 'h' -> Optional.of(Duration.ofHours(n));
          case 'm' -> Optional.of(Duration.ofMinutes(n));
          case 's' -> Optional.of(Duration.ofSeconds(n));
          default -> Optional.empty();
        };
        if (d.isPresent() && !d.get().isNegative()) {
          return d.get();
        }
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      // the message below
    }
    throw new IllegalArgumentException(option + ": '" + text + "' is not a duration like 30d, 12h, 2w, 90m or P30D");
  }
}
