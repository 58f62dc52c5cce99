package org.est4j.cli.estclient;

import picocli.CommandLine.Option;

/** {@code -out} and {@code -outform}. */
final class OutOptions {
  @Option(names = {"-out", "--out"}, paramLabel = "<path>", description = "output file (default stdout)")
  String out;

  @Option(names = {"-outform", "--outform"}, paramLabel = "pem|der", defaultValue = "pem",
      description = "output format (default pem; der writes one DER object: a certificate, a PKCS#7"
          + " certs-only bundle for several, a CSR, a PKCS#8 key)")
  String outform;

  boolean der() throws CliException {
    switch (outform.toLowerCase(java.util.Locale.ROOT)) {
      case "pem":
        return false;
      case "der":
        return true;
      default:
        throw CliException.usage("-outform must be pem or der, not \"" + outform + "\"");
    }
  }
}
