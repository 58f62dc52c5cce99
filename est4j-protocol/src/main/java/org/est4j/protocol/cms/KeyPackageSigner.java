package org.est4j.protocol.cms;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.operator.ContentSigner;

/**
 * The key that signs the SignedData around a server-generated key (RFC 7030 §4.4.2): in est4j the
 * issuing CA's key, which stays inside the CA; the signer only hands out one-shot
 * {@link ContentSigner}s.
 */
public interface KeyPackageSigner {
  /** The signer's certificate. */
  X509Certificate certificate();

  /** Certificates to include in the SignedData (the signer's first), so a client can build the path. */
  List<X509Certificate> certificates();

  /** A signer for one signature on the calling thread; not to be shared or kept. */
  ContentSigner contentSigner() throws GeneralSecurityException;
}
