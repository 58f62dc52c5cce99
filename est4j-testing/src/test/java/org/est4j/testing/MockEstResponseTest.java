package org.est4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each factory's output, decoded back with est4j-protocol's decoders. */
class MockEstResponseTest {
  static TestPki pki;
  static List<X509Certificate> certs;

  @BeforeAll
  static void makePki() {
    pki = TestPki.create();
    certs = List.of(pki.root().certificate(), pki.intermediate().certificate());
  }

  @Test
  void certsOnlyIsWrappedBase64WithHeaders() throws Exception {
    MockEstResponse response = MockEstResponse.certsOnly(certs);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.reason()).isEqualTo("OK");
    byte[] body = response.body();
    assertThat(response.headers())
        .containsExactly(
            Map.entry("Content-Type", "application/pkcs7-mime; smime-type=certs-only"),
            Map.entry("Content-Transfer-Encoding", "base64"),
            Map.entry("Content-Length", Integer.toString(body.length)));
    String text = new String(body, StandardCharsets.US_ASCII);
    assertThat(text.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
    assertThat(text).endsWith("\r\n").contains("\r\n");
    assertThat(CertsOnly.decode(EstBase64.decode(body))).containsExactlyElementsOf(certs);
  }

  @Test
  void certsOnlyVariants() throws Exception {
    MockEstResponse odd =
        MockEstResponse.certsOnly(certs).toBuilder()
            .oneLineBase64()
            .withoutContentTransferEncoding()
            .trailingNul()
            .build();

    byte[] body = odd.body();
    assertThat(body[body.length - 1]).isZero();
    assertThat(new String(body, 0, body.length - 1, StandardCharsets.US_ASCII)).doesNotContain("\r", "\n");
    assertThat(odd.header("Content-Transfer-Encoding")).isEmpty();
    assertThat(odd.header("content-length")).contains(Integer.toString(body.length));
    assertThat(CertsOnly.decode(EstBase64.decode(body))).containsExactlyElementsOf(certs);
  }

  @Test
  void csrAttrs() throws Exception {
    byte[] der = CsrAttrs.rfc7030Example().encoded();
    MockEstResponse response = MockEstResponse.csrAttrs(der);
    assertThat(response.header("Content-Type")).contains("application/csrattrs");
    assertThat(response.header("Content-Transfer-Encoding")).contains("base64");
    assertThat(CsrAttrs.decode(EstBase64.decode(response.body()))).isEqualTo(CsrAttrs.rfc7030Example());
  }

  @Test
  void serverKeyGenIsMultipartWithKeyThenCertificate() throws Exception {
    TestCertificate device = pki.newClient("device");
    byte[] pkcs8 = device.keyPair().getPrivate().getEncoded();
    MockEstResponse response = MockEstResponse.serverKeyGen(pkcs8, device.certificate());

    MediaType type = MediaType.parse(response.header("Content-Type").orElseThrow());
    assertThat(type.essence()).isEqualTo("multipart/mixed");
    assertThat(type.parameter("boundary")).contains("est4j-mock-boundary");
    List<MultipartPart> parts = Multipart.decode(type, response.body());
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).contentType().essence()).isEqualTo("application/pkcs8");
    assertThat(parts.get(0).header("Content-Transfer-Encoding")).contains("base64");
    assertThat(parts.get(0).decodedBody()).isEqualTo(pkcs8);
    assertThat(parts.get(1).contentType().parameter("smime-type")).contains("certs-only");
    assertThat(CertsOnly.decode(parts.get(1).decodedBody())).containsExactly(device.certificate());
  }

  @Test
  void serverKeyGenVariants() throws Exception {
    TestCertificate device = pki.newClient("device");
    byte[] pkcs8 = device.keyPair().getPrivate().getEncoded();
    MockEstResponse response =
        MockEstResponse.serverKeyGen(pkcs8, device.certificate()).toBuilder()
            .boundary("other_boundary")
            .certificatePartFirst()
            .withoutContentTransferEncoding()
            .oneLineBase64()
            .build();

    MediaType type = MediaType.parse(response.header("Content-Type").orElseThrow());
    assertThat(type.parameter("boundary")).contains("other_boundary");
    assertThat(response.headers()).filteredOn(h -> h.getKey().equals("Content-Type")).hasSize(1);
    List<MultipartPart> parts = Multipart.decode(type, response.body());
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).contentType().essence()).isEqualTo("application/pkcs7-mime");
    assertThat(parts.get(0).header("Content-Transfer-Encoding")).isEmpty();
    // RFC 8951 §3: base64 whether or not the part says so.
    assertThat(parts.get(1).decodedBody()).isEqualTo(pkcs8);
    assertThat(new String(parts.get(1).body(), StandardCharsets.US_ASCII)).doesNotContain("\n");
  }

  @Test
  void errorIsTextPlainWithStatusLine() {
    MockEstResponse response = MockEstResponse.error(400, "bad CSR\nsecond line");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.reason()).isEqualTo("Bad Request");
    assertThat(response.header("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(response.bodyUtf8()).isEqualTo("400 bad CSR second line\n");
  }

  @Test
  void pendingForms() {
    MockEstResponse seconds = MockEstResponse.pending(Duration.ofSeconds(90));
    assertThat(seconds.status()).isEqualTo(202);
    assertThat(seconds.reason()).isEqualTo("Accepted");
    assertThat(seconds.header("Retry-After")).contains("90");
    assertThat(seconds.header("Content-Length")).contains("0");

    MockEstResponse date = MockEstResponse.pendingHttpDate(Instant.parse("2030-01-02T03:04:05Z"));
    assertThat(date.header("Retry-After")).contains("Wed, 02 Jan 2030 03:04:05 GMT");

    assertThat(MockEstResponse.pending().header("Retry-After")).isEmpty();
  }

  @Test
  void unauthorizedAndRedirect() {
    MockEstResponse unauthorized = MockEstResponse.unauthorized("estrealm");
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(unauthorized.header("WWW-Authenticate")).contains("Basic realm=\"estrealm\"");
    assertThat(unauthorized.body()).isEmpty();

    MockEstResponse redirect = MockEstResponse.redirect(307, "https://elsewhere/.well-known/est/cacerts");
    assertThat(redirect.status()).isEqualTo(307);
    assertThat(redirect.header("location")).contains("https://elsewhere/.well-known/est/cacerts");
    assertThatThrownBy(() -> MockEstResponse.redirect(200, "/")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void headersKeepOrderAndDuplicatesAndScriptedFramingWins() {
    MockEstResponse response =
        MockEstResponse.builder()
            .status(299, "Odd")
            .addHeader("X-A", "1")
            .addHeader("X-B", "2")
            .addHeader("x-a", "3")
            .addHeader("Content-Length", "999") // deliberately wrong: written as scripted
            .body("hello")
            .build();
    assertThat(response.headers())
        .containsExactly(
            Map.entry("X-A", "1"), Map.entry("X-B", "2"), Map.entry("x-a", "3"), Map.entry("Content-Length", "999"));
    assertThat(response.reason()).isEqualTo("Odd");

    MockEstResponse replaced = response.toBuilder().setHeader("X-A", "only").build();
    assertThat(replaced.headers()).startsWith(Map.entry("X-A", "only"), Map.entry("X-B", "2"));
    assertThat(replaced.headers()).filteredOn(h -> h.getKey().equalsIgnoreCase("x-a")).hasSize(1);

    MockEstResponse chunked = MockEstResponse.builder().body("x").chunked(4).build();
    assertThat(chunked.header("Transfer-Encoding")).contains("chunked");
    assertThat(chunked.header("Content-Length")).isEmpty();
    assertThat(MockEstResponse.builder().body("x").withoutContentLength().build().headers()).isEmpty();
  }

  @Test
  void rejectsHeaderInjectionAndBadOptions() {
    assertThatThrownBy(() -> MockEstResponse.builder().addHeader("X", "a\r\nY: b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MockEstResponse.builder().chunked(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MockEstResponse.builder().base64LineLength(10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MockEstResponse.builder().boundary("b")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void responsesAreImmutable() {
    MockEstResponse.Builder builder = MockEstResponse.builder().body("one");
    MockEstResponse first = builder.build();
    builder.body("two").addHeader("X", "y");
    assertThat(first.bodyUtf8()).isEqualTo("one");
    assertThat(first.header("X")).isEmpty();
    first.body()[0] = 'X';
    assertThat(first.bodyUtf8()).isEqualTo("one");
  }
}
