package org.est4j.tpm;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/** The NIST curves a TPM names by TPM_ECC_CURVE, mapped to JCA parameters. */
final class TpmCurves {
  private TpmCurves() {}

  static ECParameterSpec params(int curve) throws TpmFormatException {
    String name = switch (curve) {
      case TpmAlg.CURVE_NIST_P256 -> "secp256r1";
      case TpmAlg.CURVE_NIST_P384 -> "secp384r1";
      case TpmAlg.CURVE_NIST_P521 -> "secp521r1";
      default -> throw new TpmFormatException(
          "TPMT_PUBLIC: unsupported ECC curve " + TpmAlg.hex(curve)
              + " (NIST P-256, P-384 and P-521 are supported)");
    };
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec(name));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(name + " is mandatory in every JRE", e);
    }
  }

  /** The TPM_ECC_CURVE of a JCA key, recognised by its order. */
  static int curveOf(ECPublicKey key) {
    for (int curve : new int[] {TpmAlg.CURVE_NIST_P256, TpmAlg.CURVE_NIST_P384, TpmAlg.CURVE_NIST_P521}) {
      try {
        ECParameterSpec p = params(curve);
        if (p.getOrder().equals(key.getParams().getOrder())
            && p.getCurve().equals(key.getParams().getCurve())) {
          return curve;
        }
      } catch (TpmFormatException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException("only NIST P-256, P-384 and P-521 keys fit a TPM object");
  }

  /** Bytes of one coordinate: the field size rounded up. */
  static int coordinateSize(ECParameterSpec params) {
    return (params.getCurve().getField().getFieldSize() + 7) / 8;
  }
}
