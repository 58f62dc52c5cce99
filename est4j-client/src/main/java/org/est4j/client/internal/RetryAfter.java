package org.est4j.client.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * The Retry-After header (RFC 9110 §10.2.3): delta-seconds, or an HTTP-date in any of the three
 * formats a recipient must accept (§5.6.7): IMF-fixdate, obsolete RFC 850, and asctime. A date
 * in the past gives zero; anything unparseable gives empty.
 */
public final class RetryAfter {
  /** Delta-seconds beyond this (about 68 years) are clamped. */
  private static final long MAX_SECONDS = Integer.MAX_VALUE;

  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

  private RetryAfter() {}

  public static Optional<Duration> parse(String value, Clock clock) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long seconds = v.length() > 12 ? MAX_SECONDS : Math.min(Long.parseLong(v), MAX_SECONDS);
      return Optional.of(Duration.ofSeconds(seconds));
    }
    Instant now = clock.instant();
    Optional<Instant> when = parseDate(v, now);
    return when.map(t -> t.isAfter(now) ? Duration.between(now, t) : Duration.ZERO);
  }

  private static Optional<Instant> parseDate(String v, Instant now) {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    try {
      return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(v)));
    } catch (DateTimeParseException e) {
      // next format
    }
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year more than 50 years in the
    // future means the past century (RFC 9110 §5.6.7).
    try {
      LocalDate base = now.atZone(ZoneOffset.UTC).toLocalDate().minusYears(49);
      DateTimeFormatter rfc850 =
          new DateTimeFormatterBuilder()
              .appendPattern("EEEE, dd-MMM-")
              .appendValueReduced(ChronoField.YEAR, 2, 2, base)
              .appendPattern(" HH:mm:ss 'GMT'")
              .toFormatter(Locale.US)
              .withZone(ZoneOffset.UTC);
      return Optional.of(Instant.from(rfc850.parse(v)));
    } catch (DateTimeParseException e) {
      // next format
    }
    // asctime: "Sun Nov  6 08:49:37 1994"
    try {
      return Optional.of(Instant.from(ASCTIME.parse(v)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
