package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.Profile;
import org.est4j.ca.TransientCa;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.EstOperation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-label policies in the engine: authentication per operation, reenroll policy, profile, csrattrs enforcement. */
class LabelPolicyEngineTest {
  private static EmbeddedCa ca;
  private static KeyPair key;
  private static EstServerEngine engine;

  @BeforeAll
  static void setUp() throws Exception {
    ca = TransientCa.create();
    key = TestRequests.p256();
    LabelSettings base = LabelSettings.builder(ca).build();
    engine = new EstServerEngine(EstServerSettings.builder(base)
        .users(UserStore.of(Map.of("alice", PasswordHash.create("pw".toCharArray(), 10_000))))
        .label("certonly", base.toBuilder().auth(AuthPolicy.builder()
            .allow(EstOperation.SIMPLEENROLL, EnumSet.of(AuthPolicy.Method.CLIENT_CERT))
            .allow(EstOperation.SIMPLEREENROLL, Set.of()).build()).build())
        .label("basiconly", base.toBuilder().auth(AuthPolicy.builder()
            .allow(EstOperation.SIMPLEENROLL, EnumSet.of(AuthPolicy.Method.BASIC)).build()).build())
        .label("nokeygen", base.toBuilder().auth(AuthPolicy.builder()
            .allow(EstOperation.SERVERKEYGEN, Set.of()).build()).build())
        .label("rekey", base.toBuilder().reenroll(new ReenrollPolicy(false, true)).build())
        .label("strict", base.toBuilder().profile(Profile.builder("strict").subjectRequired(List.of("O")).build())
            .csrAttrs(CsrAttrs.of(new CsrAttrs.Oid(PKCSObjectIdentifiers.pkcs_9_at_challengePassword)))
            .enforceCsrAttrs(true).build())
        .build());
  }

  private static EstResponse post(String label, String op, byte[] csr) throws Exception {
    return engine.handle(TestRequests.post("/.well-known/est/" + label + "/" + op, TestRequests.base64(csr))
        .basic("alice", "pw").build());
  }

  private static String text(EstResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static X509Certificate enrolled() throws Exception {
    EstResponse r = engine.handle(TestRequests.post("/.well-known/est/simpleenroll",
        TestRequests.base64(TestRequests.csr(key, "CN=dev"))).basic("alice", "pw").build());
    assertThat(r.status()).isEqualTo(200);
    return EstServerEngineTest.certsOf(r).get(0);
  }

  @Test
  void authenticationMethodsPerOperation() throws Exception {
    byte[] csr = TestRequests.csr(key, "CN=dev");
    EstResponse basic = post("certonly", "simpleenroll", csr);
    assertThat(basic.status()).isEqualTo(403);
    assertThat(text(basic)).contains("HTTP Basic may not be used for simpleenroll on this label (auth.enroll: [client_cert])");

    EstResponse none = engine.handle(TestRequests.post("/.well-known/est/certonly/simpleenroll", TestRequests.base64(csr)).build());
    assertThat(none.status()).isEqualTo(403);
    assertThat(text(none)).contains("needs a TLS client certificate");

    X509Certificate cert = enrolled();
    EstResponse byCert = engine.handle(TestRequests.post("/.well-known/est/certonly/simpleenroll", TestRequests.base64(csr))
        .peers(List.of(cert)).build());
    assertThat(byCert.status()).isEqualTo(200);
    EstResponse certOnBasicLabel = engine.handle(TestRequests.post("/.well-known/est/basiconly/simpleenroll",
        TestRequests.base64(csr)).peers(List.of(cert)).build());
    assertThat(certOnBasicLabel.status()).isEqualTo(403);
    assertThat(text(certOnBasicLabel)).contains("a client certificate may not be used for simpleenroll");
    EstResponse challenge = engine.handle(TestRequests.post("/.well-known/est/basiconly/simpleenroll", TestRequests.base64(csr)).build());
    assertThat(challenge.status()).isEqualTo(401);

    EstResponse reenroll = engine.handle(TestRequests.post("/.well-known/est/certonly/simplereenroll", TestRequests.base64(csr))
        .peers(List.of(cert)).build());
    assertThat(reenroll.status()).isEqualTo(403);
    assertThat(text(reenroll)).contains("reenroll is not allowed on this label (auth.reenroll: [])");
    EstResponse keygen = post("nokeygen", "serverkeygen", csr);
    assertThat(keygen.status()).isEqualTo(403);
    assertThat(text(keygen)).contains("serverkeygen is not allowed on this label (auth.serverkeygen: [])");
  }

  @Test
  void reenrollPolicyRekeyAndRename() throws Exception {
    X509Certificate cert = enrolled();
    String path = "/.well-known/est/rekey/simplereenroll";
    EstResponse sameKey = engine.handle(TestRequests.post(path, TestRequests.base64(TestRequests.csr(key, "CN=dev")))
        .peers(List.of(cert)).build());
    assertThat(sameKey.status()).isEqualTo(403);
    assertThat(text(sameKey)).contains("reenroll.same_key is deny");
    EstResponse renamed = engine.handle(TestRequests.post(path,
        TestRequests.base64(TestRequests.csr(TestRequests.p256(), "CN=renamed"))).peers(List.of(cert)).build());
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(EstServerEngineTest.certsOf(renamed).get(0).getSubjectX500Principal().getName()).isEqualTo("CN=renamed");
  }

  @Test
  void csrAttrsAreEnforcedBeforeTheProfile() throws Exception {
    EstResponse noChallenge = post("strict", "simpleenroll", TestRequests.csr(key, "CN=dev,O=Example"));
    assertThat(noChallenge.status()).isEqualTo(400);
    assertThat(text(noChallenge)).contains("enforce_csrattrs").contains("challengePassword");
    // serverkeygen is not subject to csrattrs (the server makes the key), but the profile applies
    EstResponse profile = post("strict", "serverkeygen", TestRequests.csr(key, "CN=dev"));
    assertThat(profile.status()).isEqualTo(403);
    assertThat(text(profile)).contains("profile 'strict' rule subject.required: the subject has no O");
  }
}
