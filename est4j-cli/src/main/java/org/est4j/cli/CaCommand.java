package org.est4j.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.est4j.ca.SelfSignedCa;
import org.est4j.client.Pkcs11Key;
import org.est4j.client.Pkcs11KeyException;
import org.est4j.client.Pkcs11KeySpec;
import org.est4j.protocol.pem.PemWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code estserver ca}: tools for a CA whose key is on a PKCS#11 token, where openssl (without a
 * PKCS#11 provider) cannot sign. {@code selfsign} makes the root certificate that {@code
 * mock_ca.certificates} then names, next to {@code mock_ca.private_key} = the same token key.
 */
@Command(name = "ca", description = "CA tools for keys on a PKCS#11 token", subcommands = CaCommand.SelfSign.class)
final class CaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EstServerCommand.EXIT_CONFIG;
  }

  @Command(name = "selfsign", description = {
      "Writes a self-signed root CA certificate (PEM) for a key pair on a PKCS#11 token.",
      "The token signs; the key never leaves it."})
  static final class SelfSign implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-key", "--key"}, required = true, paramLabel = "pkcs11:URI",
        description = "the key pair, an RFC 7512 URI with module-path, e.g. 'pkcs11:token=ca;id=%%01"
            + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:pin.txt' (PIN asked for when absent)")
    String key;

    @Option(names = {"-subject", "--subject"}, required = true, paramLabel = "DN",
        description = "subject and issuer, RFC 4514, e.g. 'CN=Example EST Root CA,O=Example'")
    String subject;

    @Option(names = {"-days", "--days"}, defaultValue = "3650", description = "validity in days (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = {"-pathlen", "--pathlen"}, defaultValue = "-1",
        description = "basicConstraints pathLenConstraint; -1 (default) for none")
    int pathLen;

    @Option(names = {"-out", "--out"}, paramLabel = "FILE", description = "write the certificate here (default stdout)")
    Path out;

    @Override
    public Integer call() throws IOException {
      Pkcs11KeySpec keySpec;
      try {
        keySpec = Pkcs11KeySpec.fromUri(key);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("estserver ca selfsign: -key: " + e.getMessage()
            + (key.startsWith("pkcs11:") ? "" : " (for a key in a file use openssl req -x509)"));
        return EstServerCommand.EXIT_CONFIG;
      }
      if (!keySpec.hasPin()) {
        Console console = System.console();
        char[] pin = console == null ? null : console.readPassword("Enter PIN for HSM: ");
        if (pin == null) {
          spec.commandLine().getErr().println("estserver ca selfsign: no PIN in the URI and no terminal"
              + " to ask for it: add pin-source=file:/path (or pin-value=) to the URI");
          return EstServerCommand.EXIT_CONFIG;
        }
        keySpec = keySpec.withPin(pin);
        Arrays.fill(pin, '\0');
      }
      try (Pkcs11Key k = Pkcs11Key.open(keySpec)) {
        X509Certificate cert = SelfSignedCa.create(subject, k.publicKey(), k.privateKey(), Duration.ofDays(days), pathLen);
        String pem = PemWriter.toPem(cert);
        if (out == null) {
          spec.commandLine().getOut().print(pem);
          spec.commandLine().getOut().flush();
        } else {
          Files.writeString(out, pem, StandardCharsets.US_ASCII);
        }
        return EstServerCommand.EXIT_OK;
      } catch (Pkcs11KeyException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("estserver ca selfsign: " + e.getMessage());
        return EstServerCommand.EXIT_FAILURE;
      }
    }
  }
}
