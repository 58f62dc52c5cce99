package org.est4j.it.estclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.CsrAttrs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What est4j's estclient does beyond (or better than) the seed's. */
class EstClientFeaturesTest {
  private static EmbeddedEstServer server;

  @TempDir static Path dir;
  private static Cli cli;
  private static String address;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
    address = "localhost:" + server.port();
    TestFiles.writeCerts(dir.resolve("anchor.pem"), List.of(server.root()));
    TestFiles.writeKeyAndCsr(dir);
    cli = new Cli(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Cli.Result ok(Cli c, String... args) {
    Cli.Result r = c.run(args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.describe()).isZero();
    return r;
  }

  private static Cli.Result ok(String... args) {
    return ok(cli, args);
  }

  @Test
  void rootsIntermediatesAndSeparate() throws Exception {
    Cli.Result roots = ok("cacerts", "-server", address, "-explicit", "anchor.pem", "-roots");
    Cli.Result inter = ok("cacerts", "-server", address, "-explicit", "anchor.pem", "-intermediates");
    assertThat(roots.pemBlocks()).isEqualTo(1);
    assertThat(inter.pemBlocks()).isEqualTo(1);
    assertThat(roots.stdout()).isEqualTo(Files.readString(dir.resolve("anchor.pem")));
    Cli.Result both = cli.run("cacerts", "-server", address, "-explicit", "anchor.pem", "-roots", "-rootout");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.stderr()).contains("only one of -roots, -intermediates and -rootout may be specified");

    ok("cacerts", "-server", address, "-explicit", "anchor.pem", "-separate", "-out", "chain.pem");
    assertThat(Files.readString(dir.resolve("chain-1.pem"))).isEqualTo(inter.stdout());
    assertThat(Files.readString(dir.resolve("chain-2.pem"))).isEqualTo(roots.stdout());
  }

  @Test
  void derOutput() throws Exception {
    Cli.Result ca = ok("cacerts", "-server", address, "-explicit", "anchor.pem", "-outform", "der");
    assertThat(CertsOnly.decode(ca.stdoutBytes())).isEqualTo(server.caCertificates());
    Cli.Result root = ok("cacerts", "-server", address, "-explicit", "anchor.pem", "-rootout", "-outform", "der");
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(root.stdoutBytes()));
    assertThat(cert).isEqualTo(server.root());
    Cli.Result csr = ok("csr", "-key", "test_key.pem", "-cn", "d", "-outform", "der");
    assertThat(new PKCS10CertificationRequest(csr.stdoutBytes()).getSubject().toString()).isEqualTo("CN=d");
    Cli.Result attrs = ok("csrattrs", "-server", address, "-explicit", "anchor.pem", "-aps", "csrattrs", "-outform", "der");
    assertThat(CsrAttrs.decode(attrs.stdoutBytes())).isEqualTo(CsrAttrs.rfc7030Example());
    assertThat(cli.run("csr", "-key", "test_key.pem", "-cn", "d", "-outform", "txt").exit()).isEqualTo(2);
  }

  @Test
  void csrAttrsOut() throws Exception {
    ok("csrattrs", "-server", address, "-explicit", "anchor.pem", "-aps", "csrattrs", "-out", "attrs.txt");
    assertThat(Files.size(dir.resolve("attrs.txt"))).isEqualTo(171);
  }

  @Test
  void serverKeyGenWritesTheKeyFileOwnerOnlyEvenOverAnExistingFile() throws Exception {
    Path key = Files.writeString(dir.resolve("skg-key.pem"), "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Cli.Result r = ok("serverkeygen", "-server", address, "-explicit", "anchor.pem", "-cn", "k", "-keyout", "skg-key.pem");
    assertThat(r.pemBlocks()).isEqualTo(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void encryptedKeysWithPassphraseFileEnvAndPrompt() throws Exception {
    Path openssl = Cli.openssl();
    // encrypted PKCS#8 (the seed cannot read it) and legacy encrypted PEM
    assertThat(Cli.sh(dir, dir, openssl + " genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256"
        + " -aes256 -pass pass:s3cret -out p8.pem").exit()).isZero();
    assertThat(Cli.sh(dir, dir, openssl + " ecparam -genkey -name prime256v1 -noout | " + openssl
        + " ec -aes128 -passout pass:s3cret -out legacy.pem").exit()).isZero();
    assertThat(Files.readString(dir.resolve("legacy.pem"))).contains("Proc-Type: 4,ENCRYPTED");
    Files.writeString(dir.resolve("pass.txt"), "s3cret\n");

    ok("csr", "-key", "p8.pem", "-passphrase-file", "pass.txt", "-cn", "a");
    ok(new Cli(dir).env("KEYPASS", "s3cret"), "csr", "-key", "legacy.pem", "-passphrase-env", "KEYPASS", "-cn", "a");
    ok(new Cli(dir).promptAnswer("s3cret"), "csr", "-key", "p8.pem", "-cn", "a");

    Cli.Result noTerminal = cli.run("csr", "-key", "p8.pem", "-cn", "a");
    assertThat(noTerminal.exit()).isEqualTo(2);
    assertThat(noTerminal.stderr()).contains("-passphrase-file").contains("-passphrase-env");
    Cli.Result wrong = new Cli(dir).promptAnswer("nope").run("csr", "-key", "p8.pem", "-cn", "a");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.stderr()).contains("cannot read -key").contains("wrong passphrase");
  }

  @Test
  void pendingExits5WithTheRetryAfterAndWaitGivesUpWhenItWouldWaitTooLong() {
    String[] base = {"enroll", "-server", address, "-explicit", "anchor.pem", "-aps", "triggererrors",
        "-cn", "Trigger Error Deferred", "-key", "test_key.pem"};
    Cli.Result r = cli.run(base);
    assertThat(r.exit()).isEqualTo(5);
    assertThat(r.stderr()).contains("pending: retry after 600 s");
    String[] withWait = java.util.Arrays.copyOf(base, base.length + 2);
    withWait[base.length] = "-wait";
    withWait[base.length + 1] = "5s";
    Cli.Result w = cli.run(withWait);
    assertThat(w.exit()).isEqualTo(5);
    assertThat(w.stderr()).contains("retry after 600 s");
  }

  @Test
  void serverKeyGenPendingExits5AndWaitPollsWithinItsBound() {
    String[] base = {"serverkeygen", "-server", address, "-explicit", "anchor.pem", "-aps", "triggererrors",
        "-cn", "Trigger Error Deferred", "-keyout", "skg-pending.pem"};
    Cli.Result r = cli.run(base);
    assertThat(r.exit()).as(r.describe()).isEqualTo(5);
    assertThat(r.stderr()).contains("pending: retry after 600 s").contains("-wait");
    String[] withWait = java.util.Arrays.copyOf(base, base.length + 2);
    withWait[base.length] = "-wait";
    withWait[base.length + 1] = "5s";
    Cli.Result w = cli.run(withWait);
    assertThat(w.exit()).as(w.describe()).isEqualTo(5);
    assertThat(w.stderr()).contains("/serverkeygen: still pending after waiting up to 5 s").contains("retry after 600 s");
    assertThat(ok("serverkeygen", "-help").stdout()).contains("-wait");
  }

  @Test
  void rejectionsAndUsageErrorsHaveDistinctCodesAndSayWhatToDo() {
    Cli.Result forbidden = cli.run("enroll", "-server", address, "-explicit", "anchor.pem", "-aps", "triggererrors",
        "-cn", "Trigger Error Forbidden", "-key", "test_key.pem");
    assertThat(forbidden.exit()).isEqualTo(4);
    assertThat(forbidden.stderr()).contains("estclient: server refused /simpleenroll: 403 triggered forbidden response");

    Cli.Result missingKey = cli.run("csr", "-key", "nope.pem", "-cn", "a");
    assertThat(missingKey.exit()).isEqualTo(1);
    assertThat(missingKey.stderr()).startsWith("estclient: cannot read -key ").contains("nope.pem: no such file");

    Cli.Result noCerts = cli.run("reenroll", "-server", address, "-explicit", "anchor.pem", "-key", "test_key.pem");
    assertThat(noCerts.exit()).isEqualTo(2);
    assertThat(noCerts.stderr()).contains("no client certificate provided");

    assertThat(cli.run("bogus").exit()).isEqualTo(2);
    assertThat(cli.run("bogus").stderr()).contains("Use \"estclient help\" for a list of commands.");
    assertThat(cli.run("enroll", "-nosuchflag").exit()).isEqualTo(2);
    assertThat(cli.run("cacerts", "-server", address, "-timeout", "soon").stderr()).contains("invalid duration");
    assertThat(cli.run("cacerts").stderr()).contains("no EST server given");

    Cli.Result refused = cli.run("cacerts", "-server", "127.0.0.1:1", "-explicit", "anchor.pem");
    assertThat(refused.exit()).isEqualTo(3);
  }

  @Test
  void timeoutZeroMeansNoTimeout() {
    assertThat(ok("cacerts", "-server", address, "-explicit", "anchor.pem", "-timeout", "0").pemBlocks()).isEqualTo(2);
  }

  @Test
  void helpAndVersion() {
    assertThat(ok("help").stdout()).contains("cacerts").contains("Exit codes:").contains("pending");
    assertThat(ok("help", "-common").stdout()).contains("ESTCLIENT_CONFIG_DIRECTORY");
    assertThat(ok("help", "enroll").stdout()).contains("-csr");
    assertThat(ok("enroll", "-help").stdout()).contains("-wait").contains("-cn");
    assertThat(ok("cacerts", "--help").stdout()).contains("-rootout");
    assertThat(ok("version").stdout()).startsWith("est4j estclient ");
    Cli.Result none = cli.run();
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.stderr()).contains("Usage: estclient");
  }

  @Test
  void configFileKeysResolveAgainstTheConfigDirectory() throws Exception {
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Files.copy(dir.resolve("anchor.pem"), confDir.resolve("anchor.pem"));
    Files.copy(dir.resolve("test_key.pem"), confDir.resolve("k.pem"));
    Files.writeString(confDir.resolve("est.json"), "{\"server\": \"" + address + "\",\n\t\"explicit_anchor\": \"anchor.pem\","
        + " \"private_key\": \"k.pem\", \"unknown_thing\": 1}");
    Cli c = new Cli(dir).env("ESTCLIENT_CONFIG_DIRECTORY", confDir.toString());
    Cli.Result r = ok(c, "enroll", "-config", "est.json", "-cn", "from config");
    assertThat(r.pemBlocks()).isEqualTo(1);
    assertThat(r.stderr()).contains("unknown key \"unknown_thing\" ignored");
  }
}
