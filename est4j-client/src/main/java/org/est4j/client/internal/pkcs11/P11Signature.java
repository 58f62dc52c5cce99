package org.est4j.client.internal.pkcs11;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.est4j.protocol.EcdsaSignatures;
import sun.security.pkcs11.wrapper.CK_RSA_PKCS_PSS_PARAMS;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * ECDSA, RSA PKCS#1 v1.5 and RSASSA-PSS signatures by a token. The message is hashed here (any
 * JDK digest), the token signs the hash with the raw mechanism (CKM_ECDSA, CKM_RSA_PKCS over a
 * DigestInfo, CKM_RSA_PKCS_PSS): every token that can sign supports those, while the
 * hash-and-sign mechanisms vary. ECDSA's r||s output becomes the DER SEQUENCE JCA callers expect.
 */
final class P11Signature extends SignatureSpi {
  private static final Map<String, ASN1ObjectIdentifier> DIGEST_OIDS = Map.of(
      "SHA-1", OIWObjectIdentifiers.idSHA1,
      "SHA-224", NISTObjectIdentifiers.id_sha224,
      "SHA-256", NISTObjectIdentifiers.id_sha256,
      "SHA-384", NISTObjectIdentifiers.id_sha384,
      "SHA-512", NISTObjectIdentifiers.id_sha512);

  private enum Kind { ECDSA, RSA, PSS }

  private final String algorithm;
  private final Kind kind;
  private String digest; // null: NONEwithECDSA, or PSS before its parameters
  private MessageDigest md;
  private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
  private PSSParameterSpec pss;
  private P11PrivateKey key;

  P11Signature(String algorithm) {
    this.algorithm = algorithm;
    if (algorithm.equals("RSASSA-PSS")) {
      kind = Kind.PSS;
    } else {
      kind = algorithm.endsWith("withECDSA") ? Kind.ECDSA : Kind.RSA;
      String d = algorithm.substring(0, algorithm.indexOf("with"));
      digest = d.equals("NONE") ? null : "SHA-" + d.substring(3); // SHA256 -> SHA-256
    }
  }

  @Override
  protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
    throw new InvalidKeyException(algorithm + ": this provider only signs with PKCS#11 keys");
  }

  @Override
  protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
    if (!(privateKey instanceof P11PrivateKey k)) {
      throw new InvalidKeyException("not a PKCS#11 key of est4j");
    }
    boolean rsa = k instanceof P11PrivateKey.Rsa;
    if (rsa != (kind != Kind.ECDSA)) {
      throw new InvalidKeyException(algorithm + " cannot use a " + k.getAlgorithm() + " key");
    }
    key = k;
    reset();
  }

  private void reset() throws InvalidKeyException {
    raw.reset();
    if (digest == null) {
      md = null;
      return;
    }
    try {
      md = MessageDigest.getInstance(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new InvalidKeyException(algorithm + ": no digest " + digest, e);
    }
  }

  @Override
  protected void engineUpdate(byte b) throws SignatureException {
    engineUpdate(new byte[] {b}, 0, 1);
  }

  @Override
  protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
    if (key == null) {
      throw new SignatureException("not initialised for signing");
    }
    if (md != null) {
      md.update(b, off, len);
    } else if (kind == Kind.ECDSA) {
      raw.write(b, off, len);
    } else {
      throw new SignatureException("RSASSA-PSS needs its PSSParameterSpec before the data");
    }
  }

  @Override
  protected byte[] engineSign() throws SignatureException {
    if (key == null) {
      throw new SignatureException("not initialised for signing");
    }
    byte[] hash = md != null ? md.digest() : raw.toByteArray();
    try {
      switch (kind) {
        case ECDSA:
          // ECDSA uses the hash's leftmost bits up to the order's size (SEC 1 §4.1.3); some tokens
          // refuse longer input (SHA-384 with P-256 in TLS 1.2), so cut it here (byte-aligned curves)
          int n = (((P11PrivateKey.Ec) key).getParams().getOrder().bitLength() + 7) / 8;
          byte[] input = hash.length > n ? Arrays.copyOf(hash, n) : hash;
          return EcdsaSignatures.fromConcatenated(key.session().sign(Ck.CKM_ECDSA, null, input));
        case RSA:
          byte[] info = new DigestInfo(new AlgorithmIdentifier(DIGEST_OIDS.get(digest), DERNull.INSTANCE), hash)
              .getEncoded(ASN1Encoding.DER);
          return key.session().sign(Ck.CKM_RSA_PKCS, null, info);
        default:
          MGF1ParameterSpec mgf = (MGF1ParameterSpec) pss.getMGFParameters();
          return key.session().sign(Ck.CKM_RSA_PKCS_PSS,
              new CK_RSA_PKCS_PSS_PARAMS(pss.getDigestAlgorithm(), "MGF1", mgf.getDigestAlgorithm(), pss.getSaltLength()),
              hash);
      }
    } catch (PKCS11Exception | IOException | ProviderException | IllegalArgumentException e) {
      throw new SignatureException("the PKCS#11 token could not sign (" + algorithm + "): " + e.getMessage(), e);
    } finally {
      try {
        reset();
      } catch (InvalidKeyException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
    throw new SignatureException(algorithm + ": this provider only signs");
  }

  @Override
  protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
    if (kind != Kind.PSS) {
      if (params == null) {
        return;
      }
      throw new InvalidAlgorithmParameterException(algorithm + " takes no parameters");
    }
    if (!(params instanceof PSSParameterSpec p) || !"MGF1".equalsIgnoreCase(p.getMGFAlgorithm())
        || !(p.getMGFParameters() instanceof MGF1ParameterSpec) || p.getTrailerField() != 1
        || !DIGEST_OIDS.containsKey(p.getDigestAlgorithm())) {
      throw new InvalidAlgorithmParameterException("RSASSA-PSS: MGF1 with SHA-1/SHA-2 digests only");
    }
    pss = p;
    digest = p.getDigestAlgorithm();
    try {
      reset();
    } catch (InvalidKeyException e) {
      throw new InvalidAlgorithmParameterException(e.getMessage(), e);
    }
  }

  @Override
  protected AlgorithmParameters engineGetParameters() {
    if (pss == null) {
      return null;
    }
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("RSASSA-PSS");
      p.init(pss);
      return p;
    } catch (Exception e) {
      throw new ProviderException(e);
    }
  }

  @Override
  @Deprecated
  protected void engineSetParameter(String param, Object value) {
    throw new InvalidParameterException("not supported");
  }

  @Override
  @Deprecated
  protected Object engineGetParameter(String param) {
    throw new InvalidParameterException("not supported");
  }
}
