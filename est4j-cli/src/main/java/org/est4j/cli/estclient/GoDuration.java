package org.est4j.cli.estclient;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Go's {@code time.ParseDuration} writes them ({@code 15s}, {@code 1m30s}, {@code
 * 1.5h}, {@code 500ms}, {@code 0}), which is what scripts for the Go estclient pass. A bare number
 * is taken as seconds (Go would refuse it).
 */
final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS =
      Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
          "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  private GoDuration() {}

  /** The duration, or an {@link IllegalArgumentException} saying what a valid one looks like. */
  static Duration parse(String text) {
    String s = text.trim();
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("negative duration \"" + text + "\"");
    }
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.matches("\\d+(\\.\\d+)?")) {
      return nanos(new BigDecimal(s).multiply(BigDecimal.valueOf(NANOS.get("s"))), text);
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    BigDecimal total = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(text);
      }
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
      at = m.end();
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    return nanos(total, text);
  }

  private static Duration nanos(BigDecimal n, String text) {
    try {
      return Duration.ofNanos(n.longValueExact());
    } catch (ArithmeticException e) {
      // fractions of a nanosecond are dropped; only a duration beyond ~292 years fails
      try {
        return Duration.ofNanos(n.toBigInteger().longValueExact());
      } catch (ArithmeticException tooLong) {
        throw new IllegalArgumentException("duration out of range \"" + text + "\"");
      }
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid duration \"" + text + "\" (examples: 30s, 2m, 1h30m, 500ms; 0 means none)");
  }
}
