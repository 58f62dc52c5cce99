package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.EnrollmentToken;
import org.est4j.server.store.InMemoryCertificateStore;
import org.est4j.server.store.InMemoryPendingRequestStore;
import org.est4j.server.store.PendingRequest;
import org.est4j.server.store.PendingStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's side of enrollment tokens, with the in-memory store: which operations take them,
 * how they combine with the other credentials, and that a refused token records nothing.
 */
class TokenAuthenticationTest {
  private static EmbeddedCa ca;
  private static KeyPair key;

  @BeforeAll
  static void setUp() throws Exception {
    ca = TransientCa.create();
    key = TestRequests.p256();
  }

  private static EstServerEngine engine(InMemoryCertificateStore store) {
    LabelSettings main = LabelSettings.builder(ca).build();
    return new EstServerEngine(EstServerSettings.builder(main).label("iot", main)
        .users(UserStore.of(Map.of("alice", PasswordHash.create("wonderland".toCharArray(), 10_000))))
        .certificateStore(store).build());
  }

  private static String token(InMemoryCertificateStore store, String label, String pattern) {
    Instant now = Instant.now();
    return EnrollmentTokens.create(store.tokens().orElseThrow(), Optional.ofNullable(label), pattern, now,
        now.plus(1, ChronoUnit.HOURS), "test").text();
  }

  @Test
  void serverKeyGenTakesATokenOnceAndReenrollRefusesIt() throws Exception {
    InMemoryCertificateStore store = new InMemoryCertificateStore();
    EstServerEngine engine = engine(store);
    String t = token(store, "iot", "keygen-*");
    byte[] csr = TestRequests.base64(TestRequests.csr(key, "CN=keygen-1"));

    EstResponse r = engine.handle(TestRequests.post("/.well-known/est/iot/serverkeygen", csr)
        .header("Authorization", "Bearer " + t).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    r = engine.handle(TestRequests.post("/.well-known/est/iot/serverkeygen", csr)
        .header("Authorization", "Bearer " + t).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyText()).contains("already been used");

    String other = token(store, "iot", "*");
    r = engine.handle(TestRequests.post("/.well-known/est/iot/simplereenroll", csr).basic("token", other).build());
    assertThat(r.status()).as("reenroll's credential is the certificate being renewed").isEqualTo(403);
    assertThat(store.tokens().orElseThrow().findBySha256(EnrollmentTokens.sha256(other)).orElseThrow().isUsed()).isFalse();
    assertThat(store.list(CertificateQuery.builder().build())).hasSize(1);
  }

  @Test
  void wrongCredentialsAreNotRescuedByOthers() throws Exception {
    InMemoryCertificateStore store = new InMemoryCertificateStore();
    EstServerEngine engine = engine(store);
    byte[] csr = TestRequests.base64(TestRequests.csr(key, "CN=x"));
    EstResponse r = engine.handle(TestRequests.post("/.well-known/est/simpleenroll", csr)
        .header("Authorization", "Bearer not-a-token").build());
    assertThat(r.status()).isEqualTo(401);
    r = engine.handle(TestRequests.post("/.well-known/est/simpleenroll", csr)
        .basic("token", EnrollmentTokens.PREFIX + "a".repeat(32)).build());
    assertThat(r.status()).as("an unknown token is a wrong password").isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
    r = engine.handle(TestRequests.post("/.well-known/est/simpleenroll", csr).basic("alice", "wonderland").build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(store.list(CertificateQuery.builder().build())).singleElement()
        .satisfies(row -> assertThat(row.requester()).isEqualTo("user:alice"));
  }

  @Test
  void aLabelsAuthPolicyDecidesWhetherTokensCount() throws Exception {
    InMemoryCertificateStore store = new InMemoryCertificateStore();
    LabelSettings main = LabelSettings.builder(ca).build();
    LabelSettings noTokens = main.toBuilder().auth(AuthPolicy.builder()
        .allow(org.est4j.protocol.EstOperation.SIMPLEENROLL, java.util.Set.of(AuthPolicy.Method.BASIC)).build()).build();
    LabelSettings onlyTokens = main.toBuilder().auth(AuthPolicy.builder()
        .allow(org.est4j.protocol.EstOperation.SIMPLEENROLL, java.util.Set.of(AuthPolicy.Method.TOKEN)).build()).build();
    EstServerEngine engine = new EstServerEngine(EstServerSettings.builder(main).label("basic", noTokens)
        .label("tokens", onlyTokens)
        .users(UserStore.of(Map.of("alice", PasswordHash.create("wonderland".toCharArray(), 10_000))))
        .certificateStore(store).build());
    byte[] csr = TestRequests.base64(TestRequests.csr(key, "CN=x"));
    EstResponse r = engine.handle(TestRequests.post("/.well-known/est/basic/simpleenroll", csr)
        .header("Authorization", "Bearer " + token(store, "basic", "*")).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyText()).contains("an enrollment token may not be used for simpleenroll").contains("[basic]");
    r = engine.handle(TestRequests.post("/.well-known/est/tokens/simpleenroll", csr).basic("alice", "wonderland").build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyText()).contains("HTTP Basic may not be used");
    r = engine.handle(TestRequests.post("/.well-known/est/tokens/simpleenroll", csr).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyText()).contains("needs an enrollment token");
    r = engine.handle(TestRequests.post("/.well-known/est/tokens/simpleenroll", csr)
        .header("Authorization", "Bearer " + token(store, "tokens", "x")).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
  }

  @Test
  void aTokenOnALabelWithManualApprovalPaysForOneHeldRequest() throws Exception {
    InMemoryCertificateStore store = new InMemoryCertificateStore();
    InMemoryPendingRequestStore pending = new InMemoryPendingRequestStore(store);
    LabelSettings main = LabelSettings.builder(ca).build();
    EstServerEngine engine = new EstServerEngine(EstServerSettings.builder(main)
        .label("held", main.toBuilder().manualApproval(true).build()).certificateStore(store)
        .pendingRequests(pending).build());
    String t = token(store, "held", "held-*");
    byte[] csr = TestRequests.base64(TestRequests.csr(key, "CN=held-1"));
    String path = "/.well-known/est/held/simpleenroll";

    EstResponse r = engine.handle(TestRequests.post(path, csr).header("Authorization", "Bearer " + t).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
    assertThat(r.header("Retry-After")).isNotNull();
    PendingRequest row = pending.list(Optional.empty(), 10).get(0);
    EnrollmentToken spent = store.tokens().orElseThrow().list(10).get(0);
    assertThat(row.requester()).isEqualTo("token:" + spent.id());
    assertThat(spent.usedByRequestId()).as("spent by the held request").contains(row.requestId());

    r = engine.handle(TestRequests.post(path, csr).basic("token", t).build());
    assertThat(r.status()).as("the same CSR retried with the same token").isEqualTo(202);
    byte[] other = TestRequests.base64(TestRequests.csr(TestRequests.p256(), "CN=held-2"));
    r = engine.handle(TestRequests.post(path, other).header("Authorization", "Bearer " + t).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyText()).contains("already been used");
    assertThat(pending.list(Optional.empty(), 10)).hasSize(1);
    r = engine.handle(TestRequests.post("/.well-known/est/held/tpmenroll", csr)
        .header("Content-Type", "multipart/mixed; boundary=x").header("Authorization", "Bearer " + t).build());
    assertThat(r.status()).as("/tpmenroll is never held: a spent token is refused there at once").isEqualTo(403);
    assertThat(r.bodyText()).contains("already been used");

    pending.decide(row.id(), PendingStatus.APPROVED, "op", "ok", Instant.now());
    r = engine.handle(TestRequests.post(path, csr).header("Authorization", "Bearer " + t).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    EstResponse again = engine.handle(TestRequests.post(path, csr).header("Authorization", "Bearer " + t).build());
    assertThat(again.bodyText()).as("the same certificate again").isEqualTo(r.bodyText());
    assertThat(store.list(CertificateQuery.builder().build())).singleElement()
        .satisfies(c -> assertThat(c.requester()).isEqualTo("token:" + spent.id()));

    String t2 = token(store, "held", "*");
    byte[] third = TestRequests.base64(TestRequests.csr(TestRequests.p256(), "CN=held-3"));
    r = engine.handle(TestRequests.post("/.well-known/est/held/serverkeygen", third)
        .header("Authorization", "Bearer " + t2).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
    long id = pending.list(Optional.of(PendingStatus.PENDING), 10).get(0).id();
    pending.decide(id, PendingStatus.REJECTED, "op", "not ours", Instant.now());
    r = engine.handle(TestRequests.post("/.well-known/est/held/serverkeygen", third)
        .header("Authorization", "Bearer " + t2).build());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyText()).contains("rejected").contains("not ours");
  }

  @Test
  void tokensHave160RandomBitsAndHashCaseInsensitively() {
    String a = EnrollmentTokens.newText();
    assertThat(a).matches("estt_[a-z2-7]{32}").isNotEqualTo(EnrollmentTokens.newText());
    assertThat(EnrollmentTokens.sha256(a.toUpperCase())).isEqualTo(EnrollmentTokens.sha256(a)).hasSize(64);
  }
}
