package org.est4j.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TpmPublicTest {
  @Test
  void endorsementPolicyIsTheTcgDigest() {
    assertThat(HexFormat.of().formatHex(TpmPublicBuilder.endorsementPolicy(TpmHash.SHA256)))
        .isEqualTo("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
  }

  @Test
  void rsaEkRoundTrip() throws Exception {
    KeyPair keys = Keys.rsa(2048);
    TpmPublic ek = TpmPublicBuilder.ekTemplate(keys.getPublic()).build();
    TpmPublic parsed = TpmPublic.parse(ek.encode());
    assertThat(parsed).isEqualTo(ek);
    assertThat(parsed.encode()).isEqualTo(ek.encode());
    assertThat(parsed.publicKey()).isEqualTo(keys.getPublic());
    assertThat(parsed.isRestrictedDecryptionKey()).isTrue();
    assertThat(parsed.isFixedTpm()).isTrue();
    assertThat(parsed.rsaKeyBits()).isEqualTo(2048);
    assertThat(parsed.symmetric()).isEqualTo(SymDef.aesCfb(128));
    assertThat(parsed.attributes()).isEqualTo(0x000300b2);
    assertThat(TpmPublic.parseTpm2b(ek.encodeTpm2b())).isEqualTo(ek);
    byte[] name = parsed.name();
    assertThat(Arrays.copyOf(name, 2)).containsExactly(0x00, 0x0b);
    assertThat(Arrays.copyOfRange(name, 2, name.length)).isEqualTo(TpmHash.SHA256.digest(ek.encode()));
  }

  @Test
  void eccAkRoundTrip() throws Exception {
    KeyPair keys = Keys.ec("secp384r1");
    TpmPublic ak = TpmPublicBuilder.akTemplate(keys.getPublic()).build();
    TpmPublic parsed = TpmPublic.parse(ak.encode());
    assertThat(parsed.publicKey()).isEqualTo(keys.getPublic());
    assertThat(parsed.curve()).isEqualTo(TpmAlg.CURVE_NIST_P384);
    assertThat(parsed.eccX()).hasSize(48);
    assertThat(parsed.scheme()).isEqualTo(Scheme.of(TpmAlg.ECDSA, TpmAlg.SHA256));
    assertThat(parsed.isSign()).isTrue();
    assertThat(parsed.isRestrictedDecryptionKey()).isFalse();
  }

  @Test
  void ecdaaAndRsaesSchemesRoundTrip() throws Exception {
    TpmPublic ecdaa = TpmPublic.builder().key(Keys.ec("secp256r1").getPublic())
        .scheme(new Scheme(TpmAlg.ECDAA, TpmAlg.SHA256, 7))
        .kdf(Scheme.of(TpmAlg.KDF1_SP800_56A, TpmAlg.SHA256)).build();
    assertThat(TpmPublic.parse(ecdaa.encode()).scheme().count()).isEqualTo(7);
    TpmPublic rsaes = TpmPublic.builder().key(Keys.rsa(2048).getPublic())
        .scheme(new Scheme(TpmAlg.RSAES, TpmAlg.NULL, 0)).build();
    assertThat(TpmPublic.parse(rsaes.encode())).isEqualTo(rsaes);
  }

  @Test
  void malformedAreasAreRefusedWithAReason() throws Exception {
    byte[] good = TpmPublicBuilder.ekTemplate(Keys.rsa(2048).getPublic()).build().encode();
    assertThatThrownBy(() -> TpmPublic.parse(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(TpmFormatException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> TpmPublic.parse(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(TpmFormatException.class).hasMessageContaining("trailing");
    byte[] keyedHash = good.clone();
    keyedHash[1] = 0x08;
    assertThatThrownBy(() -> TpmPublic.parse(keyedHash))
        .isInstanceOf(TpmFormatException.class).hasMessageContaining("0x0008");
    byte[] sm3 = good.clone();
    sm3[3] = 0x12;
    assertThatThrownBy(() -> TpmPublic.parse(sm3))
        .isInstanceOf(TpmFormatException.class).hasMessageContaining("hash algorithm 0x0012");
    assertThatThrownBy(() -> TpmPublic.parse(new byte[0])).isInstanceOf(TpmFormatException.class);
    assertThatThrownBy(() -> TpmPublic.parseTpm2b(good)).isInstanceOf(TpmFormatException.class);
  }

  @Test
  void offCurvePointIsNotAKey() throws Exception {
    TpmPublic ak = TpmPublicBuilder.akTemplate(Keys.ec("secp256r1").getPublic()).build();
    byte[] bytes = ak.encode();
    bytes[bytes.length - 1] ^= 1;
    // JDK key factories do not check the curve equation; MakeCredential's ECDH does
    TpmPublic bad = TpmPublicBuilder.ekTemplate(TpmPublic.parse(bytes).publicKey()).build();
    assertThatThrownBy(() -> MakeCredential.make(new byte[16], bad, ak))
        .isInstanceOf(java.security.GeneralSecurityException.class);
  }
}
