package org.est4j.tpm.device;

import java.math.BigInteger;
import org.est4j.protocol.EcdsaSignatures;

/**
 * TPMT_SIGNATURE: for RSASSA/RSAPSS the signature bytes; for ECDSA the integers r and s, which
 * {@link #toDer} encodes as the X9.62 Ecdsa-Sig-Value that JCA verifiers take.
 */
public record TpmSignature(int scheme, int hashAlg, byte[] rsa, BigInteger r, BigInteger s) {

  /** The signature as JCA's SHA256withRSA/RSASSA-PSS/SHA256withECDSA produce it. */
  public byte[] toDer() {
    if (scheme != Tpm2.ALG_ECDSA) {
      return rsa.clone();
    }
    return EcdsaSignatures.toDer(r, s);
  }
}
