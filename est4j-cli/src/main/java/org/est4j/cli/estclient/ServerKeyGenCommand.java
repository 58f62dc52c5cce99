package org.est4j.cli.estclient;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.est4j.client.CsrBuilder;
import org.est4j.client.KeyEncryption;
import org.est4j.protocol.Csr;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.cms.KeyGenAttributes;
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

  @Mixin KeyEncryptionOptions encryption;

  @Mixin CsrOptions fields;

  @Override
  void run() throws Exception {
    boolean der = out.der();
    java.time.Duration w = waiting.bound();
    Settings s = new Settings(io(), keys);
    Optional<KeyEncryption> enc = encryption.encryption(io(), s, keys);
    byte[] request;
    if (csr != null) {
      request = CsrFile.read(io(), csr);
      if (enc.isPresent()) {
        requireEncryptionAttributes(request, enc.get());
      }
    } else {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair ephemeral = g.generateKeyPair();
      CsrBuilder b = CsrFlags.builder(fields, s);
      enc.ifPresent(b::requestKeyEncryption);
      request = CsrFlags.sign(b, ephemeral.getPrivate(), ephemeral.getPublic());
    }
    EstClient client = Clients.build(s, server, "serverkeygen", false);
    ServerKeyGenResult r;
    if (w != null && !w.isZero()) {
      r = enc.isPresent() ? client.serverKeyGenAndWait(request, w, enc.get()) : client.serverKeyGenAndWait(request, w);
    } else {
      try {
        r = enc.isPresent() ? client.serverKeyGen(request, enc.get()) : client.serverKeyGen(request);
      } catch (EstPendingException e) {
        throw EnrollSupport.pending(e.retryAfter());
      }
    }
    if (r.isEncrypted()) {
      // As the Go estclient: an encrypted key it was not asked to decrypt is written as a PKCS7 block.
      byte[] cms = r.encryptedKey().orElseThrow();
      Output.writeSecret(io(), keyOut, "-keyout", der ? cms : Output.pem("PKCS7", cms).getBytes(StandardCharsets.US_ASCII));
    } else {
      Output.writeSecret(io(), keyOut, "-keyout", Output.privateKey(r.privateKey(), der));
    }
    Output.write(io(), out.out, "-out", Output.certificates(List.of(r.certificate()), der));
  }

  /** A -csr file must itself ask for the encryption the flags describe, or the key would come back plain. */
  private void requireEncryptionAttributes(byte[] request, KeyEncryption enc) throws CliException {
    if (enc.isSeedPassword()) {
      return; // the seed's form is chosen by the server's label, not by the CSR
    }
    try {
      KeyGenAttributes attrs = KeyGenAttributes.of(Csr.decode(request));
      if (!attrs.encryptionRequested()) {
        throw CliException.usage("-csr " + csr + " carries no DecryptKeyIdentifier or AsymmetricDecryptKeyIdentifier"
            + " attribute, so the server would return the key unencrypted: omit -csr and let estclient make the CSR");
      }
    } catch (EstProtocolException e) {
      throw CliException.failure("-csr " + csr + ": " + e.getMessage(), e);
    }
  }
}
