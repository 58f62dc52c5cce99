package org.est4j.it.estclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.KeyPairs;
import org.est4j.protocol.pem.PemReader;
import org.est4j.protocol.pem.PemWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code estclient serverkeygen} with an encrypted key (RFC 7030 §4.4): shared key
 * ({@code -decryptkeyid/-decryptkey}), to the TLS client certificate or a configured one
 * ({@code -encryptto}), and the seed's pkcs7 label with and without {@code -pskpassword-file}.
 */
class EncryptedServerKeyGenCliTest {
  @TempDir static Path dir;
  static EmbeddedEstServer configured;
  static EmbeddedEstServer zero;
  static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(dir.resolve("group1.key"),
        HexFormat.of().formatHex(HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")));
    KeyPair escrow = KeyPairs.generate("rsa:2048");
    X500Name name = new X500Name("CN=Escrow");
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
        new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis() + 86_400_000), name,
        escrow.getPublic());
    b.addExtension(org.bouncycastle.asn1.x509.Extension.subjectKeyIdentifier, false,
        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(escrow.getPublic()));
    X509Certificate escrowCert = new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(escrow.getPrivate())));
    TestFiles.writeCerts(dir.resolve("escrow.pem"), List.of(escrowCert));
    Files.writeString(dir.resolve("escrow-key.pem"), PemWriter.privateKeyToPem(escrow.getPrivate()));
    Files.writeString(dir.resolve("estserver.yaml"), String.join("\n",
        "tls: {listen_address: 127.0.0.1:0}",
        "allow_unauthenticated_enrollment: true",
        "server_keygen:",
        "  shared_keys: [{id: group-1, key_file: group1.key}]",
        "  recipient_certificates: [escrow.pem]",
        ""));
    configured = EmbeddedEstServer.start(Optional.of(dir.resolve("estserver.yaml")), null);
    zero = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
    TestFiles.writeCerts(dir.resolve("anchor.pem"), List.of(configured.root()));
    TestFiles.writeCerts(dir.resolve("zero-anchor.pem"), List.of(zero.root()));
    Files.writeString(dir.resolve("psk.txt"), "pseudohistorical\n");
    cli = new Cli(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    for (EmbeddedEstServer s : new EmbeddedEstServer[] {configured, zero}) {
      if (s != null) {
        s.close();
      }
    }
  }

  static String[] args(String... more) {
    String[] base = {"serverkeygen", "-server", "localhost:" + configured.port(), "-explicit", "anchor.pem"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  static Cli.Result ok(String... a) {
    Cli.Result r = cli.run(a);
    assertThat(r.exit()).as(String.join(" ", a) + "\n" + r.describe()).isZero();
    return r;
  }

  /** key.pem is a 0600 PKCS#8 PEM whose key belongs to the certificate in cert.pem. */
  static void assertKeyFiles(String key, String cert) throws Exception {
    Path keyFile = dir.resolve(key);
    assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    PrivateKey k = PemReader.readPrivateKey(keyFile, Optional.empty());
    X509Certificate c = PemReader.readCertificates(dir.resolve(cert)).get(0);
    String alg = k.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    Signature s = Signature.getInstance(alg);
    s.initSign(k);
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    Signature v = Signature.getInstance(alg);
    v.initVerify(c.getPublicKey());
    v.update(new byte[] {1, 2, 3});
    assertThat(v.verify(sig)).as("the written key belongs to the certificate").isTrue();
  }

  @Test
  void sharedKey() throws Exception {
    ok(args("-cn", "Shared Doe", "-decryptkeyid", "group-1", "-decryptkey", "group1.key",
        "-out", "shared-cert.pem", "-keyout", "shared-key.pem"));
    assertKeyFiles("shared-key.pem", "shared-cert.pem");
  }

  @Test
  void toTheTlsClientCertificate() throws Exception {
    Files.writeString(dir.resolve("tls-key.pem"), PemWriter.privateKeyToPem(KeyPairs.generate("ec:P-256").getPrivate()));
    ok("enroll", "-server", "localhost:" + configured.port(), "-explicit", "anchor.pem", "-key", "tls-key.pem",
        "-cn", "Device", "-out", "tls-cert.pem");
    ok(args("-cn", "Tls Doe", "-key", "tls-key.pem", "-certs", "tls-cert.pem", "-encryptto", "tls-cert.pem",
        "-out", "tls-gen-cert.pem", "-keyout", "tls-gen-key.pem"));
    assertKeyFiles("tls-gen-key.pem", "tls-gen-cert.pem");
  }

  @Test
  void toAConfiguredCertificate() throws Exception {
    ok(args("-cn", "Escrow Doe", "-encryptto", "escrow.pem", "-encrypttokey", "escrow-key.pem",
        "-out", "escrow-gen-cert.pem", "-keyout", "escrow-gen-key.pem"));
    assertKeyFiles("escrow-gen-key.pem", "escrow-gen-cert.pem");
  }

  @Test
  void refusalsNameTheIdentifierAndUsageErrorsTheFlag() throws Exception {
    Cli.Result unknown = cli.run(args("-cn", "X", "-decryptkeyid", "nobody", "-decryptkey", "group1.key",
        "-keyout", "x-key.pem", "-out", "x.pem"));
    assertThat(unknown.exit()).as(unknown.describe()).isEqualTo(4);
    assertThat(unknown.stderr()).contains("unknown DecryptKeyIdentifier").contains("nobody");
    assertThat(dir.resolve("x-key.pem")).doesNotExist();
    Cli.Result half = cli.run(args("-cn", "X", "-decryptkeyid", "group-1"));
    assertThat(half.exit()).isEqualTo(2);
    assertThat(half.stderr()).contains("-decryptkeyid needs -decryptkey");
    Cli.Result noKey = cli.run(args("-cn", "X", "-encryptto", "escrow.pem"));
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.stderr()).contains("-encrypttokey FILE or -key FILE");
    Files.writeString(dir.resolve("plain.csr"), "-----BEGIN CERTIFICATE REQUEST-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(org.est4j.client.CsrBuilder.create().commonName("plain")
            .sign(KeyPairs.generate("ec:P-256"))) + "\n-----END CERTIFICATE REQUEST-----\n");
    Cli.Result plainCsr = cli.run(args("-csr", "plain.csr", "-decryptkeyid", "group-1", "-decryptkey", "group1.key"));
    assertThat(plainCsr.exit()).as(plainCsr.describe()).isEqualTo(2);
    assertThat(plainCsr.stderr()).contains("carries no DecryptKeyIdentifier");
    Files.writeString(dir.resolve("short.key"), "abcd\n");
    Cli.Result shortKey = cli.run(args("-cn", "X", "-decryptkeyid", "group-1", "-decryptkey", "short.key"));
    assertThat(shortKey.exit()).isEqualTo(1);
    assertThat(shortKey.stderr()).contains("32, 48 or 64 hex digits");
  }

  /** The seed's TestServerKeyGen/PKCS7: without a password the CMS is written as a PKCS7 block. */
  @Test
  void seedPkcs7LabelWithAndWithoutThePassword() throws Exception {
    String[] base = {"serverkeygen", "-server", "localhost:" + zero.port(), "-explicit", "zero-anchor.pem", "-aps",
        "pkcs7", "-cn", "Jackie Doe"};
    Cli.Result raw = ok(base);
    assertThat(raw.pemBlocks()).isEqualTo(2);
    assertThat(raw.stdout()).startsWith("-----BEGIN PKCS7-----").contains("-----BEGIN CERTIFICATE-----");
    String[] withPassword = new String[base.length + 6];
    System.arraycopy(base, 0, withPassword, 0, base.length);
    System.arraycopy(new String[] {"-pskpassword-file", "psk.txt", "-out", "pkcs7-cert.pem", "-keyout", "pkcs7-key.pem"},
        0, withPassword, base.length, 6);
    ok(withPassword);
    assertKeyFiles("pkcs7-key.pem", "pkcs7-cert.pem");
    assertThat(new String(Files.readAllBytes(dir.resolve("pkcs7-key.pem")), StandardCharsets.US_ASCII))
        .doesNotContain("PKCS7");
  }
}
