package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example in est4j-client/README.md is compiled here, and the test fails when the README and
 * this copy drift apart: a reader can paste the README's code and it builds.
 */
class ReadmeExampleTest {

  @SuppressWarnings("unused") // compiled, not run: it talks to est.example.com
  static void readmeExample(char[] password) throws Exception {
    // README-BEGIN
    // 1. Bootstrap (RFC 7030 §4.1.1): fetch /cacerts without authenticating the server ...
    EstClient bootstrap = EstClient.builder()
        .server("est.example.com:8443")
        .trust(TrustAnchors.insecureBootstrapForCaCertsOnly())   // caCerts() only; no credentials sent
        .build();
    List<X509Certificate> ca = bootstrap.caCerts();
    X509Certificate root = ca.get(ca.size() - 1);                 // ... and check its fingerprint out of band

    // 2. Enroll, trusting only that root.
    EstClient est = EstClient.builder()
        .server("est.example.com:8443")
        .trust(TrustAnchors.explicit(List.of(root)))
        .basicAuth("alice", password)                             // sent only when the server asks (401)
        .build();
    KeyPair key = KeyPairs.generate("ec:P-256");
    byte[] csr = CsrBuilder.create().commonName("device-1").addDnsName("device-1.example").sign(key);
    X509Certificate cert = est.enrollAndWait(csr, Duration.ofMinutes(10)); // polls 202 + Retry-After

    // 3. Renew with the current certificate as TLS client identity (§4.2.2).
    EstClient renewer = EstClient.builder().server("est.example.com:8443")
        .trust(TrustAnchors.explicit(List.of(root)))
        .clientIdentity(ClientIdentity.of(key.getPrivate(), List.of(cert)))
        .build();
    KeyPair next = KeyPairs.generate("ec:P-256");
    EnrollResult renewed = renewer.reenroll(CsrBuilder.forReenrollment(cert, next).sign(next));
    // README-END
  }

  @Test
  void theReadmeExampleIsTheCompiledOne() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("```java\n");
    assertThat(start).as("a java block in README.md").isNotNegative();
    String block = readme.substring(start + 8, readme.indexOf("```", start + 8));
    String source =
        Files.readString(
            Path.of("src/test/java/org/est4j/client/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
    String compiled =
        source.substring(source.indexOf("// README-BEGIN\n") + 16, source.indexOf("    // README-END"));
    assertThat(normalise(compiled)).isEqualTo(normalise(block));
  }

  private static List<String> normalise(String code) {
    List<String> lines = new ArrayList<>();
    for (String line : code.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines;
  }
}
