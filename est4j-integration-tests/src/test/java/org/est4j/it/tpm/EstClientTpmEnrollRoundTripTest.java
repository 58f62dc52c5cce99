package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.TpmEnrollRequest;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.pem.PemReader;
import org.est4j.tpm.TpmPublic;
import org.est4j.tpm.device.TpmDevice;
import org.est4j.tpm.device.Tpm2;
import org.est4j.tpm.device.TpmKeys;
import org.est4j.tpm.device.TpmPrivateKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The full /tpmenroll round trip: est4j's server (users, tpm_ek_roots = swtpm's local CA root and
 * the fixture's test manufacturer) and swtpm holding the EKs and the key being certified, driven by
 * {@code estclient tpmenroll} with the seed's configuration form unchanged (device = the swtpm
 * socket, a persistent key, ek_handle) and by the library. The CSR is made and signed in the TPM;
 * the issued certificate carries the TPM key.
 */
class EstClientTpmEnrollRoundTripTest {
  @TempDir static Path dir;
  private static TpmClientFixture tpm;
  private static EmbeddedEstServer server;

  @BeforeAll
  static void start() throws Exception {
    tpm = TpmClientFixture.start(dir, Tpm2.ECC_NIST_P256);
    Path localca = tpm.swtpm.dir().resolve("localca");
    Files.writeString(dir.resolve("manufacturer.pem"), TpmClientFixture.MANUFACTURER.certificatePem());
    Path config = dir.resolve("estserver.yaml");
    Files.writeString(config, "tls:\n  listen_address: 127.0.0.1:0\n"
        + "users:\n  - {username: device, password: secret}\n"
        + "tpm_ek_roots: [" + localca.resolve("swtpm-localca-rootca-cert.pem") + ", manufacturer.pem]\n",
        StandardCharsets.UTF_8);
    server = EmbeddedEstServer.start(Optional.of(config), null);
    Files.writeString(dir.resolve("anchor.pem"), org.est4j.protocol.pem.PemWriter.toPem(server.root()));
    // The seed's ek_certs: the EK certificate from NV, then the issuing CA that swtpm_setup used.
    List<X509Certificate> issuer = PemReader.readCertificates(localca.resolve("issuercert.pem"));
    for (int ek : new int[] {TpmClientFixture.EK_RSA, TpmClientFixture.EK_ECC}) {
      List<X509Certificate> chain = new ArrayList<>(List.of(tpm.ekCertificate(ek)));
      chain.addAll(issuer);
      TpmClientFixture.writePem(dir.resolve(Integer.toHexString(ek) + "-chain.pem"), chain);
    }
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

  private static Path config(String name, String tpmKeys) throws Exception {
    return Files.writeString(dir.resolve(name), "{\n"
        + "  \"server\": \"127.0.0.1:" + server.port() + "\",\n"
        + "  \"explicit_anchor\": \"anchor.pem\",\n"
        + "  \"username\": \"device\",\n  \"password\": \"secret\",\n"
        + "  \"private_key\": {\n    \"tpm\": {\n      \"device\": \"" + tpm.device() + "\",\n"
        + "      \"persistent_handle\": 2164391936,\n      \"key_password\": \"xyzzy\",\n"
        + tpmKeys + "\n    }\n  }\n}\n", StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // EK, ek_handle, where the EK certificates come from
    "RSA 2048 EK + ek_certs, 2164326401, \"ek_certs\": \"81010001-chain.pem\"",
    "ECC P-384 EK (swtpm_setup's) + ek_certs, 2164326422, \"ek_certs\": \"81010016-chain.pem\"",
    "ECC P-256 EK + certificate from NV, 2164326402, \"ek_password\": \"\"",
  })
  void estclientTpmenrollGetsACertificateForTheTpmKey(String name, long ekHandle, String ekCerts) throws Exception {
    String file = "cfg-" + ekHandle + ".json";
    Path cfg = config(file, "      \"ek_handle\": " + ekHandle + ",\n      " + ekCerts);
    String out = "cert-" + ekHandle + ".pem";
    ClientCli.Result r = ClientCli.run(dir, "tpmenroll", "-config", cfg.toString(), "-cn", "tpm device " + ekHandle,
        "-out", out);
    assertThat(r.exit()).as(r.describe()).isZero();

    X509Certificate cert = PemReader.readCertificates(dir.resolve(out)).get(0);
    assertThat(cert.getPublicKey().getEncoded()).as("the certificate carries the TPM key")
        .isEqualTo(TpmPublic.parse(tpm.akPublic).publicKey().getEncoded());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=tpm device " + ekHandle);
    cert.verify(server.caCertificates().get(0).getPublicKey());
  }

  @Test
  void throughTheLauncherBinEstclient() throws Exception {
    Path launcher = null;
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        launcher = p.resolve("bin/estclient");
        break;
      }
    }
    assertThat(launcher).as("bin/estclient above " + System.getProperty("user.dir")).isNotNull();
    Path cfg = config("launcher.json", "      \"ek_handle\": 2164326401,\n      \"ek_certs\": \"81010001-chain.pem\"");
    Process p = new ProcessBuilder(launcher.toString(), "tpmenroll", "-config", cfg.toString(), "-cn", "launcher",
        "-out", "launcher.pem").directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("launcher.log").toFile()).start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("launcher.log"))).isZero();
    X509Certificate cert = PemReader.readCertificates(dir.resolve("launcher.pem")).get(0);
    assertThat(cert.getPublicKey().getEncoded()).isEqualTo(TpmPublic.parse(tpm.akPublic).publicKey().getEncoded());
  }

  @Test
  void libraryWithTheTpmAsCredentialActivator() throws Exception {
    try (TpmDevice t = TpmDevice.open(tpm.device())) {
      TpmPrivateKey ak = TpmKeys.persistent(t, TpmClientFixture.AK, TpmClientFixture.AK_PASSWORD);
      TpmEnrollRequest request = TpmEnrollRequest.builder()
          .csr(CsrBuilder.create().commonName("library").sign(ak, ak.publicKey()))
          .ekCertificates(PemReader.readCertificates(dir.resolve("81010001-chain.pem")))
          .ekPublic(t.readPublic(TpmClientFixture.EK_RSA).publicArea())
          .akPublic(t.readPublic(TpmClientFixture.AK).publicArea())
          .build();
      EstClient client = EstClient.builder().server("127.0.0.1:" + server.port())
          .trust(TrustAnchors.explicit(List.of(server.root()))).basicAuth("device", "secret".toCharArray()).build();
      X509Certificate cert = client.tpmEnroll(request, (blob, seed) ->
          t.activateCredential(TpmClientFixture.AK, TpmClientFixture.AK_PASSWORD, TpmClientFixture.EK_RSA, "", blob, seed));
      assertThat(cert.getPublicKey()).isEqualTo(ak.publicKey());

      // The activation is what proves the key is in this TPM: another EK cannot recover the credential.
      assertThatThrownBy(() -> client.tpmEnroll(request, (blob, seed) ->
          t.activateCredential(TpmClientFixture.AK, TpmClientFixture.AK_PASSWORD, TpmClientFixture.EK_ECC_P256, "",
              blob, seed)))
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void wrongEkCertificateIsRefusedWith422() throws Exception {
    Path cfg = config("wrong-ek.json", "      \"ek_handle\": 2164326401,\n"
        + "      \"ek_certs\": \"81010016-chain.pem\""); // the ECC EK's chain for the RSA EK
    ClientCli.Result r = ClientCli.run(dir, "tpmenroll", "-config", cfg.toString(), "-cn", "x", "-out", "no.pem");
    assertThat(r.exit()).as(r.describe()).isEqualTo(4);
    assertThat(r.stderr()).contains("server refused /tpmenroll: 422").contains("public key in public area doesn't match");
    assertThat(dir.resolve("no.pem")).doesNotExist();
  }

  @Test
  void ekChainOutsideTheManufacturerRootsIsRefused() throws Exception {
    X509Certificate selfMade = org.est4j.testing.TestCertificate.builder().commonName("not a TPM vendor")
        .keyPair(new java.security.KeyPair(TpmPublic.parse(tpm.ekPublic(TpmClientFixture.EK_RSA)).publicKey(), null))
        .signedBy(org.est4j.testing.TestCertificate.builder().commonName("rogue CA").certificateAuthority(0).build())
        .build().certificate();
    TpmClientFixture.writePem(dir.resolve("rogue.pem"), List.of(selfMade));
    Path cfg = config("rogue.json", "      \"ek_handle\": 2164326401");
    ClientCli.Result r = ClientCli.run(dir, "tpmenroll", "-config", cfg.toString(), "-cn", "x", "-ekcerts", "rogue.pem");
    assertThat(r.exit()).as(r.describe()).isEqualTo(4);
    assertThat(r.stderr()).contains("server refused /tpmenroll: 422");
  }
}
