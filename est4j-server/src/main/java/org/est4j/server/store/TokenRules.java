package org.est4j.server.store;

/** The reason a token cannot be consumed, in the words the client gets (shared by the stores). */
public final class TokenRules {
  private TokenRules() {}

  /** {@code t} is the token as found at commit time, null when it no longer exists. */
  public static String notUsable(EnrollmentToken t, TokenConsumption c) {
    if (t == null) {
      return "the enrollment token was revoked";
    }
    if (t.isUsed()) {
      return "the enrollment token has already been used";
    }
    if (t.isExpired(c.at())) {
      return "the enrollment token expired at " + t.expiresAt();
    }
    return "the enrollment token is not for this label";
  }

  /** For stores that only learn that the conditional update matched nothing. */
  public static String notUsable(java.util.Optional<EnrollmentToken> now, TokenConsumption c) {
    return notUsable(now.orElse(null), c);
  }
}
