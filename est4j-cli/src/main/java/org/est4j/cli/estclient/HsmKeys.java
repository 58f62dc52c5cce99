package org.est4j.cli.estclient;

import java.security.PrivateKey;

/** Keys in a HSM named by {@code private_key.hsm} of the configuration file. */
final class HsmKeys {
  private HsmKeys() {}

  static PrivateKey open(HardwareKeyConfig config, Io io) throws CliException {
    throw CliException.usage(config.describe() + ": HSM keys are not supported yet by est4j's estclient;"
        + " give a key file with -key");
  }
}
