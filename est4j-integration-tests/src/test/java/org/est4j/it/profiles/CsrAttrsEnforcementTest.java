package org.est4j.it.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.bouncycastle.asn1.x509.Extension;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.EstServerException;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.CsrTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /csrattrs in the RFC 9908 template form and the RFC 7030 form, served and, with
 * enforce_csrattrs, enforced: a CSR that does not give what the label asks is refused (400) with
 * the reason; one that does is issued.
 */
class CsrAttrsEnforcementTest {
  @TempDir static Path dir;
  static EmbeddedEstServer server;

  @BeforeAll
  static void start() throws Exception {
    Path cfg = Files.writeString(dir.resolve("estserver.yaml"), String.join("\n",
        "allow_unauthenticated_enrollment: true",
        "labels:",
        "  tmpl:",
        "    enforce_csrattrs: true",
        "    csrattrs:",
        "      template: {subject: [CN, 'O=Example Inc'], key: ec:P-256, extensions: [subjectAltName]}",
        "  classic:",
        "    enforce_csrattrs: true",
        "    csrattrs: [1.2.840.113549.1.9.7, {type: 1.2.840.10045.2.1, values: [1.3.132.0.34]}]",
        "  advisory:",
        "    csrattrs: [1.2.840.113549.1.9.7]",
        ""));
    server = EmbeddedEstServer.start(Optional.of(cfg), "127.0.0.1:0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static EstClient client(String label) {
    return Pki.client(server.port(), label, server.root()).build();
  }

  @Test
  void theTemplateIsServedAndEnforced() throws Exception {
    CsrAttrs attrs = client("tmpl").csrAttrs();
    CsrTemplate t = CsrTemplate.find(attrs).orElseThrow();
    assertThat(t.subject()).extracting(f -> f.value().orElse("(fill in)")).containsExactly("(fill in)", "Example Inc");
    assertThat(t.keyAlgorithm().get().getParameters().toString()).isEqualTo("1.2.840.10045.3.1.7");
    assertThat(t.extensions()).containsExactly(Extension.subjectAlternativeName);

    EstClient c = client("tmpl");
    KeyPair p256 = Pki.key("ec:P-256");
    assertBadRequest(() -> c.enroll(CsrBuilder.create().commonName("d").addDnsName("d.example").sign(p256)),
        "the CSR subject has no O (the template asks for it)");
    assertBadRequest(() -> c.enroll(CsrBuilder.create().commonName("d").organization("Other").addDnsName("d.example").sign(p256)),
        "the CSR subject has O=Other, the template dictates O=Example Inc");
    assertBadRequest(() -> c.enroll(CsrBuilder.create().commonName("d").organization("Example Inc").sign(p256)),
        "does not request the extension subjectAltName");
    assertBadRequest(() -> c.enroll(CsrBuilder.create().commonName("d").organization("Example Inc").addDnsName("d.example")
        .sign(Pki.key("ec:P-384"))), "the template asks for id-ecPublicKey");
    Pki.issued(c.enroll(CsrBuilder.create().commonName("d").organization("Example Inc").addDnsName("d.example").sign(p256)));
  }

  @Test
  void theRfc7030FormIsEnforced() throws Exception {
    EstClient c = client("classic");
    assertBadRequest(() -> c.enroll(CsrBuilder.create().commonName("d").sign(Pki.key("ec:P-384"))),
        "no challengePassword");
    assertBadRequest(() -> c.enroll(CsrBuilder.create().commonName("d").challengePassword("x".toCharArray())
        .sign(Pki.key("ec:P-256"))), "must be an EC key on [secp384r1");
    Pki.issued(c.enroll(CsrBuilder.create().commonName("d").challengePassword("x".toCharArray()).sign(Pki.key("ec:P-384"))));
  }

  @Test
  void withoutEnforcementTheAttributesAreAdvice() throws Exception {
    assertThat(client("advisory").csrAttrs().entries()).hasSize(1);
    Pki.issued(client("advisory").enroll(CsrBuilder.create().commonName("d").sign(Pki.key("ec:P-256"))));
  }

  private static void assertBadRequest(Pki.ThrowingCall call, String reason) {
    EstServerException e = Pki.refusal(call);
    assertThat(e.status()).as(e.serverMessage()).isEqualTo(400);
    assertThat(e.serverMessage()).contains("enforce_csrattrs").contains(reason);
  }
}
