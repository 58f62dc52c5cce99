package org.est4j.cli.estclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void goSyntax() {
    assertThat(GoDuration.parse("15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(GoDuration.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("0")).isZero();
    assertThat(GoDuration.parse("0s")).isZero();
    assertThat(GoDuration.parse("30")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void invalid() {
    assertThatThrownBy(() -> GoDuration.parse("")).hasMessageContaining("invalid duration");
    assertThatThrownBy(() -> GoDuration.parse("5x")).hasMessageContaining("examples: 30s");
    assertThatThrownBy(() -> GoDuration.parse("-5s")).hasMessageContaining("negative");
    assertThatThrownBy(() -> GoDuration.parse("s")).hasMessageContaining("invalid duration");
  }
}
