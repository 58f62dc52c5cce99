package org.est4j.tpm.device;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import org.est4j.tpm.TpmFormatException;
import org.est4j.tpm.TpmPublic;

/**
 * A private key that lives in a TPM and never leaves it: a JCA {@link PrivateKey} whose {@link
 * #getEncoded()} is null, which only {@link TpmProvider}'s signatures accept. Creating one
 * registers that provider (last in the JVM's list), so JCA's delayed provider selection routes
 * {@code Signature.getInstance("SHA256withRSA").initSign(key)} to the TPM: what JSSE does for TLS
 * client authentication, and what est4j's {@code Jca.signer} falls back to when its preferred
 * provider refuses the key. Software providers refuse it (it is neither an RSAPrivateKey nor an
 * ECPrivateKey), so nothing ever signs with a copy.
 *
 * <p>{@link #close()} flushes a key that was loaded from blobs and closes the device when the key
 * owns it (keys from {@link TpmKeys#open}).
 */
public abstract class TpmPrivateKey implements PrivateKey, Closeable {
  private static final long serialVersionUID = 1L;

  private final transient TpmDevice device;
  private final int handle;
  private final transient char[] password;
  private final transient TpmPublic publicArea;
  private final transient PublicKey publicKey;
  private final transient boolean transientObject;
  private final transient boolean ownsDevice;
  private transient volatile boolean closed;
  private transient HmacSession session;

  TpmPrivateKey(TpmDevice device, int handle, String password, TpmPublic publicArea, boolean transientObject,
      boolean ownsDevice) throws TpmFormatException {
    this.device = device;
    this.handle = handle;
    this.password = password == null ? new char[0] : password.toCharArray();
    this.publicArea = publicArea;
    this.publicKey = publicArea.publicKey();
    this.transientObject = transientObject;
    this.ownsDevice = ownsDevice;
    TpmProvider.install();
  }

  static TpmPrivateKey of(TpmDevice device, int handle, String password, TpmPublic pub, boolean transientObject,
      boolean ownsDevice) throws TpmException {
    try {
      if (!pub.isSign() || pub.isDecrypt() && pub.isRestricted()) {
        throw new TpmException("the TPM object at " + Tpm2.hex(handle) + " is not a signing key");
      }
      return pub.isRsa() ? new Rsa(device, handle, password, pub, transientObject, ownsDevice)
          : new Ec(device, handle, password, pub, transientObject, ownsDevice);
    } catch (TpmFormatException e) {
      throw new TpmException("the TPM object at " + Tpm2.hex(handle) + " has an unusable public area: "
          + e.getMessage());
    }
  }

  /** The key's public half, as the TPM reports it. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The key's TPMT_PUBLIC. */
  public TpmPublic publicArea() {
    return publicArea;
  }

  public int handle() {
    return handle;
  }

  public TpmDevice device() {
    return device;
  }

  /**
   * Signs a digest made with {@code hashAlg} (a TPM hash id) with the key, by the TPM, authorised
   * by an HMAC session started on first use and kept until {@link #close()}: the password never
   * crosses the transport.
   */
  synchronized TpmSignature sign(int scheme, int hashAlg, byte[] digest) throws IOException {
    if (closed) {
      throw new TpmException("the TPM key " + Tpm2.hex(handle) + " is closed");
    }
    if (session == null) {
      session = device.startHmacSession();
    }
    return device.sign(session, handle, publicArea.name(), new String(password), scheme, hashAlg, digest);
  }

  @Override
  public abstract String getAlgorithm();

  @Override
  public String getFormat() {
    return null;
  }

  /** Null: the key cannot be exported. */
  @Override
  public byte[] getEncoded() {
    return null;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    java.util.Arrays.fill(password, '\0');
    try {
      if (session != null) {
        session.flush(device);
      }
      if (transientObject) {
        device.flush(handle);
      }
    } finally {
      if (ownsDevice) {
        device.close();
      }
    }
  }

  @Override
  public boolean isDestroyed() {
    return closed;
  }

  /** A TPM key is a handle into one device: it cannot be serialised. */
  private void writeObject(java.io.ObjectOutputStream out) throws IOException {
    throw new java.io.NotSerializableException("a TPM key cannot be serialised");
  }

  @Override
  public String toString() {
    return "TPM " + getAlgorithm() + " private key " + Tpm2.hex(handle) + " in " + device.describe();
  }

  /** An RSA key: exposes the modulus (JSSE checks key sizes for RSASSA-PSS), never the private exponent. */
  static final class Rsa extends TpmPrivateKey implements RSAKey {
    private static final long serialVersionUID = 1L;

    Rsa(TpmDevice d, int h, String pw, TpmPublic pub, boolean t, boolean own) throws TpmFormatException {
      super(d, h, pw, pub, t, own);
    }

    @Override
    public String getAlgorithm() {
      return "RSA";
    }

    @Override
    public BigInteger getModulus() {
      return ((RSAPublicKey) publicKey()).getModulus();
    }
  }

  /** An EC key: exposes the curve (JSSE matches it to the signature scheme). */
  static final class Ec extends TpmPrivateKey implements ECKey {
    private static final long serialVersionUID = 1L;

    Ec(TpmDevice d, int h, String pw, TpmPublic pub, boolean t, boolean own) throws TpmFormatException {
      super(d, h, pw, pub, t, own);
    }

    @Override
    public String getAlgorithm() {
      return "EC";
    }

    @Override
    public ECParameterSpec getParams() {
      return ((ECPublicKey) publicKey()).getParams();
    }
  }
}
