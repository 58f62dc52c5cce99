package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 7512 parsing and the seed's key_id rule; opening keys is tested against SoftHSM2 in est4j-integration-tests. */
class Pkcs11KeySpecTest {

  @Test
  void parsesPathAndQueryAttributesWithPercentDecoding() {
    Pkcs11KeySpec s = Pkcs11KeySpec.fromUri("pkcs11:token=Testing%20Token;object=my%20key;id=%01%a0;type=private"
        + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=12%334");
    assertThat(s.tokenLabel()).contains("Testing Token");
    assertThat(s.keyLabel()).contains("my key");
    assertThat(s.keyId()).hasValueSatisfying(id -> assertThat(id).containsExactly(0x01, 0xa0));
    assertThat(s.module()).isEqualTo(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
    assertThat(s.pin()).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("1234"));
    assertThat(s.toString()).doesNotContain("1234").contains("PIN set").contains("id=01a0");
  }

  @Test
  void utf8LabelsAndPinSourceFile(@TempDir Path dir) throws Exception {
    Path pin = Files.writeString(dir.resolve("pin"), "s3cret\r\nignored\n");
    Pkcs11KeySpec s = Pkcs11KeySpec.fromUri("pkcs11:token=J%C3%BCrgen;object=k?module-path=/m.so&pin-source=file:" + pin);
    assertThat(s.tokenLabel()).contains("Jürgen");
    assertThat(s.pin()).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("s3cret"));
    assertThat(Pkcs11KeySpec.fromUri("PKCS11:object=k?module-path=/m.so").hasPin()).isFalse();
    assertThat(Pkcs11KeySpec.fromUri("pkcs11:object=k?module-path=/m.so&pin-source=file://" + pin).pin())
        .hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("s3cret"));
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:object=k?module-path=/m.so&pin-source=file:no-such-pin.txt"))
        .hasMessageContaining("no-such-pin.txt");
  }

  @Test
  void refusesWhatItCannotHonour() {
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:token=t;id=%01")).hasMessageContaining("module-path");
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:token=t?module-path=/m.so"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("object=");
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:id=%0?module-path=/m.so")).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:id=%zz?module-path=/m.so")).hasMessageContaining("bad percent");
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:id=%01;type=cert?module-path=/m.so")).hasMessageContaining("type=cert");
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:id=%01;serial=42?module-path=/m.so")).hasMessageContaining("serial");
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:id=%01?module-name=softhsm2")).hasMessageContaining("module-path");
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("file:/x")).hasMessageContaining("pkcs11:");
    assertThatThrownBy(() -> Pkcs11KeySpec.fromUri("pkcs11:id=%01?module-path=/m.so&pin-value=9876&colour=red"))
        .hasMessageContaining("colour").hasMessageNotContaining("9876");
  }

  @Test
  void keyIdIsTheIntegersBigEndianMagnitudeAsInGo() {
    assertThat(Pkcs11KeySpec.keyIdFromInteger(BigInteger.ONE)).containsExactly(0x01);
    assertThat(Pkcs11KeySpec.keyIdFromInteger(BigInteger.valueOf(128))).containsExactly(0x80); // no sign byte
    assertThat(Pkcs11KeySpec.keyIdFromInteger(BigInteger.valueOf(256))).containsExactly(0x01, 0x00);
    assertThat(Pkcs11KeySpec.keyIdFromInteger(BigInteger.ZERO)).isEmpty();
    assertThatThrownBy(() -> Pkcs11KeySpec.keyIdFromInteger(BigInteger.valueOf(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
