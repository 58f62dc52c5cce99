package org.est4j.protocol;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNumericString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.DERVisibleString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Semantic comparison of subject names and subjectAltNames (RFC 5280 §7.1), as needed to check
 * that a re-enrollment request names the same entity as the certificate it renews.
 *
 * <p>Bouncy Castle's {@code X500Name.equals} is not used: with {@code BCStyle} it matches RDNs in
 * any order (it falls back to a reversed or unordered match), which is too lenient for an
 * authorization check. Here RDNs must match position by position; within a multi-valued RDN the
 * attributes form a set. String values of any directory string encoding are compared after
 * Unicode NFKC normalisation, case folding and whitespace collapsing; other values by DER.
 */
public final class NameComparison {
  private static final HexFormat HEX = HexFormat.of();

  private NameComparison() {}

  public static boolean sameSubject(X500Name a, X500Name b) {
    return canonical(a).equals(canonical(b));
  }

  /**
   * SAN sets compared as sets: order and duplicates do not matter. Absent equals absent only;
   * an absent SAN never equals a present one, even an empty one.
   */
  public static boolean sameSubjectAltNames(
      Optional<GeneralNames> a, Optional<GeneralNames> b) {
    if (a.isPresent() != b.isPresent()) {
      return false;
    }
    return a.isEmpty() || canonical(a.get()).equals(canonical(b.get()));
  }

  public static X500Name subjectOf(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  /**
   * The certificate's subjectAltName extension.
   *
   * @throws IllegalArgumentException if the extension is present but malformed
   */
  public static Optional<GeneralNames> subjectAltNamesOf(X509Certificate cert) {
    byte[] extensionValue = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (extensionValue == null) {
      return Optional.empty();
    }
    return Optional.of(
        GeneralNames.getInstance(ASN1OctetString.getInstance(extensionValue).getOctets()));
  }

  /** One list entry per RDN, in order; each RDN is the set of its canonical attributes. */
  private static List<Set<String>> canonical(X500Name name) {
    RDN[] rdns = name.getRDNs();
    List<Set<String>> result = new ArrayList<>(rdns.length);
    for (RDN rdn : rdns) {
      Set<String> attributes = new TreeSet<>(); // sorted, so that encodeUnambiguously is stable
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        // A dotted OID contains no NUL, so the first NUL separates type from value unambiguously.
        attributes.add(atv.getType().getId() + '\0' + canonicalValue(atv.getValue()));
      }
      result.add(attributes);
    }
    return result;
  }

  private static String canonicalValue(ASN1Encodable value) {
    if (isDirectoryString(value)) {
      return "s" + foldString(((ASN1String) value).getString());
    }
    return "x" + HEX.formatHex(der(value));
  }

  /** The string types that RFC 5280 §7.1 / RFC 4518 compare by content, not by encoding. */
  private static boolean isDirectoryString(ASN1Encodable value) {
    return value instanceof DERUTF8String
        || value instanceof DERPrintableString
        || value instanceof DERT61String
        || value instanceof DERBMPString
        || value instanceof DERUniversalString
        || value instanceof DERIA5String
        || value instanceof DERVisibleString
        || value instanceof DERNumericString;
  }

  /** A simplified RFC 4518 string preparation: NFKC, case fold, trim and collapse spaces. */
  private static String foldString(String s) {
    String folded = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(folded.length());
    boolean pendingSpace = false;
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Set<String> canonical(GeneralNames names) {
    Set<String> result = new HashSet<>();
    for (GeneralName name : names.getNames()) {
      result.add(name.getTagNo() + ":" + canonicalGeneralName(name));
    }
    return result;
  }

  private static String canonicalGeneralName(GeneralName name) {
    ASN1Encodable value = name.getName();
    switch (name.getTagNo()) {
      case GeneralName.dNSName:
        return asciiLower(((ASN1String) value).getString());
      case GeneralName.rfc822Name:
        {
          String email = ((ASN1String) value).getString();
          int at = email.lastIndexOf('@');
          // Local part is case-sensitive (RFC 5280 §7.5); the host part is not.
          return email.substring(0, at + 1) + asciiLower(email.substring(at + 1));
        }
      case GeneralName.uniformResourceIdentifier:
        return ((ASN1String) value).getString();
      case GeneralName.iPAddress:
        return HEX.formatHex(ASN1OctetString.getInstance(value).getOctets());
      case GeneralName.directoryName:
        return encodeUnambiguously(canonical(X500Name.getInstance(value)));
      default:
        return HEX.formatHex(der(name));
    }
  }

  /** Length-prefixed, so no attribute value can imitate a separator. */
  private static String encodeUnambiguously(List<Set<String>> rdns) {
    StringBuilder out = new StringBuilder();
    for (Set<String> rdn : rdns) {
      out.append('[').append(rdn.size());
      for (String attribute : rdn) {
        out.append(',').append(attribute.length()).append(':').append(attribute);
      }
    }
    return out.toString();
  }

  /** ASCII-only lower-casing: Unicode case mapping would equate names DNS considers distinct. */
  private static String asciiLower(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  private static byte[] der(ASN1Encodable value) {
    try {
      return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("ASN.1 encoding failed", e); // in-memory; cannot happen
    }
  }
}
