package org.est4j.cli.estclient;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.est4j.client.EstClient;
import org.est4j.client.EstPendingException;
import org.est4j.client.ServerKeyGenResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serverkeygen}: POST /serverkeygen (RFC 7030 §4.4); the key is written before the certificate. */
@Command(name = "serverkeygen", sortOptions = false, description = "request a private key and associated certificate")
final class ServerKeyGenCommand extends BaseCommand {
  @Mixin ServerOptions server;
  @Mixin KeyOptions keys;
  @Mixin OutOptions out;

  @Option(names = {"-csr", "--csr"}, paramLabel = "<path>",
      description = "PKCS#10 CSR file; without it a CSR is made from the CSR flags and signed with an"
          + " ephemeral P-256 key (-key then only authenticates TLS with -certs)")
  String csr;

  @Option(names = {"-keyout", "--keyout"}, paramLabel = "<path>",
      description = "file for the server-generated private key, created with mode 0600 (default stdout)")
  String keyOut;

  @Mixin WaitOptions waiting;

  @Mixin CsrOptions fields;

  @Override
  void run() throws Exception {
    boolean der = out.der();
    java.time.Duration w = waiting.bound();
    Settings s = new Settings(io(), keys);
    byte[] request;
    if (csr != null) {
      request = CsrFile.read(io(), csr);
    } else {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair ephemeral = g.generateKeyPair();
      request = CsrFlags.sign(CsrFlags.builder(fields, s), ephemeral.getPrivate(), ephemeral.getPublic());
    }
    EstClient client = Clients.build(s, server, "serverkeygen", false);
    ServerKeyGenResult r;
    if (w != null && !w.isZero()) {
      r = client.serverKeyGenAndWait(request, w);
    } else {
      try {
        r = client.serverKeyGen(request);
      } catch (EstPendingException e) {
        throw EnrollSupport.pending(e.retryAfter());
      }
    }
    Output.writeSecret(io(), keyOut, "-keyout", Output.privateKey(r.privateKey(), der));
    Output.write(io(), out.out, "-out", Output.certificates(List.of(r.certificate()), der));
  }
}
