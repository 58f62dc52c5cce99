package org.est4j.it.estclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.protocol.Csr;
import org.est4j.it.tpm.Tools;
import org.est4j.testing.Swtpm;
import org.est4j.tpm.TpmPublic;
import org.est4j.tpm.device.KeyBlobs;
import org.est4j.tpm.device.Templates;
import org.est4j.tpm.device.Tpm2;
import org.est4j.tpm.device.TpmDevice;
import org.est4j.tpm.device.TpmObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * estclient csr/enroll/reenroll with keys in swtpm, configured with the seed's {@code private_key:
 * {tpm: {...}}} form unchanged: {@code device} is swtpm's Unix socket path; an RSA key at a
 * persistent handle, an ECC key as public/private blobs (tpm2-tools' files, relative to the
 * configuration file) loaded under a persistent storage key. TLS client authentication for
 * reenroll is done by the TPM key (TLS 1.3: RSASSA-PSS or ECDSA signed in the TPM).
 */
class EstClientTpmTest {
  static final int STORAGE = 0x81000001; // the seed sample's storage_handle, 2164260865
  static final int RSA_KEY = 0x81020000; // the seed sample's persistent_handle, 2164391936
  static final String USER = "testuser";
  static final String PASSWORD = "xyzzy";

  @TempDir static Path dir;
  static Swtpm swtpm;
  static EmbeddedEstServer server;
  static PublicKey rsaPublic;
  static PublicKey eccPublic;
  static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    swtpm = Tools.swtpm(dir.resolve("tpm"), Swtpm.Transport.UNIX, false);
    Path config = Files.createDirectories(dir.resolve("config"));
    try (TpmDevice tpm = TpmDevice.open(swtpm.device())) {
      TpmObject srk = tpm.createPrimary(Tpm2.RH_OWNER, "", Templates.rsaStorage(), "opensesame");
      tpm.persist(srk.handle(), STORAGE, "");
      tpm.flush(srk.handle());
      KeyBlobs rsa = tpm.create(STORAGE, "opensesame", Templates.rsaSigning(2048), "xyzzy");
      int loaded = tpm.load(STORAGE, "opensesame", rsa);
      tpm.persist(loaded, RSA_KEY, "");
      tpm.flush(loaded);
      rsaPublic = TpmPublic.parse(rsa.publicArea()).publicKey();
      KeyBlobs ecc = tpm.create(STORAGE, "opensesame", Templates.eccSigning(Tpm2.ECC_NIST_P256), "abracadabra");
      Files.createDirectories(config.resolve("keys"));
      ecc.write(config.resolve("keys/signing_key.pub"), config.resolve("keys/signing_key.priv"));
      eccPublic = TpmPublic.parse(ecc.publicArea()).publicKey();
    }
    Path serverCfg = Files.writeString(dir.resolve("server.yaml"),
        "users:\n  - username: " + USER + "\n    password: " + PASSWORD + "\n");
    server = EmbeddedEstServer.start(Optional.of(serverCfg), "127.0.0.1:0");
    TestFiles.writeCerts(config.resolve("anchor.pem"), List.of(server.root()));
    String common = "\"server\": \"127.0.0.1:" + server.port() + "\", \"explicit_anchor\": \"anchor.pem\", "
        + "\"username\": \"" + USER + "\", \"password\": \"" + PASSWORD + "\", ";
    // persistent_handle wins over the blob paths (which do not exist)
    Files.writeString(config.resolve("rsa.cfg"), "{" + common + "\"private_key\": {\"tpm\": {\"device\": \""
        + swtpm.device() + "\", \"persistent_handle\": 2164391936, \"storage_handle\": 2164260865,"
        + " \"ek_handle\": 2164326401, \"key_password\": \"xyzzy\", \"storage_password\": \"opensesame\","
        + " \"public_area\": \"missing.pub\", \"private_area\": \"missing.priv\"}}}");
    Files.writeString(config.resolve("ecc.cfg"), "{" + common + "\"private_key\": {\"tpm\": {\"device\": \""
        + swtpm.device() + "\", \"storage_handle\": 2164260865, \"key_password\": \"abracadabra\","
        + " \"storage_password\": \"opensesame\", \"public_area\": \"keys/signing_key.pub\","
        + " \"private_area\": \"keys/signing_key.priv\"}}}");
    // the working directory is elsewhere: relative paths must resolve against the config's directory
    cli = new Cli(Files.createDirectories(dir.resolve("cwd")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (swtpm != null) {
      swtpm.close();
    }
  }

  private static String cfg(String name) {
    return dir.resolve("config").resolve(name).toString();
  }

  private static Cli.Result ok(String... args) {
    Cli.Result r = cli.run(args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.describe()).isZero();
    return r;
  }

  @Test
  void csrSignedInTheTpm() throws Exception {
    for (String[] c : new String[][] {{"rsa.cfg", "RSA"}, {"ecc.cfg", "EC"}}) {
      // several runs in a row: each releases the device (swtpm serves one connection) and flushes blob keys
      for (int i = 0; i < 4; i++) {
        Cli.Result r = ok("csr", "-config", cfg(c[0]), "-cn", "TPM Device " + i);
        Csr csr = Csr.decode(TestFiles.pemBlock(r.stdout(), "CERTIFICATE REQUEST")).verify();
        assertThat(csr.publicKey()).isEqualTo(c[1].equals("RSA") ? rsaPublic : eccPublic);
        assertThat(csr.subject().toString()).isEqualTo("CN=TPM Device " + i);
      }
    }
  }

  @Test
  void enrollThenReenrollWithTlsClientAuthenticationByTheTpmKey() throws Exception {
    for (String[] c : new String[][] {{"rsa.cfg", "RSA"}, {"ecc.cfg", "EC"}}) {
      PublicKey expected = c[1].equals("RSA") ? rsaPublic : eccPublic;
      Cli.Result cert = ok("enroll", "-config", cfg(c[0]), "-cn", "TPM " + c[1]);
      assertThat(certificate(cert.stdout()).getPublicKey()).isEqualTo(expected);
      Path chain = dir.resolve("chain-" + c[1] + ".pem");
      Files.writeString(chain, cert.stdout());
      Cli.Result renewed = ok("reenroll", "-config", cfg(c[0]), "-certs", chain.toString());
      X509Certificate r = certificate(renewed.stdout());
      assertThat(r.getPublicKey()).isEqualTo(expected);
      assertThat(r.getSubjectX500Principal().getName()).isEqualTo("CN=TPM " + c[1]);
      assertThat(r.getSerialNumber()).isNotEqualTo(certificate(cert.stdout()).getSerialNumber());
    }
  }

  @Test
  void configurationErrorsUseTheSeedsMessages() throws Exception {
    Path bad = dir.resolve("config");
    String device = "\"device\": \"" + swtpm.device() + "\"";
    Files.writeString(bad.resolve("big.cfg"), "{\"private_key\": {\"tpm\": {" + device + ", \"persistent_handle\": 4294967296}}}");
    Files.writeString(bad.resolve("none.cfg"), "{\"private_key\": {\"tpm\": {" + device + "}}}");
    Files.writeString(bad.resolve("nostorage.cfg"), "{\"private_key\": {\"tpm\": {" + device
        + ", \"public_area\": \"keys/signing_key.pub\", \"private_area\": \"keys/signing_key.priv\"}}}");
    Files.writeString(bad.resolve("wrongpw.cfg"), "{\"private_key\": {\"tpm\": {" + device
        + ", \"persistent_handle\": 2164391936, \"key_password\": \"wrong\"}}}");
    assertThat(cli.run("csr", "-config", cfg("big.cfg"), "-cn", "x").stderr()).contains("invalid handle value");
    assertThat(cli.run("csr", "-config", cfg("none.cfg"), "-cn", "x").stderr())
        .contains("no key handle or public/private areas in configuration file");
    assertThat(cli.run("csr", "-config", cfg("nostorage.cfg"), "-cn", "x").stderr())
        .contains("no storage key in configuration file");
    Cli.Result wrong = cli.run("csr", "-config", cfg("wrongpw.cfg"), "-cn", "x");
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.stderr()).contains("TPM_RC_AUTH_FAIL").doesNotContain("wrong\"");
    // and the TPM is still usable afterwards
    ok("csr", "-config", cfg("rsa.cfg"), "-cn", "after errors");
  }

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(TestFiles.pemBlock(pem, "CERTIFICATE")));
  }
}
