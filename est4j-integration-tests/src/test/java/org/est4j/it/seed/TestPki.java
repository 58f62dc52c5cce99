package org.est4j.it.seed;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Test-time PKI: key pairs, PKCS#10 requests (built with Bouncy Castle, independent of est4j's
 * codecs), a second "alt" CA like the seed's {@code altCA}, and checks on what the server returns.
 * Nothing here is persisted except PEM certificates written to a test's temporary directory.
 */
final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestPki() {}

  static KeyPair ecP256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair rsa2048() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String signatureAlgorithm(PrivateKey key) {
    return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
  }

  static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static GeneralNames dnsNames(String... names) {
    GeneralName[] g = new GeneralName[names.length];
    for (int i = 0; i < names.length; i++) {
      g[i] = new GeneralName(GeneralName.dNSName, names[i]);
    }
    return new GeneralNames(g);
  }

  /** DER of a CSR for {@code subject} with an optional SubjectAltName extension request. */
  static byte[] csr(KeyPair keys, X500Name subject, GeneralNames san) {
    try {
      PKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
      if (san != null) {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.subjectAlternativeName, false, san);
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
      }
      return b.build(signer(keys.getPrivate())).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] csr(KeyPair keys, String commonName) {
    return csr(keys, new X500Name("CN=" + commonName), null);
  }

  /** Base64 in the Go client's form: 76 columns, CRLF after every line. */
  static byte[] base64(byte[] der) {
    return wrap(der, 76, "\r\n");
  }

  static byte[] wrap(byte[] der, int columns, String eol) {
    String flat = Base64.getEncoder().encodeToString(der);
    if (columns == 0) {
      return flat.getBytes(StandardCharsets.US_ASCII);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < flat.length(); i += columns) {
      out.append(flat, i, Math.min(flat.length(), i + columns)).append(eol);
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The certificates of a base64 certs-only PKCS#7 body, parsed with Bouncy Castle CMS. */
  static List<X509Certificate> certsOnly(byte[] base64Body) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64Body);
      CMSSignedData sd = new CMSSignedData(der);
      assertThatNoSigners(sd);
      List<X509Certificate> out = new ArrayList<>();
      JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
      Collection<X509CertificateHolder> holders = sd.getCertificates().getMatches(null);
      for (X509CertificateHolder h : holders) {
        out.add(conv.getCertificate(h));
      }
      return out;
    } catch (Exception e) {
      throw new AssertionError("not a base64 certs-only PKCS#7: " + e, e);
    }
  }

  private static void assertThatNoSigners(CMSSignedData sd) {
    if (!sd.getSignerInfos().getSigners().isEmpty()) {
      throw new AssertionError("certs-only response has signers");
    }
  }

  /** PKIX validation of {@code leaf} + intermediates up to {@code root} (no revocation). */
  static void assertChains(X509Certificate leaf, List<X509Certificate> caCerts) {
    try {
      X509Certificate root = caCerts.get(caCerts.size() - 1);
      List<X509Certificate> path = new ArrayList<>();
      path.add(leaf);
      path.addAll(caCerts.subList(0, caCerts.size() - 1));
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(path), params);
    } catch (Exception e) {
      throw new AssertionError(leaf.getSubjectX500Principal() + " does not chain to /cacerts: " + e, e);
    }
  }

  static X509Certificate parseCert(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(X509Certificate cert) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed CA plus a client certificate it issued: the seed's {@code altCA}. */
  record AltCa(X509Certificate root, KeyPair rootKeys) {
    static AltCa create() {
      try {
        KeyPair keys = ecP256();
        X500Name name = new X500Name("CN=Alternative Testing Root CA " + Long.toHexString(RANDOM.nextLong()));
        Date now = new Date(System.currentTimeMillis() - 60_000);
        Date later = new Date(System.currentTimeMillis() + 86_400_000L);
        JcaX509v3CertificateBuilder b =
            new JcaX509v3CertificateBuilder(name, BigInteger.ONE, now, later, name, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate root =
            new JcaX509CertificateConverter().getCertificate(b.build(signer(keys.getPrivate())));
        return new AltCa(root, keys);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    X509Certificate issueClient(KeyPair subjectKeys, X500Name subject, GeneralNames san) {
      try {
        Date now = new Date(System.currentTimeMillis() - 60_000);
        Date later = new Date(System.currentTimeMillis() + 86_400_000L);
        JcaX509v3CertificateBuilder b =
            new JcaX509v3CertificateBuilder(
                root, new BigInteger(64, RANDOM), now, later, subject, subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        if (san != null) {
          b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(rootKeys.getPrivate())));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A DER SEQUENCE of the given elements (for hand-built names). */
  static DERSequence sequence(ASN1Encodable... items) {
    return new DERSequence(items);
  }
}
