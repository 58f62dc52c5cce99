package org.est4j.ca;

import java.io.IOException;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/** The extensions a {@link Profile} decides: keyUsage, extKeyUsage, cRLDistributionPoints. */
final class ProfileExtensions {
  private ProfileExtensions() {}

  static void add(X509v3CertificateBuilder tbs, Profile profile, RequestKeyType keyType) throws IOException {
    int usage = profile.keyUsage().orElse(keyType == RequestKeyType.RSA
        ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature);
    tbs.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
    tbs.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(profile.extendedKeyUsage().toArray(new KeyPurposeId[0])));
    if (profile.crlDistributionPoint().isPresent()) {
      GeneralNames uri = new GeneralNames(
          new GeneralName(GeneralName.uniformResourceIdentifier, profile.crlDistributionPoint().get()));
      tbs.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
          new DistributionPoint(new DistributionPointName(uri), null, null)}));
    }
  }
}
