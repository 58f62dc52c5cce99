package org.est4j.server;

/**
 * What /simplereenroll lets a client change (config {@code reenroll: {same_key, subject_change}}).
 *
 * @param sameKeyAllowed whether the CSR may carry the current certificate's key (renewal without
 *     rekeying); when false a new key is required
 * @param subjectChangeAllowed whether Subject and SubjectAltName may differ from the current
 *     certificate's (RFC 7030 §4.2.2 says they stay the same; the profile's rules still apply)
 */
public record ReenrollPolicy(boolean sameKeyAllowed, boolean subjectChangeAllowed) {
  /** RFC 7030 §4.2.2: same names, rekeying optional. */
  public static final ReenrollPolicy DEFAULT = new ReenrollPolicy(true, false);
}
