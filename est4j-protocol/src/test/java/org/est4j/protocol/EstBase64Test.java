package org.est4j.protocol;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class EstBase64Test {
  private static final byte[] DATA = bytes(100);
  private static final String FLAT = Base64.getEncoder().encodeToString(DATA); // 136 chars

  @Test
  void decodesUnwrapped() throws Exception {
    assertThat(EstBase64.decode(FLAT)).isEqualTo(DATA);
    assertThat(EstBase64.decode(FLAT.getBytes(US_ASCII))).isEqualTo(DATA);
  }

  @Test
  void ignoresCrLfLfSpacesTabsAndFormFeedsAnywhere() throws Exception {
    String messy =
        " \t" + FLAT.substring(0, 64) + "\r\n" + FLAT.substring(64, 70) + "\n  "
            + FLAT.substring(70, 71) + "\t\f\u000b" + FLAT.substring(71) + "\r\n\r\n";
    assertThat(EstBase64.decode(messy)).isEqualTo(DATA);
    assertThat(EstBase64.decode(messy.getBytes(US_ASCII))).isEqualTo(DATA);
  }

  @Test
  void ignoresTrailingNulAsLibestSends() throws Exception {
    byte[] body = (FLAT + "\n\0").getBytes(US_ASCII);
    assertThat(EstBase64.decode(body)).isEqualTo(DATA);
  }

  @Test
  void emptyAndWhitespaceOnlyDecodeToNothing() throws Exception {
    assertThat(EstBase64.decode(new byte[0])).isEmpty();
    assertThat(EstBase64.decode(" \r\n\0")).isEmpty();
  }

  @Test
  void rejectsCharactersOutsideTheAlphabet() {
    for (String bad : new String[] {"AAA*", "AA-_", "AAAA.", "Zm9v\u00e9", "AA==AAAA", "AAA"}) {
      assertThatThrownBy(() -> EstBase64.decode(bad))
          .as(bad)
          .isInstanceOf(EstProtocolException.class)
          .hasMessage("invalid base64 encoding");
      assertThatThrownBy(() -> EstBase64.decode(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(EstProtocolException.class)
          .hasMessage("invalid base64 encoding");
    }
  }

  @Test
  void encodesSeventySixColumnLinesEachEndingInCrlf() {
    String encoded = new String(EstBase64.encode(DATA), US_ASCII);
    assertThat(encoded).isEqualTo(FLAT.substring(0, 76) + "\r\n" + FLAT.substring(76) + "\r\n");
  }

  @Test
  void exactMultipleOfLineLengthHasNoEmptyLine() {
    byte[] data = bytes(57); // 76 base64 characters exactly
    assertThat(new String(EstBase64.encode(data), US_ASCII))
        .isEqualTo(Base64.getEncoder().encodeToString(data) + "\r\n");
  }

  @Test
  void emptyInputEncodesToCrlf() {
    assertThat(EstBase64.encode(new byte[0])).isEqualTo("\r\n".getBytes(US_ASCII));
  }

  @Test
  void customLineLength() {
    assertThat(EstBase64.encodeToString(bytes(7), 4))
        .isEqualTo("AAEC\r\nAwQF\r\nBg==\r\n");
  }

  @Test
  void lineLengthZeroIsOneUnterminatedLine() {
    assertThat(new String(EstBase64.encode(DATA, 0), US_ASCII)).isEqualTo(FLAT);
    assertThat(EstBase64.encode(new byte[0], 0)).isEmpty();
  }

  @Test
  void rejectsBadLineLengths() {
    for (int bad : new int[] {-4, 1, 6, 75}) {
      assertThatThrownBy(() -> EstBase64.encode(DATA, bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void roundTripsAllLengths() throws Exception {
    for (int n = 0; n < 200; n++) {
      assertThat(EstBase64.decode(EstBase64.encode(bytes(n)))).isEqualTo(bytes(n));
      assertThat(EstBase64.decode(EstBase64.encode(bytes(n), 64))).isEqualTo(bytes(n));
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }
}
