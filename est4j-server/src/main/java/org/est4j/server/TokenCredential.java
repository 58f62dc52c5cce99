package org.est4j.server;

import java.time.Clock;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.est4j.protocol.Csr;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.EstProtocolException;
import org.est4j.server.store.EnrollmentToken;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenStore;

/**
 * Checks a presented one-time enrollment token (issue 5 §1) up to the point where only its
 * consumption is left, which {@link IssuanceRecorder} commits with the certificate. Every refusal
 * of a recognised token is a 403 whose message says why (used, expired, other label, subject);
 * an unknown token is a 401 like a wrong password.
 */
final class TokenCredential {
  /** RFC 7894 §3: id-aa-otpChallenge, a DirectoryString. */
  static final ASN1ObjectIdentifier OTP_CHALLENGE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.56");

  private final Optional<TokenStore> store;
  private final Clock clock;

  TokenCredential(Optional<TokenStore> store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A token that passed the label and time checks; the subject is checked once the CSR is read. */
  record Accepted(EnrollmentToken token) {
    String identity() {
      return "token:" + token.id();
    }

    void checkSubject(Csr csr) throws EstError {
      if (!SubjectPattern.parse(token.subjectPattern()).matches(csr.subject())) {
        throw EstError.of(403, "the CSR subject '" + csr.subject() + "' does not match the enrollment token's subject"
            + " pattern '" + token.subjectPattern() + "' (a glob on the CN)");
      }
    }

    TokenConsumption consumption(java.time.Instant at, String requestId) {
      return new TokenConsumption(token.sha256(), token.label(), at, requestId);
    }
  }

  /**
   * Finds and checks the token {@code text} for a request on {@code label}.
   *
   * @param held the label has {@code approval: manual}: a used token is let through, because it
   *     may have paid for this very request when it was first submitted (the pending-request
   *     store decides: the same request finds its row, any other is refused as a used token)
   */
  Accepted check(String text, Optional<String> label, boolean held, EstError unknown) throws EstError {
    if (store.isEmpty()) {
      throw unknown;
    }
    Optional<EnrollmentToken> found = store.get().findBySha256(EnrollmentTokens.sha256(text));
    if (found.isEmpty()) {
      throw unknown;
    }
    EnrollmentToken t = found.get();
    if (!t.label().equals(label)) {
      throw EstError.of(403, "the enrollment token is for " + describe(t.label()) + ", not " + describe(label));
    }
    if (t.isUsed() && held) {
      return new Accepted(t); // a retry of the request it paid for, or refused at submission
    }
    if (t.isUsed()) {
      throw EstError.of(403, "the enrollment token has already been used (at " + t.usedAt().get() + ")");
    }
    if (t.isExpired(clock.instant())) {
      throw EstError.of(403, "the enrollment token expired at " + t.expiresAt());
    }
    return new Accepted(t);
  }

  private static String describe(Optional<String> label) {
    return label.map(l -> "label '" + l + "'").orElse("the unlabelled path");
  }

  /**
   * A token in the CSR's challengePassword or RFC 7894 otpChallenge attribute, for clients that
   * cannot set an Authorization header. A CSR that does not decode has none (the enrollment then
   * fails on it with its own 400 after authentication).
   */
  static Optional<String> fromCsr(byte[] body) {
    try {
      byte[] der = EstBase64.decode(body);
      // Most CSRs carry no token: a byte scan spares decoding the CSR a second time for them.
      return mayHoldToken(der) ? fromCsr(Csr.decode(der)) : Optional.empty();
    } catch (EstProtocolException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether {@code der} contains the token prefix in any case as 1-, 2- or 4-byte characters
   * (PrintableString/UTF8String, BMPString, UniversalString): a DirectoryString holding a token
   * always does, so false means no token.
   */
  static boolean mayHoldToken(byte[] der) {
    return containsPrefix(der, 1) || containsPrefix(der, 2) || containsPrefix(der, 4);
  }

  private static boolean containsPrefix(byte[] der, int width) {
    String prefix = EnrollmentTokens.PREFIX;
    int span = prefix.length() * width;
    outer:
    for (int i = 0; i + span <= der.length; i++) {
      for (int j = 0; j < prefix.length(); j++) {
        int at = i + j * width;
        for (int z = 0; z < width - 1; z++) {
          if (der[at + z] != 0) {
            continue outer;
          }
        }
        if (Character.toLowerCase((char) (der[at + width - 1] & 0xff)) != prefix.charAt(j)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** A token in a decoded CSR's challengePassword or otpChallenge (the AK CSR of /tpmenroll). */
  static Optional<String> fromCsr(Csr csr) {
    try {
      Optional<String> challenge = csr.challengePassword().filter(EnrollmentTokens::looksLikeToken);
      if (challenge.isPresent()) {
        return challenge;
      }
      for (Attribute a : csr.toBouncyCastle().getAttributes(OTP_CHALLENGE)) {
        for (ASN1Encodable v : a.getAttrValues()) {
          if (v instanceof ASN1String s && EnrollmentTokens.looksLikeToken(s.getString())) {
            return Optional.of(s.getString());
          }
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
