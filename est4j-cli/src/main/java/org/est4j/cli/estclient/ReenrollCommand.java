package org.est4j.cli.estclient;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.est4j.client.EstClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reenroll}: POST /simplereenroll (RFC 7030 §4.2.2) with the current certificate as TLS identity. */
@Command(name = "reenroll", sortOptions = false, description = "request renewal/rekey of an existing certificate")
final class ReenrollCommand extends BaseCommand {
  @Mixin ServerOptions server;
  @Mixin KeyOptions keys;
  @Mixin OutOptions out;

  @Option(names = {"-csr", "--csr"}, paramLabel = "<path>",
      description = "PKCS#10 CSR file; without it the subject and subject alternative names are copied"
          + " from the first -certs certificate and the CSR is signed with -key")
  String csr;

  @Mixin WaitOptions waiting;

  @Override
  void run() throws Exception {
    out.der();
    java.time.Duration w = waiting.bound();
    Settings s = new Settings(io(), keys);
    EstClient client = Clients.build(s, server, "reenroll", true);
    byte[] request;
    if (csr != null) {
      request = CsrFile.read(io(), csr);
    } else {
      Path certs = server.certs != null ? io().resolve(server.certs) : s.config.flatMap(ConfigFile::clientCertificates).get();
      List<X509Certificate> chain = Settings.certificates(certs, "-certs");
      request = CsrFlags.forReenrollment(chain.get(0), s.privateKey());
    }
    EnrollSupport.writeCert(io(), out, EnrollSupport.send(client, request, true, w));
  }
}
