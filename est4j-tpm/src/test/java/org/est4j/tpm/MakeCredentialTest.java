package org.est4j.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SignatureException;
import javax.crypto.BadPaddingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MakeCredential and its software inverse: round trips for RSA and ECC EKs, every AES key size and
 * name algorithm, and the seed's tamper cases (make_cred_test.go: BadSeed, BadHMACSize, BadHMAC,
 * BadCredential).
 */
class MakeCredentialTest {
  private static final byte[] CREDENTIAL = "sixteen byte key".getBytes();

  @ParameterizedTest
  @CsvSource({
    "rsa, 128, SHA256", "rsa, 192, SHA256", "rsa, 256, SHA256",
    "rsa, 128, SHA1", "rsa, 256, SHA384", "rsa, 256, SHA512",
    "secp256r1, 128, SHA256", "secp384r1, 256, SHA384", "secp521r1, 256, SHA512",
    "secp256r1, 128, SHA1"
  })
  void roundTrip(String keyType, int aesBits, TpmHash nameAlg) throws Exception {
    Ek ek = Ek.of(keyType, aesBits, nameAlg);
    TpmPublic ak = TpmPublicBuilder.akTemplate(Keys.ec("secp256r1").getPublic()).build();
    CredentialChallenge c = MakeCredential.make(CREDENTIAL, ek.area, ak);
    assertThat(c.credentialBlob()).hasSize(2 + nameAlg.size() + 2 + CREDENTIAL.length);
    assertThat(CredentialActivation.activate(ek.keys.getPrivate(), ek.area, ak.name(), c))
        .isEqualTo(CREDENTIAL);
    if (ek.area.isEcc()) {
      // the "encrypted seed" of an ECC EK is the ephemeral TPMS_ECC_POINT
      TpmReader r = new TpmReader(c.encryptedSecret(), "point");
      assertThat(r.tpm2b()).hasSize(ek.area.eccX().length);
      assertThat(r.tpm2b()).hasSize(ek.area.eccY().length);
      r.expectEnd();
    } else {
      assertThat(c.encryptedSecret()).hasSize(256);
    }
  }

  @Test
  void boundToTheObjectName() throws Exception {
    Ek ek = Ek.of("rsa", 128, TpmHash.SHA256);
    TpmPublic ak = TpmPublicBuilder.akTemplate(Keys.rsa(2048).getPublic()).build();
    TpmPublic other = TpmPublicBuilder.akTemplate(Keys.rsa(2048).getPublic()).build();
    CredentialChallenge c = MakeCredential.make(CREDENTIAL, ek.area, ak);
    assertThatThrownBy(
            () -> CredentialActivation.activate(ek.keys.getPrivate(), ek.area, other.name(), c))
        .isInstanceOf(SignatureException.class);
  }

  @ParameterizedTest
  @CsvSource({"rsa, 128", "rsa, 192", "rsa, 256", "secp256r1, 128"})
  void tamperCases(String keyType, int aesBits) throws Exception {
    Ek ek = Ek.of(keyType, aesBits, TpmHash.SHA256);
    TpmPublic ak = TpmPublicBuilder.akTemplate(Keys.rsa(2048).getPublic()).build();
    CredentialChallenge c = MakeCredential.make(CREDENTIAL, ek.area, ak);
    byte[] blob = c.credentialBlob();
    byte[] seed = c.encryptedSecret();

    // BadSeed: RSA fails OAEP; for ECC the flipped coordinate is off the curve or derives another seed
    Class<? extends Throwable> badSeed =
        ek.area.isRsa() ? BadPaddingException.class : GeneralSecurityException.class;
    assertThatThrownBy(() -> activate(ek, ak, blob, flip(seed, 4))).isInstanceOf(badSeed);
    assertThatThrownBy(() -> activate(ek, ak, flip(blob, 1), seed))
        .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("HMAC size");
    assertThatThrownBy(() -> activate(ek, ak, flip(blob, 4), seed))
        .isInstanceOf(SignatureException.class).hasMessageContaining("HMAC does not match");
    assertThatThrownBy(() -> activate(ek, ak, flip(blob, 36), seed))
        .isInstanceOf(SignatureException.class).hasMessageContaining("HMAC does not match");
    assertThatThrownBy(() -> activate(ek, ak, java.util.Arrays.copyOf(blob, 36), seed))
        .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("too short");
  }

  @Test
  void credentialMustFitTheNameAlgDigest() throws Exception {
    Ek ek = Ek.of("rsa", 128, TpmHash.SHA1);
    TpmPublic ak = TpmPublicBuilder.akTemplate(Keys.rsa(2048).getPublic()).build();
    assertThatThrownBy(() -> MakeCredential.make(new byte[21], ek.area, ak))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..20");
  }

  @Test
  void ekWithoutAesCfbIsRefused() throws Exception {
    KeyPair keys = Keys.rsa(2048);
    TpmPublic ek = TpmPublicBuilder.ekTemplate(keys.getPublic()).symmetric(SymDef.NULL).build();
    TpmPublic ak = TpmPublicBuilder.akTemplate(Keys.rsa(2048).getPublic()).build();
    assertThatThrownBy(() -> MakeCredential.make(CREDENTIAL, ek, ak))
        .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("AES in CFB");
  }

  private static byte[] activate(Ek ek, TpmPublic ak, byte[] blob, byte[] seed) throws Exception {
    return CredentialActivation.activate(
        ek.keys.getPrivate(), ek.area, ak.name(), new CredentialChallenge(blob, seed));
  }

  private static byte[] flip(byte[] in, int index) {
    byte[] out = in.clone();
    out[index] ^= (byte) 0xff;
    return out;
  }

  private record Ek(KeyPair keys, TpmPublic area) {
    static Ek of(String keyType, int aesBits, TpmHash nameAlg) throws Exception {
      KeyPair keys = keyType.equals("rsa") ? Keys.rsa(2048) : Keys.ec(keyType);
      TpmPublic area = TpmPublicBuilder.ekTemplate(keys.getPublic())
          .nameAlg(nameAlg).authPolicy(TpmPublicBuilder.endorsementPolicy(nameAlg))
          .symmetric(SymDef.aesCfb(aesBits)).build();
      return new Ek(keys, area);
    }
  }
}
