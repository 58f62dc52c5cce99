package org.est4j.client;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.est4j.protocol.Jca;

/**
 * The key side of {@link CsrBuilder#sign}: the public key derived from a private key, the
 * signature algorithm that suits the key, and a Bouncy Castle ContentSigner over a plain JCA
 * Signature (so hardware keys sign through their own provider).
 */
final class CsrSigning {
  private CsrSigning() {}

  /** The public half of {@code privateKey} (see {@link #sign(PrivateKey)}). */
  static SubjectPublicKeyInfo publicKeyInfo(PrivateKey privateKey) throws GeneralSecurityException {
    Objects.requireNonNull(privateKey, "privateKey");
    if (privateKey instanceof HardwarePrivateKey hw) {
      return SubjectPublicKeyInfo.getInstance(hw.publicKey().getEncoded());
    }
    byte[] encoded = privateKey.getEncoded();
    if (encoded == null) {
      throw new InvalidKeyException("cannot derive the public key of a " + privateKey.getAlgorithm()
          + " key that does not reveal its encoding (a hardware key?): use sign(PrivateKey, PublicKey)");
    }
    AsymmetricKeyParameter pub;
    try {
      AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(encoded);
      if (priv instanceof RSAPrivateCrtKeyParameters) {
        RSAPrivateCrtKeyParameters r = (RSAPrivateCrtKeyParameters) priv;
        if (r.getPublicExponent() == null || r.getPublicExponent().signum() == 0) {
          throw new InvalidKeyException("the RSA private key has no public exponent: use sign(PrivateKey, PublicKey)");
        }
        pub = new RSAKeyParameters(false, r.getModulus(), r.getPublicExponent());
      } else if (priv instanceof ECPrivateKeyParameters) {
        ECPrivateKeyParameters e = (ECPrivateKeyParameters) priv;
        ECPoint q = new FixedPointCombMultiplier().multiply(e.getParameters().getG(), e.getD()).normalize();
        AlgorithmIdentifier curve = PrivateKeyInfo.getInstance(encoded).getPrivateKeyAlgorithm();
        if (curve.getParameters() instanceof ASN1ObjectIdentifier) {
          // keep the named curve (the factory would write the curve's parameters out)
          return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve.getParameters()),
              q.getEncoded(false));
        }
        pub = new ECPublicKeyParameters(q, e.getParameters());
      } else if (priv instanceof Ed25519PrivateKeyParameters) {
        pub = ((Ed25519PrivateKeyParameters) priv).generatePublicKey();
      } else if (priv instanceof Ed448PrivateKeyParameters) {
        pub = ((Ed448PrivateKeyParameters) priv).generatePublicKey();
      } else {
        throw new InvalidKeyException("cannot derive the public key of a " + privateKey.getAlgorithm()
            + " private key without CRT parameters: use sign(PrivateKey, PublicKey)");
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeyException("cannot read the " + privateKey.getAlgorithm() + " private key: " + e.getMessage(), e);
    }
    try {
      return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub);
    } catch (IOException e) {
      throw new InvalidKeyException("cannot encode the derived public key", e);
    }
  }

  /** The signature algorithm for the key, from its SubjectPublicKeyInfo (works for hardware keys). */
  static String signatureAlgorithm(SubjectPublicKeyInfo spki) {
    ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
    if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "SHA256withRSA";
    }
    if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return "Ed25519";
    }
    if (alg.equals(EdECObjectIdentifiers.id_Ed448)) {
      return "Ed448";
    }
    if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      X9ECParameters params = null;
      if (spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier) {
        params = ECNamedCurveTable.getByOID((ASN1ObjectIdentifier) spki.getAlgorithm().getParameters());
      }
      if (params == null) {
        throw new IllegalArgumentException("unsupported EC key: only named curves (P-256, P-384, P-521)");
      }
      int bits = params.getCurve().getFieldSize();
      return bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
    }
    throw new IllegalArgumentException("unsupported key algorithm " + alg + ": use RSA, EC, Ed25519 or Ed448");
  }

  /** A BC ContentSigner over a JCA Signature from {@link Jca#signer}. */
  static final class JcaSigner implements ContentSigner {
    private final AlgorithmIdentifier algorithmId;
    private final Signature signature;

    JcaSigner(String algorithm, PrivateKey key) throws GeneralSecurityException {
      this.algorithmId = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
      this.signature = Jca.signer(algorithm, key);
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithmId;
    }

    @Override
    public OutputStream getOutputStream() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          try {
            signature.update(b, off, len);
          } catch (SignatureException e) {
            throw new IOException(e);
          }
        }
      };
    }

    @Override
    public byte[] getSignature() {
      try {
        return signature.sign();
      } catch (SignatureException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
