package org.est4j.protocol;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.AlgorithmParameterSpec;

/**
 * JCA look-ups with one preferred provider tried first (est4j's server prefers Conscrypt, which
 * signs P-256 about twenty times faster than JDK 17's SunEC), then the JVM's normal provider
 * order. The preferred provider is used as an object and never registered, so an application that
 * embeds est4j keeps its own provider order: registering Conscrypt first breaks SunJSSE in the
 * same JVM (it cannot handle the binary-field EC parameters SunJSSE enumerates).
 */
public final class Jca {
  private static volatile Provider preferred;

  private Jca() {}

  /** Sets (or, with null, clears) the provider tried first. */
  public static void prefer(Provider provider) {
    preferred = provider;
  }

  public static Provider preferred() {
    return preferred;
  }

  /** A signer initialised with the key, by the preferred provider when it accepts the key. */
  public static Signature signer(String algorithm, PrivateKey key) throws GeneralSecurityException {
    // A key without an encoding lives in a device (PKCS#11, TPM): only the provider that owns it
    // can sign, and the preferred one must not even try (Conscrypt would wrap it and call back).
    Provider p = key.getEncoded() == null ? null : offering("Signature", algorithm);
    if (p != null) {
      try {
        Signature s = Signature.getInstance(algorithm, p);
        s.initSign(key);
        return s;
      } catch (InvalidKeyException e) {
        // e.g. a hardware key the preferred provider cannot use: let the JCA find one that can
      }
    }
    Signature s = Signature.getInstance(algorithm);
    s.initSign(key);
    return s;
  }

  /** A verifier initialised with the key (and parameters, for RSASSA-PSS; may be null). */
  public static Signature verifier(String algorithm, PublicKey key, AlgorithmParameterSpec params)
      throws GeneralSecurityException {
    Provider p = offering("Signature", algorithm);
    if (p != null) {
      try {
        Signature s = Signature.getInstance(algorithm, p);
        if (params != null) {
          s.setParameter(params);
        }
        s.initVerify(key);
        return s;
      } catch (InvalidKeyException | java.security.InvalidAlgorithmParameterException e) {
        // fall back below
      }
    }
    Signature s = Signature.getInstance(algorithm);
    if (params != null) {
      s.setParameter(params);
    }
    s.initVerify(key);
    return s;
  }

  public static KeyFactory keyFactory(String algorithm) throws NoSuchAlgorithmException {
    Provider p = offering("KeyFactory", algorithm);
    return p != null ? KeyFactory.getInstance(algorithm, p) : KeyFactory.getInstance(algorithm);
  }

  public static KeyPairGenerator keyPairGenerator(String algorithm) throws NoSuchAlgorithmException {
    Provider p = offering("KeyPairGenerator", algorithm);
    return p != null ? KeyPairGenerator.getInstance(algorithm, p) : KeyPairGenerator.getInstance(algorithm);
  }

  public static CertificateFactory certificateFactory() throws CertificateException {
    Provider p = offering("CertificateFactory", "X.509");
    return p != null ? CertificateFactory.getInstance("X.509", p) : CertificateFactory.getInstance("X.509");
  }

  private static Provider offering(String type, String algorithm) {
    Provider p = preferred;
    return p != null && p.getService(type, algorithm) != null ? p : null;
  }
}
