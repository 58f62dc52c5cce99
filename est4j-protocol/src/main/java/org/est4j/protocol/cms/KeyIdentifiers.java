package org.est4j.protocol.cms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The textual forms est4j uses for key identifiers and shared keys, the same in the server's
 * configuration and in estclient's flags, and the SubjectKeyIdentifier that names a key pair.
 *
 * <ul>
 *   <li>A key identifier is text, sent as its UTF-8 bytes ({@code device-group-1}), or
 *       {@code hex:} followed by hex digits for a binary identifier ({@code hex:0a1b2c}).
 *   <li>A shared key is 16, 24 or 32 bytes (AES-128/192/256): either written as 32, 48 or 64 hex
 *       digits (whitespace and a trailing newline ignored), or the raw bytes themselves.
 * </ul>
 */
public final class KeyIdentifiers {
  private KeyIdentifiers() {}

  /** The identifier's bytes: UTF-8 of the text, or the hex after {@code hex:}. */
  public static byte[] parseId(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a key identifier cannot be empty");
    }
    if (text.regionMatches(true, 0, "hex:", 0, 4)) {
      try {
        byte[] id = HexFormat.of().parseHex(text.substring(4));
        if (id.length == 0) {
          throw new IllegalArgumentException("a key identifier cannot be empty");
        }
        return id;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + text + "' is not hex: after hex: give an even number of hex digits", e);
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A shared AES key from a file's or variable's content: 32, 48 or 64 hex digits, or exactly 16,
   * 24 or 32 raw bytes. The input is not kept; the caller wipes it.
   *
   * @throws IllegalArgumentException saying which forms are accepted (never echoing the content)
   */
  public static byte[] parseAesKey(byte[] content) {
    int start = 0;
    int end = content.length;
    while (start < end && isSpace(content[start])) {
      start++;
    }
    while (end > start && isSpace(content[end - 1])) {
      end--;
    }
    int n = end - start;
    if ((n == 32 || n == 48 || n == 64) && allHex(content, start, end)) {
      char[] chars = new char[n];
      for (int i = 0; i < n; i++) {
        chars[i] = (char) content[start + i];
      }
      try {
        return HexFormat.of().parseHex(new String(chars));
      } finally {
        Arrays.fill(chars, '\0');
      }
    }
    if (content.length == 16 || content.length == 24 || content.length == 32) {
      return content.clone();
    }
    throw new IllegalArgumentException("a shared key must be 32, 48 or 64 hex digits (AES-128/192/256), or exactly"
        + " 16, 24 or 32 raw bytes; found " + content.length + " bytes of something else");
  }

  /**
   * The certificate's SubjectKeyIdentifier extension, or, when it has none, RFC 5280 §4.2.1.2
   * method 1 (SHA-1 of the subjectPublicKey bits), which is what OpenSSL and est4j's CA write.
   */
  public static byte[] subjectKeyId(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ext != null) {
      return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }
    try {
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded());
      return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private static boolean allHex(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(b[i], 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
