package org.est4j.it.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.Pkcs11Key;
import org.est4j.client.Pkcs11KeyException;
import org.est4j.client.Pkcs11KeySpec;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.Csr;
import org.est4j.protocol.Jca;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * est4j-client with keys on a SoftHSM2 token (no certificate on the token): CSRs signed by the
 * token, enrollment at est4j's real server, and reenrollment with the token key as TLS client
 * identity (the handshake signature made by the token: RSA-PSS in TLS 1.3, ECDSA).
 */
class Pkcs11ClientTest {
  static SoftHsm hsm;
  static EmbeddedEstServer server;

  @BeforeAll
  static void start() throws Exception {
    hsm = SoftHsm.get();
    server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static EstClientBuilder client() {
    return EstClient.builder().server("127.0.0.1:" + server.port())
        .trust(TrustAnchors.explicit(List.of(server.root())));
  }

  @ParameterizedTest(name = "key id {0}")
  @ValueSource(ints = {0x01, 0x02})
  void enrollAndReenrollWithATokenKey(int id) throws Exception {
    try (Pkcs11Key key = Pkcs11Key.open(hsm.clientKey(id))) {
      assertThat(key.privateKey().getEncoded()).isNull();
      assertThat(key.privateKey().getAlgorithm()).isEqualTo(id == 1 ? "RSA" : "EC");

      byte[] csr = CsrBuilder.create().commonName("hsm-device-" + id).addDnsName("hsm.example").sign(key.privateKey());
      Csr.decode(csr).verify(); // throws when the token's signature is wrong
      X509Certificate cert = ((EnrollResult.Issued) client().build().enroll(csr)).certificate();
      assertThat(cert.getPublicKey()).isEqualTo(key.publicKey());

      // TLS client authentication by the token key, and a renewal CSR signed by it again
      EstClient renewer = client().clientIdentity(key.clientIdentity(List.of(cert))).build();
      byte[] renewal = CsrBuilder.forReenrollment(cert).sign(key.privateKey());
      X509Certificate renewed = ((EnrollResult.Issued) renewer.reenroll(renewal)).certificate();
      assertThat(renewed.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
      assertThat(renewed.getPublicKey()).isEqualTo(key.publicKey());
      assertThat(renewed.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());
    }
  }

  /** Every algorithm the provider offers, verified by the JDK's own providers. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA", "SHA1withECDSA",
      "SHA256withRSA", "SHA384withRSA", "SHA512withRSA", "RSASSA-PSS/SHA-256", "RSASSA-PSS/SHA-512"})
  void signaturesVerify(String name) throws Exception {
    boolean rsa = name.contains("RSA");
    String algorithm = name.startsWith("RSASSA-PSS") ? "RSASSA-PSS" : name;
    PSSParameterSpec pss = null;
    if (name.startsWith("RSASSA-PSS")) {
      String digest = name.substring(name.indexOf('/') + 1);
      int saltLength = digest.equals("SHA-256") ? 32 : 64;
      pss = new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest), saltLength, 1);
    }
    byte[] message = ("est4j " + name).getBytes(StandardCharsets.UTF_8);
    try (Pkcs11Key key = Pkcs11Key.open(hsm.clientKey(rsa ? 1 : 2))) {
      Signature signer = Signature.getInstance(algorithm);
      // the key picks the provider: parameters set before initSign would fix SunRsaSign first
      signer.initSign(key.privateKey());
      if (pss != null) {
        signer.setParameter(pss);
      }
      assertThat(signer.getProvider().getName()).isEqualTo("Est4jPkcs11");
      // est4j's own look-up (CSRs, the CA) skips the preferred provider (Conscrypt, set by the server
      // in this JVM) for a key without an encoding
      if (pss == null) {
        assertThat(Jca.signer(algorithm, key.privateKey()).getProvider().getName()).isEqualTo("Est4jPkcs11");
      }
      signer.update(message);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm, rsa ? "SunRsaSign" : "SunEC");
      if (pss != null) {
        verifier.setParameter(pss);
      }
      verifier.initVerify(key.publicKey());
      verifier.update(message);
      assertThat(verifier.verify(signature)).isTrue();
    }
  }

  @Test
  void rfc7512UriNamesTheSameKey(@TempDir Path dir) throws Exception {
    Path pinFile = dir.resolve("pin");
    Files.writeString(pinFile, SoftHsm.PIN + "\n");
    String uri = "pkcs11:token=Testing%20Token;object=ec;type=private?module-path=" + hsm.library()
        + "&pin-source=file:" + pinFile;
    try (Pkcs11Key byUri = Pkcs11Key.open(Pkcs11KeySpec.fromUri(uri));
        Pkcs11Key byId = Pkcs11Key.open(hsm.clientKey(0x02))) {
      assertThat(byUri.publicKey()).isEqualTo(byId.publicKey());
    }
    try (Pkcs11Key byIdUri = Pkcs11Key.open(Pkcs11KeySpec.fromUri(hsm.uri(SoftHsm.CLIENT_TOKEN, 1, true)))) {
      assertThat(byIdUri.privateKey().getAlgorithm()).isEqualTo("RSA");
    }
  }

  @Test
  void clearErrorsNeverShowThePin() {
    assertThatThrownBy(() -> Pkcs11Key.open(hsm.clientKey(1).withPin("98765".toCharArray())))
        .isInstanceOf(Pkcs11KeyException.class).hasMessageContaining("wrong PIN")
        .hasMessageNotContaining("98765");
    assertThatThrownBy(() -> Pkcs11Key.open(hsm.spec("No Such Token", 1)))
        .isInstanceOf(Pkcs11KeyException.class).hasMessageContaining("no token with the label \"No Such Token\"")
        .hasMessageContaining("Testing Token");
    assertThatThrownBy(() -> Pkcs11Key.open(hsm.clientKey(0x33)))
        .isInstanceOf(Pkcs11KeyException.class).hasMessageContaining("no such private key");
    assertThatThrownBy(() -> Pkcs11Key.open(hsm.clientKey(1).toBuilder().module(Path.of("/nonexistent/lib.so")).build()))
        .isInstanceOf(Pkcs11KeyException.class).hasMessageContaining("/nonexistent/lib.so");
  }
}
