package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.it.interop.ExternalTools;
import org.est4j.protocol.MultipartPart;
import org.est4j.protocol.pem.PemReader;
import org.est4j.testing.Swtpm;
import org.est4j.tpm.TpmPublic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * /tpmenroll with a real TPM: swtpm provisioned by swtpm_setup (EKs and EK certificates in NV,
 * issued by swtpm-localca, whose root is the label's {@code tpm_ek_roots}), an AK made by
 * tpm2_createak, est4j's server verifying the EK chain and making the credential, and
 * TPM2_ActivateCredential (tpm2-tools) recovering it, which then decrypts the certificate.
 * swtpm_setup makes an RSA-2048 EK (SHA-256, policy-only) and an ECC P-384 EK (SHA-384,
 * userWithAuth, AES-256).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SwtpmTpmEnrollTest {
  private static final String AK = "0x81010002";

  @TempDir static Path dir;
  private Swtpm swtpm;
  private EmbeddedEstServer server;
  private TpmEnrollClient client;
  private X509Certificate localCaIssuer;

  @BeforeAll
  void provision() throws Exception {
    ExternalTools.require("tpm2_activatecredential", "tpm2-tools");
    swtpm = Tools.swtpm(dir.resolve("swtpm"), Swtpm.Transport.TCP, true);
    // swtpm_setup's EK certificates are issued by swtpm-localca, whose CA lives in the swtpm's dir
    Path ca = swtpm.dir().resolve("localca");
    localCaIssuer = PemReader.readCertificates(ca.resolve("issuercert.pem")).get(0);
    Files.copy(ca.resolve("swtpm-localca-rootca-cert.pem"), dir.resolve("tpm-roots.pem"));
    Path config = dir.resolve("estserver.yaml");
    Files.writeString(config, "tls:\n  listen_address: 127.0.0.1:0\n"
        + "users:\n  - {username: device, password: secret}\n"
        + "tpm_ek_roots: tpm-roots.pem\n", StandardCharsets.UTF_8);
    server = EmbeddedEstServer.start(Optional.of(config), null);
    client = new TpmEnrollClient(server.port(), server.root(), "device", "secret");
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (swtpm != null) {
      swtpm.close();
    }
  }

  @ParameterizedTest
  @CsvSource({"0x81010001, 0x01c00002, rsa, rsassa", "0x81010016, 0x01c00016, ecc, ecdsa"})
  void realTpmActivatesTheServersCredential(String ekHandle, String ekCertIndex, String akAlg, String akScheme)
      throws Exception {
    tpm2("tpm2_nvread", ekCertIndex, "-o", "ek-cert.der");
    tpm2("tpm2_readpublic", "-c", ekHandle, "-f", "tpmt", "-o", "ek.tpmt");
    tpm2("tpm2_flushcontext", "-t");
    tpm2("tpm2_createak", "-C", ekHandle, "-c", "ak.ctx", "-G", akAlg, "-g", "sha256", "-s", akScheme,
        "-u", "ak.pub", "-n", "ak.name");
    tpm2("tpm2_flushcontext", "-t");
    tpm2("tpm2_evictcontrol", "-C", "o", "-c", "ak.ctx", AK);
    tpm2("tpm2_flushcontext", "-t");
    try {
      tpm2("tpm2_readpublic", "-c", AK, "-f", "tpmt", "-o", "ak.tpmt");
      X509Certificate ekCert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("ek-cert.der"))));
      TpmPublic ek = TpmPublic.parse(Files.readAllBytes(dir.resolve("ek.tpmt")));
      TpmPublic ak = TpmPublic.parse(Files.readAllBytes(dir.resolve("ak.tpmt")));
      // the AK is restricted and cannot sign a CSR; the seed does not tie the CSR key to the AK
      KeyPair deviceKey = SoftwareTpm.keys("secp256r1");
      byte[] csr = CsrBuilder.create().commonName("swtpm device").sign(deviceKey);

      TpmEnrollClient.Response r = client.post(null, TpmEnrollClient.parts(csr, List.of(ekCert, localCaIssuer), ek, ak));
      List<MultipartPart> parts = TpmEnrollClient.responseParts(r);
      byte[] blob = parts.get(0).decodedBody();
      byte[] seed = parts.get(1).decodedBody();
      Files.write(dir.resolve("cred.in"), credentialFile(blob, seed));
      if (ek.has(TpmPublic.USER_WITH_AUTH)) {
        tpm2("tpm2_activatecredential", "-c", AK, "-C", ekHandle, "-i", "cred.in", "-o", "cred.out", "-P", "");
      } else { // the TCG default EK: only PolicySecret(TPM_RH_ENDORSEMENT)
        tpm2("tpm2_startauthsession", "--policy-session", "-S", "session.ctx");
        tpm2("tpm2_policysecret", "-S", "session.ctx", "-c", "e");
        tpm2("tpm2_activatecredential", "-c", AK, "-C", ekHandle, "-i", "cred.in", "-o", "cred.out",
            "-P", "session:session.ctx");
        tpm2("tpm2_flushcontext", "session.ctx");
      }
      byte[] credential = Files.readAllBytes(dir.resolve("cred.out"));
      assertThat(credential).hasSize(16);
      X509Certificate cert = TpmEnrollClient.decrypt(parts.get(2), credential);
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=swtpm device");
      assertThat(cert.getPublicKey()).isEqualTo(deviceKey.getPublic());
    } finally {
      tpm2("tpm2_evictcontrol", "-C", "o", "-c", AK);
    }
  }

  private String tpm2(String... command) throws Exception {
    return Tools.tpm2(swtpm, dir, command);
  }

  /** tpm2-tools' credential file: magic, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET. */
  private static byte[] credentialFile(byte[] blob, byte[] seed) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + blob.length + 2 + seed.length);
    b.putInt(0xBADCC0DE).putInt(1).putShort((short) blob.length).put(blob).putShort((short) seed.length).put(seed);
    return b.array();
  }
}
