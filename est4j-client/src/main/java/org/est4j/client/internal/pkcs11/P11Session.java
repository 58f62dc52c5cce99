package org.est4j.client.internal.pkcs11;

import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.CK_RSA_PKCS_PSS_PARAMS;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * One logged-in PKCS#11 session and the private key object in it. A session runs one operation
 * at a time (PKCS#11 §5.6), so signing is serialised on this object.
 */
final class P11Session implements AutoCloseable {
  private final PKCS11 p11;
  private final long session;
  private final long keyHandle;
  private boolean closed;

  P11Session(PKCS11 p11, long session, long keyHandle) {
    this.p11 = p11;
    this.session = session;
    this.keyHandle = keyHandle;
  }

  /** C_SignInit + C_Sign over already-hashed (or raw) input. */
  synchronized byte[] sign(long mechanism, CK_RSA_PKCS_PSS_PARAMS pss, byte[] input) throws PKCS11Exception {
    if (closed) {
      throw new IllegalStateException("the PKCS#11 key has been closed");
    }
    CK_MECHANISM m = new CK_MECHANISM(mechanism);
    if (pss != null) {
      m.setParameter(pss);
    }
    p11.C_SignInit(session, m, keyHandle);
    return p11.C_Sign(session, input);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      p11.C_CloseSession(session);
    } catch (PKCS11Exception e) {
      // the token may be gone already; nothing left to release
    }
  }
}
