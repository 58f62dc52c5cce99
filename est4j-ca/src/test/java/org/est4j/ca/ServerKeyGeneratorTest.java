package org.est4j.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerKeyGeneratorTest {

  @ParameterizedTest
  @ValueSource(strings = {"ec:P-256", "ec:P-384", "ec:P-521", "ed25519", "ed448"})
  void keepsTheKeyTypeAndCurve(String spec) throws Exception {
    SubjectPublicKeyInfo csrKey = Pki.spki(ServerKeyGenerator.generate(spec));

    SubjectPublicKeyInfo generated = Pki.spki(ServerKeyGenerator.generateLike(csrKey));

    assertThat(generated.getAlgorithm()).isEqualTo(csrKey.getAlgorithm());
    assertThat(generated.getPublicKeyData()).isNotEqualTo(csrKey.getPublicKeyData());
  }

  @ParameterizedTest
  @ValueSource(ints = {2048, 3072, 4096})
  void keepsTheRsaSize(int bits) throws Exception {
    KeyPair generated = ServerKeyGenerator.generateLike(
        Pki.spki(ServerKeyGenerator.generate("rsa:" + bits)));
    assertThat(((RSAPublicKey) generated.getPublic()).getModulus().bitLength()).isEqualTo(bits);
  }

  @Test
  void refusesOtherRsaSizes() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    SubjectPublicKeyInfo small = Pki.spki(rsa.generateKeyPair());
    assertThatThrownBy(() -> ServerKeyGenerator.generateLike(small))
        .isInstanceOfSatisfying(CaException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e).hasMessage("unsupported key size for server key generation: RSA 1024");
        });
  }

  @Test
  void givesP256ForAnythingElse() throws Exception {
    AlgorithmIdentifier p256 =
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
    SubjectPublicKeyInfo x25519 = Pki.spki(KeyPairGenerator.getInstance("X25519").generateKeyPair());
    SubjectPublicKeyInfo secp256k1 = new SubjectPublicKeyInfo(
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1),
        new DERBitString(new byte[65]));

    assertThat(Pki.spki(ServerKeyGenerator.generateLike(x25519)).getAlgorithm()).isEqualTo(p256);
    assertThat(Pki.spki(ServerKeyGenerator.generateLike(secp256k1)).getAlgorithm())
        .isEqualTo(p256);
  }

  @Test
  void parsesSpecs() {
    assertThat(Pki.spki(ServerKeyGenerator.generate("EC:prime256v1")).getAlgorithm().getParameters())
        .isEqualTo(SECObjectIdentifiers.secp256r1);
    assertThat(Pki.spki(ServerKeyGenerator.generate("ec:secp384r1")).getAlgorithm().getParameters())
        .isEqualTo(SECObjectIdentifiers.secp384r1);
    assertThat(Pki.spki(ServerKeyGenerator.generate("Ed25519")).getAlgorithm().getAlgorithm())
        .isEqualTo(EdECObjectIdentifiers.id_Ed25519);
    for (String bad : new String[] {"rsa:1024", "rsa:x", "ec:P-192", "dsa", ""}) {
      assertThatThrownBy(() -> ServerKeyGenerator.generate(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key type");
    }
  }
}
