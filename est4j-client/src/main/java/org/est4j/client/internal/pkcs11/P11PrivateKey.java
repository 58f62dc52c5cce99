package org.est4j.client.internal.pkcs11;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import org.est4j.client.HardwarePrivateKey;
import org.est4j.client.Pkcs11KeyException;

/**
 * A private key object on a token, usable only through {@link P11Provider}'s signatures. It
 * implements {@link RSAKey} or {@link ECKey} (not RSAPrivateKey/ECPrivateKey, which would promise
 * the secret value) because JSSE reads the modulus size and the curve from the key to choose a
 * signature scheme. Not serializable in any useful way: the fields are transient.
 */
public abstract class P11PrivateKey implements HardwarePrivateKey {
  private static final long serialVersionUID = 1L;
  private final transient P11Session session;
  private final transient PublicKey publicKey;
  private final transient String description;

  P11PrivateKey(P11Session session, PublicKey publicKey, String description) {
    this.session = session;
    this.publicKey = publicKey;
    this.description = description;
  }

  static P11PrivateKey of(P11Session session, PublicKey publicKey, String description) throws Pkcs11KeyException {
    if (publicKey instanceof RSAPublicKey rsa) {
      return new Rsa(session, rsa, description);
    }
    if (publicKey instanceof ECPublicKey ec) {
      return new Ec(session, ec, description);
    }
    throw new Pkcs11KeyException(description + ": a " + publicKey.getAlgorithm()
        + " key; est4j signs with RSA and EC keys on tokens");
  }

  P11Session session() {
    return session;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public String getAlgorithm() {
    return publicKey.getAlgorithm();
  }

  /** Null: the key cannot leave the token. */
  @Override
  public String getFormat() {
    return null;
  }

  /** Null: the key cannot leave the token. */
  @Override
  public byte[] getEncoded() {
    return null;
  }

  /** Ends the session; signing afterwards fails. */
  public void close() {
    session.close();
  }

  @Override
  public String toString() {
    return description;
  }

  /** An RSA key on a token. */
  static final class Rsa extends P11PrivateKey implements RSAKey {
    private static final long serialVersionUID = 1L;

    Rsa(P11Session session, RSAPublicKey publicKey, String description) {
      super(session, publicKey, description);
    }

    @Override
    public BigInteger getModulus() {
      return ((RSAPublicKey) publicKey()).getModulus();
    }
  }

  /** An EC key on a token. */
  static final class Ec extends P11PrivateKey implements ECKey {
    private static final long serialVersionUID = 1L;

    Ec(P11Session session, ECPublicKey publicKey, String description) {
      super(session, publicKey, description);
    }

    @Override
    public ECParameterSpec getParams() {
      return ((ECPublicKey) publicKey()).getParams();
    }
  }
}
