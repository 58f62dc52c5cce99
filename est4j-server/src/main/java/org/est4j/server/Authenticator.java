package org.est4j.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.est4j.protocol.EstOperation;

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

  /**
   * The identity for logs and audit, with the token to consume when the credential was one.
   * Credentials, the first present decides: {@code Authorization: Bearer <token>}; Basic, whose
   * password is an enrollment token when it has the token form ({@code estt_...}, any user name)
   * and a user's password otherwise; a TLS client certificate the label trusts; a token in the
   * CSR's challengePassword or otpChallenge (RFC 7894). Refused: 403 when the label allows no
   * method for the operation or the client used a method it does not allow; 401 (with a Basic
   * challenge, when Basic is allowed) when no allowed credential is proven and the label requires
   * one.
   *
   * @param routeLabel the label of the request path (a token is valid for its label only)
   */
  Authentication authenticate(EstRequest request, LabelRuntime label, EstOperation operation,
      Optional<String> routeLabel) throws EstError {
    return authenticate(request, label, operation, routeLabel, () -> TokenCredential.fromCsr(request.body()));
  }

  /**
   * As above, with the token in the CSR found by {@code tokenInCsr} (/tpmenroll: the AK CSR is one
   * part of a multipart body).
   */
  Authentication authenticate(EstRequest request, LabelRuntime label, EstOperation operation,
      Optional<String> routeLabel, java.util.function.Supplier<Optional<String>> tokenInCsr) throws EstError {
    AuthPolicy policy = label.settings.auth();
    Set<AuthPolicy.Method> allowed = policy.allowed(operation);
    if (allowed.isEmpty()) {
      throw EstError.of(403, operation.pathSegment() + " is not allowed on this label (auth." + configKey(operation) + ": [])");
    }
    String header = request.headers().get("Authorization");
    if (header != null && header.trim().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return token(header.trim().substring(7).trim(), routeLabel, operation, label);
    }
    Optional<String[]> basic = basicCredentials(request);
    if (basic.isPresent() && EnrollmentTokens.looksLikeToken(basic.get()[1])) {
      return token(basic.get()[1], routeLabel, operation, label);
    }
    if (basic.isPresent() && allowed.contains(AuthPolicy.Method.BASIC)) {
      String[] c = basic.get();
      if (users.authenticate(c[0], c[1])) {
        if (!users.admits(c[0], routeLabel)) {
          throw EstError.of(403, "user '" + c[0] + "' may not enroll on "
              + routeLabel.map(l -> "label '" + l + "'").orElse("the unlabelled path") + " (its labels: "
              + org.est4j.server.store.StoredUser.describe(users.labels(c[0])) + ")");
        }
        return Authentication.of("user:" + c[0]);
      }
      throw unauthorized();
    }
    boolean hasCert = !request.peerCertificates().isEmpty();
    if (hasCert && allowed.contains(AuthPolicy.Method.CLIENT_CERT) && label.trustsForEnrollment(request.peerCertificates())) {
      return Authentication.of("cert:" + request.peerCertificates().get(0).getSubjectX500Principal().getName());
    }
    if (basic.isEmpty() && allowed.contains(AuthPolicy.Method.TOKEN)) {
      Optional<String> inCsr = tokenInCsr.get();
      if (inCsr.isPresent()) {
        return token(inCsr.get(), routeLabel, operation, label);
      }
    }
    if (!label.settings.requireAuthentication()) {
      return Authentication.of("anonymous");
    }
    if (basic.isPresent()) {
      throw EstError.of(403, "HTTP Basic may not be used for " + operation.pathSegment() + " on this label (auth."
          + configKey(operation) + ": " + policy.describe(operation) + ")");
    }
    if (hasCert && !allowed.contains(AuthPolicy.Method.CLIENT_CERT)) {
      throw EstError.of(403, "a client certificate may not be used for " + operation.pathSegment()
          + " on this label (auth." + configKey(operation) + ": " + policy.describe(operation) + ")");
    }
    if (!allowed.contains(AuthPolicy.Method.BASIC)) {
      throw EstError.of(403, operation.pathSegment() + " on this label needs "
          + (allowed.contains(AuthPolicy.Method.CLIENT_CERT) ? "a TLS client certificate" + (hasCert ? " issued by a CA it trusts" : "") : "an enrollment token")
          + " (auth." + configKey(operation) + ": " + policy.describe(operation) + ")");
    }
    throw unauthorized();
  }

  private Authentication token(String text, Optional<String> routeLabel, EstOperation operation, LabelRuntime label)
      throws EstError {
    AuthPolicy policy = label.settings.auth();
    if (!policy.allowed(operation).contains(AuthPolicy.Method.TOKEN)) {
      throw EstError.of(403, "an enrollment token may not be used for " + operation.pathSegment() + " on this label (auth."
          + configKey(operation) + ": " + policy.describe(operation) + ")");
    }
    // a spent token may pay for a held request's retry; /tpmenroll is never held
    boolean held = label.settings.manualApproval() && operation != EstOperation.TPMENROLL;
    TokenCredential.Accepted accepted = tokens.check(text, routeLabel, held, unauthorized());
    return new Authentication(accepted.identity(), Optional.of(accepted));
  }

  /** The key under {@code auth} in the configuration: enroll, reenroll, serverkeygen, tpmenroll. */
  static String configKey(EstOperation operation) {
    switch (operation) {
      case SIMPLEENROLL: return "enroll";
      case SIMPLEREENROLL: return "reenroll";
      default: return operation.pathSegment();
    }
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
