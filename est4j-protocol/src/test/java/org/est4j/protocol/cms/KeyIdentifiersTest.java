package org.est4j.protocol.cms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyIdentifiersTest {
  @Test
  void identifiersAreTextOrHex() {
    assertThat(KeyIdentifiers.parseId("group-1")).isEqualTo("group-1".getBytes(StandardCharsets.UTF_8));
    assertThat(KeyIdentifiers.parseId("hex:0A0b")).containsExactly(10, 11);
    assertThat(KeyIdentifiers.parseId("HEX:ff")).containsExactly(0xff);
    assertThatThrownBy(() -> KeyIdentifiers.parseId("hex:abc")).hasMessageContaining("is not hex");
    assertThatThrownBy(() -> KeyIdentifiers.parseId("hex:")).hasMessageContaining("is not hex");
    assertThatThrownBy(() -> KeyIdentifiers.parseId("")).hasMessageContaining("empty");
  }

  @Test
  void sharedKeysAreHexDigitsOrRawBytes() {
    String hex = "000102030405060708090a0b0c0d0e0f";
    assertThat(KeyIdentifiers.parseAesKey((" " + hex + "\r\n").getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(HexFormat.of().parseHex(hex));
    assertThat(KeyIdentifiers.parseAesKey((hex + hex).getBytes(StandardCharsets.US_ASCII))).hasSize(32);
    byte[] raw = new byte[24];
    raw[0] = (byte) 0x80;
    assertThat(KeyIdentifiers.parseAesKey(raw)).isEqualTo(raw);
    // 32 raw bytes that are not all hex digits are a raw AES-256 key, not hex
    byte[] raw32 = "0123456789abcdef0123456789abcdeZ".getBytes(StandardCharsets.US_ASCII);
    assertThat(KeyIdentifiers.parseAesKey(raw32)).isEqualTo(raw32);
    assertThatThrownBy(() -> KeyIdentifiers.parseAesKey("secret!".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("32, 48 or 64 hex digits")
        .hasMessageNotContaining("secret");
  }
}
