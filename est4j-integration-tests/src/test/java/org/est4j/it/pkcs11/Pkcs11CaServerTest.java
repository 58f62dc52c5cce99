package org.est4j.it.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.KeyPairs;
import org.est4j.client.Pkcs11Key;
import org.est4j.client.TrustAnchors;
import org.est4j.it.EstServerJar;
import org.est4j.it.interop.ExternalTools;
import org.est4j.protocol.pem.PemWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * estserver with its CA key on a SoftHSM2 token, as the README tells an operator to set it up:
 * {@code estserver ca selfsign} (run as {@code java -jar est4j.jar}, so the manifest's Add-Exports
 * is what makes PKCS#11 work) makes the root certificate with the token key, the configuration
 * names the key ({@code private_key: {hsm: ...}} for the EC key, a {@code pkcs11:} URI for the RSA
 * key), and the certificates the server issues (signed by the token) pass {@code openssl verify}.
 */
class Pkcs11CaServerTest {
  @TempDir static Path dir;
  static SoftHsm hsm;

  @BeforeAll
  static void tokens() {
    hsm = SoftHsm.get();
  }

  private static String run(Path cwd, String... command) throws Exception {
    return run(0, cwd, command);
  }

  private static String run(int expectedExit, Path cwd, String... command) throws Exception {
    Path out = Files.createTempFile(dir, "cmd-", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("SOFTHSM2_CONF", hsm.conf().toString());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + List.of(command));
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(List.of(command) + "\n" + text).isEqualTo(expectedExit);
    return text;
  }

  private static Path openssl() {
    return ExternalTools.openssl();
  }

  private static Path selfSign(int keyId, String cn) throws Exception {
    Path pin = Files.writeString(dir.resolve("pin.txt"), SoftHsm.PIN + "\n");
    String uri = "pkcs11:token=est4j%20CA;id=%" + String.format("%02x", keyId) + "?module-path=" + hsm.library()
        + "&pin-source=file:" + pin;
    Path ca = dir.resolve("ca-" + keyId + ".pem");
    String java = EstServerJar.java();
    run(dir, java, "-jar", EstServerJar.jar().toString(), "ca", "selfsign", "-key", uri, "-subject", "CN=" + cn + ",O=est4j tests",
        "-days", "30", "-out", ca.toString());
    // the token's signature on the root itself
    assertThat(run(dir, openssl().toString(), "verify", "-CAfile", ca.toString(), ca.toString())).contains(": OK");
    return ca;
  }

  private static X509Certificate enrollAndVerify(EmbeddedEstServer server, Path ca, String cn) throws Exception {
    EstClient est = EstClient.builder().server("127.0.0.1:" + server.port())
        .trust(TrustAnchors.explicit(List.of(server.root()))).build();
    byte[] csr = CsrBuilder.create().commonName(cn).sign(KeyPairs.generate("ec:P-256"));
    X509Certificate cert = ((EnrollResult.Issued) est.enroll(csr)).certificate();
    Path leaf = Files.writeString(dir.resolve(cn + ".pem"), PemWriter.toPem(cert));
    assertThat(run(dir, openssl().toString(), "verify", "-CAfile", ca.toString(), leaf.toString())).contains(": OK");
    return cert;
  }

  @ParameterizedTest(name = "CA key id {0}")
  @ValueSource(ints = {0x0a, 0x0b})
  void serverSignsWithTheTokenKey(int keyId) throws Exception {
    Path ca = selfSign(keyId, "est4j HSM Root " + keyId);
    String privateKey = keyId == 0x0a
        ? "{hsm: {pkcs11_library_path: \"" + hsm.library() + "\", token_label: \"est4j CA\", token_pin: \""
            + SoftHsm.PIN + "\", key_id: " + keyId + "}}"
        : "\"pkcs11:token=est4j%20CA;object=ca-rsa?module-path=" + hsm.library() + "&pin-value=" + SoftHsm.PIN + "\"";
    Path config = Files.writeString(dir.resolve("server-" + keyId + ".yaml"),
        "allow_unauthenticated_enrollment: true\nmock_ca:\n  certificates: " + ca + "\n  private_key: " + privateKey + "\n");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), "127.0.0.1:0")) {
      X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(ca)));
      assertThat(server.caCertificates()).containsExactly(root);
      X509Certificate cert = enrollAndVerify(server, ca, "leaf-" + keyId);
      cert.verify(root.getPublicKey());
    }
  }

  @Test
  void clientAndCaKeysBothOnTokens() throws Exception {
    Path ca = selfSign(0x0a, "est4j HSM Root both");
    Path config = Files.writeString(dir.resolve("server-both.yaml"),
        "allow_unauthenticated_enrollment: true\nmock_ca:\n  certificates: " + ca + "\n  private_key: \"" + hsm.uri(SoftHsm.CA_TOKEN, 0x0a, true) + "\"\n");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), "127.0.0.1:0");
        Pkcs11Key key = Pkcs11Key.open(hsm.clientKey(0x01))) {
      EstClient est = EstClient.builder().server("127.0.0.1:" + server.port())
          .trust(TrustAnchors.explicit(List.of(server.root()))).build();
      X509Certificate cert = ((EnrollResult.Issued) est.enroll(
          CsrBuilder.create().commonName("both").sign(key.privateKey()))).certificate();
      EstClient renewer = EstClient.builder().server("127.0.0.1:" + server.port())
          .trust(TrustAnchors.explicit(List.of(server.root()))).clientIdentity(key.clientIdentity(List.of(cert))).build();
      X509Certificate renewed = ((EnrollResult.Issued) renewer.reenroll(
          CsrBuilder.forReenrollment(cert).sign(key.privateKey()))).certificate();
      Path leaf = Files.writeString(dir.resolve("both.pem"), PemWriter.toPem(renewed));
      assertThat(run(dir, openssl().toString(), "verify", "-CAfile", ca.toString(), leaf.toString())).contains(": OK");
    }
  }

  /** A named files CA under {@code cas} takes a token key like mock_ca; estserver check opens it. */
  @Test
  void aNamedCaUnderCasWithItsKeyOnTheToken() throws Exception {
    Path ca = selfSign(0x0a, "est4j HSM Named Root");
    Path config = Files.writeString(dir.resolve("server-named.yaml"),
        "allow_unauthenticated_enrollment: true\ncas:\n  hsm:\n    kind: files\n    certificates: " + ca
            + "\n    private_key: \"" + hsm.uri(SoftHsm.CA_TOKEN, 0x0a, true) + "\"\nlabels:\n  secure: {ca: hsm}\n");
    String java = EstServerJar.java();
    assertThat(run(dir, java, "-jar", EstServerJar.jar().toString(), "check", "-config", config.toString()))
        .contains(": ok: 1 CA (hsm)");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), "127.0.0.1:0")) {
      EstClient est = EstClient.builder().server("127.0.0.1:" + server.port()).label("secure")
          .trust(TrustAnchors.explicit(List.of(server.root()))).build();
      X509Certificate cert = ((EnrollResult.Issued) est.enroll(
          CsrBuilder.create().commonName("named-hsm").sign(KeyPairs.generate("ec:P-256")))).certificate();
      Path leaf = Files.writeString(dir.resolve("named-hsm.pem"), PemWriter.toPem(cert));
      assertThat(run(dir, openssl().toString(), "verify", "-CAfile", ca.toString(), leaf.toString())).contains(": OK");
    }
  }

  /**
   * An intermediate CA on the token under an offline root in a file: {@code estserver ca csr}
   * (signed by the token), openssl as the root signs it, and the server issues under it.
   */
  @Test
  void intermediateCaOnTheTokenUnderAnOfflineRoot() throws Exception {
    String openssl = openssl().toString();
    Path rootKey = dir.resolve("offline-root.key");
    Path root = dir.resolve("offline-root.pem");
    run(dir, openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", rootKey.toString(), "-subj", "/CN=Offline Root", "-days", "30",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-out", root.toString());
    Path csr = dir.resolve("issuing.csr");
    String java = EstServerJar.java();
    run(dir, java, "-jar", EstServerJar.jar().toString(), "ca", "csr", "-key", hsm.uri(SoftHsm.CA_TOKEN, 0x0b, true),
        "-subject", "CN=est4j HSM Issuing CA,O=est4j tests", "-out", csr.toString());
    assertThat(run(dir, openssl, "req", "-in", csr.toString(), "-verify", "-noout")).contains("verify OK");
    Path issuing = dir.resolve("issuing.pem");
    run(dir, openssl, "x509", "-req", "-in", csr.toString(), "-CA", root.toString(), "-CAkey", rootKey.toString(),
        "-set_serial", "7", "-days", "20", "-copy_extensions", "copy", "-out", issuing.toString());
    Path chain = Files.writeString(dir.resolve("issuing-chain.pem"),
        Files.readString(issuing) + Files.readString(root));
    Path config = Files.writeString(dir.resolve("server-intermediate.yaml"),
        "allow_unauthenticated_enrollment: true\nmock_ca:\n  certificates: " + chain + "\n  private_key: \""
            + hsm.uri(SoftHsm.CA_TOKEN, 0x0b, true) + "\"\n");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), "127.0.0.1:0")) {
      EstClient est = EstClient.builder().server("127.0.0.1:" + server.port())
          .trust(TrustAnchors.explicit(List.of(server.root()))).build();
      X509Certificate cert = ((EnrollResult.Issued) est.enroll(
          CsrBuilder.create().commonName("under-intermediate").sign(KeyPairs.generate("ec:P-256")))).certificate();
      Path leaf = Files.writeString(dir.resolve("under-intermediate.pem"), PemWriter.toPem(cert));
      assertThat(run(dir, openssl, "verify", "-CAfile", root.toString(), "-untrusted", issuing.toString(),
          leaf.toString())).contains(": OK");
    }
  }

  /** java -cp (not -jar) ignores the manifest: without the flag, the message names it. */
  @Test
  void missingJvmFlagIsNamed() throws Exception {
    String java = EstServerJar.java();
    String out = run(1, dir, java, "-cp", EstServerJar.jar().toString(), "org.est4j.cli.estclient.EstClientCommand", "csr",
        "-key", hsm.uri(SoftHsm.CLIENT_TOKEN, 2, true), "-cn", "no-flag");
    assertThat(out).contains("--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED")
        .doesNotContain("pin-value=" + SoftHsm.PIN);
  }

  @Test
  void configErrorsNameTheKey() throws Exception {
    Path ca = selfSign(0x0a, "est4j HSM Root errors");
    Path noPin = Files.writeString(dir.resolve("nopin.yaml"), "mock_ca:\n  certificates: " + ca
        + "\n  private_key: {hsm: {pkcs11_library_path: \"" + hsm.library() + "\", token_label: \"est4j CA\","
        + " token_pin: \"\", key_id: 10}}\n");
    assertThatThrownBy(() -> EmbeddedEstServer.start(Optional.of(noPin), "127.0.0.1:0"))
        .hasMessageContaining("mock_ca.private_key").hasMessageContaining("no PIN");
    // the RSA key of the token does not match the EC root
    Path wrongKey = Files.writeString(dir.resolve("wrongkey.yaml"), "mock_ca:\n  certificates: " + ca
        + "\n  private_key: \"" + hsm.uri(SoftHsm.CA_TOKEN, 0x0b, true) + "\"\n");
    assertThatThrownBy(() -> EmbeddedEstServer.start(Optional.of(wrongKey), "127.0.0.1:0"))
        .hasMessageContaining("does not match");
  }
}
