package org.est4j.protocol.cms;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.est4j.protocol.EstProtocolException;

/**
 * The SignedData inside an encrypted server-generated key: its one signature verified, its signer
 * trusted (one of the CA certificates, or a certificate that chains to one through certificates
 * in the SignedData), its content read as an AsymmetricKeyPackage (RFC 7030 §4.4.2) or, as the Go
 * seed sends it, as a PKCS#8 key typed id-data.
 */
record SignedKey(byte[] pkcs8, X509Certificate signer) {

  static SignedKey verify(byte[] encoded, List<X509Certificate> trusted) throws EstProtocolException {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("no CA certificates to verify the key's signature with");
    }
    CMSSignedData sd;
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(encoded);
      ContentInfo ci = ASN1Sequence.getInstance(p).getObjectAt(0) instanceof ASN1ObjectIdentifier
          ? ContentInfo.getInstance(p)
          : new ContentInfo(CMSObjectIdentifiers.signedData, SignedData.getInstance(p));
      if (!ci.getContentType().equals(CMSObjectIdentifiers.signedData)) {
        throw new EstProtocolException("the decrypted key is CMS content type " + ci.getContentType().getId()
            + ", not SignedData");
      }
      sd = new CMSSignedData(ci);
    } catch (IOException | CMSException | RuntimeException e) {
      throw new EstProtocolException("the decrypted key is not a CMS SignedData: " + e.getMessage(), e);
    }
    Collection<SignerInformation> signers = sd.getSignerInfos().getSigners();
    if (signers.size() != 1) {
      throw new EstProtocolException("the key's SignedData has " + signers.size() + " signatures; expected one");
    }
    SignerInformation si = signers.iterator().next();
    List<X509Certificate> included = certificates(sd);
    X509Certificate signer = findSigner(si, included, trusted);
    try {
      if (!si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(CmsProvider.BC).build(signer))) {
        throw new EstProtocolException("the signature over the server-generated key does not verify");
      }
    } catch (CMSException | OperatorCreationException e) {
      throw new EstProtocolException("the signature over the server-generated key does not verify: " + e.getMessage(), e);
    }
    requireTrusted(signer, included, trusted);
    ASN1ObjectIdentifier type = sd.getSignedContentTypeOID() == null ? null
        : new ASN1ObjectIdentifier(sd.getSignedContentTypeOID());
    Object content = sd.getSignedContent() == null ? null : sd.getSignedContent().getContent();
    if (!(content instanceof byte[] bytes)) {
      throw new EstProtocolException("the key's SignedData has no content");
    }
    return new SignedKey(pkcs8(type, bytes), signer);
  }

  private static byte[] pkcs8(ASN1ObjectIdentifier type, byte[] content) throws EstProtocolException {
    try {
      if (ServerKeyEnvelope.ASYMMETRIC_KEY_PACKAGE.equals(type)) {
        ASN1Sequence keys = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(content));
        if (keys.size() != 1) {
          throw new EstProtocolException("the AsymmetricKeyPackage holds " + keys.size() + " keys; expected one");
        }
        return PrivateKeyInfo.getInstance(keys.getObjectAt(0)).getEncoded(ASN1Encoding.DER);
      }
      if (CMSObjectIdentifiers.data.equals(type)) {
        ASN1Primitive p = ASN1Primitive.fromByteArray(content);
        ASN1Encodable key = p instanceof ASN1OctetString o ? ASN1Primitive.fromByteArray(o.getOctets()) : p;
        return PrivateKeyInfo.getInstance(key).getEncoded(ASN1Encoding.DER);
      }
    } catch (IOException | RuntimeException e) {
      throw new EstProtocolException("the signed content is not a private key: " + e.getMessage(), e);
    }
    throw new EstProtocolException("the key's SignedData has content type " + type
        + "; expected id-ct-KP-aKeyPackage (2.16.840.1.101.2.1.2.78.5) or id-data");
  }

  private static X509Certificate findSigner(SignerInformation si, List<X509Certificate> included,
      List<X509Certificate> trusted) throws EstProtocolException {
    List<X509Certificate> all = new ArrayList<>(included);
    all.addAll(trusted);
    for (X509Certificate c : all) {
      try {
        if (si.getSID().match(new X509CertificateHolder(c.getEncoded()))) {
          return c;
        }
      } catch (IOException | GeneralSecurityException e) {
        // an unreadable certificate cannot be the signer
      }
    }
    throw new EstProtocolException("the signer of the server-generated key is neither in the SignedData nor among"
        + " the CA certificates");
  }

  /** The signer is a CA certificate, or PKIX-validates to one (no revocation check) via included certificates. */
  private static void requireTrusted(X509Certificate signer, List<X509Certificate> included,
      List<X509Certificate> trusted) throws EstProtocolException {
    for (X509Certificate t : trusted) {
      if (t.equals(signer)) {
        try {
          t.checkValidity();
          return;
        } catch (GeneralSecurityException e) {
          throw new EstProtocolException("the key was signed by an expired or not yet valid CA certificate "
              + t.getSubjectX500Principal(), e);
        }
      }
    }
    try {
      List<X509Certificate> path = new ArrayList<>();
      X509Certificate current = signer;
      Set<X509Certificate> used = new HashSet<>();
      while (current != null && used.add(current) && !trusted.contains(current)) {
        path.add(current);
        current = issuerOf(current, included, trusted);
      }
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate t : trusted) {
        anchors.add(new TrustAnchor(t, null));
      }
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
      CertPathValidator.getInstance("PKIX").validate(cp, params);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new EstProtocolException("the signer of the server-generated key (" + signer.getSubjectX500Principal()
          + ") is not trusted: it does not chain to the CA certificates (" + e.getMessage() + ")", e);
    }
  }

  private static X509Certificate issuerOf(X509Certificate c, List<X509Certificate> included,
      List<X509Certificate> trusted) {
    for (List<X509Certificate> l : List.of(trusted, included)) {
      for (X509Certificate i : l) {
        if (i.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && !i.equals(c)) {
          return i;
        }
      }
    }
    return null;
  }

  private static List<X509Certificate> certificates(CMSSignedData sd) throws EstProtocolException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      for (X509CertificateHolder h : sd.getCertificates().getMatches(null)) {
        out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new EstProtocolException("the key's SignedData carries an unreadable certificate", e);
    }
    return out;
  }

  @Override
  public String toString() {
    return "SignedKey[signer=" + signer.getSubjectX500Principal() + ", key hidden]";
  }
}
