package org.est4j.cli.estclient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.GeneralName;
import org.est4j.client.CsrBuilder;

/**
 * The CSR flags as a {@link CsrBuilder}, the way the Go estclient makes CSRs: the subject in Go's
 * RDN order with several OUs in one multi-valued RDN, SANs in the order DNS names, emails, IPs,
 * URIs (URIs as Go's {@code url.Parse} takes them, relative references included).
 */
final class CsrFlags {
  private CsrFlags() {}

  static CsrBuilder builder(CsrOptions f, Settings s) throws CliException {
    CsrBuilder b = CsrBuilder.create().multiValuedOrganizationalUnits(true)
        .country(f.country).province(f.province).locality(f.locality).streetAddress(f.street)
        .postalCode(f.postalCode).organization(f.org).organizationalUnits(s.split(f.ou))
        .commonName(f.cn).serialNumber(f.serialNumber);
    for (String d : s.split(f.dnsNames)) {
      b.addDnsName(d);
    }
    for (String e : s.split(f.emails)) {
      b.addEmail(e);
    }
    for (String ip : s.split(f.ips)) {
      b.addIpAddress(ip(ip));
    }
    for (String u : s.split(f.uris)) {
      try {
        new URI(u);
      } catch (URISyntaxException e) {
        throw CliException.usage("-uris: failed to parse URI \"" + u + "\": " + e.getReason());
      }
      b.addSubjectAltName(new GeneralName(GeneralName.uniformResourceIdentifier, u));
    }
    return b;
  }

  /** Signs with {@code key}, deriving the public key from it when {@code publicKey} is null. */
  static byte[] sign(CsrBuilder b, PrivateKey key, PublicKey publicKey) throws CliException {
    if (publicKey == null && key instanceof org.est4j.tpm.device.TpmPrivateKey) {
      // a TPM key does not reveal its private parts; the TPM reported the public half
      publicKey = ((org.est4j.tpm.device.TpmPrivateKey) key).publicKey();
    }
    try {
      return publicKey == null ? b.sign(key) : b.sign(key, publicKey);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw CliException.failure("cannot sign the CSR with the " + key.getAlgorithm() + " key: " + e.getMessage(), e);
    }
  }

  static byte[] fromFlags(CsrOptions f, Settings s, PrivateKey key) throws CliException {
    return sign(builder(f, s), key, null);
  }

  /** Subject and SAN extension copied from the certificate being renewed (RFC 7030 §4.2.2). */
  static byte[] forReenrollment(X509Certificate cert, PrivateKey key) throws CliException {
    return sign(CsrBuilder.forReenrollment(cert), key, null);
  }

  /** {@code net.ParseIP}: dotted IPv4 or an IPv6 literal, never a host name. */
  private static InetAddress ip(String ip) throws CliException {
    String s = ip.trim();
    CliException bad = CliException.usage("-ips: failed to parse IP address \"" + ip + "\"");
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String part : s.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw bad;
        }
      }
    } else if (s.indexOf(':') < 0 || !s.matches("[0-9A-Fa-f:.]+")) {
      throw bad;
    }
    try {
      return InetAddress.getByName(s); // a literal: no lookup
    } catch (IOException e) {
      throw bad;
    }
  }
}
