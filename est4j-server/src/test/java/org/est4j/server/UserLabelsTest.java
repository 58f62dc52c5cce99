package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.InMemoryCertificateStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Basic users limited to labels: from the configuration and from the store, '/' the unlabelled path. */
class UserLabelsTest {
  private static EmbeddedCa ca;
  private static KeyPair key;

  @BeforeAll
  static void setUp() throws Exception {
    ca = TransientCa.create();
    key = TestRequests.p256();
  }

  private static int enroll(EstServerEngine engine, String label, String user, String password) throws Exception {
    byte[] csr = TestRequests.base64(TestRequests.csr(key, "CN=x"));
    String path = "/.well-known/est/" + (label == null ? "" : label + "/") + "simpleenroll";
    EstResponse r = engine.handle(TestRequests.post(path, csr).basic(user, password).build());
    if (r.status() == 403) {
      assertThat(r.bodyText()).contains("user '" + user + "' may not enroll on");
    }
    return r.status();
  }

  @Test
  void aUserLimitedToALabelIsRefusedElsewhere() throws Exception {
    InMemoryCertificateStore store = new InMemoryCertificateStore();
    PasswordHash pw = PasswordHash.create("wonderland".toCharArray(), 10_000);
    store.users().orElseThrow().add("sensor", pw.encoded(), Set.of("iot"), Instant.now());
    store.users().orElseThrow().add("root", pw.encoded(), Set.of("/"), Instant.now());
    store.users().orElseThrow().add("any", pw.encoded(), Instant.now());
    LabelSettings main = LabelSettings.builder(ca).build();
    EstServerEngine engine = new EstServerEngine(EstServerSettings.builder(main).label("iot", main).label("servers", main)
        .users(UserStore.of(Map.of("alice", pw), Map.of("alice", Set.of("servers")), store.users().orElseThrow()))
        .certificateStore(store).build());

    assertThat(enroll(engine, "iot", "sensor", "wonderland")).isEqualTo(200);
    assertThat(enroll(engine, "servers", "sensor", "wonderland")).isEqualTo(403);
    assertThat(enroll(engine, null, "sensor", "wonderland")).isEqualTo(403);
    assertThat(enroll(engine, "iot", "sensor", "wrong")).as("a wrong password stays a 401").isEqualTo(401);
    assertThat(enroll(engine, null, "root", "wonderland")).isEqualTo(200);
    assertThat(enroll(engine, "iot", "root", "wonderland")).isEqualTo(403);
    assertThat(enroll(engine, "iot", "any", "wonderland")).isEqualTo(200);
    assertThat(enroll(engine, null, "any", "wonderland")).isEqualTo(200);
    assertThat(enroll(engine, "servers", "alice", "wonderland")).as("a configured user's labels").isEqualTo(200);
    assertThat(enroll(engine, "iot", "alice", "wonderland")).isEqualTo(403);
    assertThat(store.list(CertificateQuery.builder().build())).hasSize(5);
  }
}
