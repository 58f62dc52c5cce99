package org.est4j.protocol.cms;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A lenient reader and a minimal writer of single BER/DER tag-length-value elements. Only for the
 * one structure Bouncy Castle cannot express: the Go pkcs7 library's AES-GCM parameters, written
 * as a <em>primitive</em> element with the SEQUENCE tag number (0x10). Everything else is encoded
 * with Bouncy Castle's ASN.1 classes.
 */
final class Tlv {
  final int tag; // the identifier octet (low-tag-number form only)
  final byte[] content;

  private Tlv(int tag, byte[] content) {
    this.tag = tag;
    this.content = content;
  }

  boolean constructed() {
    return (tag & 0x20) != 0;
  }

  /** Reads the one element that must make up {@code der}. */
  static Tlv parseSingle(byte[] der) {
    List<Tlv> all = parseAll(der);
    if (all.size() != 1) {
      throw new IllegalArgumentException("expected one ASN.1 element, found " + all.size());
    }
    return all.get(0);
  }

  /** Reads consecutive definite-length elements filling {@code der}. */
  static List<Tlv> parseAll(byte[] der) {
    List<Tlv> out = new ArrayList<>();
    int pos = 0;
    while (pos < der.length) {
      int tag = der[pos++] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        throw new IllegalArgumentException("high tag numbers are not expected here");
      }
      if (pos >= der.length) {
        throw new IllegalArgumentException("truncated ASN.1 element");
      }
      int first = der[pos++] & 0xff;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int n = first & 0x7f;
        if (n == 0 || n > 4) {
          throw new IllegalArgumentException("indefinite or oversized ASN.1 length");
        }
        length = 0;
        for (int i = 0; i < n; i++) {
          if (pos >= der.length) {
            throw new IllegalArgumentException("truncated ASN.1 length");
          }
          length = (length << 8) | (der[pos++] & 0xff);
        }
      }
      if (length > der.length - pos) {
        throw new IllegalArgumentException("ASN.1 element longer than its container");
      }
      out.add(new Tlv(tag, Arrays.copyOfRange(der, pos, pos + (int) length)));
      pos += (int) length;
    }
    return out;
  }

  /** Encodes one element with a definite (DER) length. */
  static byte[] encode(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else {
      int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(len >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
