package org.est4j.tpm.device;

import java.io.IOException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Hashes in software (the data never needs to reach the TPM) and has the TPM sign the digest
 * with TPM2_Sign: RSASSA-PKCS1-v1_5, RSASSA-PSS (salt length = digest length, what TLS 1.3
 * requires and what the TPM produces) or ECDSA, the latter DER-encoded as JCA callers expect.
 */
final class TpmSignatureSpi extends SignatureSpi {
  private final String algorithm;
  private final int scheme;
  private int hashAlg;
  private MessageDigest digest;
  private TpmPrivateKey key;

  TpmSignatureSpi(String algorithm) {
    this.algorithm = algorithm;
    if (algorithm.equals("RSASSA-PSS")) {
      scheme = Tpm2.ALG_RSAPSS;
    } else {
      scheme = algorithm.endsWith("withECDSA") ? Tpm2.ALG_ECDSA : Tpm2.ALG_RSASSA;
      String h = algorithm.substring(0, algorithm.indexOf("with"));
      hashAlg = h.equals("SHA256") ? Tpm2.ALG_SHA256 : h.equals("SHA384") ? Tpm2.ALG_SHA384 : Tpm2.ALG_SHA512;
      digest = newDigest(hashAlg);
    }
  }

  @Override
  protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
    if (!(privateKey instanceof TpmPrivateKey)) {
      throw new InvalidKeyException("the " + TpmProvider.NAME + " provider signs only with TPM keys");
    }
    TpmPrivateKey k = (TpmPrivateKey) privateKey;
    boolean ec = scheme == Tpm2.ALG_ECDSA;
    if (ec != k.getAlgorithm().equals("EC")) {
      throw new InvalidKeyException(algorithm + " cannot sign with a TPM " + k.getAlgorithm() + " key");
    }
    this.key = k;
    if (digest != null) {
      digest.reset();
    }
  }

  @Override
  protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
    throw new InvalidKeyException("the " + TpmProvider.NAME + " provider only signs; verify with a software provider");
  }

  @Override
  protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
    if (scheme != Tpm2.ALG_RSAPSS) {
      if (params == null) {
        return;
      }
      throw new InvalidAlgorithmParameterException(algorithm + " takes no parameters");
    }
    if (!(params instanceof PSSParameterSpec)) {
      throw new InvalidAlgorithmParameterException("RSASSA-PSS needs PSSParameterSpec");
    }
    PSSParameterSpec pss = (PSSParameterSpec) params;
    int h = hashId(pss.getDigestAlgorithm());
    if (!"MGF1".equalsIgnoreCase(pss.getMGFAlgorithm()) || !(pss.getMGFParameters() instanceof MGF1ParameterSpec)
        || hashId(((MGF1ParameterSpec) pss.getMGFParameters()).getDigestAlgorithm()) != h
        || pss.getSaltLength() != Tpm2.digestSize(h) || pss.getTrailerField() != 1) {
      throw new InvalidAlgorithmParameterException("a TPM signs RSASSA-PSS with MGF1 over the same digest and a salt"
          + " as long as the digest only, not " + pss.getDigestAlgorithm() + "/" + pss.getMGFAlgorithm()
          + "/salt " + pss.getSaltLength());
    }
    hashAlg = h;
    digest = newDigest(h);
  }

  @Override
  protected void engineUpdate(byte b) throws SignatureException {
    ready().update(b);
  }

  @Override
  protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
    ready().update(b, off, len);
  }

  @Override
  protected byte[] engineSign() throws SignatureException {
    byte[] d = ready().digest();
    try {
      return key.sign(scheme, hashAlg, d).toDer();
    } catch (IOException e) {
      throw new SignatureException("the TPM could not sign: " + e.getMessage(), e);
    }
  }

  @Override
  protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
    throw new SignatureException("the " + TpmProvider.NAME + " provider only signs");
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

  private MessageDigest ready() throws SignatureException {
    if (key == null) {
      throw new SignatureException("not initialised for signing");
    }
    if (digest == null) {
      throw new SignatureException("RSASSA-PSS: set the PSSParameterSpec first");
    }
    return digest;
  }

  private static int hashId(String jcaName) throws InvalidAlgorithmParameterException {
    switch (jcaName.toUpperCase(java.util.Locale.ROOT).replace("-", "")) {
      case "SHA256":
        return Tpm2.ALG_SHA256;
      case "SHA384":
        return Tpm2.ALG_SHA384;
      case "SHA512":
        return Tpm2.ALG_SHA512;
      default:
        throw new InvalidAlgorithmParameterException("unsupported digest " + jcaName);
    }
  }

  private static MessageDigest newDigest(int hashAlg) {
    try {
      return MessageDigest.getInstance(Tpm2.jcaDigest(hashAlg));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
