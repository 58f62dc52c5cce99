package org.est4j.ca;

import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What is to be certified, already taken from a verified CSR (or made by the server for
 * /serverkeygen). The subject keeps the CSR's own string encodings.
 *
 * @param profile the profile to check the request against and issue under
 * @param signedCsr the verified PKCS#10 request as received (DER), for an authority that forwards
 *     it (an upstream EST server); empty when the server made the key itself
 */
public record CertificateRequest(
    X500Name subject,
    Optional<GeneralNames> subjectAltNames,
    SubjectPublicKeyInfo publicKey,
    Profile profile,
    Optional<byte[]> signedCsr) {

  public CertificateRequest {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(subjectAltNames, "subjectAltNames");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(signedCsr, "signedCsr");
  }

  /** A request under {@link Profile#DEFAULT}, without the original CSR. */
  public CertificateRequest(X500Name subject, Optional<GeneralNames> subjectAltNames, SubjectPublicKeyInfo publicKey) {
    this(subject, subjectAltNames, publicKey, Profile.DEFAULT, Optional.empty());
  }

  public CertificateRequest withProfile(Profile newProfile) {
    return new CertificateRequest(subject, subjectAltNames, publicKey, newProfile, signedCsr);
  }

  public CertificateRequest withSignedCsr(byte[] der) {
    return new CertificateRequest(subject, subjectAltNames, publicKey, profile, Optional.of(der.clone()));
  }
}
