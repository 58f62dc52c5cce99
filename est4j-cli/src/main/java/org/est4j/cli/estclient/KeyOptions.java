package org.est4j.cli.estclient;

import picocli.CommandLine.Option;

/** The flags every command that reads a configuration or a private key takes. */
final class KeyOptions {
  @Option(names = {"-config", "--config"}, paramLabel = "<path>",
      description = "JSON configuration file (see 'estclient help -common'); flags override its values")
  String config;

  @Option(names = {"-key", "--key"}, paramLabel = "<path>",
      description = "private key file (PEM: PKCS#8, PKCS#1, SEC1, encrypted PKCS#8 or legacy encrypted PEM),"
          + " or an RFC 7512 pkcs11: URI of a key on a PKCS#11 token, e.g."
          + " 'pkcs11:token=est;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:pin.txt'")
  String key;

  @Option(names = {"-passphrase-file", "--passphrase-file"}, paramLabel = "<path>",
      description = "read the passphrase of an encrypted -key from this file (first line)")
  String passphraseFile;

  @Option(names = {"-passphrase-env", "--passphrase-env"}, paramLabel = "<name>",
      description = "read the passphrase of an encrypted -key from this environment variable")
  String passphraseEnv;

  @Option(names = {"-separator", "--separator"}, paramLabel = "<string>", defaultValue = ",",
      description = "separator of list values (-headers, -dnsnames, -emails, -ips, -ou, -uris); default ${DEFAULT-VALUE}")
  String separator;
}
