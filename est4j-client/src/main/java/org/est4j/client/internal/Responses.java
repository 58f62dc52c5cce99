package org.est4j.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.est4j.client.EstResponseException;
import org.est4j.client.EstServerException;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.MediaTypes;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;

/** Turns HTTP responses into EST values or typed exceptions. */
public final class Responses {
  /** The most of a server's error text kept (RFC 7030 §4.2.3 lets it be human-readable). */
  public static final int MAX_SERVER_MESSAGE = 4096;

  private Responses() {}

  /** The parsed Content-Type, which must have the expected essence (type/subtype). */
  public static MediaType requireType(String operation, HttpResponse r, String expectedEssence)
      throws EstResponseException {
    String header = r.header("Content-Type").orElse(null);
    if (header == null) {
      throw new EstResponseException(
          operation + ": the response has no Content-Type (expected " + expectedEssence + ")");
    }
    try {
      MediaType type = MediaType.parse(header);
      if (!type.is(expectedEssence)) {
        throw new EstResponseException(
            operation + ": unexpected Content-Type " + HttpWire.printable(header) + " (expected "
                + expectedEssence + ")");
      }
      return type;
    } catch (EstProtocolException e) {
      throw new EstResponseException(
          operation + ": malformed Content-Type " + HttpWire.printable(header), e);
    }
  }

  /** The parts of a multipart/mixed response (/serverkeygen, the seed's /tpmenroll), in order. */
  public static List<MultipartPart> multipart(String operation, HttpResponse r) throws EstResponseException {
    MediaType type = requireType(operation, r, MediaTypes.MULTIPART_MIXED);
    try {
      return Multipart.decode(type, r.body());
    } catch (EstProtocolException e) {
      throw new EstResponseException(operation + ": malformed multipart/mixed body: " + e.getMessage(), e);
    }
  }

  /** A part's Content-Type; {@code what} names the part in the error. */
  public static MediaType partType(String operation, MultipartPart part, String what) throws EstResponseException {
    try {
      return part.contentType();
    } catch (EstProtocolException e) {
      throw new EstResponseException(operation + ": " + what + " has a missing or malformed Content-Type", e);
    }
  }

  /** RFC 8951 base64, decoded whatever Content-Transfer-Encoding says. */
  public static byte[] base64(String operation, byte[] body, String what) throws EstResponseException {
    try {
      byte[] der = EstBase64.decode(body);
      if (der.length == 0) {
        throw new EstResponseException(operation + ": the " + what + " is empty");
      }
      return der;
    } catch (EstProtocolException e) {
      throw new EstResponseException(operation + ": the " + what + " is not valid base64", e);
    }
  }

  /** A base64 PKCS#7 certs-only body: all certificates, in the server's order. */
  public static List<X509Certificate> certsOnly(String operation, byte[] body, String what)
      throws EstResponseException {
    byte[] der = base64(operation, body, what);
    try {
      return CertsOnly.decode(der);
    } catch (EstProtocolException e) {
      throw new EstResponseException(
          operation + ": the " + what + " is not a PKCS#7 certs-only message: " + e.getMessage(), e);
    }
  }

  /** Retry-After of the response, if present and valid. */
  public static Optional<Duration> retryAfter(HttpResponse r) {
    return r.header("Retry-After").flatMap(v -> RetryAfter.parse(v, Clock.systemUTC()));
  }

  /** "server refused /simpleenroll: 403 triggered forbidden response". */
  public static EstServerException serverError(String operation, HttpResponse r) {
    String text = serverMessage(r);
    String status = String.valueOf(r.status());
    String detail;
    if (text.isEmpty()) {
      detail = status + (r.reason().isEmpty() ? "" : " " + HttpWire.printable(r.reason()));
    } else if (text.startsWith(status + " ") || text.equals(status)) {
      detail = text; // the Go seed's (and est4j's) "<status> <message>" body
    } else {
      detail = status + " " + text;
    }
    return new EstServerException(
        "server refused " + operation + ": " + detail, r.status(), retryAfter(r), text);
  }

  /** A text/plain or JSON body (or one without Content-Type), bounded and printable. */
  static String serverMessage(HttpResponse r) {
    byte[] body = r.body();
    if (body.length == 0) {
      return "";
    }
    Optional<String> ct = r.header("Content-Type");
    if (ct.isPresent()) {
      try {
        MediaType t = MediaType.parse(ct.get());
        boolean text =
            t.is("text/plain") || t.is("application/json") || t.is("application/problem+json");
        if (!text) {
          return "";
        }
      } catch (EstProtocolException e) {
        return "";
      }
    }
    int n = Math.min(body.length, MAX_SERVER_MESSAGE);
    String s = new String(body, 0, n, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t') {
        sb.append(' ');
      } else if (!Character.isISOControl(c) && c != '\uFFFD' && Character.getType(c) != Character.FORMAT) {
        sb.append(c);
      }
    }
    return sb.toString().trim().replaceAll(" {2,}", " ");
  }
}
