package org.est4j.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in configuration files and flags: a number and a unit, {@code 90d}, {@code 12h}, {@code 10y}. */
final class ConfigDurations {
  private static final Pattern FORM = Pattern.compile("(\\d{1,6})\\s*([smhdy])");

  private ConfigDurations() {}

  /**
   * @throws ConfigException naming {@code key} when the text is not a positive duration
   */
  static Duration parse(String key, String text) throws ConfigException {
    Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new ConfigException(key, "'" + text + "' is not a duration: use a number and s, m, h, d or y (90d, 12h, 10y)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      case "h": return Duration.ofHours(n);
      case "d": return Duration.ofDays(n);
      default: return Duration.ofDays(365 * n);
    }
  }
}
