package org.est4j.protocol.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates written by OpenSSL at test time, in every supported PEM form. */
class PemReaderTest {

  private static final Optional<char[]> SECRET = Optional.of("secret".toCharArray());

  @TempDir Path dir;

  @Test
  void readsSec1EcKeyWithEcParametersBlock() throws Exception {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
    assertThat(Files.readString(dir.resolve("ec.pem"))).contains("BEGIN EC PARAMETERS");
    assertMatchesOpenssl("ec.pem", PemReader.readPrivateKey(dir.resolve("ec.pem"), Optional.empty()));
  }

  @Test
  void readsSec1EcKeyWithoutCurveInsideUsingTheParametersBlock() throws Exception {
    openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", "ec.pem");
    // Re-write the key without its optional parameters field; only EC PARAMETERS names the curve.
    ECPrivateKey full;
    try (PEMParser parser = new PEMParser(Files.newBufferedReader(dir.resolve("ec.pem")))) {
      parser.readObject(); // EC PARAMETERS
      PrivateKeyInfo info = ((org.bouncycastle.openssl.PEMKeyPair) parser.readObject())
          .getPrivateKeyInfo();
      full = ECPrivateKey.getInstance(info.parsePrivateKey());
    }
    ECPrivateKey bare = new ECPrivateKey(384, full.getKey(), full.getPublicKey(), null);
    String params = Files.readString(dir.resolve("ec.pem"));
    params = params.substring(0, params.indexOf("-----BEGIN EC PRIVATE KEY"));
    Files.writeString(dir.resolve("bare.pem"), params + pem("EC PRIVATE KEY", bare.getEncoded()));

    PrivateKey key = PemReader.readPrivateKey(dir.resolve("bare.pem"), Optional.empty());

    assertMatchesOpenssl("ec.pem", key);
  }

  @Test
  void readsPkcs1RsaKey() throws Exception {
    openssl("genrsa", "-traditional", "-out", "rsa.pem", "2048");
    assertThat(Files.readString(dir.resolve("rsa.pem"))).contains("BEGIN RSA PRIVATE KEY");
    PrivateKey key = PemReader.readPrivateKey(dir.resolve("rsa.pem"), Optional.empty());
    assertThat(key.getAlgorithm()).isEqualTo("RSA");
    assertMatchesOpenssl("rsa.pem", key);
  }

  @Test
  void readsPkcs8Keys() throws Exception {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec.pem", "-out", "p8.pem");
    openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.pem");
    assertThat(Files.readString(dir.resolve("p8.pem"))).contains("BEGIN PRIVATE KEY");

    assertMatchesOpenssl("p8.pem", PemReader.readPrivateKey(dir.resolve("p8.pem"), Optional.empty()));
    assertMatchesOpenssl("ed.pem", PemReader.readPrivateKey(dir.resolve("ed.pem"), Optional.empty()));
  }

  @Test
  void readsEncryptedPkcs8Key() throws Exception {
    openssl("genrsa", "-out", "rsa.pem", "2048");
    openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "rsa.pem", "-passout", "pass:secret",
        "-out", "enc.pem");
    Path file = dir.resolve("enc.pem");
    assertThat(Files.readString(file)).contains("BEGIN ENCRYPTED PRIVATE KEY");

    assertMatchesOpenssl("rsa.pem", PemReader.readPrivateKey(file, SECRET));
    assertThatThrownBy(() -> PemReader.readPrivateKey(file, Optional.of("wrong".toCharArray())))
        .isInstanceOf(PemException.class).hasMessage("wrong passphrase for " + file);
    assertThatThrownBy(() -> PemReader.readPrivateKey(file, Optional.empty()))
        .isInstanceOf(PemException.class)
        .hasMessage(file + " is encrypted: a passphrase is required");
  }

  @Test
  void readsLegacyOpensslEncryptedKeys() throws Exception {
    openssl("genrsa", "-out", "rsa.pem", "2048");
    openssl("rsa", "-aes256", "-traditional", "-in", "rsa.pem", "-passout", "pass:secret",
        "-out", "legacy.pem");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
    openssl("ec", "-aes256", "-in", "ec.pem", "-passout", "pass:secret", "-out", "legacy-ec.pem");
    Path file = dir.resolve("legacy.pem");
    assertThat(Files.readString(file)).contains("Proc-Type: 4,ENCRYPTED");

    assertMatchesOpenssl("rsa.pem", PemReader.readPrivateKey(file, SECRET));
    assertMatchesOpenssl("ec.pem", PemReader.readPrivateKey(dir.resolve("legacy-ec.pem"), SECRET));
    assertThatThrownBy(() -> PemReader.readPrivateKey(file, Optional.of("wrong".toCharArray())))
        .isInstanceOf(PemException.class).hasMessage("wrong passphrase for " + file);
    assertThatThrownBy(() -> PemReader.readPrivateKey(file, Optional.empty()))
        .isInstanceOf(PemException.class)
        .hasMessage(file + " is encrypted: a passphrase is required");
  }

  @Test
  void readsCertificatesInOrderAndWritesThemBack() throws Exception {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "k.pem");
    for (String name : List.of("one", "two")) {
      openssl("req", "-x509", "-new", "-key", "k.pem", "-subj", "/CN=" + name, "-days", "1",
          "-out", name + ".pem");
    }
    // Text around blocks and a key in the same file are ignored.
    Path both = Files.writeString(dir.resolve("both.pem"), "leading text\n"
        + Files.readString(dir.resolve("one.pem")) + Files.readString(dir.resolve("k.pem"))
        + Files.readString(dir.resolve("two.pem")));

    List<X509Certificate> certificates = PemReader.readCertificates(both);

    assertThat(certificates).extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=one", "CN=two");
    String written = PemWriter.toPem(certificates);
    assertThat(written).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(PemReader.readCertificates(new StringReader(written))).isEqualTo(certificates);
    assertThat(PemWriter.toPem(certificates.get(0)))
        .isEqualTo(Files.readString(dir.resolve("one.pem")));
    // A certificate and key in one file: the key is found after the certificate.
    Path combined = Files.writeString(dir.resolve("combined.pem"),
        Files.readString(dir.resolve("one.pem")) + Files.readString(dir.resolve("k.pem")));
    assertMatchesOpenssl("k.pem", PemReader.readPrivateKey(combined, Optional.empty()));
  }

  @Test
  void writesPkcs8ThatOpensslReads() throws Exception {
    openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.pem");
    PrivateKey key = PemReader.readPrivateKey(dir.resolve("ed.pem"), Optional.empty());
    Files.writeString(dir.resolve("out.pem"), PemWriter.privateKeyToPem(key));
    assertThat(openssl("pkey", "-in", "out.pem", "-pubout"))
        .isEqualTo(openssl("pkey", "-in", "ed.pem", "-pubout"));
  }

  @Test
  void reportsMissingAndUnsupportedContent() throws Exception {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "k.pem");
    openssl("pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem");
    openssl("req", "-x509", "-new", "-key", "k.pem", "-subj", "/CN=c", "-days", "1", "-out",
        "cert.pem");
    Path pub = dir.resolve("pub.pem");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("k.pem");

    assertThatThrownBy(() -> PemReader.readPrivateKey(pub, Optional.empty()))
        .isInstanceOf(PemException.class)
        .hasMessage("unsupported PEM block type PUBLIC KEY in " + pub);
    assertThatThrownBy(() -> PemReader.readPrivateKey(cert, Optional.empty()))
        .isInstanceOf(PemException.class).hasMessage("no PEM private key found in " + cert);
    assertThatThrownBy(() -> PemReader.readCertificates(key))
        .isInstanceOf(PemException.class).hasMessage("no certificates found in " + key);
    assertThatThrownBy(() -> PemReader.readCertificates(dir.resolve("absent.pem")))
        .isInstanceOf(PemException.class).hasMessageContaining("absent.pem");
    Path garbled = Files.writeString(dir.resolve("garbled.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> PemReader.readCertificates(garbled))
        .isInstanceOf(PemException.class).hasMessageContaining(garbled.toString());
  }

  /** Signs with {@code key} and verifies with the public key OpenSSL derives from {@code file}. */
  private void assertMatchesOpenssl(String file, PrivateKey key) throws Exception {
    String publicPem = openssl("pkey", "-in", file, "-passin", "pass:secret", "-pubout");
    SubjectPublicKeyInfo info;
    try (PEMParser parser = new PEMParser(new StringReader(publicPem))) {
      info = (SubjectPublicKeyInfo) parser.readObject();
    }
    String keyAlgorithm = key.getAlgorithm().equals("EdDSA") ? "Ed25519" : key.getAlgorithm();
    PublicKey publicKey = KeyFactory.getInstance(keyAlgorithm)
        .generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    String algorithm = switch (keyAlgorithm) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> "Ed25519";
    };
    byte[] message = "pem".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(message);
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(publicKey);
    verifier.update(message);
    assertThat(verifier.verify(signer.sign())).as("key from %s matches openssl", file).isTrue();
  }

  private static String pem(String type, byte[] der) throws IOException {
    StringWriter out = new StringWriter();
    try (org.bouncycastle.util.io.pem.PemWriter writer =
        new org.bouncycastle.util.io.pem.PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    }
    return out.toString();
  }

  private String openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("%s", command).isZero();
    return output;
  }
}
