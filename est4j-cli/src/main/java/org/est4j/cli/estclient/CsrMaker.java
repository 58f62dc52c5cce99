package org.est4j.cli.estclient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * PKCS#10 CSRs as the Go estclient makes them: the subject in Go's RDN order (C, ST, L, street,
 * postalCode, O, OU, CN, serialNumber; several OUs in one multi-valued RDN), SANs in an
 * extensionRequest, and the signature algorithm Go picks for the key (SHA-256 with RSA and P-256,
 * SHA-384 with P-384, SHA-512 with P-521, Ed25519).
 */
final class CsrMaker {
  private CsrMaker() {}

  /** The subject and SANs the CSR flags describe. */
  record Names(X500Name subject, GeneralNames sans, boolean sanCritical) {}

  static Names fromFlags(CsrOptions f, Settings s) throws CliException {
    List<RDN> rdns = new ArrayList<>();
    add(rdns, BCStyle.C, f.country);
    add(rdns, BCStyle.ST, f.province);
    add(rdns, BCStyle.L, f.locality);
    add(rdns, BCStyle.STREET, f.street);
    add(rdns, BCStyle.POSTAL_CODE, f.postalCode);
    add(rdns, BCStyle.O, f.org);
    List<String> ous = s.split(f.ou);
    if (!ous.isEmpty()) {
      AttributeTypeAndValue[] values = new AttributeTypeAndValue[ous.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = new AttributeTypeAndValue(BCStyle.OU, BCStyle.INSTANCE.stringToValue(BCStyle.OU, ous.get(i)));
      }
      rdns.add(new RDN(values));
    }
    add(rdns, BCStyle.CN, f.cn);
    add(rdns, BCStyle.SERIALNUMBER, f.serialNumber);
    List<GeneralName> sans = new ArrayList<>();
    for (String d : s.split(f.dnsNames)) {
      sans.add(new GeneralName(GeneralName.dNSName, d));
    }
    for (String e : s.split(f.emails)) {
      sans.add(new GeneralName(GeneralName.rfc822Name, e));
    }
    for (String ip : s.split(f.ips)) {
      sans.add(new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(ipBytes(ip))));
    }
    for (String u : s.split(f.uris)) {
      try {
        new URI(u);
      } catch (URISyntaxException e) {
        throw CliException.usage("-uris: failed to parse URI \"" + u + "\": " + e.getReason());
      }
      sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, u));
    }
    X500Name subject = new X500Name(rdns.toArray(new RDN[0]));
    return new Names(subject, sans.isEmpty() ? null : new GeneralNames(sans.toArray(new GeneralName[0])), rdns.isEmpty());
  }

  /** Subject and SAN extension copied from the certificate being renewed (RFC 7030 §4.2.2). */
  static byte[] forReenrollment(X509Certificate cert, PrivateKey key) throws CliException {
    try {
      JcaX509CertificateHolder h = new JcaX509CertificateHolder(cert);
      Extension san = h.getExtension(Extension.subjectAlternativeName);
      PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(h.getSubject(), publicKeyInfo(key));
      if (san != null) {
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new Extensions(san));
      }
      return sign(b, key);
    } catch (CertificateEncodingException e) {
      throw CliException.failure("cannot read the certificate to renew: " + e.getMessage(), e);
    }
  }

  static byte[] build(Names names, PrivateKey key, SubjectPublicKeyInfo publicKey) throws CliException {
    PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(names.subject(), publicKey);
    if (names.sans() != null) {
      try {
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
            new Extensions(new Extension(Extension.subjectAlternativeName, names.sanCritical(), names.sans().getEncoded())));
      } catch (IOException e) {
        throw CliException.failure("cannot encode the subject alternative names", e);
      }
    }
    return sign(b, key);
  }

  static byte[] build(Names names, PrivateKey key) throws CliException {
    return build(names, key, publicKeyInfo(key));
  }

  /** The public half of a private key (RSA CRT, EC, Ed25519, Ed448), as a SubjectPublicKeyInfo. */
  static SubjectPublicKeyInfo publicKeyInfo(PrivateKey key) throws CliException {
    try {
      AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(key.getEncoded());
      AsymmetricKeyParameter pub;
      if (priv instanceof RSAPrivateCrtKeyParameters r) {
        pub = new RSAKeyParameters(false, r.getModulus(), r.getPublicExponent());
      } else if (priv instanceof ECPrivateKeyParameters e) {
        pub = new ECPublicKeyParameters(
            new FixedPointCombMultiplier().multiply(e.getParameters().getG(), e.getD()).normalize(), e.getParameters());
      } else if (priv instanceof Ed25519PrivateKeyParameters ed) {
        pub = ed.generatePublicKey();
      } else if (priv instanceof Ed448PrivateKeyParameters ed) {
        pub = ed.generatePublicKey();
      } else {
        throw CliException.usage("unsupported private key type " + key.getAlgorithm() + " (use RSA, EC or Ed25519)");
      }
      return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub);
    } catch (IOException | RuntimeException e) {
      throw CliException.failure("cannot derive the public key of the " + key.getAlgorithm() + " private key", e);
    }
  }

  private static byte[] sign(PKCS10CertificationRequestBuilder b, PrivateKey key) throws CliException {
    try {
      return b.build(new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key)).getEncoded();
    } catch (OperatorCreationException | IOException e) {
      throw CliException.failure("cannot sign the CSR with the " + key.getAlgorithm() + " key: " + e.getMessage(), e);
    }
  }

  static String signatureAlgorithm(PrivateKey key) {
    switch (key.getAlgorithm()) {
      case "RSA":
        return "SHA256withRSA";
      case "EC":
        int bits = key instanceof ECPrivateKey ec ? ec.getParams().getCurve().getField().getFieldSize() : 256;
        return bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
      case "EdDSA":
      case "Ed25519":
        return key.getEncoded().length > 60 ? "Ed448" : "Ed25519";
      case "Ed448":
        return "Ed448";
      default:
        return key.getAlgorithm();
    }
  }

  private static void add(List<RDN> rdns, ASN1ObjectIdentifier type, String value) {
    if (value != null && !value.isEmpty()) {
      rdns.add(new RDN(type, BCStyle.INSTANCE.stringToValue(type, value)));
    }
  }

  private static byte[] ipBytes(String ip) throws CliException {
    String s = ip.trim();
    CliException bad = CliException.usage("-ips: failed to parse IP address \"" + ip + "\"");
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      String[] parts = s.split("\\.");
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          throw bad;
        }
        out[i] = (byte) v;
      }
      return out;
    }
    if (s.indexOf(':') < 0 || !s.matches("[0-9A-Fa-f:.]+")) {
      throw bad;
    }
    try {
      byte[] a = InetAddress.getByName(s).getAddress(); // contains ':': parsed as an IPv6 literal, no lookup
      return a;
    } catch (IOException e) {
      throw bad;
    }
  }
}
