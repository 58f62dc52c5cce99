package org.est4j.cli.estclient;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.est4j.client.EstClient;
import org.est4j.client.EstPendingException;
import org.est4j.client.TpmEnrollRequest;
import org.est4j.client.TpmEnrollResult;
import org.est4j.tpm.TpmFormatException;
import org.est4j.tpm.TpmPublic;
import org.est4j.tpm.device.Tpm2;
import org.est4j.tpm.device.TpmDevice;
import org.est4j.tpm.device.TpmKeyConfig;
import org.est4j.tpm.device.TpmPrivateKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tpmenroll}: the Go seed's POST /tpmenroll (seed-behavior §1.8, §3.3): the certificate of a
 * TPM key comes back encrypted under a credential only that TPM can recover, TPM2_ActivateCredential
 * with the key and the endorsement key (TPM 2.0 Library Part 1 §24).
 */
@Command(name = "tpmenroll", sortOptions = false,
    description = {"request a new TPM-protected certificate",
      "",
      "The key to certify (AK) and the endorsement key (EK) are named by private_key.tpm of the"
          + " -config file: device, ek_handle, and persistent_handle or storage_handle +"
          + " public_area + private_area (paths relative to the file). The server encrypts the"
          + " certificate under a credential protected to the EK (TPM 2.0 Library Part 1 §24);"
          + " the TPM recovers it with TPM2_ActivateCredential."},
    footer = {"", "EK certificates: -ekcerts, else private_key.tpm.ek_certs, else (est4j addition)"
        + " those provisioned in the TPM's NV indices (TCG EK Credential Profile)."})
final class TpmEnrollCommand extends BaseCommand {
  @Mixin ServerOptions server;
  @Mixin KeyOptions keys;
  @Mixin OutOptions out;

  @Option(names = {"-csr", "--csr"}, paramLabel = "<path>",
      description = "PKCS#10 CSR file (PEM or DER) for the TPM key; without it a CSR is made from the"
          + " CSR flags and signed with the TPM key")
  String csr;

  @Option(names = {"-ekcerts", "--ekcerts"}, paramLabel = "<path>",
      description = "endorsement key certificate(s) chain (PEM, EK certificate first)")
  String ekCerts;

  @Mixin WaitOptions waiting;

  @Mixin CsrOptions fields;

  @Override
  void run() throws Exception {
    out.der();
    Duration w = waiting.bound();
    Settings s = new Settings(io(), keys);
    TpmKeyConfig tpm = tpmConfig(s);
    int ekHandle = tpm.ekHandle().getAsInt();
    List<X509Certificate> chain = ekChainFromFiles(tpm).orElse(null);

    // One connection for the whole run: the key's (a swtpm socket serves one client at a time, and
    // the same key may also authenticate TLS). It is released when the run ends.
    if (!(s.privateKey() instanceof TpmPrivateKey key)) {
      throw CliException.usage("private key in configuration file is not a TPM private key");
    }
    TpmDevice t = key.device();
    byte[] ekPublic = TpmEnrollDevice.readPublic(t, ekHandle, "endorsement key (ek_handle)");
    byte[] akPublic = akPublic(t, key, tpm);
    if (chain == null) {
      chain = ekCertificateFromNv(TpmEnrollDevice.ekCertificates(t), ekPublic, ekHandle);
    }
    if (!sameKey(chain.get(0), ekPublic)) {
      io().err().println("estclient: warning: the first EK certificate (" + chain.get(0).getSubjectX500Principal()
          + ") does not hold the key of the endorsement key " + Tpm2.hex(ekHandle) + "; the server will refuse it");
    }
    byte[] request = csr != null ? CsrFile.read(io(), csr)
        : CsrFlags.sign(CsrFlags.builder(fields, s), key, key.publicKey());
    TpmEnrollRequest req = TpmEnrollRequest.builder().csr(request).ekCertificates(chain)
        .ekPublic(ekPublic).akPublic(akPublic).build();

    TpmEnrollResult result = send(Clients.build(s, server, "tpmenroll", false), req, w);
    byte[] credential = TpmEnrollDevice.activate(key, tpm.keyPassword(), ekHandle, tpm.ekPassword(), result);
    X509Certificate cert;
    try {
      cert = result.decryptCertificate(credential);
    } finally {
      Arrays.fill(credential, (byte) 0);
    }
    EnrollSupport.writeCert(io(), out, cert);
  }

  /** private_key.tpm with the seed's checks, in the seed's order, before the TPM is opened. */
  private TpmKeyConfig tpmConfig(Settings s) throws CliException {
    HardwareKeyConfig hw = keys.key != null ? null
        : s.config.flatMap(ConfigFile::hardwareKey).filter(h -> h.kind().equals("tpm")).orElse(null);
    if (hw == null) {
      throw CliException.usage("private key in configuration file is not a TPM private key"
          + " (tpmenroll needs private_key.tpm in the -config file)");
    }
    // Parsed quietly: opening the key parses it again and warns about unknown keys then.
    Io quiet = new Io(OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()),
        io().cwd(), Map.of(), null, prompt -> Optional.empty());
    TpmKeyConfig tpm = TpmKeys.config(hw, quiet);
    if (tpm.ekHandle().isEmpty()) {
      throw CliException.usage(
          "no endorsement key in configuration file (private_key.tpm.ek_handle, e.g. 2164326401 = 0x81010001)");
    }
    if (tpm.device().isEmpty()) {
      throw CliException.usage(
          "no TPM device in configuration file (private_key.tpm.device, e.g. /dev/tpmrm0 or a swtpm socket)");
    }
    return tpm;
  }

  private static TpmEnrollResult send(EstClient client, TpmEnrollRequest req, Duration wait) throws Exception {
    if (wait != null && !wait.isZero()) {
      return client.tpmEnrollAndWait(req, wait);
    }
    try {
      return client.tpmEnroll(req);
    } catch (EstPendingException e) {
      throw EnrollSupport.pending(e.retryAfter());
    }
  }

  private Optional<List<X509Certificate>> ekChainFromFiles(TpmKeyConfig tpm) throws CliException {
    if (ekCerts != null) {
      return Optional.of(Settings.certificates(io().resolve(ekCerts), "-ekcerts"));
    }
    if (tpm.ekCerts().isPresent()) {
      return Optional.of(Settings.certificates(tpm.ekCerts().get(), "private_key.tpm.ek_certs"));
    }
    return Optional.empty();
  }

  /**
   * The seed's order: the public_area file when set (TPMT_PUBLIC as go-tpm writes it, or TPM2B as
   * tpm2-tools does), else ReadPublic of the key, persistent or loaded.
   */
  private static byte[] akPublic(TpmDevice t, TpmPrivateKey key, TpmKeyConfig tpm) throws CliException {
    if (tpm.publicArea().isPresent()) {
      Path file = tpm.publicArea().get();
      try {
        return withoutSizePrefix(Files.readAllBytes(file));
      } catch (IOException e) {
        throw CliException.failure("failed to read public area private_key.tpm.public_area " + file + ": "
            + Settings.describe(e), e);
      }
    }
    return TpmEnrollDevice.readPublic(t, key.handle(), "key (persistent_handle)");
  }

  /**
   * The NV certificate of this EK (est4j addition): NV holds one per EK (RSA, ECC), so the one
   * whose key is the EK's is sent, alone.
   */
  private static List<X509Certificate> ekCertificateFromNv(List<X509Certificate> nv, byte[] ekPublic, int ekHandle)
      throws CliException {
    if (nv.isEmpty()) {
      throw CliException.usage("no endorsement key certificate(s) provided: use -ekcerts FILE or"
          + " private_key.tpm.ek_certs (and none is provisioned in the TPM's NV indices)");
    }
    for (X509Certificate c : nv) {
      if (sameKey(c, ekPublic)) {
        return List.of(c);
      }
    }
    throw CliException.usage("no endorsement key certificate(s) provided: use -ekcerts FILE or"
        + " private_key.tpm.ek_certs (none of the " + nv.size() + " EK certificates in the TPM's NV"
        + " indices holds the key of " + Tpm2.hex(ekHandle) + ")");
  }

  private static boolean sameKey(X509Certificate cert, byte[] tpmtPublic) {
    try {
      return Arrays.equals(cert.getPublicKey().getEncoded(),
          TpmPublic.parse(tpmtPublic).publicKey().getEncoded());
    } catch (TpmFormatException e) {
      return false;
    }
  }

  /** Strips a TPM2B size when the first two bytes are exactly the length of the rest. */
  static byte[] withoutSizePrefix(byte[] b) {
    if (b.length > 2 && (((b[0] & 0xff) << 8) | (b[1] & 0xff)) == b.length - 2) {
      return Arrays.copyOfRange(b, 2, b.length);
    }
    return b;
  }
}
