package org.est4j.cli.estclient;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.est4j.client.EstClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cacerts}: GET /cacerts (RFC 7030 §4.1). */
@Command(name = "cacerts", sortOptions = false, description = "retrieve current CA certificates")
final class CaCertsCommand extends BaseCommand {
  @Mixin ServerOptions server;
  @Mixin KeyOptions keys;
  @Mixin OutOptions out;

  @Option(names = {"-rootout", "--rootout"}, description = "output only the first root CA certificate (deprecated: use -roots)")
  boolean rootOut;

  @Option(names = {"-roots", "--roots"}, description = "output only root (self-signed) CA certificates")
  boolean roots;

  @Option(names = {"-intermediates", "--intermediates"}, description = "output only non-root CA certificates")
  boolean intermediates;

  @Option(names = {"-separate", "--separate"},
      description = "write each certificate to its own file <prefix>N.pem; the prefix is -out without .pem, plus '-' (default ca-)")
  boolean separate;

  @Override
  void run() throws Exception {
    if ((rootOut ? 1 : 0) + (roots ? 1 : 0) + (intermediates ? 1 : 0) > 1) {
      throw CliException.usage("only one of -roots, -intermediates and -rootout may be specified");
    }
    boolean der = out.der();
    Settings s = new Settings(io(), keys);
    EstClient client = Clients.build(s, server, "cacerts", false);
    List<X509Certificate> certs = client.caCerts();
    if (rootOut) {
      X509Certificate root = certs.stream().filter(CaCertsCommand::isRoot).findFirst()
          .orElseThrow(() -> new CliException(ExitCodes.FAILURE, "failed to find a root certificate in CA certificates"));
      certs = List.of(root);
    } else if (roots) {
      certs = certs.stream().filter(CaCertsCommand::isRoot).toList();
    } else if (intermediates) {
      certs = certs.stream().filter(c -> !isRoot(c)).toList();
    }
    if (separate) {
      String ext = der ? ".der" : ".pem";
      String prefix = "ca-";
      if (out.out != null) {
        prefix = (out.out.endsWith(".pem") ? out.out.substring(0, out.out.length() - 4) : out.out) + "-";
      }
      for (int i = 0; i < certs.size(); i++) {
        Output.write(io(), prefix + (i + 1) + ext, "-out", Output.certificates(List.of(certs.get(i)), der));
      }
      return;
    }
    Output.write(io(), out.out, "-out", certs.isEmpty() ? new byte[0] : Output.certificates(certs, der));
  }

  /** Self-issued (raw subject equals raw issuer) and the self-signature verifies. */
  static boolean isRoot(X509Certificate c) {
    if (!Arrays.equals(c.getSubjectX500Principal().getEncoded(), c.getIssuerX500Principal().getEncoded())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
