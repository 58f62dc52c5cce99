package org.est4j.cli.estclient;

import java.security.PrivateKey;

/** Opens the private key a configuration file's {@code private_key} object points at. */
final class HardwareKeys {
  private HardwareKeys() {}

  static PrivateKey open(HardwareKeyConfig config, Io io) throws CliException {
    switch (config.kind()) {
      case "hsm":
        return HsmKeys.open(config, io);
      case HardwareKeyConfig.PKCS11_URI:
        return HsmKeys.openUri(String.valueOf(config.settings().get("uri")), config.describe(), io);
      case "tpm":
        return TpmKeys.open(config, io);
      default:
        throw CliException.usage(config.describe() + ": unknown private key format");
    }
  }
}
