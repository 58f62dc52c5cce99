package org.est4j.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.est4j.protocol.pem.PemException;
import org.est4j.protocol.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaDirectoryTest {
  private static final char[] PASS = "correct horse battery".toCharArray();

  @TempDir Path data;

  @Test
  void initWritesOwnerOnlyEncryptedKeysThatOnlyThePassphraseOpens() throws Exception {
    CaDirectory.InitOptions opts = new CaDirectory.InitOptions("ec:P-384", rfc4514("CN=Acme Root,O=Acme"),
        rfc4514("CN=Acme Devices,O=Acme"), Duration.ofDays(400));
    List<X509Certificate> chain = CaDirectory.init(data, "acme", opts, PASS);
    Path dir = data.resolve("cas/acme");
    assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=Acme Devices,O=Acme");
    assertThat(chain.get(1).getSubjectX500Principal().getName()).isEqualTo("CN=Acme Root,O=Acme");
    for (String key : List.of(CaDirectory.ISSUING_KEY, CaDirectory.ROOT_KEY)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key)))).isEqualTo("rw-------");
      String pem = Files.readString(dir.resolve(key));
      assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
      assertThatThrownBy(() -> PemReader.readPrivateKey(dir.resolve(key), Optional.empty()))
          .hasMessageContaining("passphrase is required");
      assertThatThrownBy(() -> PemReader.readPrivateKey(dir.resolve(key), Optional.of("wrong passphrase".toCharArray())))
          .hasMessageContaining("wrong passphrase");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    // openssl agrees: AES-256-CBC under PBES2, opened with the passphrase only.
    String asn1 = Pki.openssl(data, "asn1parse", "-in", dir.resolve(CaDirectory.ISSUING_KEY).toString());
    assertThat(asn1).contains("aes-256-cbc").contains("hmacWithSHA256");
    Files.writeString(data.resolve("pass"), new String(PASS));
    Pki.openssl(data, "pkey", "-in", dir.resolve(CaDirectory.ISSUING_KEY).toString(), "-passin",
        "file:" + data.resolve("pass"), "-noout");

    EmbeddedCa ca = CaDirectory.load(data, "acme", PASS).build();
    X509Certificate leaf = ca.issue(Pki.request("CN=device", ServerKeyGenerator.generate("ec:P-256")));
    Pki.validate(leaf, ca.caCertificates(), java.time.Instant.now());
    assertThatThrownBy(() -> CaDirectory.load(data, "acme", "not the passphrase".toCharArray()))
        .isInstanceOf(PemException.class).hasMessageContaining("wrong passphrase");
  }

  private static X500Name rfc4514(String name) {
    return X500Name.getInstance(new javax.security.auth.x500.X500Principal(name).getEncoded());
  }

  @Test
  void initRefusesToOverwrite() throws Exception {
    CaDirectory.init(data, "one", CaDirectory.defaults("one"), PASS);
    byte[] before = Files.readAllBytes(data.resolve("cas/one/issuing-key.pem"));
    assertThatThrownBy(() -> CaDirectory.init(data, "one", CaDirectory.defaults("one"), PASS))
        .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("already exists");
    assertThat(Files.readAllBytes(data.resolve("cas/one/issuing-key.pem"))).isEqualTo(before);
    assertThat(CaDirectory.exists(data, "one")).isTrue();
  }

  @Test
  void badNamesAndPassphrasesAreRefused() {
    assertThatThrownBy(() -> CaDirectory.init(data, "../x", CaDirectory.defaults("x"), PASS))
        .hasMessageContaining("not a CA name");
    assertThatThrownBy(() -> CaDirectory.init(data, "x", CaDirectory.defaults("x"), "short".toCharArray()))
        .hasMessageContaining("at least 8");
    assertThatThrownBy(() -> CaDirectory.load(data, "missing", PASS)).hasMessageContaining("ca init --name missing");
  }
}
