package org.est4j.cli;

import java.util.List;

/**
 * The CRLReason names of RFC 5280 §5.3.1 an operator may give (not certificateHold, removeFromCRL
 * or aACompromise: holds are not supported). Stored by name so the CRL can carry the code.
 */
final class RevocationReasons {
  static final List<String> NAMES = List.of(
      "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded", "cessationOfOperation",
      "privilegeWithdrawn");

  private RevocationReasons() {}

  static String canonical(String reason) {
    for (String n : NAMES) {
      if (n.equalsIgnoreCase(reason.strip())) {
        return n;
      }
    }
    throw new IllegalArgumentException("--reason: '" + reason + "' is not one of " + String.join(", ", NAMES));
  }
}
