package org.est4j.protocol;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

/**
 * Verifies PKCS#10 self-signatures with plain JCA from the default providers.
 *
 * <p>Deliberately not Bouncy Castle's content verifiers: the server may run with Conscrypt as the
 * first provider, BC is not registered as a JCA provider, and BC's JCA helpers cannot turn an
 * SPKI into a key of another provider by OID. Key conversion is therefore by explicit
 * {@link KeyFactory} algorithm name and {@link X509EncodedKeySpec}, and the allowed algorithms are
 * an explicit allow-list.
 */
final class CsrSignatures {
  private static final String INVALID = "invalid PKCS10 certificate signing request signature";
  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_RSA_BITS = 4096;

  /** Key family accepted for each signature algorithm: the JCA KeyFactory name. */
  private static final Map<ASN1ObjectIdentifier, String[]> SIGNATURES =
      Map.of(
          PKCSObjectIdentifiers.sha256WithRSAEncryption, new String[] {"SHA256withRSA", "RSA"},
          PKCSObjectIdentifiers.sha384WithRSAEncryption, new String[] {"SHA384withRSA", "RSA"},
          PKCSObjectIdentifiers.sha512WithRSAEncryption, new String[] {"SHA512withRSA", "RSA"},
          PKCSObjectIdentifiers.id_RSASSA_PSS, new String[] {"RSASSA-PSS", "RSA"},
          X9ObjectIdentifiers.ecdsa_with_SHA256, new String[] {"SHA256withECDSA", "EC"},
          X9ObjectIdentifiers.ecdsa_with_SHA384, new String[] {"SHA384withECDSA", "EC"},
          X9ObjectIdentifiers.ecdsa_with_SHA512, new String[] {"SHA512withECDSA", "EC"},
          EdECObjectIdentifiers.id_Ed25519, new String[] {"Ed25519", "Ed25519"},
          EdECObjectIdentifiers.id_Ed448, new String[] {"Ed448", "Ed448"});

  /** Digests allowed inside RSASSA-PSS parameters; SHA-1 (the ASN.1 default) is not. */
  private static final Map<ASN1ObjectIdentifier, String> PSS_DIGESTS =
      Map.of(
          NISTObjectIdentifiers.id_sha256, "SHA-256",
          NISTObjectIdentifiers.id_sha384, "SHA-384",
          NISTObjectIdentifiers.id_sha512, "SHA-512");

  private static final Map<ASN1ObjectIdentifier, String> CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "P-256",
          SECObjectIdentifiers.secp384r1, "P-384",
          SECObjectIdentifiers.secp521r1, "P-521");

  private CsrSignatures() {}

  static void verify(
      AlgorithmIdentifier signatureAlgorithm,
      SubjectPublicKeyInfo keyInfo,
      byte[] signedBytes,
      Supplier<byte[]> signatureBits)
      throws EstProtocolException {
    ASN1ObjectIdentifier oid = signatureAlgorithm.getAlgorithm();
    String[] names = SIGNATURES.get(oid);
    if (names == null) {
      throw unsupported(nameOf(oid));
    }
    String family = keyFactoryName(keyInfo.getAlgorithm());
    PublicKey key = publicKey(keyInfo);
    if (!names[1].equals(family.equals("RSASSA-PSS") ? "RSA" : family)) {
      // e.g. an RSA signature algorithm with an EC key: it can never verify.
      throw new EstProtocolException(INVALID);
    }
    try {
      Signature verifier =
          Jca.verifier(
              names[0],
              key,
              oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS) ? pssParameters(signatureAlgorithm) : null);
      verifier.update(signedBytes);
      if (!verifier.verify(signatureBits.get())) {
        throw new EstProtocolException(INVALID);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // SignatureException for a garbled signature encoding, IllegalStateException for a BIT
      // STRING with unused bits: both are simply a bad signature.
      throw new EstProtocolException(INVALID, e);
    }
  }

  /** Converts an SPKI into a key of the default JCA providers, enforcing the key allow-list. */
  static PublicKey publicKey(SubjectPublicKeyInfo keyInfo) throws EstProtocolException {
    String keyFactory = keyFactoryName(keyInfo.getAlgorithm());
    PublicKey key;
    try {
      byte[] spki = keyInfo.getEncoded(ASN1Encoding.DER);
      key = Jca.keyFactory(keyFactory).generatePublic(new X509EncodedKeySpec(spki));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new EstProtocolException(Csr.MALFORMED, e);
    }
    if (key instanceof RSAPublicKey) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw unsupported("RSA with a " + bits + "-bit key");
      }
    }
    return key;
  }

  /** The JCA KeyFactory algorithm for an allowed SPKI algorithm. */
  private static String keyFactoryName(AlgorithmIdentifier algorithm)
      throws EstProtocolException {
    ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "RSA";
    } else if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return "RSASSA-PSS"; // an RSA key restricted to PSS (openssl -newkey rsa-pss)
    } else if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      ASN1ObjectIdentifier curve =
          algorithm.getParameters() instanceof ASN1ObjectIdentifier
              ? (ASN1ObjectIdentifier) algorithm.getParameters()
              : null;
      if (curve == null || !CURVES.containsKey(curve)) {
        throw unsupported("EC key on curve " + (curve == null ? "(explicit)" : nameOf(curve)));
      }
      return "EC";
    } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return "Ed25519";
    } else if (oid.equals(EdECObjectIdentifiers.id_Ed448)) {
      return "Ed448";
    }
    throw unsupported(nameOf(oid));
  }

  private static PSSParameterSpec pssParameters(AlgorithmIdentifier signatureAlgorithm)
      throws EstProtocolException {
    RSASSAPSSparams params;
    try {
      params = RSASSAPSSparams.getInstance(signatureAlgorithm.getParameters());
    } catch (RuntimeException e) {
      throw new EstProtocolException(INVALID, e);
    }
    if (params == null) {
      throw unsupported("RSASSA-PSS with SHA-1");
    }
    String digest = PSS_DIGESTS.get(params.getHashAlgorithm().getAlgorithm());
    AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
    String mgfDigest =
        PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())
            ? PSS_DIGESTS.get(AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm())
            : null;
    if (digest == null || mgfDigest == null || params.getTrailerField().intValueExact() != 1) {
      throw unsupported("RSASSA-PSS with these parameters");
    }
    return new PSSParameterSpec(
        digest,
        "MGF1",
        new MGF1ParameterSpec(mgfDigest),
        params.getSaltLength().intValueExact(),
        PSSParameterSpec.TRAILER_FIELD_BC);
  }

  private static String nameOf(ASN1ObjectIdentifier oid) {
    // Falls back to the dotted OID, so the peer-visible text is never attacker-chosen prose.
    return new DefaultAlgorithmNameFinder().getAlgorithmName(oid);
  }

  private static EstProtocolException unsupported(String what) {
    return new EstProtocolException("unsupported CSR signature algorithm " + what);
  }
}
