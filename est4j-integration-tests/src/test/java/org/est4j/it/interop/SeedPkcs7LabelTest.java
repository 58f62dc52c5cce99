package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.EstResponseException;
import org.est4j.client.KeyEncryption;
import org.est4j.client.KeyPairs;
import org.est4j.client.ServerKeyGenResult;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.pem.PemWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-config server's {@code pkcs7} label (the Go seed's test form): est4j's client opens it
 * given the password, and openssl reads it with the password's hex as the AES-128 key
 * ({@code cms -EncryptedData_decrypt}), then verifies the CA's signature over the PKCS#8 key.
 */
class SeedPkcs7LabelTest {
  static final String PASSWORD = "pseudohistorical";
  @TempDir static Path dir;
  static EmbeddedEstServer server;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static EstClient client() {
    return EstClient.builder().server("127.0.0.1:" + server.port()).label("pkcs7")
        .trust(TrustAnchors.explicit(List.of(server.root()))).header("Bit-Size", "3072").build();
  }

  static byte[] csr() throws Exception {
    return CsrBuilder.create().commonName("Jane Doe").sign(KeyPairs.generate("ec:P-256"));
  }

  @Test
  void libraryOpensItWithThePassword() throws Exception {
    KeyEncryption seed = KeyEncryption.seedPassword(PASSWORD.toCharArray());
    ServerKeyGenResult r = client().serverKeyGen(csr(), seed);
    EncryptedServerKeyGenTest.assertMatches(r.privateKey(), r.certificate());
    assertThat(r.privateKey().getAlgorithm()).isEqualTo("RSA");
    assertThatThrownBy(() -> client().serverKeyGen(csr(), KeyEncryption.seedPassword("pseudohistoricaL".toCharArray())))
        .isInstanceOf(EstResponseException.class);
  }

  @Test
  void opensslReadsItWithTheHexKey() throws Exception {
    Path openssl = ExternalTools.openssl();
    ServerKeyGenResult raw = client().serverKeyGen(csr());
    assertThat(raw.isEncrypted()).isTrue();
    Files.write(dir.resolve("key.p7"), raw.encryptedKey().orElseThrow());
    Files.write(dir.resolve("ca.pem"), PemWriter.toPem(server.caCertificates()).getBytes(StandardCharsets.US_ASCII));
    Cmd cmd = Cmd.in(dir);
    cmd.ok(openssl.toString(), "cms", "-EncryptedData_decrypt", "-inform", "DER", "-in", "key.p7", "-secretkey",
        HexFormat.of().formatHex(PASSWORD.getBytes(StandardCharsets.US_ASCII)), "-binary", "-out", "signed.der");
    cmd.ok(openssl.toString(), "cms", "-verify", "-inform", "DER", "-in", "signed.der", "-CAfile", "ca.pem",
        "-purpose", "any", "-binary", "-out", "key.der");
    PrivateKey key = KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("key.der"))));
    EncryptedServerKeyGenTest.assertMatches(key, raw.certificate());
  }
}
