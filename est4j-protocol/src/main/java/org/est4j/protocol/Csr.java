package org.est4j.protocol;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A decoded PKCS#10 certificate signing request (RFC 2986), as received in a simpleenroll,
 * simplereenroll or serverkeygen request.
 *
 * <p>Decoding parses everything a server looks at (subject, extensionRequest, subjectAltName,
 * challengePassword) eagerly, so that a structurally broken request is rejected up front and the
 * accessors never fail. Decoding does not check the signature: call {@link #verify()}.
 *
 * <p>Instances are immutable.
 */
public final class Csr {
  static final String MALFORMED = "malformed PKCS10 certificate signing request";

  private final byte[] encoded;
  private final byte[] signedBytes; // certificationRequestInfo exactly as the requester signed it
  private final PKCS10CertificationRequest request;
  private final Extensions requestedExtensions; // null if absent
  private final GeneralNames subjectAltNames; // null if absent
  private final String challengePassword; // null if absent

  private Csr(
      byte[] encoded,
      byte[] signedBytes,
      PKCS10CertificationRequest request,
      Extensions requestedExtensions,
      GeneralNames subjectAltNames,
      String challengePassword) {
    this.encoded = encoded;
    this.signedBytes = signedBytes;
    this.request = request;
    this.requestedExtensions = requestedExtensions;
    this.subjectAltNames = subjectAltNames;
    this.challengePassword = challengePassword;
  }

  /**
   * Decodes a DER PKCS#10 request. Trailing bytes, a structure that is not a
   * CertificationRequest, or an undecodable extensionRequest / challengePassword are rejected.
   */
  public static Csr decode(byte[] der) throws EstProtocolException {
    try {
      // fromByteArray fails on trailing data, which PKCS10CertificationRequest(byte[]) tolerates.
      ASN1Sequence outer = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      CertificationRequest structure = CertificationRequest.getInstance(outer);
      // The signature covers certificationRequestInfo as sent. Re-encoding Bouncy Castle's
      // CertificationRequestInfo object would DER-sort the attribute SET and could change the
      // bytes of a (non-DER) request; the generically parsed sequence re-encodes as it came.
      byte[] signedBytes = outer.getObjectAt(0).toASN1Primitive().getEncoded(ASN1Encoding.DL);
      PKCS10CertificationRequest request = new PKCS10CertificationRequest(structure);
      // Touch the parts that Bouncy Castle parses lazily so that errors surface here.
      request.getSubject();
      request.getSubjectPublicKeyInfo();
      request.getSignatureAlgorithm();
      Extensions extensions = singleValue(request, PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)
          .map(Extensions::getInstance)
          .orElse(null);
      GeneralNames sans = null;
      if (extensions != null) {
        Extension san = extensions.getExtension(Extension.subjectAlternativeName);
        if (san != null) {
          sans = GeneralNames.getInstance(san.getParsedValue());
        }
      }
      String password = singleValue(request, PKCSObjectIdentifiers.pkcs_9_at_challengePassword)
          .map(v -> ((ASN1String) v).getString())
          .orElse(null);
      return new Csr(der.clone(), signedBytes, request, extensions, sans, password);
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle reports structural problems as IllegalArgumentException,
      // IllegalStateException or ClassCastException: all mean "malformed" to the peer.
      throw new EstProtocolException(MALFORMED, e);
    }
  }

  /**
   * Checks the request's self-signature (proof of possession of the private key) and returns
   * {@code this}. Only algorithms a modern CA should accept are supported: RSA 2048–4096 bits
   * with SHA-2 (PKCS#1 v1.5 or PSS), ECDSA on P-256, P-384 and P-521 with SHA-2, Ed25519 and
   * Ed448.
   *
   * @throws EstProtocolException "invalid PKCS10 certificate signing request signature" or
   *     "unsupported CSR signature algorithm ..."
   */
  public Csr verify() throws EstProtocolException {
    CsrSignatures.verify(
        request.getSignatureAlgorithm(),
        request.getSubjectPublicKeyInfo(),
        signedBytes,
        request::getSignature);
    return this;
  }

  public X500Name subject() {
    return request.getSubject();
  }

  /** The subjectAltName extension requested in the PKCS#9 extensionRequest attribute. */
  public Optional<GeneralNames> subjectAltNames() {
    return Optional.ofNullable(subjectAltNames);
  }

  /** The PKCS#9 extensionRequest attribute (1.2.840.113549.1.9.14), if present. */
  public Optional<Extensions> requestedExtensions() {
    return Optional.ofNullable(requestedExtensions);
  }

  public SubjectPublicKeyInfo publicKeyInfo() {
    return request.getSubjectPublicKeyInfo();
  }

  /**
   * The subject public key as a JCA key from the default providers.
   *
   * @throws EstProtocolException if the key algorithm is not supported or the key is malformed
   */
  public PublicKey publicKey() throws EstProtocolException {
    return CsrSignatures.publicKey(request.getSubjectPublicKeyInfo());
  }

  /** The PKCS#9 challengePassword attribute, used by some deployments for authorization. */
  public Optional<String> challengePassword() {
    return Optional.ofNullable(challengePassword);
  }

  /** The DER encoding as received. */
  public byte[] encoded() {
    return encoded.clone();
  }

  public PKCS10CertificationRequest toBouncyCastle() {
    return request;
  }

  /**
   * Whether a re-enrollment request asks for the same names as the certificate being renewed
   * (RFC 7030 §4.2.2): same subject and same subjectAltName set, compared semantically.
   */
  public static boolean sameSubjectAndSan(Csr csr, X509Certificate cert) {
    return NameComparison.sameSubject(csr.subject(), NameComparison.subjectOf(cert))
        && NameComparison.sameSubjectAltNames(
            csr.subjectAltNames(), NameComparison.subjectAltNamesOf(cert));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Csr && Arrays.equals(encoded, ((Csr) o).encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "Csr{subject=" + subject() + "}";
  }

  /**
   * The single value of a single-valued PKCS#9 attribute. Several attributes or values of the
   * same type are rejected: which one a CA would honour is ambiguous.
   */
  private static Optional<ASN1Encodable> singleValue(
      PKCS10CertificationRequest request, ASN1ObjectIdentifier type) {
    Attribute[] attributes = request.getAttributes(type);
    if (attributes.length == 0) {
      return Optional.empty();
    }
    if (attributes.length > 1 || attributes[0].getAttrValues().size() != 1) {
      throw new IllegalArgumentException("attribute " + type + " is not single-valued");
    }
    return Optional.of(attributes[0].getAttrValues().getObjectAt(0));
  }
}
