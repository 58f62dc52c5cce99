package org.est4j.client;

import java.io.IOException;

/**
 * Makes the DER-encoded PKCS#10 CSR of an enrollment once the TLS handshake is done, so that the
 * CSR can depend on the live session (RFC 7030 §3.5: linking identity and proof-of-possession
 * puts a value of the TLS channel into the CSR). The CSR is sent on the same connection. It may
 * be called more than once per operation (after a 401 challenge or a redirect each new
 * connection gets a fresh CSR).
 *
 * <pre>{@code
 * EnrollResult r = client.enroll(tls ->
 *     CsrBuilder.create().commonName("device-1").sign(keyPair));
 * }</pre>
 */
@FunctionalInterface
public interface CsrFactory {
  byte[] create(TlsInfo tls) throws IOException;
}
