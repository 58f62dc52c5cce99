package org.est4j.it.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.cli.EstServerCommand;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.KeyPairs;
import org.est4j.client.TrustAnchors;
import org.est4j.it.interop.ExternalTools;
import org.est4j.protocol.pem.PemWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code estserver ca init --pkcs11}: root and issuing CA keys generated on a SoftHSM2 token
 * (sensitive, never extractable), only certificates in the data directory, and an embedded CA
 * ({@code cas.NAME.pkcs11}) that signs with the token key; openssl verifies what it issues.
 */
class EmbeddedCaOnTokenTest {
  @TempDir static Path dir;
  static SoftHsm hsm;
  static Path pin;

  @BeforeAll
  static void tokens() throws Exception {
    hsm = SoftHsm.get();
    pin = Files.writeString(dir.resolve("pin.txt"), SoftHsm.PIN + "\n");
  }

  record Run(int exit, String out, String err) {}

  private static Run estserver(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = EstServerCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String tokenUri() {
    return "pkcs11:token=est4j%20CA?module-path=" + hsm.library() + "&pin-source=file:" + pin;
  }

  @Test
  void caInitGeneratesBothKeysOnTheTokenAndTheServerSignsWithIt() throws Exception {
    Path data = dir.resolve("data");
    Run init = estserver("ca", "init", "--name", "hsmca", "--data-dir", data.toString(), "--pkcs11", tokenUri(),
        "--subject", "CN=HSM Root CA,O=est4j tests");
    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(init.out()).contains("est4j-ca-hsmca-root").contains("est4j-ca-hsmca-issuing")
        .contains("kind: embedded, pkcs11:").doesNotContain(SoftHsm.PIN + "'");
    Path ca = data.resolve("cas").resolve("hsmca");
    assertThat(ca.resolve("chain.pem")).exists();
    assertThat(ca.resolve("token-keys.txt")).exists();
    assertThat(ca.resolve("issuing-key.pem")).doesNotExist();
    assertThat(ca.resolve("root-key.pem")).doesNotExist();

    String objects = hsm.run("pkcs11-tool", "--module", hsm.library().toString(), "--token-label", SoftHsm.CA_TOKEN,
        "--login", "--pin", SoftHsm.PIN, "--list-objects", "--type", "privkey");
    for (String label : List.of("est4j-ca-hsmca-root", "est4j-ca-hsmca-issuing")) {
      int at = objects.indexOf("label:      " + label);
      assertThat(at).as(objects).isNotNegative();
      String block = objects.substring(at, Math.min(objects.length(), at + 400));
      assertThat(block).contains("sensitive").contains("never extractable");
    }

    Run twice = estserver("ca", "init", "--name", "hsmca", "--data-dir", dir.resolve("other").toString(),
        "--pkcs11", tokenUri());
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.err()).contains("already exists on the token").contains("nothing was generated");
    Run namesAKey = estserver("ca", "init", "--name", "x", "--data-dir", dir.resolve("x").toString(),
        "--pkcs11", "pkcs11:token=est4j%20CA;id=%0a?module-path=" + hsm.library());
    assertThat(namesAKey.exit()).isEqualTo(2);
    assertThat(namesAKey.err()).contains("--pkcs11: names a key (id=)");

    Path config = Files.writeString(dir.resolve("estserver.yaml"), "data_dir: " + data + "\n"
        + "allow_unauthenticated_enrollment: true\ntls: {listen_address: 127.0.0.1:0}\n"
        + "cas:\n  hsmca: {kind: embedded, pkcs11: '" + tokenUri() + "'}\nca: hsmca\n", StandardCharsets.UTF_8);
    Run check = estserver("check", "-config", config.toString());
    assertThat(check.exit()).as(check.err() + check.out()).isZero();
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      EstClient est = EstClient.builder().server("127.0.0.1:" + server.port())
          .trust(TrustAnchors.explicit(List.of(server.root()))).build();
      X509Certificate cert = ((EnrollResult.Issued) est.enroll(
          CsrBuilder.create().commonName("on-token").sign(KeyPairs.generate("ec:P-256")))).certificate();
      Path leaf = Files.writeString(dir.resolve("leaf.pem"), PemWriter.toPem(cert));
      String verify = hsm.run(ExternalTools.openssl().toString(), "verify", "-CAfile", ca.resolve("root.pem").toString(),
          "-untrusted", ca.resolve("chain.pem").toString(), leaf.toString());
      assertThat(verify).contains(": OK");
      assertThat(server.root().getSubjectX500Principal().getName()).isEqualTo("CN=HSM Root CA,O=est4j tests");
    }

    Path withPassphrase = Files.writeString(dir.resolve("bad.yaml"), "data_dir: " + data + "\n"
        + "cas:\n  hsmca: {kind: embedded, passphrase_file: " + pin + "}\nca: hsmca\n", StandardCharsets.UTF_8);
    Run bad = estserver("check", "-config", withPassphrase.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("cas.hsmca:").contains("are on a PKCS#11 token").contains("cas.hsmca.pkcs11");
  }
}
