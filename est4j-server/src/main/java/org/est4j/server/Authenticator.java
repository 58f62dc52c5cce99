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
  private final TokenCredential tokens;
  private final String challenge;

  Authenticator(UserStore users, UserStore healthcheck, String realm, TokenCredential tokens) {
    this.users = users;
    this.healthcheck = healthcheck;
    this.tokens = tokens;
    this.challenge = "Basic realm=\"" + realm.replace("\"", "'") + "\", charset=\"UTF-8\"";
  }

  /** Who is enrolling, and the enrollment token to consume with the certificate if that was the credential. */
  record Authentication(String identity, Optional<TokenCredential.Accepted> token) {
    static Authentication of(String identity) {
      return new Authentication(identity, Optional.empty());
    }
  }

  /** For operations that cannot consume a token (/tpmenroll): a token is refused with a 403 saying so. */
  String authenticate(EstRequest request, LabelRuntime label) throws EstError {
    Authentication a = authenticate(request, label, Optional.empty(), false);
    return a.identity();
  }

  /**
   * The identity for logs and audit, or a 401 when the label requires one and none is proven.
   * Credentials, first found wins: {@code Authorization: Bearer <token>}; Basic, whose password
   * is an enrollment token when it has the token form ({@code estt_...}, any user name) and a
   * user's password otherwise; a TLS client certificate the label trusts; a token in the CSR's
   * challengePassword or otpChallenge (RFC 7894).
   *
   * @param routeLabel the label of the request path (a token is valid for its label only)
   */
  Authentication authenticate(EstRequest request, LabelRuntime label, Optional<String> routeLabel, boolean tokensAllowed)
      throws EstError {
    String header = request.headers().get("Authorization");
    if (header != null && header.trim().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return token(header.trim().substring(7).trim(), routeLabel, tokensAllowed);
    }
    Optional<String[]> basic = basicCredentials(request);
    if (basic.isPresent()) {
      String[] c = basic.get();
      if (EnrollmentTokens.looksLikeToken(c[1])) {
        return token(c[1], routeLabel, tokensAllowed);
      }
      if (users.authenticate(c[0], c[1])) {
        return Authentication.of("user:" + c[0]);
      }
      throw unauthorized();
    }
    if (!request.peerCertificates().isEmpty() && label.trustsForEnrollment(request.peerCertificates())) {
      return Authentication.of("cert:" + request.peerCertificates().get(0).getSubjectX500Principal().getName());
    }
    Optional<String> inCsr = tokensAllowed || label.settings.requireAuthentication()
        ? TokenCredential.fromCsr(request.body()) : Optional.empty();
    if (inCsr.isPresent()) {
      return token(inCsr.get(), routeLabel, tokensAllowed);
    }
    if (label.settings.requireAuthentication()) {
      throw unauthorized();
    }
    return Authentication.of("anonymous");
  }

  private Authentication token(String text, Optional<String> routeLabel, boolean allowed) throws EstError {
    if (!allowed) {
      throw EstError.of(403, "enrollment tokens are accepted by /simpleenroll and /serverkeygen only");
    }
    TokenCredential.Accepted accepted = tokens.check(text, routeLabel, unauthorized());
    return new Authentication(accepted.identity(), Optional.of(accepted));
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
