package org.est4j.testing;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.ErrorBody;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.MediaTypes;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;

/**
 * One scripted HTTP response of a {@link MockEstServer}: a status line, headers in order
 * (duplicates allowed), a body, and optionally a transport fault.
 *
 * <p>The factories make the responses an EST server sends (RFC 7030 §4, with RFC 8951's
 * base64); {@link #toBuilder()} then bends them into the unusual or malformed shapes that real
 * servers produce, which is what client tests need:
 *
 * <pre>{@code
 * server.enqueue(MockEstResponse.certsOnly(List.of(caCert)));          // what a good server sends
 * server.enqueue(MockEstResponse.certsOnly(List.of(caCert)).toBuilder()
 *     .oneLineBase64().withoutContentTransferEncoding().trailingNul()  // what libest-era servers send
 *     .build());
 * server.enqueue(MockEstResponse.certsOnly(List.of(caCert)).toBuilder()
 *     .truncateBodyAfter(100)                                          // a connection that dies
 *     .build());
 * }</pre>
 *
 * <p>Headers are written exactly as given. Framing is added only where the script left it out:
 * {@code Content-Length} (or {@code Transfer-Encoding: chunked} with {@link
 * Builder#chunked(int)}) is appended after the scripted headers unless one of them is already
 * there, so a test can also script a wrong length.
 */
public final class MockEstResponse {
  /** HTTP-date (RFC 9110 §5.6.7): always two-digit days, always GMT. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final Builder recipe; // a private copy; the response renders from it

  private MockEstResponse(Builder builder) {
    this.recipe = builder.copy();
  }

  /** An empty 200 response to script from scratch. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this response, to vary it. */
  public Builder toBuilder() {
    return recipe.copy();
  }

  /**
   * 200 with a certs-only PKCS#7 (RFC 7030 §4.1.3, §4.2.3), base64 in 76-column CRLF lines,
   * with {@code Content-Transfer-Encoding: base64}: the /cacerts and /simpleenroll answer.
   */
  public static MockEstResponse certsOnly(List<X509Certificate> certificates) {
    return builder()
        .addHeader("Content-Type", MediaTypes.CERTS_ONLY)
        .addHeader("Content-Transfer-Encoding", "base64")
        .base64Body(CertsOnly.encode(certificates))
        .build();
  }

  /** 200 with {@code application/csrattrs} (RFC 7030 §4.5.2), base64 like {@link #certsOnly}. */
  public static MockEstResponse csrAttrs(byte[] der) {
    return builder()
        .addHeader("Content-Type", MediaTypes.CSRATTRS)
        .addHeader("Content-Transfer-Encoding", "base64")
        .base64Body(der)
        .build();
  }

  /**
   * 200 with the {@code multipart/mixed} serverkeygen answer (RFC 7030 §4.4.2): first an {@code
   * application/pkcs8} part with the unencrypted private key, then a certs-only part with the
   * certificate, both base64. Vary with {@link Builder#boundary(String)} and {@link
   * Builder#certificatePartFirst()}.
   */
  public static MockEstResponse serverKeyGen(byte[] pkcs8, X509Certificate certificate) {
    Builder b = builder();
    b.multipartKey = pkcs8.clone();
    b.multipartCerts = CertsOnly.encode(List.of(certificate));
    return b.boundary(Builder.DEFAULT_BOUNDARY).build();
  }

  /** An error as est4j's server sends it: {@code text/plain}, body {@code "<status> <text>\n"}. */
  public static MockEstResponse error(int status, String text) {
    return builder()
        .status(status)
        .addHeader("Content-Type", ErrorBody.CONTENT_TYPE)
        .body(ErrorBody.of(status, text))
        .build();
  }

  /** 202 Accepted (RFC 7030 §4.2.3) with {@code Retry-After} in whole seconds. */
  public static MockEstResponse pending(Duration retryAfter) {
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter < 0: " + retryAfter);
    }
    return builder().status(202).addHeader("Retry-After", Long.toString(retryAfter.getSeconds())).build();
  }

  /** 202 Accepted with {@code Retry-After} as an HTTP-date, the form RFC 9110 also allows. */
  public static MockEstResponse pendingHttpDate(Instant retryAt) {
    return builder().status(202).addHeader("Retry-After", HTTP_DATE.format(retryAt)).build();
  }

  /** 202 Accepted without {@code Retry-After}, which RFC 7030 requires but servers forget. */
  public static MockEstResponse pending() {
    return builder().status(202).build();
  }

  /** 401 with {@code WWW-Authenticate: Basic realm="<realm>"} and an empty body. */
  public static MockEstResponse unauthorized(String realm) {
    return builder()
        .status(401)
        .addHeader("WWW-Authenticate", "Basic realm=\"" + realm.replace("\"", "\\\"") + "\"")
        .build();
  }

  /** A redirect ({@code 301}, {@code 302}, {@code 307}, ...) to {@code location}, empty body. */
  public static MockEstResponse redirect(int status, String location) {
    if (status < 300 || status > 399) {
      throw new IllegalArgumentException("not a redirect status: " + status);
    }
    return builder().status(status).addHeader("Location", location).build();
  }

  public int status() {
    return recipe.status;
  }

  public String reason() {
    return recipe.reason != null ? recipe.reason : ReasonPhrases.of(recipe.status);
  }

  /** The headers as written: the scripted ones in order, then any framing header added. */
  public List<Map.Entry<String, String>> headers() {
    return recipe.renderHeaders(body().length);
  }

  /** The first header named {@code name}, compared case-insensitively. */
  public Optional<String> header(String name) {
    return Headers.first(headers(), name);
  }

  /** The body bytes, before any chunked framing or fault. */
  public byte[] body() {
    return recipe.renderBody();
  }

  /** The body as UTF-8 text. */
  public String bodyUtf8() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  Builder recipe() {
    return recipe;
  }

  @Override
  public String toString() {
    return "MockEstResponse{" + status() + " " + reason() + "}";
  }

  /**
   * Describes a response. Body-shaping options ({@link #oneLineBase64()}, {@link
   * #trailingNul()}, ...) apply when the response is written, so their order does not matter.
   */
  public static final class Builder {
    static final String DEFAULT_BOUNDARY = "est4j-mock-boundary";

    int status = 200;
    String reason;
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    byte[] body = new byte[0];
    byte[] base64Der; // when set, the body is this DER in base64
    byte[] multipartKey; // when set, the body is the serverkeygen multipart
    byte[] multipartCerts;
    String boundary = DEFAULT_BOUNDARY;
    boolean certificateFirst;
    int base64LineLength = EstBase64.DEFAULT_LINE_LENGTH;
    boolean partTransferEncoding = true;
    boolean trailingNul;
    // Transport
    int chunkSize; // 0: Content-Length framing
    boolean withoutContentLength;
    int truncateAfter = -1;
    Duration bodyDelay = Duration.ZERO;
    long bytesPerSecond; // 0: unthrottled
    boolean disconnectAtStart;

    private Builder() {}

    /** The status, with the usual reason phrase ("OK", "Accepted", ...). */
    public Builder status(int status) {
      return status(status, null);
    }

    /** The status with a reason phrase of your own (may be empty; null for the usual one). */
    public Builder status(int status, String reason) {
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("status must have three digits: " + status);
      }
      checkText(reason == null ? "" : reason);
      this.status = status;
      this.reason = reason;
      return this;
    }

    /** Appends a header; an existing one of the same name stays. */
    public Builder addHeader(String name, String value) {
      checkText(name);
      checkText(value);
      headers.add(Map.entry(name, value));
      return this;
    }

    /** Replaces every header of this name (case-insensitively) by one, where the first one was. */
    public Builder setHeader(String name, String value) {
      checkText(name);
      checkText(value);
      int at = Headers.indexOf(headers, name);
      removeHeader(name);
      headers.add(at < 0 ? headers.size() : at, Map.entry(name, value));
      return this;
    }

    /** Removes every header of this name, compared case-insensitively. */
    public Builder removeHeader(String name) {
      headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
      return this;
    }

    /** The body, sent as is (the base64 and multipart recipes of the factories are dropped). */
    public Builder body(byte[] body) {
      this.body = body.clone();
      this.base64Der = null;
      this.multipartKey = null;
      this.multipartCerts = null;
      return this;
    }

    /** The body as UTF-8 text. */
    public Builder body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The body is {@code der} in base64, shaped by {@link #base64LineLength(int)}. */
    public Builder base64Body(byte[] der) {
      body(new byte[0]);
      this.base64Der = der.clone();
      return this;
    }

    /** Base64 lines of this many characters (default 76; 0: one line without line break). */
    public Builder base64LineLength(int lineLength) {
      if (lineLength < 0 || lineLength % 4 != 0) {
        throw new IllegalArgumentException("lineLength must be 0 or a multiple of 4: " + lineLength);
      }
      this.base64LineLength = lineLength;
      return this;
    }

    /** Base64 on a single line without a line break, as some servers send it. */
    public Builder oneLineBase64() {
      return base64LineLength(0);
    }

    /**
     * Drops {@code Content-Transfer-Encoding}, which RFC 8951 §3 made optional, from the
     * response and from multipart body parts.
     */
    public Builder withoutContentTransferEncoding() {
      removeHeader("Content-Transfer-Encoding");
      this.partTransferEncoding = false;
      return this;
    }

    /** Appends a NUL byte to the body, as libest's C-string handling does. */
    public Builder trailingNul() {
      this.trailingNul = true;
      return this;
    }

    /** The multipart boundary, also written into the {@code Content-Type} header. */
    public Builder boundary(String boundary) {
      if (multipartKey == null) {
        throw new IllegalStateException("boundary applies to serverKeyGen responses only");
      }
      this.boundary = boundary;
      return setHeader("Content-Type", MediaTypes.MULTIPART_MIXED + "; boundary=" + boundary);
    }

    /** Puts the certificate part before the key part, the reverse of RFC 7030's order. */
    public Builder certificatePartFirst() {
      this.certificateFirst = true;
      return this;
    }

    /**
     * Sends the body with {@code Transfer-Encoding: chunked} in chunks of at most {@code
     * chunkSize} bytes instead of with a {@code Content-Length}.
     */
    public Builder chunked(int chunkSize) {
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunkSize < 1: " + chunkSize);
      }
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * Sends no {@code Content-Length}: the body ends when the server closes the connection
     * (RFC 9112 §6.3), as HTTP/1.0-era servers do.
     */
    public Builder withoutContentLength() {
      this.withoutContentLength = true;
      return this;
    }

    /**
     * Declares the full length but closes the connection after {@code bytes} body bytes, so the
     * client sees a premature end of stream. With {@link #chunked(int)} it counts framed bytes.
     */
    public Builder truncateBodyAfter(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes < 0: " + bytes);
      }
      this.truncateAfter = bytes;
      return this;
    }

    /** Waits this long between the headers and the body, to test a client's read timeout. */
    public Builder bodyDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay < 0: " + delay);
      }
      this.bodyDelay = delay;
      return this;
    }

    /** Writes the body at about this many bytes per second. */
    public Builder throttle(long bytesPerSecond) {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("bytesPerSecond < 1: " + bytesPerSecond);
      }
      this.bytesPerSecond = bytesPerSecond;
      return this;
    }

    /** Reads (and records) the request, then closes the connection without any response. */
    public Builder disconnectAtStart() {
      this.disconnectAtStart = true;
      return this;
    }

    public MockEstResponse build() {
      return new MockEstResponse(this);
    }

    byte[] renderBody() {
      byte[] out;
      if (base64Der != null) {
        out = EstBase64.encode(base64Der, base64LineLength);
      } else if (multipartKey != null) {
        MultipartPart key = part(MediaTypes.PKCS8, multipartKey);
        MultipartPart certs = part(MediaTypes.CERTS_ONLY, multipartCerts);
        out = Multipart.encode(boundary, certificateFirst ? List.of(certs, key) : List.of(key, certs));
      } else {
        out = body.clone();
      }
      return trailingNul ? Arrays.copyOf(out, out.length + 1) : out;
    }

    private MultipartPart part(String contentType, byte[] der) {
      return partTransferEncoding
          ? MultipartPart.base64(contentType, der, base64LineLength)
          : new MultipartPart(
              List.of(Map.entry("Content-Type", contentType)),
              EstBase64.encode(der, base64LineLength));
    }

    List<Map.Entry<String, String>> renderHeaders(int bodyLength) {
      List<Map.Entry<String, String>> out = new ArrayList<>(headers);
      boolean framed =
          Headers.indexOf(headers, "Content-Length") >= 0
              || Headers.indexOf(headers, "Transfer-Encoding") >= 0;
      boolean noBody = status < 200 || status == 204 || status == 304;
      if (!framed && !noBody) {
        if (chunkSize > 0) {
          out.add(Map.entry("Transfer-Encoding", "chunked"));
        } else if (!withoutContentLength) {
          out.add(Map.entry("Content-Length", Integer.toString(bodyLength)));
        }
      }
      return List.copyOf(out);
    }

    Builder copy() {
      Builder c = new Builder();
      c.status = status;
      c.reason = reason;
      c.headers = new ArrayList<>(headers);
      c.body = body.clone();
      c.base64Der = base64Der == null ? null : base64Der.clone();
      c.multipartKey = multipartKey == null ? null : multipartKey.clone();
      c.multipartCerts = multipartCerts == null ? null : multipartCerts.clone();
      c.boundary = boundary;
      c.certificateFirst = certificateFirst;
      c.base64LineLength = base64LineLength;
      c.partTransferEncoding = partTransferEncoding;
      c.trailingNul = trailingNul;
      c.chunkSize = chunkSize;
      c.withoutContentLength = withoutContentLength;
      c.truncateAfter = truncateAfter;
      c.bodyDelay = bodyDelay;
      c.bytesPerSecond = bytesPerSecond;
      c.disconnectAtStart = disconnectAtStart;
      return c;
    }

    /** CR or LF would end the header early: scripts shape bytes, but not by accident. */
    private static void checkText(String s) {
      if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("CR or LF in a header or reason: " + s);
      }
    }
  }
}
