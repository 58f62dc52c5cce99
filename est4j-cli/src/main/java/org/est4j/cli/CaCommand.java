package org.est4j.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.est4j.ca.CaCsr;
import org.est4j.ca.SelfSignedCa;
import org.est4j.client.Pkcs11Key;
import org.est4j.client.Pkcs11KeyException;
import org.est4j.client.Pkcs11KeySpec;
import org.est4j.protocol.pem.PemWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code estserver ca}: {@code init} creates an embedded CA (see {@link CaInitCommand}); the other
 * subcommands are tools for a CA whose key is on a PKCS#11 token, where openssl (without a
 * PKCS#11 provider) cannot sign. {@code selfsign} makes the root certificate that {@code
 * mock_ca.certificates} then names, next to {@code mock_ca.private_key} = the same token key;
 * {@code csr} makes a request for another CA (an offline root) to sign, for an intermediate CA.
 */
@Command(name = "ca", description = "CA tools: create an embedded CA; self-sign or request for a key on a PKCS#11 token",
    subcommands = {CaInitCommand.class, CaCommand.SelfSign.class, CaCommand.Request.class})
final class CaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EstServerCommand.EXIT_CONFIG;
  }

  /** What both subcommands share: the token key, the subject, the output. */
  abstract static class KeyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-key", "--key"}, required = true, paramLabel = "pkcs11:URI",
        description = "the key pair, an RFC 7512 URI with module-path, e.g. 'pkcs11:token=ca;id=%%01"
            + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:pin.txt' (PIN asked for when absent)")
    String key;

    @Option(names = {"-subject", "--subject"}, required = true, paramLabel = "DN",
        description = "RFC 4514 name, e.g. 'CN=Example EST CA,O=Example'")
    String subject;

    @Option(names = {"-out", "--out"}, paramLabel = "FILE", description = "write the PEM here (default stdout)")
    Path out;

    /** The PEM to write, made with the open key. */
    abstract String make(Pkcs11Key key);

    @Override
    public Integer call() throws IOException {
      String name = "estserver ca " + spec.name();
      Pkcs11KeySpec keySpec;
      try {
        keySpec = Pkcs11KeySpec.fromUri(key);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println(name + ": -key: " + e.getMessage()
            + (key.startsWith("pkcs11:") ? "" : " (for a key in a file use openssl)"));
        return EstServerCommand.EXIT_CONFIG;
      }
      if (!keySpec.hasPin()) {
        Console console = System.console();
        char[] pin = console == null ? null : console.readPassword("Enter PIN for HSM: ");
        if (pin == null) {
          spec.commandLine().getErr().println(name + ": no PIN in the URI and no terminal to ask for it:"
              + " add pin-source=file:/path (or pin-value=) to the URI");
          return EstServerCommand.EXIT_CONFIG;
        }
        keySpec = keySpec.withPin(pin);
        Arrays.fill(pin, '\0');
      }
      try (Pkcs11Key k = Pkcs11Key.open(keySpec)) {
        String pem = make(k);
        if (out == null) {
          spec.commandLine().getOut().print(pem);
          spec.commandLine().getOut().flush();
        } else {
          Files.writeString(out, pem, StandardCharsets.US_ASCII);
        }
        return EstServerCommand.EXIT_OK;
      } catch (Pkcs11KeyException | IllegalArgumentException e) {
        spec.commandLine().getErr().println(name + ": " + e.getMessage());
        return EstServerCommand.EXIT_FAILURE;
      }
    }
  }

  @Command(name = "selfsign", description = {
      "Writes a self-signed root CA certificate (PEM) for a key pair on a PKCS#11 token.",
      "The token signs; the key never leaves it."})
  static final class SelfSign extends KeyCommand {
    @Option(names = {"-days", "--days"}, defaultValue = "3650", description = "validity in days (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = {"-pathlen", "--pathlen"}, defaultValue = "-1",
        description = "basicConstraints pathLenConstraint; -1 (default) for none")
    int pathLen;

    @Override
    String make(Pkcs11Key k) {
      return PemWriter.toPem(SelfSignedCa.create(subject, k.publicKey(), k.privateKey(), Duration.ofDays(days), pathLen));
    }
  }

  @Command(name = "csr", description = {
      "Writes a PKCS#10 request (PEM) for a CA certificate for a key pair on a PKCS#11 token,",
      "for another CA to sign (an intermediate CA under an offline root)."})
  static final class Request extends KeyCommand {
    @Override
    String make(Pkcs11Key k) {
      byte[] der = CaCsr.create(subject, k.publicKey(), k.privateKey());
      return "-----BEGIN CERTIFICATE REQUEST-----\n"
          + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
          + "\n-----END CERTIFICATE REQUEST-----\n";
    }
  }
}
