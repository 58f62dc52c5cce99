package org.est4j.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DLSequence;
import org.bouncycastle.asn1.DLSet;
import org.bouncycastle.asn1.DLTaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * The "certs-only" CMC Simple PKI Response of RFC 7030 §4.1.3 and §4.2.3: a degenerate CMS
 * SignedData with no signers and no encapsulated content, used to carry certificates.
 *
 * <p>The structure is assembled from Bouncy Castle ASN.1 objects rather than through {@code
 * CMSSignedDataGenerator}: it is called per enrollment, needs no signer machinery, and, unlike a
 * DER {@code SET OF}, a definite-length {@code DLSet} keeps the certificates in the caller's order
 * (leaf first, as clients such as libest expect; openssl {@code crl2pkcs7} and the Go reference
 * server do the same). Everything else in the output is DER.
 */
public final class CertsOnly {
  private static final String MALFORMED = "malformed PKCS7 structure";

  private CertsOnly() {}

  /** Encodes {@code certs}, in order, as a certs-only SignedData ContentInfo. */
  public static byte[] encode(List<X509Certificate> certs) {
    ASN1EncodableVector certVector = new ASN1EncodableVector(certs.size());
    for (X509Certificate cert : certs) {
      try {
        certVector.add(Certificate.getInstance(cert.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("certificate cannot be encoded", e);
      }
    }
    ASN1Encodable[] signedData = {
      new ASN1Integer(1), // version 1: only X.509 certificates, id-data content (RFC 5652 §5.1)
      new DLSet(), // digestAlgorithms: empty, there are no signers
      new DLSequence(CMSObjectIdentifiers.data), // encapContentInfo without eContent
      new DLTaggedObject(false, 0, new DLSet(certVector)), // certificates [0] IMPLICIT
      new DLSet() // signerInfos: empty
    };
    ContentInfo contentInfo =
        new ContentInfo(CMSObjectIdentifiers.signedData, new DLSequence(signedData));
    try {
      return contentInfo.getEncoded(ASN1Encoding.DL);
    } catch (IOException e) {
      throw new IllegalStateException("ASN.1 encoding failed", e); // in-memory; cannot happen
    }
  }

  /**
   * Decodes a certs-only response (or any SignedData) and returns its certificates in encoded
   * order. Signers, CRLs and content are ignored; an empty certificate set gives an empty list.
   */
  public static List<X509Certificate> decode(byte[] der) throws EstProtocolException {
    List<byte[]> encodings = new ArrayList<>();
    try {
      // fromByteArray rejects trailing bytes after the outer ContentInfo.
      ContentInfo contentInfo = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
      if (contentInfo == null
          || !CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())
          || contentInfo.getContent() == null) {
        throw new EstProtocolException(MALFORMED);
      }
      SignedData signedData = SignedData.getInstance(contentInfo.getContent());
      ASN1Set certificates = signedData.getCertificates();
      if (certificates == null) {
        return Collections.emptyList();
      }
      for (ASN1Encodable choice : certificates) {
        // CertificateChoices: only the plain Certificate (a SEQUENCE) is of interest here; the
        // tagged alternatives are obsolete or attribute certificates.
        if (choice instanceof ASN1TaggedObject) {
          continue;
        }
        encodings.add(ASN1Sequence.getInstance(choice).getEncoded());
      }
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle signals structural errors with IllegalArgumentException, ClassCastException
      // and friends; all of them mean the same thing to the peer.
      throw new EstProtocolException(MALFORMED, e);
    }
    return toX509(encodings);
  }

  private static List<X509Certificate> toX509(List<byte[]> encodings)
      throws EstProtocolException {
    try {
      CertificateFactory factory = Jca.certificateFactory();
      List<X509Certificate> result = new ArrayList<>(encodings.size());
      for (byte[] encoding : encodings) {
        result.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(encoding)));
      }
      return Collections.unmodifiableList(result);
    } catch (CertificateException | RuntimeException e) {
      throw new EstProtocolException(MALFORMED, e);
    }
  }
}
