package org.est4j.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.est4j.protocol.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks issued certificates with OpenSSL, and loads a CA that OpenSSL made. */
class OpensslInteropTest {

  @TempDir Path dir;

  @Test
  void opensslAcceptsALeafFromTheTransientCa() throws Exception {
    EmbeddedCa ca = TransientCa.create();
    X509Certificate leaf = ca.issue(Pki.request("CN=openssl-check",
        ServerKeyGenerator.generate("rsa:2048")));

    String verify = verify(ca.caCertificates(), leaf);
    assertThat(verify).contains("leaf.pem: OK");
    String text = Pki.openssl(dir, "x509", "-in", "leaf.pem", "-noout", "-text");
    assertThat(text).contains("Digital Signature, Key Encipherment",
        "TLS Web Server Authentication, TLS Web Client Authentication", "CA:FALSE");
  }

  @Test
  void loadsAnOpensslCaAndIssuesWhatOpensslAccepts() throws Exception {
    makeOpensslCa("subjectKeyIdentifier=hash");

    EmbeddedCa ca = CaFiles.load(dir.resolve("chain.pem"), dir.resolve("inter.key"),
        Optional.empty(), Duration.ofDays(7));

    assertThat(ca.caCertificates()).extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=OpenSSL Intermediate,O=est4j test", "CN=OpenSSL Root,O=est4j test");
    X509Certificate leaf = ca.issue(Pki.request("CN=from-openssl-ca",
        ServerKeyGenerator.generate("ec:P-256")));
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(Pki.authorityKeyId(leaf)).isEqualTo(Pki.subjectKeyId(ca.caCertificates().get(0)));
    assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(7).plusSeconds(60));
    assertThat(verify(ca.caCertificates(), leaf)).contains("leaf.pem: OK");
    Pki.validate(leaf, ca.caCertificates(), Instant.now());
  }

  @Test
  void computesTheAkiWhenTheIssuerHasNoSki() throws Exception {
    makeOpensslCa("subjectKeyIdentifier=none");
    EmbeddedCa ca = CaFiles.load(dir.resolve("chain.pem"), dir.resolve("inter.key"),
        Optional.empty());
    X509Certificate intermediate = ca.caCertificates().get(0);
    assertThat(intermediate.getExtensionValue("2.5.29.14")).isNull();

    X509Certificate leaf = ca.issue(Pki.request("CN=no-ski", ServerKeyGenerator.generate("ec:P-256")));

    assertThat(Pki.authorityKeyId(leaf)).isEqualTo(Pki.method1KeyId(intermediate));
    assertThat(verify(ca.caCertificates(), leaf)).contains("leaf.pem: OK");
  }

  @Test
  void reordersARootFirstChainFile() throws Exception {
    makeOpensslCa("subjectKeyIdentifier=hash");
    Files.writeString(dir.resolve("root-first.pem"), Files.readString(dir.resolve("root.pem"))
        + Files.readString(dir.resolve("inter.pem")));

    EmbeddedCa ca = CaFiles.load(dir.resolve("root-first.pem"), dir.resolve("inter.key"),
        Optional.empty());

    assertThat(ca.caCertificates().get(0).getSubjectX500Principal().getName())
        .startsWith("CN=OpenSSL Intermediate");
  }

  @Test
  void loadsAnEncryptedKey() throws Exception {
    makeOpensslCa("subjectKeyIdentifier=hash");
    Pki.openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "inter.key",
        "-passout", "pass:secret", "-out", "inter-enc.key");

    EmbeddedCa ca = CaFiles.load(dir.resolve("chain.pem"), dir.resolve("inter-enc.key"),
        Optional.of("secret".toCharArray()));

    assertThat(verify(ca.caCertificates(), ca.issue(Pki.request("CN=enc",
        ServerKeyGenerator.generate("ed25519"))))).contains("leaf.pem: OK");
  }

  @Test
  void rejectsAKeyThatDoesNotMatchTheChain() throws Exception {
    makeOpensslCa("subjectKeyIdentifier=hash");
    // The root's key with the intermediate-first chain.
    assertThatThrownBy(() -> CaFiles.load(dir.resolve("chain.pem"), dir.resolve("root.key"),
        Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chain.pem")
        .hasMessageContaining("the private key does not match the issuing CA certificate"
            + " CN=OpenSSL Intermediate,O=est4j test");
  }

  /**
   * root.key (EC P-256, SEC1 with EC PARAMETERS) self-signs root.pem; inter.key (RSA 2048, PKCS#1)
   * is certified by it in inter.pem; chain.pem is intermediate then root.
   */
  private void makeOpensslCa(String intermediateSki) throws Exception {
    Pki.openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "root.key");
    Pki.openssl(dir, "req", "-x509", "-new", "-key", "root.key", "-sha256", "-days", "30",
        "-subj", "/O=est4j test/CN=OpenSSL Root",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "root.pem");
    Pki.openssl(dir, "genrsa", "-traditional", "-out", "inter.key", "2048");
    Pki.openssl(dir, "req", "-new", "-key", "inter.key", "-subj",
        "/O=est4j test/CN=OpenSSL Intermediate", "-out", "inter.csr");
    Files.writeString(dir.resolve("inter.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\n"
        + "keyUsage=critical,keyCertSign,cRLSign\n" + intermediateSki + "\n"
        + "authorityKeyIdentifier=keyid\n");
    Pki.openssl(dir, "x509", "-req", "-in", "inter.csr", "-CA", "root.pem", "-CAkey", "root.key",
        "-CAcreateserial", "-days", "30", "-sha256", "-extfile", "inter.ext", "-out", "inter.pem");
    Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("inter.pem"))
        + Files.readString(dir.resolve("root.pem")));
  }

  /** Writes root.pem, inter.pem and leaf.pem and runs {@code openssl verify} on them. */
  private String verify(List<X509Certificate> chain, X509Certificate leaf) throws Exception {
    Files.writeString(dir.resolve("root.pem"), PemWriter.toPem(chain.get(chain.size() - 1)));
    Files.writeString(dir.resolve("inter.pem"),
        PemWriter.toPem(chain.subList(0, chain.size() - 1)));
    Files.writeString(dir.resolve("leaf.pem"), PemWriter.toPem(leaf));
    String output = "";
    for (String purpose : List.of("sslserver", "sslclient")) {
      output += Pki.openssl(dir, "verify", "-purpose", purpose, "-CAfile", "root.pem",
          "-untrusted", "inter.pem", "leaf.pem");
    }
    return output;
  }
}
