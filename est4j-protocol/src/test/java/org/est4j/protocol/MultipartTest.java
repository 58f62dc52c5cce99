package org.est4j.protocol;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartTest {
  private static final String BOUNDARY = "estServerKeyGenBoundary";
  private static final byte[] KEY = filled(100, 0x11); // stands in for a PKCS#8 key
  private static final byte[] CERTS = filled(50, 0x22); // stands in for a certs-only response

  @Test
  void encodesExactlyTheGoSeedWireForm() throws Exception {
    byte[] encoded =
        Multipart.encode(
            BOUNDARY,
            List.of(
                MultipartPart.base64(MediaTypes.PKCS8, KEY),
                MultipartPart.base64(MediaTypes.CERTS_ONLY, CERTS)));

    String keyB64 = Base64.getEncoder().encodeToString(KEY); // 136 chars: two lines
    String certsB64 = Base64.getEncoder().encodeToString(CERTS); // 68 chars: one line
    String expected =
        "--estServerKeyGenBoundary\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Type: application/pkcs8\r\n"
            + "\r\n"
            + keyB64.substring(0, 76) + "\r\n" + keyB64.substring(76) + "\r\n"
            + "\r\n"
            + "--estServerKeyGenBoundary\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=certs-only\r\n"
            + "\r\n"
            + certsB64 + "\r\n"
            + "\r\n"
            + "--estServerKeyGenBoundary--\r\n";
    assertThat(new String(encoded, US_ASCII)).isEqualTo(expected);
  }

  @Test
  void roundTrips() throws Exception {
    List<MultipartPart> parts =
        List.of(
            MultipartPart.base64(MediaTypes.PKCS8, KEY),
            MultipartPart.base64(MediaTypes.CERTS_ONLY, CERTS, 0));
    byte[] encoded = Multipart.encode(BOUNDARY, parts);

    List<MultipartPart> decoded = Multipart.decode(contentType(BOUNDARY), encoded);

    assertThat(decoded).isEqualTo(parts);
    assertThat(decoded.get(0).decodedBody()).isEqualTo(KEY);
    assertThat(decoded.get(1).decodedBody()).isEqualTo(CERTS);
    assertThat(decoded.get(1).contentType().parameter("smime-type")).contains("certs-only");
  }

  @Test
  void decodesWithPreambleEpilogueLfOnlyPaddingAndFoldedHeaders() throws Exception {
    String body =
        "This is the preamble.\n--b \t\n"
            + "content-type: application/PKCS8\n"
            + "X-Folded: one\n  two\n\tthree\n"
            + "\n"
            + "AAEC\n"
            + "--b\n"
            + "CONTENT-TYPE: application/pkcs7-mime;\n smime-type=certs-only\n"
            + "\n"
            + "line1\n\nline3\n"
            + "--b--  \nThis is the epilogue.\n--b\nnot a part\n";

    List<MultipartPart> parts = Multipart.decode(contentType("b"), body.getBytes(US_ASCII));

    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).header("Content-Type")).contains("application/PKCS8");
    assertThat(parts.get(0).header("x-folded")).contains("one two three");
    assertThat(parts.get(0).body()).isEqualTo("AAEC".getBytes(US_ASCII));
    assertThat(parts.get(1).contentType().is(MediaTypes.PKCS7_MIME)).isTrue();
    assertThat(parts.get(1).contentType().parameter("smime-type")).contains("certs-only");
    assertThat(parts.get(1).body()).isEqualTo("line1\n\nline3".getBytes(US_ASCII));
  }

  @Test
  void partsComeBackInWireOrderWhateverTheirTypes() throws Exception {
    String body =
        "--B\r\nContent-Type: application/pkcs7-mime; smime-type=certs-only\r\n\r\nc\r\n"
            + "--B\r\nContent-Type: application/pkcs8\r\n\r\nk\r\n--B--\r\n";

    List<MultipartPart> parts = Multipart.decode(contentType("B"), body.getBytes(US_ASCII));

    assertThat(parts).extracting(p -> new String(p.body(), US_ASCII)).containsExactly("c", "k");
  }

  @Test
  void oddBoundariesAndQuotedBoundaryParameter() throws Exception {
    String boundary = "==b--x";
    byte[] encoded =
        Multipart.encode(boundary, List.of(MultipartPart.base64(MediaTypes.PKCS8, KEY)));
    MediaType quoted = MediaType.parse("multipart/mixed; boundary=\"==b--x\"");

    assertThat(Multipart.decode(quoted, encoded).get(0).decodedBody()).isEqualTo(KEY);

    // A body line that merely starts with the delimiter is content, not a boundary.
    String body = "--==b--x\r\n\r\n--==b--xy\r\n--==b--\r\n--==b--x--\r\n";
    List<MultipartPart> parts = Multipart.decode(quoted, body.getBytes(US_ASCII));
    assertThat(parts).hasSize(1);
    assertThat(new String(parts.get(0).body(), US_ASCII)).isEqualTo("--==b--xy\r\n--==b--");
  }

  @Test
  void binaryBodiesSurviveUntouched() throws Exception {
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    MultipartPart part =
        new MultipartPart(
            List.of(Map.entry("Content-Type", "application/octet-stream"), Map.entry("Content-Transfer-Encoding", "binary")),
            binary);
    List<MultipartPart> parts =
        Multipart.decode(contentType("q"), Multipart.encode("q", List.of(part)));
    assertThat(parts.get(0).body()).isEqualTo(binary);
    assertThat(parts.get(0).decodedBody()).isEqualTo(binary);
  }

  @Test
  void partsWithoutContentTransferEncodingAreStillBase64() throws Exception {
    MultipartPart part = new MultipartPart(List.of(Map.entry("Content-Type", "application/pkcs8")), EstBase64.encode(KEY));
    List<MultipartPart> parts = Multipart.decode(contentType("q"), Multipart.encode("q", List.of(part)));
    assertThat(parts.get(0).decodedBody()).isEqualTo(KEY);
  }

  @Test
  void rejectsMissingClosingDelimiter() {
    String[] bad = {
      "--b\r\nContent-Type: a/b\r\n\r\nbody\r\n",
      "--b\r\nContent-Type: a/b\r\n\r\nbody\r\n--b\r\n",
      "no boundary at all",
      "",
      "x--b--\r\n", // not at the start of a line
    };
    for (String body : bad) {
      assertThatThrownBy(() -> Multipart.decode(contentType("b"), body.getBytes(US_ASCII)))
          .as(body)
          .isInstanceOf(EstProtocolException.class)
          .hasMessage("malformed multipart body");
    }
  }

  @Test
  void rejectsMissingBoundaryParameter() {
    assertThatThrownBy(
            () -> Multipart.decode(MediaType.parse("multipart/mixed"), "--b--".getBytes(US_ASCII)))
        .isInstanceOf(EstProtocolException.class)
        .hasMessage("missing multipart boundary");
  }

  @Test
  void encodeRejectsHeaderInjectionAndBadBoundaries() {
    MultipartPart evil = new MultipartPart(List.of(Map.entry("X", "a\r\nInjected: 1")), new byte[0]);
    assertThatThrownBy(() -> Multipart.encode("b", List.of(evil)))
        .isInstanceOf(IllegalArgumentException.class);
    for (String boundary : new String[] {"", "a\r\nb", "trailing ", "x".repeat(71)}) {
      assertThatThrownBy(() -> Multipart.encode(boundary, List.of()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void newBoundaryIsUsable() throws Exception {
    String boundary = Multipart.newBoundary();
    assertThat(boundary).hasSize(32).isNotEqualTo(Multipart.newBoundary());
    byte[] encoded = Multipart.encode(boundary, List.of(MultipartPart.base64(MediaTypes.PKCS8, KEY)));
    assertThat(Multipart.decode(contentType(boundary), encoded)).hasSize(1);
  }

  @Test
  void partIsImmutable() {
    byte[] body = {1, 2, 3};
    MultipartPart part = new MultipartPart(List.of(Map.entry("A", "b")), body);
    body[0] = 9;
    part.body()[1] = 9;
    assertThat(part.body()).containsExactly(1, 2, 3);
    assertThat(part.header("a")).contains("b");
    assertThat(part.header("c")).isEmpty();
  }

  @Test
  void largeBodiesDecodeInLinearTime() throws Exception {
    // 4 MB of lines that almost match the delimiter: a quadratic search would take minutes.
    StringBuilder content = new StringBuilder();
    while (content.length() < 4_000_000) {
      content.append("--estServerKeyGenBoundar\n");
    }
    String body = "--" + BOUNDARY + "\r\n\r\n" + content + "\r\n--" + BOUNDARY + "--\r\n";
    long start = System.nanoTime();
    List<MultipartPart> parts = Multipart.decode(contentType(BOUNDARY), body.getBytes(US_ASCII));
    assertThat(parts.get(0).body()).hasSize(content.length());
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
  }

  private static MediaType contentType(String boundary) throws EstProtocolException {
    return MediaType.parse("multipart/mixed; boundary=\"" + boundary + "\"");
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (value + i);
    }
    return b;
  }
}
