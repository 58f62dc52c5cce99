package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.MultipartPart;
import org.est4j.testing.TestCertificate;
import org.est4j.tpm.TpmPublicBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * /tpmenroll against est4j's real server, with requests built as the Go client builds them and
 * the credential recovered as a TPM would (software EK): the seed's TestTPMEnroll, for RSA and
 * ECC EKs, plus every rejection the seed lacked (part count, part types, EK/certificate
 * mismatch, EK attributes, manufacturer roots) and its triggererrors labels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TpmEnrollTest {
  @TempDir static Path dir;
  TestCertificate manufacturer;
  TestCertificate otherManufacturer;
  EmbeddedEstServer zero;
  EmbeddedEstServer configured;
  TpmEnrollClient zeroClient;
  TpmEnrollClient configuredClient;

  @BeforeAll
  void start() throws Exception {
    manufacturer = TestCertificate.builder().commonName("Test TPM Manufacturer Root").certificateAuthority(1).build();
    otherManufacturer = TestCertificate.builder().commonName("Another TPM Manufacturer").certificateAuthority(1).build();
    Files.writeString(dir.resolve("tpm-roots.pem"), manufacturer.certificatePem(), StandardCharsets.US_ASCII);
    Path config = dir.resolve("estserver.yaml");
    Files.writeString(config, "tls:\n  listen_address: 127.0.0.1:0\n"
        + "users:\n  - {username: device, password: secret}\n"
        + "labels:\n  verified:\n    tpm_ek_roots: tpm-roots.pem\n", StandardCharsets.UTF_8);
    zero = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
    configured = EmbeddedEstServer.start(Optional.of(config), null);
    zeroClient = new TpmEnrollClient(zero.port(), zero.root(), null, null);
    configuredClient = new TpmEnrollClient(configured.port(), configured.root(), "device", "secret");
  }

  @AfterAll
  void stop() throws Exception {
    zero.close();
    configured.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa", "secp256r1", "secp384r1"})
  void certificateForTheAkRecoveredWithTheEk(String ekType) throws Exception {
    SoftwareTpm tpm = SoftwareTpm.create(ekType, manufacturer);
    for (EmbeddedEstServer server : List.of(zero, configured)) {
      TpmEnrollClient client = server == zero ? zeroClient : configuredClient;
      X509Certificate cert = TpmEnrollClient.certificate(
          client.post(null, TpmEnrollClient.parts(tpm, tpm.akCsr("John Doe"))), tpm);
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=John Doe");
      assertThat(cert.getPublicKey()).isEqualTo(tpm.akKeys.getPublic());
      cert.verify(server.caCertificates().get(0).getPublicKey());
    }
  }

  @Test
  void ekCertificateForAnotherKeyIs422() throws Exception {
    SoftwareTpm tpm = SoftwareTpm.create("rsa", manufacturer);
    SoftwareTpm other = SoftwareTpm.create("rsa", manufacturer);
    SoftwareTpm mixed = new SoftwareTpm(tpm.ekKeys, tpm.ek, other.ekChain, tpm.akKeys, tpm.ak);
    assertError(zeroClient.post(null, TpmEnrollClient.parts(mixed, mixed.akCsr("John Doe"))),
        422, "public key in public area doesn't match");
  }

  @Test
  void ekThatIsNoRestrictedDecryptionKeyIs422() throws Exception {
    SoftwareTpm tpm = SoftwareTpm.create("secp256r1", manufacturer);
    // a signing key with the EK certificate's key: matches the certificate, but is no EK
    SoftwareTpm signer = new SoftwareTpm(tpm.ekKeys,
        TpmPublicBuilder.akTemplate(tpm.ekKeys.getPublic()).build(), tpm.ekChain, tpm.akKeys, tpm.ak);
    TpmEnrollClient.Response r = zeroClient.post(null, TpmEnrollClient.parts(signer, signer.akCsr("John Doe")));
    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(r.text()).startsWith("422 EK is not a storage key: the EK public area must be a restricted decryption key");
  }

  @Test
  void partCountIsEnforced() throws Exception {
    SoftwareTpm tpm = SoftwareTpm.create("rsa", manufacturer);
    List<MultipartPart> parts = TpmEnrollClient.parts(tpm, tpm.akCsr("John Doe"));
    String expected = "/tpmenroll needs exactly 4 parts (AK certificate signing request, EK certificate"
        + " chain, EK public area, AK public area), not ";
    assertError(zeroClient.post(null, parts.subList(0, 3)), 400, expected + 3);
    List<MultipartPart> five = new ArrayList<>(parts);
    five.add(parts.get(3));
    assertError(zeroClient.post(null, five), 400, expected + 5);
    assertError(zeroClient.post(null, List.of()), 400, expected + 0);
  }

  @Test
  void eachMalformedPartIsNamed() throws Exception {
    SoftwareTpm tpm = SoftwareTpm.create("rsa", manufacturer);
    List<MultipartPart> good = TpmEnrollClient.parts(tpm, tpm.akCsr("John Doe"));

    assertError(zeroClient.post(null, replace(good, 0, MultipartPart.base64(TpmEnrollClient.OCTET, new byte[] {1}))),
        415, "Content-Type of first part (AK certificate signing request) must be application/pkcs10, not application/octet-stream");
    assertError(zeroClient.post(null, replace(good, 2, MultipartPart.base64("application/pkcs10", tpm.ek.encode()))),
        415, "Content-Type of third part (EK public area) must be application/octet-stream, not application/pkcs10");
    assertError(zeroClient.post(null, replace(good, 3, new MultipartPart(
            List.of(Map.entry("Content-Transfer-Encoding", "binary"), Map.entry("Content-Type", TpmEnrollClient.OCTET)),
            tpm.ak.encode()))),
        415, "Content-Transfer-Encoding of fourth part must be base64");
    assertError(zeroClient.post(null, replace(good, 1, new MultipartPart(good.get(1).headers(),
            "not base64 at all!".getBytes(StandardCharsets.US_ASCII)))),
        400, "second part (EK certificate chain): invalid base64 encoding");
    assertError(zeroClient.post(null, replace(good, 0, MultipartPart.base64("application/pkcs10", new byte[] {0x30, 0x03, 1, 2, 3}))),
        400, "first part (AK certificate signing request): malformed PKCS10 certificate signing request");
    assertError(zeroClient.post(null, replace(good, 1, MultipartPart.base64(
            "application/pkcs7-mime; smime-type=certs-only", CertsOnly.encode(List.of())))),
        400, "second part (EK certificate chain): no certificates found in PKCS7 structure");
    byte[] truncated = java.util.Arrays.copyOf(tpm.ak.encode(), 20);
    assertError(zeroClient.post(null, replace(good, 3, MultipartPart.base64(TpmEnrollClient.OCTET, truncated))),
        400, "fourth part (AK public area): malformed TPM object public area: TPMT_PUBLIC: truncated at byte 20");
    byte[] keyedHash = tpm.ek.encode();
    keyedHash[1] = 0x08;
    assertError(zeroClient.post(null, replace(good, 2, MultipartPart.base64(TpmEnrollClient.OCTET, keyedHash))),
        400, "third part (EK public area): malformed TPM object public area: TPMT_PUBLIC: object type 0x0008"
            + " is not a key (only RSA 0x0001 and ECC 0x0023 are supported)");
    assertError(zeroClient.post(null, "application/pkcs10", new byte[] {'x'}), 415, "Content-Type must be multipart/mixed");
  }

  @Test
  void manufacturerRootsConfiguredForALabel() throws Exception {
    SoftwareTpm genuine = SoftwareTpm.create("rsa", manufacturer);
    X509Certificate cert = TpmEnrollClient.certificate(
        configuredClient.post("verified", TpmEnrollClient.parts(genuine, genuine.akCsr("Genuine"))), genuine);
    assertThat(cert.getPublicKey()).isEqualTo(genuine.akKeys.getPublic());

    // the chain may carry intermediates; the configured root anchors it
    TestCertificate intermediate = TestCertificate.builder().commonName("TPM Manufacturer Issuing CA")
        .certificateAuthority(0).signedBy(manufacturer).build();
    SoftwareTpm viaIntermediate = SoftwareTpm.create("secp256r1", intermediate);
    assertThat(viaIntermediate.ekChain).hasSize(2);
    TpmEnrollClient.certificate(configuredClient.post("verified",
        TpmEnrollClient.parts(viaIntermediate, viaIntermediate.akCsr("Via Intermediate"))), viaIntermediate);

    SoftwareTpm foreign = SoftwareTpm.create("rsa", otherManufacturer);
    assertError(configuredClient.post("verified", TpmEnrollClient.parts(foreign, foreign.akCsr("Foreign"))),
        422, "second part (EK certificate chain): EK certificate does not chain to a trusted TPM manufacturer certificate");
    // without roots (the unlabelled path) the chain is not verified, as in the seed
    TpmEnrollClient.certificate(configuredClient.post(null, TpmEnrollClient.parts(foreign, foreign.akCsr("Foreign"))), foreign);
  }

  @Test
  void authenticationAsForEnroll() throws Exception {
    SoftwareTpm tpm = SoftwareTpm.create("rsa", manufacturer);
    TpmEnrollClient anonymous = new TpmEnrollClient(configured.port(), configured.root(), null, null);
    TpmEnrollClient.Response r = anonymous.post(null, TpmEnrollClient.parts(tpm, tpm.akCsr("John Doe")));
    assertThat(r.status()).as("%s", r).isEqualTo(401);
    TpmEnrollClient wrong = new TpmEnrollClient(configured.port(), configured.root(), "device", "wrong");
    assertThat(wrong.post(null, TpmEnrollClient.parts(tpm, tpm.akCsr("John Doe"))).status()).isEqualTo(401);
  }

  /** A one-time token (estserver tokens create) as the Basic password: once, like /simpleenroll. */
  @Test
  void anEnrollmentTokenWorksOnce() throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int exit = org.est4j.cli.EstServerCommand.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
        "tokens", "create", "--subject-pattern", "tpm-device-*", "--config", dir.resolve("estserver.yaml").toString());
    assertThat(exit).as(err.toString()).isZero();
    String token = out.toString().strip();
    SoftwareTpm tpm = SoftwareTpm.create("rsa", manufacturer);
    TpmEnrollClient withToken = new TpmEnrollClient(configured.port(), configured.root(), "device-7", token);
    X509Certificate cert = TpmEnrollClient.certificate(
        withToken.post(null, TpmEnrollClient.parts(tpm, tpm.akCsr("tpm-device-7"))), tpm);
    assertThat(cert.getPublicKey()).isEqualTo(tpm.akKeys.getPublic());
    TpmEnrollClient.Response again = withToken.post(null, TpmEnrollClient.parts(tpm, tpm.akCsr("tpm-device-7")));
    assertThat(again.status()).as("%s", again).isEqualTo(403);
    assertThat(again.text()).contains("already been used");
  }

  @Test
  void triggerErrorLabelsInZeroConfigMode() throws Exception {
    SoftwareTpm tpm = SoftwareTpm.create("rsa", manufacturer);
    assertError(zeroClient.post("triggererrors", TpmEnrollClient.parts(tpm, tpm.akCsr("Trigger Error Forbidden"))),
        403, "triggered forbidden response");
    TpmEnrollClient.Response deferred =
        zeroClient.post("triggererrors", TpmEnrollClient.parts(tpm, tpm.akCsr("Trigger Error Deferred")));
    assertError(deferred, 202, "triggered deferred response");
    assertThat(deferred.retryAfter()).isEqualTo("600");
    TpmEnrollClient.Response unknown =
        zeroClient.post("triggererrors", TpmEnrollClient.parts(tpm, tpm.akCsr("Trigger Error Unknown")));
    assertThat(unknown.status()).isEqualTo(500);
    assertThat(unknown.text()).startsWith("500 internal server error");
    // any other CN enrolls on the trigger label
    TpmEnrollClient.certificate(
        zeroClient.post("triggererrors", TpmEnrollClient.parts(tpm, tpm.akCsr("John Doe"))), tpm);
  }

  private static List<MultipartPart> replace(List<MultipartPart> parts, int index, MultipartPart part) {
    List<MultipartPart> out = new ArrayList<>(parts);
    out.set(index, part);
    return out;
  }

  private static void assertError(TpmEnrollClient.Response r, int status, String message) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.text()).isEqualTo(status + " " + message + "\n");
  }
}
