package org.est4j.cli.estclient;

import org.est4j.client.EstClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code enroll}: POST /simpleenroll (RFC 7030 §4.2.1). */
@Command(name = "enroll", sortOptions = false, description = "request a new certificate")
final class EnrollCommand extends BaseCommand {
  @Mixin ServerOptions server;
  @Mixin KeyOptions keys;
  @Mixin OutOptions out;

  @Option(names = {"-csr", "--csr"}, paramLabel = "<path>",
      description = "PKCS#10 CSR file (PEM or DER); without it a CSR is made from the CSR flags and -key")
  String csr;

  @Mixin WaitOptions waiting;

  @Mixin CsrOptions fields;

  @Override
  void run() throws Exception {
    out.der();
    java.time.Duration w = waiting.bound();
    Settings s = new Settings(io(), keys);
    byte[] request = csr != null ? CsrFile.read(io(), csr) : CsrFlags.fromFlags(fields, s, s.privateKey());
    EstClient client = Clients.build(s, server, "enroll", false);
    EnrollSupport.writeCert(io(), out, EnrollSupport.send(client, request, false, w));
  }
}
