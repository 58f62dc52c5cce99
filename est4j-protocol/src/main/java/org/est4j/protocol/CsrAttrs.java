package org.est4j.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DLSequence;
import org.bouncycastle.asn1.DLSet;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The CSR attributes of RFC 7030 §4.5.2, with the ASN.1 corrected by RFC 8951 §3.4:
 *
 * <pre>
 * CsrAttrs ::= SEQUENCE SIZE (0..MAX) OF AttrOrOID
 * AttrOrOID ::= CHOICE { oid OBJECT IDENTIFIER, attribute Attribute }
 * Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET SIZE(1..MAX) OF ANY }
 * </pre>
 *
 * <p>Entries keep their order in both directions (the Go reference server puts OIDs first; we do
 * not reorder), and the values of an attribute keep theirs: they are written as a definite-length
 * SET without DER sorting, so a decoded object re-encodes to the bytes it came from. Unknown
 * types and values are carried verbatim.
 *
 * <p>Instances are immutable.
 */
public final class CsrAttrs {
  private static final String MALFORMED = "malformed CSR attributes";
  private static final CsrAttrs EMPTY = new CsrAttrs(List.of());

  /** One element of the sequence: a bare OID, or an attribute with values. */
  public sealed interface Entry permits Oid, Attribute {}

  /** A bare OID: "include this attribute" or "use this algorithm" (RFC 7030 §4.5.2). */
  public record Oid(ASN1ObjectIdentifier oid) implements Entry {
    public Oid {
      Objects.requireNonNull(oid, "oid");
    }
  }

  /** An attribute with at least one value, e.g. a required key type and curve. */
  public record Attribute(ASN1ObjectIdentifier type, List<ASN1Encodable> values)
      implements Entry {
    public Attribute {
      Objects.requireNonNull(type, "type");
      values = List.copyOf(values); // also rejects null elements
      if (values.isEmpty()) {
        throw new IllegalArgumentException("an attribute needs at least one value");
      }
    }

    public Attribute(ASN1ObjectIdentifier type, ASN1Encodable... values) {
      this(type, Arrays.asList(values));
    }
  }

  private final List<Entry> entries;

  private CsrAttrs(List<Entry> entries) {
    this.entries = entries;
  }

  public static CsrAttrs of(List<Entry> entries) {
    return entries.isEmpty() ? EMPTY : new CsrAttrs(List.copyOf(entries));
  }

  public static CsrAttrs of(Entry... entries) {
    return of(Arrays.asList(entries));
  }

  /** No attributes; the server may then also answer 204 or 404 (RFC 7030 §4.5.2). */
  public static CsrAttrs empty() {
    return EMPTY;
  }

  /**
   * The example of RFC 7030 §4.5.2: challengePassword, ecdsa-with-SHA384, an extensionRequest
   * for macAddress (1.3.6.1.1.1.1.22), and an EC key on secp384r1.
   */
  public static CsrAttrs rfc7030Example() {
    // The RFC's order; the Go seed re-marshals it with the OIDs first, which loses this order.
    return of(
        new Oid(PKCSObjectIdentifiers.pkcs_9_at_challengePassword),
        new Attribute(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp384r1),
        new Attribute(
            PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
            new ASN1ObjectIdentifier("1.3.6.1.1.1.1.22")),
        new Oid(X9ObjectIdentifiers.ecdsa_with_SHA384));
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The DER encoding (with SET members in the given order, see the class comment). */
  public byte[] encoded() {
    ASN1EncodableVector sequence = new ASN1EncodableVector(entries.size());
    for (Entry entry : entries) {
      if (entry instanceof Oid) {
        sequence.add(((Oid) entry).oid());
      } else {
        Attribute attribute = (Attribute) entry;
        ASN1Encodable[] values = attribute.values().toArray(new ASN1Encodable[0]);
        sequence.add(new DLSequence(new ASN1Encodable[] {attribute.type(), new DLSet(values)}));
      }
    }
    try {
      return new DLSequence(sequence).getEncoded(ASN1Encoding.DL);
    } catch (IOException e) {
      throw new IllegalStateException("ASN.1 encoding failed", e); // in-memory; cannot happen
    }
  }

  /** Decodes a DER CsrAttrs; anything else, including trailing bytes, is rejected. */
  public static CsrAttrs decode(byte[] der) throws EstProtocolException {
    try {
      ASN1Primitive top = ASN1Primitive.fromByteArray(der); // rejects trailing bytes
      if (!(top instanceof ASN1Sequence)) {
        throw new EstProtocolException(MALFORMED);
      }
      List<Entry> entries = new ArrayList<>();
      for (ASN1Encodable element : (ASN1Sequence) top) {
        entries.add(decodeEntry(element.toASN1Primitive()));
      }
      return of(entries);
    } catch (IOException | RuntimeException e) {
      throw new EstProtocolException(MALFORMED, e);
    }
  }

  private static Entry decodeEntry(ASN1Primitive element) throws EstProtocolException {
    if (element instanceof ASN1ObjectIdentifier) {
      return new Oid((ASN1ObjectIdentifier) element);
    }
    if (element instanceof ASN1Sequence) {
      ASN1Sequence sequence = (ASN1Sequence) element;
      if (sequence.size() == 2
          && sequence.getObjectAt(0) instanceof ASN1ObjectIdentifier
          && sequence.getObjectAt(1) instanceof ASN1Set
          && ((ASN1Set) sequence.getObjectAt(1)).size() > 0) {
        List<ASN1Encodable> values = new ArrayList<>();
        for (ASN1Encodable value : (ASN1Set) sequence.getObjectAt(1)) {
          values.add(value);
        }
        return new Attribute((ASN1ObjectIdentifier) sequence.getObjectAt(0), values);
      }
    }
    throw new EstProtocolException(MALFORMED);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CsrAttrs && entries.equals(((CsrAttrs) o).entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "CsrAttrs" + entries;
  }
}
