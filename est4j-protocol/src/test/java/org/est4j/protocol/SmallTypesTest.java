package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** EstOperation, Labels and ErrorBody. */
class SmallTypesTest {
  @Test
  void operationsMapToPathSegmentsExactly() {
    assertThat(EstOperation.fromPathSegment("simpleenroll")).contains(EstOperation.SIMPLEENROLL);
    assertThat(EstOperation.fromPathSegment("tpmenroll")).contains(EstOperation.TPMENROLL);
    assertThat(EstOperation.fromPathSegment("SimpleEnroll")).isEmpty();
    assertThat(EstOperation.fromPathSegment("cacerts/")).isEmpty();
    for (EstOperation operation : EstOperation.values()) {
      assertThat(EstOperation.fromPathSegment(operation.pathSegment())).contains(operation);
    }
  }

  @Test
  void onlyCacertsAndCsrattrsAreGets() {
    assertThat(EstOperation.CACERTS.isPost()).isFalse();
    assertThat(EstOperation.CSRATTRS.isPost()).isFalse();
    assertThat(EstOperation.SIMPLEENROLL.isPost()).isTrue();
    assertThat(EstOperation.SIMPLEREENROLL.isPost()).isTrue();
    assertThat(EstOperation.SERVERKEYGEN.isPost()).isTrue();
    assertThat(EstOperation.FULLCMC.isPost()).isTrue();
    assertThat(EstOperation.TPMENROLL.isPost()).isTrue();
  }

  @Test
  void validLabels() throws Exception {
    for (String label : new String[] {"a", "arbitraryLabel1", "ClearPass:x@y", "%41b", "a-b.c_d~e", "!$&'()*+,;=", "CACERTS", "..."}) {
      assertThat(Labels.isValid(label)).as(label).isTrue();
      Labels.check(label);
    }
  }

  @Test
  void invalidLabels() {
    String[] invalid = {"", "a/b", "a b", "cacerts", "simpleenroll", "healthcheck", ".", "..",
        "%2e%2E", "%63acerts", "caf\u00e9", "a?b", "a#b", "%4", "%zz", "a\"b"};
    for (String label : invalid) {
      assertThat(Labels.isValid(label)).as(label).isFalse();
      assertThatThrownBy(() -> Labels.check(label))
          .as(label)
          .isInstanceOf(EstProtocolException.class)
          .hasMessageStartingWith("invalid label: ");
    }
    assertThat(Labels.isValid(null)).isFalse();
  }

  @Test
  void labelMessagesExplainAndEscape() {
    assertThatThrownBy(() -> Labels.check("")).hasMessage("invalid label: empty");
    assertThatThrownBy(() -> Labels.check("cacerts"))
        .hasMessage("invalid label: \"cacerts\" is reserved for an EST operation");
    assertThatThrownBy(() -> Labels.check(".."))
        .hasMessage("invalid label: \"..\" is a dot segment");
    assertThatThrownBy(() -> Labels.check("a\r\nb\u00e9"))
        .hasMessage(
            "invalid label: \"a\\u000d\\u000ab\\u00e9\" contains a character not allowed in a path segment");
    assertThatThrownBy(() -> Labels.check("%4"))
        .hasMessage("invalid label: \"%4\" has a malformed percent-encoding");
  }

  @Test
  void errorBodyIsOneUtf8Line() {
    assertThat(new String(ErrorBody.of(400, "malformed PKCS10 certificate signing request"), StandardCharsets.UTF_8))
        .isEqualTo("400 malformed PKCS10 certificate signing request\n");
    assertThat(ErrorBody.of(403, "ünïcode")).isEqualTo("403 ünïcode\n".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(ErrorBody.of(500, "a\r\nb"), StandardCharsets.UTF_8)).isEqualTo("500 a  b\n");
    assertThat(ErrorBody.CONTENT_TYPE).isEqualTo("text/plain; charset=utf-8");
  }
}
