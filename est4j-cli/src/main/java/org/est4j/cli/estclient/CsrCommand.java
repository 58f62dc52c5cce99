package org.est4j.cli.estclient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code csr}: a PKCS#10 CSR from the CSR flags, signed with {@code -key}. */
@Command(name = "csr", sortOptions = false, description = "generate a PKCS#10 certificate signing request")
final class CsrCommand extends BaseCommand {
  @Mixin KeyOptions keys;
  @Mixin OutOptions out;
  @Mixin CsrOptions fields;

  @Override
  void run() throws Exception {
    boolean der = out.der();
    Settings s = new Settings(io(), keys);
    byte[] csr = CsrFlags.fromFlags(fields, s, s.privateKey());
    Output.write(io(), out.out, "-out", Output.csr(csr, der));
  }
}
