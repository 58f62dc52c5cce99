package org.est4j.ca;

import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What is to be certified, already taken from a verified CSR (or made by the server for
 * /serverkeygen). The subject keeps the CSR's own string encodings.
 */
public record CertificateRequest(
    X500Name subject, Optional<GeneralNames> subjectAltNames, SubjectPublicKeyInfo publicKey) {

  public CertificateRequest {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(subjectAltNames, "subjectAltNames");
    Objects.requireNonNull(publicKey, "publicKey");
  }
}
