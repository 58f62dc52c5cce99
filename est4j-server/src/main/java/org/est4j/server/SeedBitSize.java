package org.est4j.server;

import java.security.KeyPair;
import org.est4j.ca.CaException;
import org.est4j.ca.ServerKeyGenerator;
import org.est4j.protocol.Csr;

/**
 * The Go seed's test server header {@code Bit-Size} on /serverkeygen: 2048, 3072 or 4096 make an
 * RSA key of that size (whatever the CSR's key), anything else is refused with the seed's
 * "invalid bit size value". Without the header the key follows the CSR's, as everywhere else.
 * Honoured by the zero-config test server only.
 */
final class SeedBitSize {
  static final String HEADER = "Bit-Size";

  private SeedBitSize() {}

  static KeyPair generate(EstRequest request, Csr csr) throws CaException, EstError {
    String value = request.headers().get(HEADER);
    if (value == null) {
      return ServerKeyGenerator.generateLike(csr.publicKeyInfo());
    }
    switch (value.trim()) {
      case "2048":
      case "3072":
      case "4096":
        return ServerKeyGenerator.generate("rsa:" + value.trim());
      default:
        throw EstError.of(400, "invalid bit size value");
    }
  }
}
