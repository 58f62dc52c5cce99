package org.est4j.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;

/** The key types a {@link TestCertificate} can have, and how each one signs. */
final class KeyAlgorithm {
  static final KeyAlgorithm ED25519 = new KeyAlgorithm("Ed25519", 0);

  private final String name;
  private final int size;

  private KeyAlgorithm(String name, int size) {
    this.name = name;
    this.size = size;
  }

  static KeyAlgorithm ec(int curveBits) {
    if (curveBits != 256 && curveBits != 384 && curveBits != 521) {
      throw new IllegalArgumentException("EC curve must be 256, 384 or 521 bits: " + curveBits);
    }
    return new KeyAlgorithm("EC", curveBits);
  }

  static KeyAlgorithm rsa(int bits) {
    if (bits < 2048) {
      throw new IllegalArgumentException("RSA keys must have at least 2048 bits: " + bits);
    }
    return new KeyAlgorithm("RSA", bits);
  }

  KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(name);
      if (name.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp" + size + "r1"));
      } else if (name.equals("RSA")) {
        generator.initialize(size);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + this + " key", e);
    }
  }

  /**
   * The signature algorithm an issuer with this key uses: the hash matches the curve size, as
   * RFC 5480 §4 recommends, and RSA uses PKCS#1 v1.5 with SHA-256 as nearly every CA does.
   */
  static String signatureAlgorithm(PrivateKey key) {
    switch (key.getAlgorithm()) {
      case "EC":
      case "ECDSA":
        int bits = ((ECKey) key).getParams().getCurve().getField().getFieldSize();
        return bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      case "Ed25519":
      case "EdDSA":
        return "Ed25519";
      default:
        throw new IllegalArgumentException("cannot sign with a " + key.getAlgorithm() + " key");
    }
  }

  @Override
  public String toString() {
    return size == 0 ? name : name + "-" + size;
  }
}
