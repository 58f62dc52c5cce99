package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
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

  @SuppressWarnings("unused")
  static void readmeKeyEncryptionExample(EstClient renewer, byte[] aesKey, char[] seedPassword) throws Exception {
    // README-KEYGEN-BEGIN
    // Server-generated key, encrypted to the client's TLS identity (RFC 7030 §4.4.1.2) ...
    KeyEncryption toMe = renewer.keyEncryptionToIdentity();
    byte[] request = CsrBuilder.create().commonName("device-1-kg")
        .requestKeyEncryption(toMe)                               // AsymmetricDecryptKeyIdentifier + SMIMECapabilities
        .sign(KeyPairs.generate("ec:P-256"));                     // a throwaway key: the server makes the real one
    ServerKeyGenResult generated = renewer.serverKeyGen(request, toMe); // decrypted, CA signature checked
    PrivateKey privateKey = generated.privateKey();

    // ... or with a shared AES key the server knows by an identifier (§4.4.1.1) ...
    KeyEncryption shared = KeyEncryption.sharedKey("group-1".getBytes(StandardCharsets.UTF_8), aesKey);
    ServerKeyGenResult r = renewer.serverKeyGen(
        CsrBuilder.create().commonName("device-2").requestKeyEncryption(shared).sign(KeyPairs.generate("ec:P-256")),
        shared);

    // ... or the Go seed's test form (its pkcs7 label): decrypt what came back with the password.
    ServerKeyGenResult seed = renewer.serverKeyGen(CsrBuilder.create().commonName("d3").sign(KeyPairs.generate("ec:P-256")));
    if (seed.isEncrypted()) {
      seed = seed.decrypt(KeyEncryption.seedPassword(seedPassword), renewer.caCerts());
    }
    // README-KEYGEN-END
  }

  @Test
  void theKeyEncryptionExampleIsTheCompiledOne() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("```java\n// Server-generated key, encrypted");
    assertThat(start).as("the key encryption block in README.md").isNotNegative();
    String block = readme.substring(start + 8, readme.indexOf("```", start + 8));
    String source =
        Files.readString(Path.of("src/test/java/org/est4j/client/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
    String compiled = source.substring(source.indexOf("// README-KEYGEN-BEGIN\n") + 23,
        source.indexOf("    // README-KEYGEN-END"));
    assertThat(normalise(compiled)).isEqualTo(normalise(block));
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
