package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cms.CMSAlgorithm;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.ClientIdentity;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.EstResponseException;
import org.est4j.client.EstServerException;
import org.est4j.client.KeyEncryption;
import org.est4j.client.KeyPairs;
import org.est4j.client.ServerKeyGenResult;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.cms.KeyGenAttributes;
import org.est4j.protocol.pem.PemReader;
import org.est4j.protocol.pem.PemWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted server-generated keys (RFC 7030 §4.4) between est4j's client library and a configured
 * est4j server, with openssl as the independent check: {@code openssl cms -decrypt} opens the
 * asymmetric forms with the recipient's key (RSA key transport, EC key agreement) and the
 * symmetric form with the shared key, and {@code openssl cms -verify} checks the CA's signature.
 */
class EncryptedServerKeyGenTest {
  static final byte[] GROUP_KEY = HexFormat.of().parseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  static final byte[] GROUP128_KEY = "0123456789abcdeF".getBytes(StandardCharsets.US_ASCII); // 16 raw bytes

  @TempDir static Path dir;
  static EmbeddedEstServer server;

  @BeforeAll
  static void start() throws Exception {
    Path openssl = ExternalTools.openssl();
    Cmd cmd = Cmd.in(dir);
    cmd.ok(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "escrow-rsa-key.pem",
        "-out", "escrow-rsa.pem", "-subj", "/CN=Escrow RSA", "-days", "2");
    cmd.ok(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "escrow-ec-key.pem", "-out", "escrow-ec.pem", "-subj", "/CN=Escrow EC", "-days", "2");
    Files.writeString(dir.resolve("group1.key"), HexFormat.of().formatHex(GROUP_KEY) + "\n");
    Files.write(dir.resolve("group128.key"), GROUP128_KEY);
    Files.writeString(dir.resolve("estserver.yaml"), String.join("\n",
        "tls: {listen_address: 127.0.0.1:0}",
        "allow_unauthenticated_enrollment: true",
        "server_keygen:",
        "  shared_keys:",
        "    - {id: group-1, key_file: group1.key}",
        "    - {id: group-128, key_file: group128.key}",
        "  recipient_certificates: [escrow-rsa.pem, escrow-ec.pem]",
        "labels:",
        "  strict:",
        "    server_keygen: {require_encryption: true, shared_keys: [{id: group-1, key_file: group1.key}]}",
        ""), StandardCharsets.UTF_8);
    server = EmbeddedEstServer.start(Optional.of(dir.resolve("estserver.yaml")), null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static EstClientBuilder client() {
    return EstClient.builder().server("127.0.0.1:" + server.port()).trust(TrustAnchors.explicit(List.of(server.root())));
  }

  static byte[] csr(String cn, KeyEncryption enc) throws Exception {
    CsrBuilder b = CsrBuilder.create().commonName(cn);
    if (enc != null) {
      b.requestKeyEncryption(enc);
    }
    return b.sign(KeyPairs.generate("ec:P-256"));
  }

  static void assertMatches(PrivateKey key, X509Certificate cert) throws Exception {
    String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    byte[] data = "proof".getBytes(StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance(alg);
    s.initSign(key);
    s.update(data);
    byte[] sig = s.sign();
    Signature v = Signature.getInstance(alg);
    v.initVerify(cert.getPublicKey());
    v.update(data);
    assertThat(v.verify(sig)).as("the key belongs to the issued certificate").isTrue();
  }

  @Test
  void sharedKeysRoundTripWithAes256AndAes128Wrap() throws Exception {
    for (KeyEncryption enc : List.of(KeyEncryption.sharedKey("group-1".getBytes(StandardCharsets.UTF_8), GROUP_KEY),
        KeyEncryption.sharedKey("group-128".getBytes(StandardCharsets.UTF_8), GROUP128_KEY))) {
      ServerKeyGenResult r = client().build().serverKeyGen(csr("shared", enc), enc);
      assertMatches(r.privateKey(), r.certificate());
      assertThat(r.signer()).hasValue(server.caCertificates().get(0));
    }
  }

  @Test
  void tlsClientIdentityEcAndRsa() throws Exception {
    for (String type : List.of("ec:P-256", "rsa:2048")) {
      KeyPair tlsKey = KeyPairs.generate(type);
      EnrollResult.Issued issued = (EnrollResult.Issued) client().build()
          .enroll(CsrBuilder.create().commonName("device " + type).sign(tlsKey));
      EstClient withIdentity = client()
          .clientIdentity(ClientIdentity.of(tlsKey.getPrivate(), List.of(issued.certificate()))).build();
      KeyEncryption enc = withIdentity.keyEncryptionToIdentity();
      ServerKeyGenResult r = withIdentity.serverKeyGen(csr("generated " + type, enc), enc);
      assertMatches(r.privateKey(), r.certificate());
    }
  }

  @Test
  void opensslDecryptsTheAsymmetricFormsAndVerifiesTheSignature() throws Exception {
    Path openssl = ExternalTools.openssl();
    Files.write(dir.resolve("ca.pem"), PemWriter.toPem(server.caCertificates()).getBytes(StandardCharsets.US_ASCII));
    for (String name : List.of("escrow-rsa", "escrow-ec")) {
      X509Certificate escrow = PemReader.readCertificates(dir.resolve(name + ".pem")).get(0);
      PrivateKey escrowKey = PemReader.readPrivateKey(dir.resolve(name + "-key.pem"), Optional.empty());
      KeyEncryption enc = KeyEncryption.toKeyPair(escrowKey, escrow);
      ServerKeyGenResult raw = client().build().serverKeyGen(csr("escrowed", enc));
      assertThat(raw.isEncrypted()).isTrue();
      Files.write(dir.resolve(name + ".cms"), raw.encryptedKey().orElseThrow());
      PrivateKey viaOpenssl = opensslOpen(openssl, name + ".cms", "-inkey", name + "-key.pem");
      assertMatches(viaOpenssl, raw.certificate());
      assertMatches(raw.decrypt(enc, server.caCertificates()).privateKey(), raw.certificate());
    }
  }

  @Test
  void opensslDecryptsTheSymmetricFormWithGcmWhenTheClientPrefersIt() throws Exception {
    Path openssl = ExternalTools.openssl();
    Files.write(dir.resolve("ca.pem"), PemWriter.toPem(server.caCertificates()).getBytes(StandardCharsets.US_ASCII));
    byte[] id = "group-1".getBytes(StandardCharsets.UTF_8);
    byte[] csr = CsrBuilder.create().commonName("gcm")
        .addAttribute(KeyGenAttributes.decryptKeyIdAttribute(id))
        .addAttribute(KeyGenAttributes.smimeCapabilitiesAttribute(List.of(CMSAlgorithm.AES256_GCM, CMSAlgorithm.AES256_WRAP)))
        .sign(KeyPairs.generate("ec:P-256"));
    ServerKeyGenResult raw = client().build().serverKeyGen(csr);
    byte[] cms = raw.encryptedKey().orElseThrow();
    assertThat(ContentInfo.getInstance(cms).getContentType()).isEqualTo(CMSObjectIdentifiers.authEnvelopedData);
    Files.write(dir.resolve("kek.cms"), cms);
    PrivateKey viaOpenssl = opensslOpen(openssl, "kek.cms", "-secretkey", HexFormat.of().formatHex(GROUP_KEY),
        "-secretkeyid", HexFormat.of().formatHex(id));
    assertMatches(viaOpenssl, raw.certificate());
  }

  /** openssl cms -decrypt, then -verify against the CA, then the key out of the AsymmetricKeyPackage. */
  static PrivateKey opensslOpen(Path openssl, String in, String... keyArgs) throws Exception {
    Cmd cmd = Cmd.in(dir);
    String[] decrypt = Cmd.concat(new String[] {openssl.toString(), "cms", "-decrypt", "-inform", "DER", "-in", in,
        "-binary", "-out", in + ".sd"}, keyArgs);
    cmd.ok(decrypt);
    // The EnvelopedData holds the SignedData itself (RFC 5652 §6.1); openssl -verify wants a ContentInfo.
    ASN1Primitive signedData = ASN1Primitive.fromByteArray(Files.readAllBytes(dir.resolve(in + ".sd")));
    Files.write(dir.resolve(in + ".p7"), new ContentInfo(CMSObjectIdentifiers.signedData, signedData).getEncoded());
    cmd.ok(openssl.toString(), "cms", "-verify", "-inform", "DER", "-in", in + ".p7", "-CAfile", "ca.pem",
        "-purpose", "any", "-binary", "-out", in + ".pkg");
    ASN1Sequence keys = ASN1Sequence.getInstance(Files.readAllBytes(dir.resolve(in + ".pkg")));
    assertThat(keys.size()).as("one key in the AsymmetricKeyPackage").isEqualTo(1);
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getObjectAt(0));
    String alg = info.getPrivateKeyAlgorithm().getAlgorithm().getId().equals("1.2.840.113549.1.1.1") ? "RSA" : "EC";
    return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
  }

  @Test
  void unknownIdentifiersAreRefusedWithTheIdentifierNamed() throws Exception {
    KeyEncryption unknown = KeyEncryption.sharedKey("nobody".getBytes(StandardCharsets.UTF_8), GROUP_KEY);
    assertThatThrownBy(() -> client().build().serverKeyGen(csr("x", unknown), unknown))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("unknown DecryptKeyIdentifier 6e6f626f6479 (\"nobody\")");
    KeyPair stranger = KeyPairs.generate("ec:P-256");
    byte[] csr = CsrBuilder.create().commonName("x")
        .addAttribute(KeyGenAttributes.asymmetricDecryptKeyIdAttribute(new byte[] {1, 2, 3}))
        .sign(stranger);
    assertThatThrownBy(() -> client().build().serverKeyGen(csr))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("unknown AsymmetricDecryptKeyIdentifier 010203")
        .hasMessageContaining("none was sent");
  }

  @Test
  void algorithmsTheServerCannotHonourAreRefused() throws Exception {
    byte[] csr = CsrBuilder.create().commonName("3des")
        .addAttribute(KeyGenAttributes.decryptKeyIdAttribute("group-1".getBytes(StandardCharsets.UTF_8)))
        .addAttribute(KeyGenAttributes.smimeCapabilitiesAttribute(List.of(CMSAlgorithm.DES_EDE3_CBC)))
        .sign(KeyPairs.generate("ec:P-256"));
    assertThatThrownBy(() -> client().build().serverKeyGen(csr))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("des-ede3-cbc (1.2.840.113549.3.7)");
    byte[] wrap = CsrBuilder.create().commonName("wrap")
        .addAttribute(KeyGenAttributes.decryptKeyIdAttribute("group-128".getBytes(StandardCharsets.UTF_8)))
        .addAttribute(KeyGenAttributes.smimeCapabilitiesAttribute(List.of(CMSAlgorithm.AES256_WRAP)))
        .sign(KeyPairs.generate("ec:P-256"));
    assertThatThrownBy(() -> client().build().serverKeyGen(wrap))
        .hasMessageContaining("id-aes128-wrap");
  }

  @Test
  void bothKindsAtOnceAndPlainRequestsOnAStrictLabelAreRefused() throws Exception {
    byte[] both = CsrBuilder.create().commonName("both")
        .addAttribute(KeyGenAttributes.decryptKeyIdAttribute("group-1".getBytes(StandardCharsets.UTF_8)))
        .addAttribute(KeyGenAttributes.asymmetricDecryptKeyIdAttribute(new byte[] {1}))
        .sign(KeyPairs.generate("ec:P-256"));
    assertThatThrownBy(() -> client().build().serverKeyGen(both)).hasMessageContaining("give one");
    assertThatThrownBy(() -> client().label("strict").build().serverKeyGen(csr("plain", null)))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining("only encrypted");
    KeyEncryption enc = KeyEncryption.sharedKey("group-1".getBytes(StandardCharsets.UTF_8), GROUP_KEY);
    ServerKeyGenResult r = client().label("strict").build().serverKeyGen(csr("ok", enc), enc);
    assertMatches(r.privateKey(), r.certificate());
  }

  @Test
  void aWrongSharedKeyOnTheClientIsReported() throws Exception {
    byte[] wrongKey = GROUP_KEY.clone();
    wrongKey[5] ^= 1;
    KeyEncryption wrong = KeyEncryption.sharedKey("group-1".getBytes(StandardCharsets.UTF_8), wrongKey);
    assertThatThrownBy(() -> client().build().serverKeyGen(csr("wrong", wrong), wrong))
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("cannot decrypt the key");
  }

  @Test
  void rsaKeysComeBackEncryptedToo() throws Exception {
    KeyEncryption enc = KeyEncryption.sharedKey("group-1".getBytes(StandardCharsets.UTF_8), GROUP_KEY);
    byte[] csr = CsrBuilder.create().commonName("rsa").requestKeyEncryption(enc).sign(KeyPairs.generate("rsa:3072"));
    ServerKeyGenResult r = client().build().serverKeyGen(csr, enc);
    assertThat(((RSAPrivateCrtKey) r.privateKey()).getModulus().bitLength()).isEqualTo(3072);
    assertMatches(r.privateKey(), r.certificate());
  }
}
