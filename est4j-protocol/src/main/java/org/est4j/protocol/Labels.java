package org.est4j.protocol;

/**
 * Validation of the optional CA label of RFC 7030 §3.2.2, the path segment in {@code
 * /.well-known/est/<label>/<operation>}.
 *
 * <p>A label must be a non-empty RFC 3986 segment ({@code pchar}s only, percent-encoding
 * allowed), must not be a dot segment, and must not be an operation name (or "healthcheck"), as
 * that would make {@code /.well-known/est/cacerts} ambiguous. The reserved-name and dot checks
 * are made on the percent-decoded form too, because servers and proxies may normalise
 * {@code %63acerts} into {@code cacerts} or {@code %2e%2e} into {@code ..}.
 */
public final class Labels {
  private static final String SUB_DELIMS = "!$&'()*+,;=";
  private static final int MAX_SHOWN = 64;

  private Labels() {}

  public static boolean isValid(String label) {
    return problem(label) == null;
  }

  /** Throws "invalid label: ..." explaining the first problem found. */
  public static void check(String label) throws EstProtocolException {
    String problem = problem(label);
    if (problem != null) {
      throw new EstProtocolException("invalid label: " + problem);
    }
  }

  /** Null if valid, else a description safe to show to a peer. */
  private static String problem(String label) {
    if (label == null || label.isEmpty()) {
      return "empty";
    }
    StringBuilder decoded = new StringBuilder(label.length());
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (c == '%') {
        if (i + 2 >= label.length() || !isHex(label.charAt(i + 1)) || !isHex(label.charAt(i + 2))) {
          return quote(label) + " has a malformed percent-encoding";
        }
        decoded.append((char) Integer.parseInt(label.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (isPchar(c)) {
        decoded.append(c);
      } else {
        return quote(label) + " contains a character not allowed in a path segment";
      }
    }
    String plain = decoded.toString();
    if (plain.equals(".") || plain.equals("..")) {
      return quote(label) + " is a dot segment";
    }
    if (EstOperation.fromPathSegment(plain).isPresent() || plain.equals("healthcheck")) {
      return quote(label) + " is reserved for an EST operation";
    }
    return null;
  }

  /** RFC 3986 pchar, excluding '%' which is handled as a triplet. */
  private static boolean isPchar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == ':'
        || c == '@'
        || SUB_DELIMS.indexOf(c) >= 0;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** The label in quotes, non-printable-ASCII escaped and long labels shortened. */
  private static String quote(String label) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(label.length(), MAX_SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = label.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (label.length() > MAX_SHOWN) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
