package org.est4j.it.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.ClientIdentity;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.EstServerException;
import org.est4j.client.KeyPairs;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.pem.PemWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * est4j-client against a configured est4j server: enrollment needs Basic (alice/wonderland) or a
 * client certificate the server issued, and only Host "est.example" is allowed. (How many
 * requests the Basic flows put on the wire is asserted in est4j-client's EstClientWireTest, where
 * a scripted server can count them.)
 */
class ClientConfiguredServerTest {
  static final String HOST = "est.example";
  @TempDir static Path dir;
  static EmbeddedEstServer server;

  @BeforeAll
  static void start() throws Exception {
    Path config = dir.resolve("estserver.yaml");
    Files.writeString(config,
        "tls: {listen_address: 127.0.0.1:0}\n"
            + "allowed_hosts: [" + HOST + "]\n"
            + "users: [{username: alice, password: wonderland}]\n",
        StandardCharsets.UTF_8);
    server = EmbeddedEstServer.start(Optional.of(config), null);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static EstClientBuilder client() {
    return EstClient.builder().server("127.0.0.1:" + server.port())
        .trust(TrustAnchors.explicit(List.of(server.root()))).hostHeader(HOST);
  }

  static byte[] csr(String cn, KeyPair key) throws Exception {
    return CsrBuilder.create().commonName(cn).sign(key);
  }

  @Test
  void hostHeaderOverrideReachesTheServer() throws Exception {
    assertThat(client().build().caCerts()).isEqualTo(server.caCertificates());
    EstClient noOverride = EstClient.builder().server("127.0.0.1:" + server.port())
        .trust(TrustAnchors.explicit(List.of(server.root()))).build();
    assertThatThrownBy(noOverride::caCerts)
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("host not allowed");
  }

  @Test
  void withoutCredentialsIs401() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    assertThatThrownBy(() -> client().build().enroll(csr("nobody", key)))
        .isInstanceOfSatisfying(EstServerException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.serverMessage()).isEmpty();
        })
        .hasMessageStartingWith("server refused /simpleenroll: 401");
  }

  @Test
  void basicAnswersTheChallenge() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    EnrollResult r = client().basicAuth("alice", "wonderland".toCharArray()).build().enroll(csr("alice-1", key));
    Chains.assertKeyMatches(key, ((EnrollResult.Issued) r).certificate());
  }

  @Test
  void preemptiveBasic() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    EnrollResult r = client().basicAuth("alice", "wonderland".toCharArray()).preemptiveBasicAuth(true).build()
        .enroll(csr("alice-2", key));
    assertThat(r).isInstanceOf(EnrollResult.Issued.class);
  }

  @Test
  void wrongPasswordIs401AfterOneRetry() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    assertThatThrownBy(() -> client().basicAuth("alice", "queen".toCharArray()).build().enroll(csr("eve", key)))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void clientCertificateAuthenticatesEnrollAndReenroll() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    X509Certificate cert = ((EnrollResult.Issued) client().basicAuth("alice", "wonderland".toCharArray()).build()
        .enroll(csr("device-tls", key))).certificate();
    Path certFile = dir.resolve("device.pem");
    Path keyFile = dir.resolve("device.key");
    Files.writeString(certFile, PemWriter.toPem(cert));
    Files.writeString(keyFile, PemWriter.privateKeyToPem(key.getPrivate()));
    EstClient tls = client().clientIdentity(ClientIdentity.fromPem(certFile, keyFile, Optional.empty())).build();
    KeyPair other = KeyPairs.generate("ec:P-256");
    assertThat(tls.enroll(csr("another-device", other))).isInstanceOf(EnrollResult.Issued.class);
    KeyPair next = KeyPairs.generate("ec:P-256");
    X509Certificate renewed = ((EnrollResult.Issued) tls.reenroll(CsrBuilder.forReenrollment(cert, next).sign(next))).certificate();
    Chains.assertKeyMatches(next, renewed);
    assertThat(renewed.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
  }

  @Test
  void clientIdentityFromPkcs12() throws Exception {
    KeyPair key = KeyPairs.generate("rsa:2048");
    X509Certificate cert = ((EnrollResult.Issued) client().basicAuth("alice", "wonderland".toCharArray()).build()
        .enroll(csr("device-p12", key))).certificate();
    char[] password = "p12-secret".toCharArray();
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("device", key.getPrivate(), password, new X509Certificate[] {cert});
    Path p12 = dir.resolve("device.p12");
    try (java.io.OutputStream out = Files.newOutputStream(p12)) {
      ks.store(out, password);
    }
    EstClient tls = client().clientIdentity(ClientIdentity.fromPkcs12(p12, password)).build();
    KeyPair next = KeyPairs.generate("ec:P-256");
    X509Certificate renewed = ((EnrollResult.Issued) tls.reenroll(CsrBuilder.forReenrollment(cert, next).sign(next))).certificate();
    Chains.assertKeyMatches(next, renewed);
    assertThatThrownBy(() -> ClientIdentity.fromPkcs12(p12, "wrong".toCharArray()))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("device.p12");
  }
}
