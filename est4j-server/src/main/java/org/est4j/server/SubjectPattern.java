package org.est4j.server;

import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The subject pattern of an enrollment token: a glob on the CSR subject's commonName. {@code *}
 * matches any run of characters (also none), {@code ?} exactly one, everything else itself,
 * without regard to case (CNs are mostly host names). A subject must have exactly one CN to
 * match; {@code *} alone matches any subject, even one without a CN. Examples:
 * {@code device-42.example.com}, {@code sensor-*.plant1.example.com}, {@code *}.
 */
final class SubjectPattern {
  private final String text;
  private final Pattern regex;

  private SubjectPattern(String text, Pattern regex) {
    this.text = text;
    this.regex = regex;
  }

  /** Throws IllegalArgumentException for an empty or overlong pattern. */
  static SubjectPattern parse(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("the subject pattern is empty (use * to allow any subject)");
    }
    if (glob.length() > 1024) {
      throw new IllegalArgumentException("the subject pattern is longer than 1024 characters");
    }
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        re.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    return new SubjectPattern(glob, Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL));
  }

  boolean matches(X500Name subject) {
    if (text.equals("*")) {
      return true;
    }
    RDN[] cns = subject.getRDNs(BCStyle.CN);
    if (cns.length != 1 || cns[0].isMultiValued()) {
      return false;
    }
    ASN1Encodable value = cns[0].getFirst().getValue();
    String cn = value instanceof ASN1String s ? s.getString() : value.toString();
    return regex.matcher(cn.toLowerCase(Locale.ROOT)).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
