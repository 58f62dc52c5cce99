package org.est4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  /** One minute before the RFC 9110 example date, 1994-11-06T08:49:37Z. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("1994-11-06T08:48:37Z"), ZoneOffset.UTC);

  @Test
  void deltaSeconds() {
    assertThat(RetryAfter.parse("600", CLOCK)).contains(Duration.ofSeconds(600));
    assertThat(RetryAfter.parse(" 0 ", CLOCK)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("99999999999999999999", CLOCK)).contains(Duration.ofSeconds(Integer.MAX_VALUE));
  }

  @Test
  void imfFixdate() {
    assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", CLOCK)).contains(Duration.ofSeconds(60));
  }

  @Test
  void rfc850() {
    assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", CLOCK)).contains(Duration.ofSeconds(60));
  }

  @Test
  void asctime() {
    assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", CLOCK)).contains(Duration.ofSeconds(60));
    assertThat(RetryAfter.parse("Wed Nov 16 08:49:37 1994", CLOCK)).contains(Duration.ofDays(10).plusSeconds(60));
  }

  @Test
  void pastDateIsZero() {
    assertThat(RetryAfter.parse("Sat, 05 Nov 1994 08:49:37 GMT", CLOCK)).contains(Duration.ZERO);
  }

  @Test
  void garbageIsAbsent() {
    for (String bad : new String[] {"", "soon", "-5", "1.5", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun Nov 6"}) {
      assertThat(RetryAfter.parse(bad, CLOCK)).as(bad).isEqualTo(Optional.empty());
    }
    assertThat(RetryAfter.parse(null, CLOCK)).isEmpty();
  }
}
