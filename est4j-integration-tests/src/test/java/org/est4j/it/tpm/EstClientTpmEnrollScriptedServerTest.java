package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.est4j.client.CsrBuilder;
import org.est4j.client.KeyPairs;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.est4j.protocol.pem.PemReader;
import org.est4j.testing.MockEstResponse;
import org.est4j.testing.MockEstServer;
import org.est4j.testing.RecordedEstRequest;
import org.est4j.testing.TestCertificate;
import org.est4j.testing.TestPki;
import org.est4j.tpm.device.Tpm2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code estclient tpmenroll} with the seed's configuration form against a real swtpm, the server
 * scripted (MakeCredential in software on what the client sent): the TPM's ActivateCredential, the
 * part contents, the settings (persistent key or blobs under a storage key, EK certificates from a
 * file or from NV) and the failures. The CSR comes from -csr here; the round trip against est4j's
 * server, with the CSR signed in the TPM, is in EstClientTpmEnrollRoundTripTest.
 */
class EstClientTpmEnrollScriptedServerTest {
  @TempDir static Path dir;
  private static TpmClientFixture tpm;
  private static TestPki pki;
  private static TestCertificate issued;
  private static MockEstServer server;
  private static final AtomicReference<RecordedEstRequest> lastRequest = new AtomicReference<>();
  /** How many of the next requests are answered 202 Retry-After: 1. */
  private static final AtomicInteger pendingAnswers = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    tpm = TpmClientFixture.start(dir, Tpm2.ECC_NIST_P256);
    pki = TestPki.create();
    issued = pki.newClient("tpm-ak");
    server = new MockEstServer(pki);
    server.setDispatcher(r -> {
      lastRequest.set(r);
      if (pendingAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return MockEstResponse.pending(Duration.ofSeconds(1));
      }
      return ScriptedTpmEnroll.answer(r, issued.certificate());
    });
    server.start();
    Files.writeString(dir.resolve("anchor.pem"), pki.root().certificatePem());
    KeyPair k = KeyPairs.generate("ec:P-256");
    Files.write(dir.resolve("csr.der"), CsrBuilder.create().commonName("tpm-ak").sign(k));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (tpm != null) {
      tpm.close();
    }
  }

  /** The seed's private_key.tpm form; {@code tpmKeys} are the JSON members inside "tpm". */
  private static Path config(Path where, String tpmKeys) throws Exception {
    Files.createDirectories(where.getParent());
    Files.writeString(where, "{\n"
        + "  \"server\": \"localhost:" + server.port() + "\",\n"
        + "  \"explicit_anchor\": \"" + dir.resolve("anchor.pem") + "\",\n"
        + "  \"private_key\": {\n    \"tpm\": {\n      \"device\": \"" + tpm.device() + "\",\n"
        + tpmKeys + "\n    }\n  }\n}\n", StandardCharsets.UTF_8);
    return where;
  }

  private static ClientCli.Result tpmenroll(Path config, String out) {
    return ClientCli.run(dir, "tpmenroll", "-config", config.toString(), "-csr", dir.resolve("csr.der").toString(),
        "-out", out);
  }

  @Test
  void rsaEkPersistentKeyEkCertsFile() throws Exception {
    TpmClientFixture.writePem(dir.resolve("rsa-ek.pem"), List.of(tpm.ekCertificate(TpmClientFixture.EK_RSA)));
    Path cfg = config(dir.resolve("rsa.json"),
        "      \"persistent_handle\": 2164391936,\n"       // 0x81020000
            + "      \"ek_handle\": 2164326401,\n"         // 0x81010001
            + "      \"key_password\": \"xyzzy\",\n"
            + "      \"ek_certs\": \"rsa-ek.pem\"");
    ClientCli.Result r = tpmenroll(cfg, "rsa-cert.pem");
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(PemReader.readCertificates(dir.resolve("rsa-cert.pem"))).containsExactly(issued.certificate());

    RecordedEstRequest req = lastRequest.get();
    List<MultipartPart> parts = Multipart.decode(MediaType.parse(req.header("Content-Type").orElseThrow()), req.body());
    assertThat(EstBase64.decode(parts.get(2).body())).isEqualTo(tpm.ekPublic(TpmClientFixture.EK_RSA));
    assertThat(EstBase64.decode(parts.get(3).body())).isEqualTo(tpm.akPublic);
    assertThat(EstBase64.decode(parts.get(0).body())).isEqualTo(Files.readAllBytes(dir.resolve("csr.der")));
  }

  @Test
  void eccEkWithItsCertificateReadFromNv() throws Exception {
    Path cfg = config(dir.resolve("ecc.json"),
        "      \"persistent_handle\": 2164391936,\n"
            + "      \"ek_handle\": 2164326402,\n"          // 0x81010002: ECC P-256 EK
            + "      \"key_password\": \"xyzzy\"");
    ClientCli.Result r = tpmenroll(cfg, "ecc-cert.pem");
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(PemReader.readCertificates(dir.resolve("ecc-cert.pem"))).containsExactly(issued.certificate());
  }

  @Test
  void keyBlobsUnderStorageKeyResolvedAgainstTheConfigDirectory() throws Exception { // seed bug B17
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    Files.copy(dir.resolve("ak.pub"), conf.resolve("signing_key.pub"));
    Files.copy(dir.resolve("ak.priv"), conf.resolve("signing_key.priv"));
    Path cfg = config(conf.resolve("blobs.json"),
        "      \"storage_handle\": 2164260865,\n"          // 0x81000001
            + "      \"ek_handle\": 2164326401,\n"
            + "      \"key_password\": \"xyzzy\",\n"
            + "      \"public_area\": \"signing_key.pub\",\n"
            + "      \"private_area\": \"signing_key.priv\"");
    ClientCli.Result r = tpmenroll(cfg, "blob-cert.pem"); // cwd is dir, not conf
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(PemReader.readCertificates(dir.resolve("blob-cert.pem"))).containsExactly(issued.certificate());
  }

  @Test
  void wrongEkCertificateIsRefusedByTheServer() throws Exception {
    TpmClientFixture.writePem(dir.resolve("wrong-ek.pem"), List.of(tpm.ekCertificate(TpmClientFixture.EK_ECC)));
    Path cfg = config(dir.resolve("wrong.json"),
        "      \"persistent_handle\": 2164391936,\n      \"ek_handle\": 2164326401,\n"
            + "      \"key_password\": \"xyzzy\"");
    ClientCli.Result r = ClientCli.run(dir, "tpmenroll", "-config", cfg.toString(), "-csr", "csr.der",
        "-ekcerts", "wrong-ek.pem");
    assertThat(r.exit()).as(r.describe()).isEqualTo(4);
    assertThat(r.stderr()).contains("does not hold the key of the endorsement key 0x81010001")
        .contains("server refused /tpmenroll: 422 public key in public area doesn't match");
  }

  @Test
  void wrongKeyPasswordFailsTheActivation() throws Exception {
    Path cfg = config(dir.resolve("badpass.json"),
        "      \"persistent_handle\": 2164391936,\n      \"ek_handle\": 2164326401,\n"
            + "      \"key_password\": \"not-the-password\"");
    ClientCli.Result r = tpmenroll(cfg, "never.pem");
    assertThat(r.exit()).as(r.describe()).isEqualTo(1);
    assertThat(r.stderr()).contains("failed to activate credential (key 0x81020000, EK 0x81010001)");
    assertThat(dir.resolve("never.pem")).doesNotExist();
  }

  @Test
  void pendingExitsWith5UnlessWaitPolls() throws Exception {
    Path cfg = config(dir.resolve("pending.json"),
        "      \"persistent_handle\": 2164391936,\n      \"ek_handle\": 2164326402,\n"
            + "      \"key_password\": \"xyzzy\"");
    pendingAnswers.set(1);
    ClientCli.Result r = tpmenroll(cfg, "pending.pem");
    assertThat(r.exit()).as(r.describe()).isEqualTo(5);
    assertThat(r.stderr()).contains("pending: retry after 1 s");

    pendingAnswers.set(1);
    ClientCli.Result waited = ClientCli.run(dir, "tpmenroll", "-config", cfg.toString(),
        "-csr", dir.resolve("csr.der").toString(), "-wait", "30s", "-out", "waited.pem");
    assertThat(waited.exit()).as(waited.describe()).isZero();
    assertThat(PemReader.readCertificates(dir.resolve("waited.pem"))).containsExactly(issued.certificate());
  }
}
