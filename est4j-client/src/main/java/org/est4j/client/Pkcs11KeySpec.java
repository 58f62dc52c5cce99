package org.est4j.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Names a key pair on a PKCS#11 token: the module (shared library), the token by its label, and
 * the key by CKA_ID and/or CKA_LABEL, plus the user PIN. Immutable; build one with {@link
 * #builder()} or from an RFC 7512 URI with {@link #fromUri(String)}.
 *
 * <pre>{@code
 * Pkcs11KeySpec spec = Pkcs11KeySpec.builder()
 *     .module(Path.of("/usr/lib/softhsm/libsofthsm2.so"))
 *     .tokenLabel("est")
 *     .keyId(new byte[] {1})
 *     .pin("1234".toCharArray())
 *     .build();
 * Pkcs11KeySpec same = Pkcs11KeySpec.fromUri(
 *     "pkcs11:token=est;id=%01;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234");
 * }</pre>
 *
 * <p>{@link #toString()} never shows the PIN.
 */
public final class Pkcs11KeySpec {
  private final Path module;
  private final String tokenLabel;
  private final byte[] keyId;
  private final String keyLabel;
  private final char[] pin;

  private Pkcs11KeySpec(Builder b) {
    this.module = b.module;
    this.tokenLabel = b.tokenLabel;
    this.keyId = b.keyId == null ? null : b.keyId.clone();
    this.keyLabel = b.keyLabel;
    this.pin = b.pin == null ? null : b.pin.clone();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses an RFC 7512 {@code pkcs11:} URI. Path attributes: {@code token} (the token label),
   * {@code object} (CKA_LABEL), {@code id} (CKA_ID, percent-encoded bytes), {@code type} (only
   * {@code private} or absent). Query attributes: {@code module-path} (required here: est4j
   * does not guess a module), {@code pin-value}, {@code pin-source} ({@code file:} URI or path;
   * its first line is the PIN). Values are percent-decoded as UTF-8.
   *
   * @throws IllegalArgumentException naming the attribute that is wrong or missing
   */
  public static Pkcs11KeySpec fromUri(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.regionMatches(true, 0, "pkcs11:", 0, 7)) {
      throw new IllegalArgumentException("not a pkcs11: URI (RFC 7512)");
    }
    String rest = uri.substring(7);
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    String query = q < 0 ? "" : rest.substring(q + 1);
    Builder b = builder();
    for (String attr : path.split(";", -1)) {
      if (attr.isEmpty()) {
        continue;
      }
      String name = name(attr);
      byte[] value = value(attr);
      switch (name) {
        case "token" -> b.tokenLabel(utf8(value));
        case "object" -> b.keyLabel(utf8(value));
        case "id" -> b.keyId(value);
        case "type" -> {
          if (!utf8(value).equals("private")) {
            throw new IllegalArgumentException("pkcs11: URI: type=" + utf8(value)
                + " does not name a private key (use type=private or leave it out)");
          }
        }
        case "manufacturer", "model", "serial", "library-manufacturer", "library-description",
            "library-version", "slot-description", "slot-manufacturer", "slot-id" ->
            throw new IllegalArgumentException("pkcs11: URI: the attribute " + name
                + " is not supported by est4j; name the token by token=<label>");
        default -> throw new IllegalArgumentException("pkcs11: URI: unknown path attribute " + name);
      }
    }
    for (String attr : query.split("&", -1)) {
      if (attr.isEmpty()) {
        continue;
      }
      String name = name(attr);
      byte[] value = value(attr);
      switch (name) {
        case "module-path" -> b.module(Path.of(utf8(value)));
        case "pin-value" -> b.pin(utf8(value).toCharArray());
        case "pin-source" -> b.pin(pinFromSource(utf8(value)));
        case "module-name" -> throw new IllegalArgumentException(
            "pkcs11: URI: module-name is not supported; give the library's file with module-path=");
        default -> throw new IllegalArgumentException("pkcs11: URI: unknown query attribute " + name);
      }
    }
    if (b.module == null) {
      throw new IllegalArgumentException("pkcs11: URI: module-path= is missing (the PKCS#11 library,"
          + " e.g. ?module-path=/usr/lib/softhsm/libsofthsm2.so)");
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("pkcs11: URI: " + e.getMessage() + " (id= or object=)", e);
    }
  }

  /**
   * CKA_ID from the seed's {@code key_id}: the integer's big-endian magnitude bytes, as Go's
   * {@code big.Int.Bytes()} (1 gives 0x01, 256 gives 0x01 0x00, 0 gives no bytes).
   */
  public static byte[] keyIdFromInteger(BigInteger id) {
    if (id.signum() < 0) {
      throw new IllegalArgumentException("key_id must not be negative");
    }
    byte[] b = id.toByteArray();
    int skip = 0;
    while (skip < b.length && b[skip] == 0) {
      skip++;
    }
    return Arrays.copyOfRange(b, skip, b.length);
  }

  /** The same key with another PIN (e.g. one the user typed). */
  public Pkcs11KeySpec withPin(char[] newPin) {
    return toBuilder().pin(newPin).build();
  }

  public Builder toBuilder() {
    Builder b = builder().module(module).tokenLabel(tokenLabel).keyLabel(keyLabel).pin(pin);
    if (keyId != null) {
      b.keyId(keyId);
    }
    return b;
  }

  public Path module() {
    return module;
  }

  public Optional<String> tokenLabel() {
    return Optional.ofNullable(tokenLabel);
  }

  public Optional<byte[]> keyId() {
    return Optional.ofNullable(keyId).map(byte[]::clone);
  }

  public Optional<String> keyLabel() {
    return Optional.ofNullable(keyLabel);
  }

  /** True when a PIN was given (possibly empty). */
  public boolean hasPin() {
    return pin != null;
  }

  /** A copy of the PIN; the caller should clear it after use. */
  public Optional<char[]> pin() {
    return Optional.ofNullable(pin).map(char[]::clone);
  }

  /** The token and key, for messages: never the PIN. */
  public String describe() {
    StringBuilder s = new StringBuilder("PKCS#11 key");
    if (keyId != null) {
      s.append(" id=").append(keyId.length == 0 ? "(empty)" : HexFormat.of().formatHex(keyId));
    }
    if (keyLabel != null) {
      s.append(" label=\"").append(keyLabel).append('"');
    }
    s.append(" on token ").append(tokenLabel == null ? "(any)" : "\"" + tokenLabel + "\"");
    s.append(" of ").append(module);
    return s.toString();
  }

  @Override
  public String toString() {
    return "Pkcs11KeySpec[" + describe() + (pin == null ? "" : ", PIN set") + "]";
  }

  private static String name(String attr) {
    int eq = attr.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("pkcs11: URI: attribute without a value: " + attr);
    }
    return attr.substring(0, eq).toLowerCase(Locale.ROOT);
  }

  private static byte[] value(String attr) {
    return percentDecode(attr.substring(attr.indexOf('=') + 1), attr.substring(0, attr.indexOf('=')));
  }

  static byte[] percentDecode(String s, String attribute) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("pkcs11: URI: " + attribute + ": truncated percent escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("pkcs11: URI: " + attribute + ": bad percent escape");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static char[] pinFromSource(String source) {
    Path file;
    if (source.regionMatches(true, 0, "file://", 0, 7)) {
      file = Path.of(java.net.URI.create(source)); // file:///etc/pin, file://localhost/etc/pin
    } else if (source.regionMatches(true, 0, "file:", 0, 5)) {
      file = Path.of(source.substring(5)); // file:/etc/pin, and file:pin.txt relative to the working directory
    } else {
      file = Path.of(source);
    }
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      s = nl < 0 ? s : s.substring(0, nl);
      return (s.endsWith("\r") ? s.substring(0, s.length() - 1) : s).toCharArray();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("pkcs11: URI: cannot read pin-source " + file + ": " + e, e);
    }
  }

  /** Collects the parts; {@link #build()} checks them. */
  public static final class Builder {
    private Path module;
    private String tokenLabel;
    private byte[] keyId;
    private String keyLabel;
    private char[] pin;

    private Builder() {}

    /** The PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}. Required. */
    public Builder module(Path module) {
      this.module = module;
      return this;
    }

    /** The token's label (CK_TOKEN_INFO.label, trailing blanks ignored). */
    public Builder tokenLabel(String tokenLabel) {
      this.tokenLabel = tokenLabel;
      return this;
    }

    /** CKA_ID of the key pair (as {@code pkcs11-tool --id}). */
    public Builder keyId(byte[] keyId) {
      this.keyId = keyId == null ? null : keyId.clone();
      return this;
    }

    /** CKA_LABEL of the key pair (as {@code pkcs11-tool --label}). */
    public Builder keyLabel(String keyLabel) {
      this.keyLabel = keyLabel;
      return this;
    }

    /** The user PIN; copied, so the caller may clear its array. */
    public Builder pin(char[] pin) {
      this.pin = pin == null ? null : pin.clone();
      return this;
    }

    public Pkcs11KeySpec build() {
      if (module == null) {
        throw new IllegalStateException("the PKCS#11 module (library path) is required");
      }
      if (keyId == null && keyLabel == null) {
        throw new IllegalStateException("name the key by its id (CKA_ID) or its label (CKA_LABEL)");
      }
      return new Pkcs11KeySpec(this);
    }
  }
}
