package org.est4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.est4j.protocol.Labels;
import org.est4j.server.EnrollmentTokens;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.EnrollmentToken;
import org.est4j.server.store.TokenStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code estserver tokens create|list|revoke}: one-time enrollment tokens in the configured store.
 * {@code create} prints each token once, on its own line on stdout (nothing else goes to stdout,
 * so {@code T=$(estserver tokens create ...)} works); the store keeps only its SHA-256.
 */
@Command(
    name = "tokens",
    exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG,
    description = "create, list and revoke one-time enrollment tokens (in the configured store)",
    subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
final class TokensCommand implements Callable<Integer> {
  static final int MAX_COUNT = 10_000;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EstServerCommand.EXIT_CONFIG;
  }

  static TokenStore tokens(CertificateStore store) {
    return store.tokens().orElseThrow(() -> new IllegalArgumentException(store.describe() + " keeps no tokens"));
  }

  @Command(name = "create", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG,
      description = "create tokens and print each once (stdout); only a hash is stored")
  static final class Create extends CertsCommand.StoreCommand {
    @Option(names = {"-label", "--label"}, paramLabel = "LABEL",
        description = "the label the token may enroll on (default: the unlabelled path)")
    String label;

    @Option(names = {"-subject-pattern", "--subject-pattern"}, paramLabel = "GLOB", required = true,
        description = "glob on the CSR subject's CN, any case: * any characters, ? one; '*' alone allows any subject")
    String subjectPattern;

    @Option(names = {"-expires", "--expires"}, paramLabel = "DURATION", defaultValue = "1d",
        description = "lifetime: 1d, 12h, 90m, 2w or ISO-8601 (default 1d)")
    String expires;

    @Option(names = {"-count", "--count"}, paramLabel = "N", defaultValue = "1", description = "how many tokens (default 1)")
    int count;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      if (count < 1 || count > MAX_COUNT) {
        throw new IllegalArgumentException("--count must be between 1 and " + MAX_COUNT);
      }
      Duration lifetime = CertsCommand.duration("--expires", expires);
      if (lifetime.isZero()) {
        throw new IllegalArgumentException("--expires must be longer than 0");
      }
      Optional<String> l = Optional.ofNullable(label).filter(s -> !s.isEmpty());
      if (l.isPresent()) {
        if (!Labels.isValid(l.get())) {
          throw new IllegalArgumentException("--label: '" + l.get() + "' is not a valid label");
        }
        if (serverConfig.onlyConfiguredLabels() && !serverConfig.labels().containsKey(l.get())) {
          throw new IllegalArgumentException("--label: '" + l.get() + "' is not configured in " + config
              + " (only_configured_labels is on)");
        }
      }
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant until = now.plus(lifetime);
      String by = System.getProperty("user.name", "");
      TokenStore tokens = tokens(store);
      for (int i = 0; i < count; i++) {
        EnrollmentTokens.Created c = EnrollmentTokens.create(tokens, l, subjectPattern, now, until, by);
        out.println(c.text());
        if (i == 0 || i == count - 1) {
          err.println("estserver: token " + c.stored().id() + " for " + l.map(x -> "label " + x).orElse("the unlabelled path")
              + ", subject CN '" + subjectPattern + "', expires " + until + (count > 1 ? " (" + (i + 1) + " of " + count + ")" : ""));
        }
      }
      return EstServerCommand.EXIT_OK;
    }
  }

  @Command(name = "list", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "list tokens, newest first (never their text)")
  static final class ListTokens extends CertsCommand.StoreCommand {
    @Option(names = {"-limit", "--limit"}, paramLabel = "N", defaultValue = "1000", description = "at most N rows (default 1000)")
    int limit;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      List<EnrollmentToken> rows = tokens(store).list(limit);
      Instant now = Instant.now();
      out.printf("%-6s %-16s %-8s %-20s %-20s %-16s %s%n", "ID", "LABEL", "STATE", "EXPIRES", "USED_AT", "USED_BY_REQUEST", "SUBJECT_PATTERN");
      for (EnrollmentToken t : rows) {
        out.printf("%-6d %-16s %-8s %-20s %-20s %-16s %s%n", t.id(), t.label().orElse("-"), t.state(now),
            t.expiresAt(), t.usedAt().map(Instant::toString).orElse("-"), t.usedByRequestId().orElse("-"),
            t.subjectPattern());
      }
      return EstServerCommand.EXIT_OK;
    }
  }

  @Command(name = "revoke", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "delete a token so it can no longer be used")
  static final class Revoke extends CertsCommand.StoreCommand {
    @Parameters(paramLabel = "ID", description = "the token's id (tokens list)")
    long id;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      if (!tokens(store).revoke(id)) {
        err.println("estserver: no token with id " + id);
        return EstServerCommand.EXIT_FAILURE;
      }
      out.println("revoked token " + id);
      return EstServerCommand.EXIT_OK;
    }
  }
}
