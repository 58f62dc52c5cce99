package org.est4j.ca;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.est4j.protocol.cms.KeyPackageSigner;

/**
 * The narrow port the EST front end signs through (RFC 7030 §4.1 and §4.2). Implementations are
 * thread-safe: a server calls {@link #issue} from many request threads at once.
 */
public interface CertificateAuthority {

  /** The CA certificates a client needs: the issuing CA first, then each issuer up to the root. */
  List<X509Certificate> caCertificates();

  /**
   * Issues a certificate for the request.
   *
   * @throws CaException when the request is refused (status 4xx) or the CA cannot sign
   */
  X509Certificate issue(CertificateRequest request) throws CaException;

  /**
   * The signer of server-generated key packages (RFC 7030 §4.4.2: the SignedData around an
   * encrypted key): the issuing CA's key, which stays inside the CA. Empty when this CA cannot
   * sign data other than certificates; a server then refuses encrypted server key generation.
   */
  default Optional<KeyPackageSigner> keyPackageSigner() {
    return Optional.empty();
  }

  /**
   * Checks that the CA can sign now (for a readiness probe): its key is usable, its token or
   * upstream reachable. Quick and side-effect free.
   *
   * @throws CaException naming what is wrong
   */
  default void checkReady() throws CaException {}

  /**
   * Whether this authority forwards the signed CSR ({@link CertificateRequest#signedCsr()}) rather
   * than signing itself, as an upstream EST server in RA mode does. The front end then signs a CSR
   * with a server-generated key too (/serverkeygen). False for CAs that sign.
   */
  default boolean forwardsCsr() {
    return false;
  }
}
