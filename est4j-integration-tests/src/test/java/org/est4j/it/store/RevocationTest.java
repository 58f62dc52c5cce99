package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.ClientIdentity;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.EstServerException;
import org.est4j.client.KeyPairs;
import org.est4j.client.TrustAnchors;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.AuditQuery;
import org.est4j.store.jdbc.JdbcAuditStore;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.testing.TestCertificate;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 5 §4 through the real server: a certificate revoked with {@code estserver certs revoke}
 * cannot reenroll (403 naming serial, date and reason), nor can an expired one of the same CA;
 * {@code estserver audit} finds the refusals by outcome and identity.
 */
class RevocationTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void revokedAndExpiredCertificatesCannotReenroll(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    TestPki pki = TestPki.create();
    Path caFile = pki.intermediate().writeTo(dir, "ca");
    Path config = Files.writeString(dir.resolve("estserver.yaml"), "tls:\n  listen_address: 127.0.0.1:0\n"
        + "mock_ca:\n  certificates: " + caFile + "\n  private_key: " + dir.resolve("ca-key.pem") + "\n"
        + "users:\n  - username: alice\n    password: wonderland\n" + db.yaml());
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      EstClientBuilder base = EstClient.builder().server("localhost:" + server.port())
          .trust(TrustAnchors.explicit(List.of(pki.root().certificate())));
      KeyPair key = KeyPairs.generate("ec:P-256");
      X509Certificate cert = base.basicAuth("alice", "wonderland".toCharArray()).build()
          .enrollAndWait(CsrBuilder.create().commonName("meter-1").sign(key), Duration.ofSeconds(10));
      EstClient holder = EstClient.builder().server("localhost:" + server.port())
          .trust(TrustAnchors.explicit(List.of(pki.root().certificate())))
          .clientIdentity(ClientIdentity.of(key.getPrivate(), List.of(cert))).build();
      KeyPair next = KeyPairs.generate("ec:P-256");
      X509Certificate renewed = holder.reenrollAndWait(CsrBuilder.forReenrollment(cert, next).sign(next), Duration.ofSeconds(10));
      assertThat(renewed.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());

      String serial = cert.getSerialNumber().toString(16);
      EstServerCli.Result revoke = EstServerCli.run("certs", "revoke", serial, "--reason", "keyCompromise", "-config", config.toString());
      assertThat(revoke.exit()).as(revoke.err()).isZero();
      KeyPair third = KeyPairs.generate("ec:P-256");
      assertThatThrownBy(() -> holder.reenroll(CsrBuilder.forReenrollment(cert, third).sign(third)))
          .isInstanceOfSatisfying(EstServerException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.serverMessage()).matches("403 certificate " + serial + " was revoked on \\d{4}-\\d\\d-\\d\\dT.* \\(keyCompromise\\)");
          });

      TestCertificate old = TestCertificate.builder().commonName("meter-old").clientAuth()
          .validity(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)))
          .signedBy(pki.intermediate()).build();
      EstClient expired = EstClient.builder().server("localhost:" + server.port())
          .trust(TrustAnchors.explicit(List.of(pki.root().certificate())))
          .clientIdentity(ClientIdentity.of(old.keyPair().getPrivate(), List.of(old.certificate()))).build();
      KeyPair fourth = KeyPairs.generate("ec:P-256");
      assertThatThrownBy(() -> expired.reenroll(CsrBuilder.forReenrollment(old.certificate(), fourth).sign(fourth)))
          .isInstanceOfSatisfying(EstServerException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.serverMessage()).startsWith("403 certificate " + old.certificate().getSerialNumber().toString(16) + " expired on ");
          });
    }
    EstServerCli.Result failures = EstServerCli.run("audit", "--outcome", "failure", "--identity", "cert:CN=meter-1",
        "-config", config.toString());
    assertThat(failures.exit()).as(failures.err()).isZero();
    assertThat(failures.out()).contains("was revoked on").doesNotContain("expired on").doesNotContain("success");
    EstServerCli.Result json = EstServerCli.run("audit", "--json", "--since", "1h", "--outcome", "success", "-config", config.toString());
    assertThat(json.out().lines()).hasSize(2).allMatch(l -> l.startsWith("{\"time\":\"") && l.contains("\"serial\":\""));
    assertThat(EstServerCli.run("audit", "--until", "1h", "-config", config.toString()).out().lines()).as("header only").hasSize(1);
    try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
      List<AuditEvent> events = new JdbcAuditStore(store.database()).query(
          new AuditQuery(Optional.empty(), Optional.empty(), Optional.of(""), Optional.empty(), Optional.of("failure"), 100));
      assertThat(events).extracting(e -> e.reason().orElse("")).anyMatch(r -> r.contains("expired on"));
      assertThat(events).allSatisfy(e -> assertThat(e.clientAddress()).isEqualTo("127.0.0.1"));
    }
  }
}
