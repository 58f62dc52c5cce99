package org.est4j.it.estclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed README's quickstart, each command line verbatim through /bin/sh, with {@code estclient}
 * resolved to est4j's {@code bin/estclient} (a separate JVM per command) and {@code estserver}
 * replaced by est4j's zero-config server in this JVM on a free port (the README's 8443 becomes
 * that port). File names are the README's: its serverkeygen step overwrites cert.pem and key.pem on
 * purpose, and the reenroll step uses the overwritten ones, so every file is checked with openssl
 * right after the step that writes it.
 */
class SeedQuickstartTest {
  private static EmbeddedEstServer server;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private Path work;
  private Path bin;

  private Cli.Result sh(String commandLine) throws Exception {
    Cli.Result r = Cli.sh(work, bin, commandLine.replace("localhost:8443", "localhost:" + server.port()));
    assertThat(r.exit()).as(commandLine + "\n" + r.describe()).isZero();
    return r;
  }

  private String openssl(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = Cli.openssl().toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Cli.Result r = Cli.exec(work, cmd);
    assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r.describe()).isZero();
    return r.stdout() + r.stderr();
  }

  private String publicKeyOfCert(String file) throws Exception {
    return openssl("x509", "-in", file, "-noout", "-pubkey");
  }

  private String publicKeyOfKey(String file) throws Exception {
    return openssl("pkey", "-in", file, "-pubout");
  }

  @Test
  void theQuickstartRunsVerbatim() throws Exception {
    Cli.openssl();
    work = Files.createDirectories(tmp.resolve("work"));
    bin = Files.createDirectories(tmp.resolve("bin"));
    Path launcher = bin.resolve("estclient");
    Files.writeString(launcher, "#!/bin/sh\nexec '" + Cli.repoRoot().resolve("bin/estclient") + "' \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

    sh("estclient cacerts -server localhost:8443 -insecure -rootout -out anchor.pem");
    assertThat(Files.readString(work.resolve("anchor.pem"))).containsOnlyOnce("-----BEGIN CERTIFICATE-----");
    assertThat(openssl("x509", "-in", "anchor.pem", "-noout", "-subject")).contains("Root CA");
    assertThat(openssl("verify", "-CAfile", "anchor.pem", "anchor.pem")).contains("anchor.pem: OK");

    sh("estclient cacerts -server localhost:8443 -explicit anchor.pem -out cacerts.pem");
    assertThat(Files.readString(work.resolve("cacerts.pem")).split("-----BEGIN CERTIFICATE-----", -1)).hasSize(3);

    sh("openssl genrsa 4096 > key.pem");

    sh("estclient csr -key key.pem -cn 'John Doe' -emails 'john@doe.com' -out csr.pem");
    String csr = openssl("req", "-in", "csr.pem", "-noout", "-verify", "-subject", "-text");
    assertThat(csr).contains("CN = John Doe").contains("email:john@doe.com").containsIgnoringCase("verify OK");

    sh("estclient enroll -server localhost:8443 -explicit anchor.pem -csr csr.pem -out cert.pem");
    assertThat(openssl("x509", "-in", "cert.pem", "-noout", "-subject")).contains("CN = John Doe");
    assertThat(openssl("verify", "-CAfile", "anchor.pem", "-untrusted", "cacerts.pem", "cert.pem")).contains("cert.pem: OK");
    assertThat(publicKeyOfCert("cert.pem")).isEqualTo(publicKeyOfKey("key.pem"));

    sh("estclient serverkeygen -server localhost:8443 -explicit anchor.pem -cn 'Jane Doe' -out cert.pem -keyout key.pem");
    assertThat(openssl("x509", "-in", "cert.pem", "-noout", "-subject")).contains("CN = Jane Doe");
    assertThat(openssl("verify", "-CAfile", "anchor.pem", "-untrusted", "cacerts.pem", "cert.pem")).contains("cert.pem: OK");
    assertThat(openssl("pkey", "-in", "key.pem", "-check", "-noout")).contains("valid");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("key.pem")))).isEqualTo("rw-------");
    assertThat(publicKeyOfCert("cert.pem")).isEqualTo(publicKeyOfKey("key.pem"));

    sh("cat cert.pem cacerts.pem >> certs.pem");
    sh("estclient reenroll -server localhost:8443 -explicit anchor.pem -key key.pem -certs certs.pem -out newcert.pem");
    assertThat(openssl("x509", "-in", "newcert.pem", "-noout", "-subject")).contains("CN = Jane Doe");
    assertThat(openssl("verify", "-CAfile", "anchor.pem", "-untrusted", "cacerts.pem", "newcert.pem")).contains("newcert.pem: OK");
    assertThat(publicKeyOfCert("newcert.pem")).isEqualTo(publicKeyOfKey("key.pem"));
    assertThat(openssl("x509", "-in", "newcert.pem", "-noout", "-serial"))
        .isNotEqualTo(openssl("x509", "-in", "cert.pem", "-noout", "-serial"));
  }
}
