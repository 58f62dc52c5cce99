package org.est4j.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Establishes who is enrolling (RFC 7030 §3.2.3, §3.3.2): HTTP Basic credentials from the user
 * store, or a TLS client certificate the label trusts. Wrong credentials are refused even when a
 * certificate would have sufficed: a client that sends a password expects it to be checked.
 *
 * <p>A 401 has an empty body: Bouncy Castle's EST client closes it unread and fails on any body,
 * so it could neither answer the challenge nor report a wrong password as a 401. The status and
 * the {@code WWW-Authenticate} header say all there is to say.
 */
final class Authenticator {
  private final UserStore users;
  private final UserStore healthcheck;
  private final String challenge;

  Authenticator(UserStore users, UserStore healthcheck, String realm) {
    this.users = users;
    this.healthcheck = healthcheck;
    this.challenge = "Basic realm=\"" + realm.replace("\"", "'") + "\", charset=\"UTF-8\"";
  }

  /** The identity for logs and audit, or a 401 when the label requires one and none is proven. */
  String authenticate(EstRequest request, LabelRuntime label) throws EstError {
    Optional<String[]> basic = basicCredentials(request);
    if (basic.isPresent()) {
      String[] c = basic.get();
      if (users.authenticate(c[0], c[1])) {
        return "user:" + c[0];
      }
      throw unauthorized();
    }
    if (!request.peerCertificates().isEmpty() && label.enrollmentTrust().verify(request.peerCertificates())) {
      return "cert:" + request.peerCertificates().get(0).getSubjectX500Principal().getName();
    }
    if (label.settings.requireAuthentication()) {
      throw unauthorized();
    }
    return "anonymous";
  }

  /** The health check: Basic user {@code healthcheck} with the configured password. */
  void authenticateHealthcheck(EstRequest request) throws EstError {
    Optional<String[]> basic = basicCredentials(request);
    if (basic.isEmpty() || !basic.get()[0].equals("healthcheck") || !healthcheck.authenticate("healthcheck", basic.get()[1])) {
      throw unauthorized();
    }
  }

  EstError unauthorized() {
    return EstError.of(401, Errors.AUTH_REQUIRED).withHeader("WWW-Authenticate", challenge).withoutBody();
  }

  private static Optional<String[]> basicCredentials(EstRequest request) {
    String header = request.headers().get("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    String h = header.trim();
    if (h.length() < 6 || !h.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
      return Optional.of(new String[] {"", "\u0000"}); // present but not Basic: never matches a user
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.of(new String[] {"", "\u0000"});
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.of(new String[] {decoded, "\u0000"});
    }
    return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
  }
}
