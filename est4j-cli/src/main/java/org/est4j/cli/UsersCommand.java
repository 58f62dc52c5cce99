package org.est4j.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.est4j.server.PasswordHash;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.StoredUser;
import org.est4j.server.store.UserDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code estserver users add|list|remove|passwd}: Basic users in the store, which every node
 * sees. Passwords come from a file (first line) or a prompt without echo, never from the command
 * line (it would be visible in the process list and shell history), and are stored as Argon2id
 * hashes only. Users of the configuration file's {@code users} list are shown but not changed:
 * the file is their source.
 */
@Command(
    name = "users",
    exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG,
    description = "add, list, remove Basic-auth users and change their passwords (in the configured store)",
    subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Remove.class,
        UsersCommand.Passwd.class})
final class UsersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EstServerCommand.EXIT_CONFIG;
  }

  static UserDirectory users(CertificateStore store) {
    return store.users().orElseThrow(() -> new IllegalArgumentException(store.describe() + " keeps no users"));
  }

  /** The subcommands that take a password. */
  abstract static class WithPassword extends CertsCommand.StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "user name (no ':')")
    String name;

    @Option(names = {"-password-file", "--password-file"}, paramLabel = "FILE",
        description = "read the password from the first line of FILE (else prompt without echo)")
    Path passwordFile;

    char[] password() {
      char[] pw;
      if (passwordFile != null) {
        try {
          String line = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
          pw = line.toCharArray();
        } catch (IOException e) {
          throw new IllegalArgumentException("--password-file: cannot read " + passwordFile + ": " + e.getMessage());
        }
      } else {
        Console console = System.console();
        if (console == null) {
          throw new IllegalArgumentException("no terminal to prompt for the password: use --password-file FILE");
        }
        pw = console.readPassword("password for %s: ", name);
        char[] again = console.readPassword("again: ");
        boolean same = pw != null && Arrays.equals(pw, again);
        if (again != null) {
          Arrays.fill(again, '\0');
        }
        if (!same) {
          throw new IllegalArgumentException("the passwords differ");
        }
      }
      if (pw.length < 8) {
        Arrays.fill(pw, '\0');
        throw new IllegalArgumentException("the password must have at least 8 characters");
      }
      return pw;
    }

    String hash() {
      char[] pw = password();
      try {
        return PasswordHash.create(pw).encoded();
      } finally {
        Arrays.fill(pw, '\0');
      }
    }

    void checkName() {
      if (name.isBlank() || name.contains(":") || name.length() > 255) {
        throw new IllegalArgumentException("NAME must be 1 to 255 characters without ':'");
      }
      if (serverConfig.users().containsKey(name)) {
        throw new IllegalArgumentException("user '" + name + "' is defined in " + config + ": change it there");
      }
    }
  }

  @Command(name = "add", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "add a user")
  static final class Add extends WithPassword {
    @Option(names = {"-labels", "--labels"}, paramLabel = "L1,L2",
        description = "the only labels the user may enroll on ('/' for the unlabelled path; default: every label)")
    String labels;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      checkName();
      Set<String> scope = labels == null ? Set.of() : UserLabels.parse("--labels", labels, serverConfig);
      if (users(store).find(name).isPresent()) {
        err.println("estserver: user '" + name + "' exists: use users passwd to change the password");
        return EstServerCommand.EXIT_FAILURE;
      }
      if (!users(store).add(name, hash(), scope, Instant.now())) {
        err.println("estserver: user '" + name + "' exists");
        return EstServerCommand.EXIT_FAILURE;
      }
      out.println("added user " + name + (scope.isEmpty() ? "" : " (labels " + StoredUser.describe(scope) + ")"));
      return EstServerCommand.EXIT_OK;
    }
  }

  @Command(name = "passwd", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "change a user's password")
  static final class Passwd extends WithPassword {
    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      checkName();
      if (users(store).find(name).isEmpty()) {
        err.println("estserver: no user '" + name + "' in the store");
        return EstServerCommand.EXIT_FAILURE;
      }
      if (!users(store).changePassword(name, hash(), Instant.now())) {
        err.println("estserver: no user '" + name + "' in the store");
        return EstServerCommand.EXIT_FAILURE;
      }
      out.println("changed the password of " + name + " (other nodes within 5 s)");
      return EstServerCommand.EXIT_OK;
    }
  }

  @Command(name = "remove", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "remove a user")
  static final class Remove extends CertsCommand.StoreCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      if (serverConfig.users().containsKey(name)) {
        err.println("estserver: user '" + name + "' is defined in " + config + ": remove it there");
        return EstServerCommand.EXIT_CONFIG;
      }
      if (!users(store).remove(name)) {
        err.println("estserver: no user '" + name + "' in the store");
        return EstServerCommand.EXIT_FAILURE;
      }
      out.println("removed user " + name);
      return EstServerCommand.EXIT_OK;
    }
  }

  @Command(name = "list", exitCodeOnInvalidInput = EstServerCommand.EXIT_CONFIG, description = "list users (never passwords or hashes)")
  static final class ListUsers extends CertsCommand.StoreCommand {
    @Override
    int run(CertificateStore store, PrintWriter out, PrintWriter err) {
      out.printf("%-32s %-8s %-10s %-24s %s%n", "USER", "SOURCE", "HASH", "LABELS", "UPDATED");
      for (String n : serverConfig.users().keySet().stream().sorted().toList()) {
        out.printf("%-32s %-8s %-10s %-24s %s%n", n, "config", scheme(serverConfig.users().get(n)),
            StoredUser.describe(serverConfig.userLabels().getOrDefault(n, Set.of())), "-");
      }
      List<StoredUser> stored = users(store).list();
      for (StoredUser u : stored) {
        String shadow = serverConfig.users().containsKey(u.username()) ? " (shadowed by the config)" : "";
        out.printf("%-32s %-8s %-10s %-24s %s%s%n", u.username(), "store", scheme(u.passwordHash()),
            StoredUser.describe(u.labels()), u.updatedAt(), shadow);
      }
      return EstServerCommand.EXIT_OK;
    }

    private static String scheme(PasswordHash h) {
      return h.isArgon2id() ? "argon2id" : "pbkdf2";
    }

    private static String scheme(String encoded) {
      return encoded.startsWith("$argon2id$") ? "argon2id" : encoded.startsWith("pbkdf2") ? "pbkdf2" : "unknown";
    }
  }
}
