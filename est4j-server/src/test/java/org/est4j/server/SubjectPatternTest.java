package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

class SubjectPatternTest {
  private static boolean m(String glob, String dn) {
    return SubjectPattern.parse(glob).matches(new X500Name(dn));
  }

  @Test
  void globOnTheCommonNameIgnoringCase() {
    assertThat(m("sensor-*.example.com", "CN=Sensor-12.example.com,O=Acme")).isTrue();
    assertThat(m("sensor-*.example.com", "CN=sensor-12.example.org")).isFalse();
    assertThat(m("dev-?", "CN=dev-7")).isTrue();
    assertThat(m("dev-?", "CN=dev-17")).isFalse();
    assertThat(m("a.b", "CN=axb")).as("regex characters are literal").isFalse();
    assertThat(m("exact", "CN=exact")).isTrue();
  }

  @Test
  void starAloneMatchesAnySubjectOtherwiseExactlyOneCn() {
    assertThat(m("*", "O=No CN")).isTrue();
    assertThat(m("x*", "O=No CN")).isFalse();
    assertThat(m("x*", "CN=x1+CN=x2")).isFalse();
    assertThat(m("x*", "CN=x1,CN=x2")).isFalse();
  }

  @Test
  void emptyPatternsAreRefused() {
    assertThatThrownBy(() -> SubjectPattern.parse(" ")).hasMessageContaining("use * to allow any subject");
  }
}
