package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;

class EcdsaSignaturesTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void reencodesWhatTheJdkSigns() throws Exception {
    KeyPair key = KeySpecs.generate("ec:P-256");
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key.getPrivate());
    signer.update(data);
    byte[] der = signer.sign();
    ASN1Sequence seq = ASN1Sequence.getInstance(der);
    BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
    BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
    assertThat(EcdsaSignatures.toDer(r, s)).isEqualTo(der);

    byte[] rs = new byte[64];
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    System.arraycopy(rb, Math.max(0, rb.length - 32), rs, 32 - Math.min(32, rb.length), Math.min(32, rb.length));
    System.arraycopy(sb, Math.max(0, sb.length - 32), rs, 64 - Math.min(32, sb.length), Math.min(32, sb.length));
    byte[] converted = EcdsaSignatures.fromConcatenated(rs);
    assertThat(converted).isEqualTo(der);
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(key.getPublic());
    verifier.update(data);
    assertThat(verifier.verify(converted)).isTrue();
  }

  @Test
  void highBitsGetAZeroAndLeadingZerosGo() {
    // r = 0x80..., s = 0x00 0x01: r needs a 0x00 pad byte, s loses its leading zero
    assertThat(HEX.formatHex(EcdsaSignatures.fromConcatenated(HEX.parseHex("80ff0001"))))
        .isEqualTo("3008" + "02030080ff" + "020101");
  }

  @Test
  void rejectsOddLengthsAndNegatives() {
    assertThatThrownBy(() -> EcdsaSignatures.fromConcatenated(new byte[3])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> EcdsaSignatures.toDer(BigInteger.ONE.negate(), BigInteger.ONE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
