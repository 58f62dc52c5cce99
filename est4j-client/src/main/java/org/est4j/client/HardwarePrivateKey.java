package org.est4j.client;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A private key that never leaves its device (a PKCS#11 token, a TPM) and knows its public half,
 * which the private key alone cannot reveal. {@link CsrBuilder#sign(PrivateKey)} uses it, so a
 * hardware key signs CSRs like a software key. {@code getEncoded()} and {@code getFormat()}
 * return null: nothing can extract the key, and est4j's JCA look-ups send signatures with such
 * keys to the provider that owns them.
 */
public interface HardwarePrivateKey extends PrivateKey {
  /** The public key of the pair. */
  PublicKey publicKey();
}
