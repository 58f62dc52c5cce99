package org.est4j.cli.estclient;

import java.security.PrivateKey;

/** Keys in a TPM named by {@code private_key.tpm} of the configuration file. */
final class TpmKeys {
  private TpmKeys() {}

  static PrivateKey open(HardwareKeyConfig config, Io io) throws CliException {
    throw CliException.usage(config.describe() + ": TPM keys are not supported yet by est4j's estclient;"
        + " give a key file with -key");
  }
}
