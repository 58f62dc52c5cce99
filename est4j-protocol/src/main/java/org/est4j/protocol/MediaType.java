package org.est4j.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code Content-Type} header value (RFC 9110 §8.3.1), parsed leniently because EST
 * peers are sloppy: whitespace around tokens is ignored, a stray or trailing {@code ;} and
 * parameters without {@code =} are skipped, and quoted values are unquoted. Type, subtype and
 * parameter names are lower-cased; parameter values keep their case. When a parameter repeats,
 * the first occurrence wins.
 *
 * <p>Instances are immutable.
 */
public final class MediaType {
  private static final String MALFORMED = "malformed or missing Content-Type header";

  private final String type;
  private final String subtype;
  private final Map<String, String> parameters;

  private MediaType(String type, String subtype, Map<String, String> parameters) {
    this.type = type;
    this.subtype = subtype;
    this.parameters = parameters;
  }

  public static MediaType parse(String header) throws EstProtocolException {
    if (header == null) {
      throw new EstProtocolException(MALFORMED);
    }
    int semicolon = header.indexOf(';');
    String essence = (semicolon < 0 ? header : header.substring(0, semicolon));
    int slash = essence.indexOf('/');
    if (slash < 0) {
      throw new EstProtocolException(MALFORMED);
    }
    String type = essence.substring(0, slash).trim().toLowerCase(Locale.ROOT);
    String subtype = essence.substring(slash + 1).trim().toLowerCase(Locale.ROOT);
    if (!isToken(type) || !isToken(subtype)) {
      throw new EstProtocolException(MALFORMED);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (semicolon >= 0) {
      parseParameters(header, semicolon + 1, parameters);
    }
    return new MediaType(type, subtype, Collections.unmodifiableMap(parameters));
  }

  private static void parseParameters(String s, int pos, Map<String, String> out) {
    int n = s.length();
    while (pos < n) {
      int nameEnd = pos;
      while (nameEnd < n && s.charAt(nameEnd) != '=' && s.charAt(nameEnd) != ';') {
        nameEnd++;
      }
      String name = s.substring(pos, nameEnd).trim().toLowerCase(Locale.ROOT);
      if (nameEnd == n || s.charAt(nameEnd) == ';') {
        pos = nameEnd + 1; // "a/b; foo;" or "a/b;;": tolerated, skipped
        continue;
      }
      pos = nameEnd + 1;
      while (pos < n && isWhitespace(s.charAt(pos))) {
        pos++;
      }
      String value;
      if (pos < n && s.charAt(pos) == '"') {
        StringBuilder quoted = new StringBuilder();
        pos++;
        while (pos < n && s.charAt(pos) != '"') {
          char c = s.charAt(pos++);
          if (c == '\\' && pos < n) {
            c = s.charAt(pos++);
          }
          quoted.append(c);
        }
        value = quoted.toString();
        // Skip the closing quote and anything up to the next parameter (lenient: an
        // unterminated quote simply runs to the end).
        while (pos < n && s.charAt(pos) != ';') {
          pos++;
        }
      } else {
        int valueEnd = s.indexOf(';', pos);
        if (valueEnd < 0) {
          valueEnd = n;
        }
        value = s.substring(pos, valueEnd).trim();
        pos = valueEnd;
      }
      pos++; // past ';'
      if (!name.isEmpty()) {
        out.putIfAbsent(name, value);
      }
    }
  }

  public String type() {
    return type;
  }

  public String subtype() {
    return subtype;
  }

  /** {@code type/subtype}, without parameters. */
  public String essence() {
    return type + "/" + subtype;
  }

  /** The value of a parameter; the name is matched case-insensitively. */
  public Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
  }

  /** All parameters, names lower-cased, in header order. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** Whether the essence equals {@code essence} ("application/pkcs10"), ignoring case. */
  public boolean is(String essence) {
    return essence().equalsIgnoreCase(essence.trim());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MediaType)) {
      return false;
    }
    MediaType other = (MediaType) o;
    return type.equals(other.type)
        && subtype.equals(other.subtype)
        && parameters.equals(other.parameters);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + subtype.hashCode()) * 31 + parameters.hashCode();
  }

  /** The canonical form, e.g. {@code application/pkcs7-mime; smime-type=certs-only}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(essence());
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      out.append("; ").append(parameter.getKey()).append('=');
      String value = parameter.getValue();
      if (isToken(value)) {
        out.append(value);
      } else {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          if (c == '"' || c == '\\') {
            out.append('\\');
          }
          out.append(c);
        }
        out.append('"');
      }
    }
    return out.toString();
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** RFC 9110 §5.6.2 token. */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
