package org.est4j.ca;

import org.est4j.protocol.Jca;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * Signs certificates with a CA key through plain JCA lookups, so the first installed provider
 * (Conscrypt in production) does the work.
 *
 * <p>The signature algorithm follows the CA key: the hash matches the curve size for ECDSA (P-256
 * with SHA-256, P-384 with SHA-384, P-521 with SHA-512), SHA-256 for RSA, pure EdDSA for Ed25519
 * and Ed448. Its AlgorithmIdentifier is computed once. A {@link Signature} is not thread-safe, and
 * getInstance plus initSign per certificate would cost a provider lookup and, for foreign keys, a
 * key conversion, so each thread keeps one initialised instance: {@code sign()} returns it to the
 * initialised state. After a failure mid-way its state is unknown, so {@link #discard()} drops it.
 */
final class CaSigner {

  private static final Map<ASN1ObjectIdentifier, String> ECDSA_BY_CURVE =
      Map.of(
          SECObjectIdentifiers.secp256r1, "SHA256withECDSA",
          SECObjectIdentifiers.secp384r1, "SHA384withECDSA",
          SECObjectIdentifiers.secp521r1, "SHA512withECDSA");

  private final String algorithm;
  private final AlgorithmIdentifier algorithmIdentifier;
  private final PrivateKey key;
  private final ThreadLocal<Signature> perThread = new ThreadLocal<>();

  private CaSigner(String algorithm, PrivateKey key) {
    this.algorithm = algorithm;
    this.algorithmIdentifier = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
    this.key = key;
  }

  /**
   * A signer for certificates issued under {@code caPublicKey}, signing with {@code key}.
   *
   * @throws IllegalArgumentException if the CA key type is not supported or {@code key} is not the
   *     private half of {@code caPublicKey}
   */
  static CaSigner create(PublicKey caPublicKey, PrivateKey key, String caName) {
    CaSigner signer = new CaSigner(signatureAlgorithm(caPublicKey, caName), key);
    if (!signer.matches(caPublicKey)) {
      throw new IllegalArgumentException(
          "the private key does not match the issuing CA certificate " + caName);
    }
    return signer;
  }

  /** The JCA name of the signature algorithm used with this CA key, e.g. SHA256withECDSA. */
  static String signatureAlgorithm(PublicKey caPublicKey, String caName) {
    SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(caPublicKey.getEncoded());
    ASN1ObjectIdentifier oid = info.getAlgorithm().getAlgorithm();
    ASN1Encodable parameters = info.getAlgorithm().getParameters();
    String name = null;
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      name = "SHA256withRSA";
    } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      name = ECDSA_BY_CURVE.get(parameters);
    } else if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
      name = "Ed25519";
    } else if (EdECObjectIdentifiers.id_Ed448.equals(oid)) {
      name = "Ed448";
    }
    if (name == null) {
      throw new IllegalArgumentException("the issuing CA certificate " + caName
          + " has an unsupported key (" + oid + (parameters == null ? "" : " " + parameters)
          + "); use RSA, EC P-256/P-384/P-521, Ed25519 or Ed448");
    }
    return name;
  }

  String algorithm() {
    return algorithm;
  }

  /** A ContentSigner for one certificate on the calling thread; not to be shared or kept. */
  ContentSigner contentSigner() throws GeneralSecurityException {
    Signature signature = perThread.get();
    if (signature == null) {
      signature = Jca.signer(algorithm, key);
      perThread.set(signature);
    }
    return new OneShot(signature);
  }

  /** Forgets this thread's Signature after a failure left it in an unknown state. */
  void discard() {
    perThread.remove();
  }

  /** Whether the key still signs, checked against the CA's public key (readiness probes). */
  boolean usable(PublicKey publicKey) {
    return matches(publicKey);
  }

  /** Signs a test message and verifies it: the only check that works for every key type. */
  private boolean matches(PublicKey publicKey) {
    byte[] message = "est4j CA key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Jca.signer(algorithm, key);
      signer.update(message);
      byte[] signature = signer.sign();
      Signature verifier = Jca.verifier(algorithm, publicKey, null);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // e.g. an RSA private key offered for an EC certificate
    }
  }

  private final class OneShot implements ContentSigner {
    private final Signature signature;

    OneShot(Signature signature) {
      this.signature = signature;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithmIdentifier;
    }

    @Override
    public OutputStream getOutputStream() {
      return OutputStreamFactory.createStream(signature);
    }

    @Override
    public byte[] getSignature() {
      try {
        return signature.sign();
      } catch (SignatureException e) {
        throw new RuntimeOperatorException("the CA key could not sign: " + e.getMessage(), e);
      }
    }
  }
}
