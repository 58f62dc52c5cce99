package org.est4j.it.tpm;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.est4j.protocol.pem.PemWriter;
import org.est4j.testing.Swtpm;
import org.est4j.testing.TestCertificate;
import org.est4j.tpm.TpmPublic;
import org.est4j.tpm.device.KeyBlobs;
import org.est4j.tpm.device.Templates;
import org.est4j.tpm.device.Tpm2;
import org.est4j.tpm.device.TpmDevice;
import org.est4j.tpm.device.TpmObject;

/**
 * A swtpm provisioned by swtpm_setup (RSA EK 0x81010001, ECC P-384 EK 0x81010016, their certificates
 * in NV) plus what the seed's TPM configuration points at: a storage key persisted at 0x81000001 and
 * an unrestricted signing key (the key to certify, "AK") under it, persisted at 0x81020000 and also
 * kept as public/private blob files; and a TCG default ECC P-256 EK at 0x81010002 with a certificate
 * from a test manufacturer CA in NV 0x01C0000A (tpm2-tools writes it). Skipped when swtpm is missing, failed instead when CI is set.
 */
final class TpmClientFixture implements Closeable {
  static final int SRK = 0x81000001;
  static final int AK = 0x81020000;
  static final int EK_RSA = 0x81010001;
  /** swtpm_setup's ECC EK: P-384, high-range template, certificate in NV 0x01C00016. */
  static final int EK_ECC = 0x81010016;
  /** The TCG default ECC P-256 EK this fixture adds, certificate in NV 0x01C0000A. */
  static final int EK_ECC_P256 = 0x81010002;
  static final String AK_PASSWORD = "xyzzy";

  final Swtpm swtpm;
  final byte[] akPublic;
  final Path dir;

  private TpmClientFixture(Swtpm swtpm, byte[] akPublic, Path dir) {
    this.swtpm = swtpm;
    this.akPublic = akPublic;
    this.dir = dir;
  }

  /** @param akCurve the AK's curve, e.g. {@link Tpm2#ECC_NIST_P256}; 0 for an RSA 2048 AK */
  static TpmClientFixture start(Path dir, int akCurve) throws Exception {
    // Set-up over TCP (tpm2-tools reach swtpm only that way), then the same state on a Unix socket:
    // the device form the seed's configuration uses.
    Path state = dir.resolve("swtpm");
    KeyBlobs ak;
    try (Swtpm setup = Tools.swtpm(state, Swtpm.Transport.TCP, true)) {
      byte[] ekPublic;
      try (TpmDevice tpm = TpmDevice.open(setup.device())) { // swtpm serves one connection at a time
        TpmObject srk = tpm.createPrimary(Tpm2.RH_OWNER, "", Templates.eccStorage(), "");
        tpm.persist(srk.handle(), SRK, "");
        tpm.flush(srk.handle());
        byte[] template = akCurve == 0 ? Templates.rsaSigning(2048) : Templates.eccSigning(akCurve);
        ak = tpm.create(SRK, "", template, AK_PASSWORD);
        ak.write(dir.resolve("ak.pub"), dir.resolve("ak.priv")); // TPM2B files, as tpm2_create writes them
        int loaded = tpm.load(SRK, "", ak);
        tpm.persist(loaded, AK, "");
        tpm.flush(loaded);
        // The TCG default ECC EK (template L-2: P-256, PolicySecret(endorsement)) and its certificate
        // in NV 0x01C0000A, as a TPM manufacturer provisions it; swtpm_setup makes a P-384 one instead.
        TpmObject ek = tpm.createPrimary(Tpm2.RH_ENDORSEMENT, "", Templates.eccEk(), "");
        tpm.persist(ek.handle(), EK_ECC_P256, "");
        tpm.flush(ek.handle());
        ekPublic = ek.publicArea();
      }
      X509Certificate cert = TestCertificate.builder().commonName("est4j test ECC EK")
          .keyPair(new KeyPair(TpmPublic.parse(ekPublic).publicKey(), null))
          .signedBy(MANUFACTURER).build().certificate();
      Path der = Files.write(dir.resolve("ecc-p256-ek.der"), cert.getEncoded());
      Tools.tpm2(setup, dir, "tpm2_nvdefine", "0x01c0000a", "-C", "p", "-s", String.valueOf(cert.getEncoded().length),
          "-a", "ppwrite|ppread|ownerread|authread|no_da|platformcreate");
      Tools.tpm2(setup, dir, "tpm2_nvwrite", "0x01c0000a", "-C", "p", "-i", der.toString());
    }
    Swtpm swtpm = Swtpm.start(state, Swtpm.Transport.UNIX, false);
    return new TpmClientFixture(swtpm, ak.publicArea(), dir);
  }

  /** The test's TPM manufacturer CA, issuer of the P-256 EK certificate. */
  static final TestCertificate MANUFACTURER =
      TestCertificate.builder().commonName("est4j test TPM manufacturer").certificateAuthority(1).build();

  String device() {
    return swtpm.device();
  }

  /** The EK's public area, read from the TPM. */
  byte[] ekPublic(int ekHandle) throws IOException {
    try (TpmDevice tpm = TpmDevice.open(device())) {
      return tpm.readPublic(ekHandle).publicArea();
    }
  }

  /** The EK certificate in the TPM's NV whose key is the EK's at {@code ekHandle}. */
  X509Certificate ekCertificate(int ekHandle) throws Exception {
    byte[] spki = TpmPublic.parse(ekPublic(ekHandle)).publicKey().getEncoded();
    List<X509Certificate> all;
    try (TpmDevice tpm = TpmDevice.open(device())) {
      all = tpm.readEkCertificates();
    }
    for (X509Certificate c : all) {
      if (Arrays.equals(c.getPublicKey().getEncoded(), spki)) {
        return c;
      }
    }
    throw new AssertionError("no EK certificate in NV for " + Integer.toHexString(ekHandle) + " among " + all.size());
  }

  /** Writes certificates as PEM. */
  static Path writePem(Path file, List<X509Certificate> certs) throws Exception {
    Files.writeString(file, PemWriter.toPem(certs), StandardCharsets.US_ASCII);
    return file;
  }

  @Override
  public void close() {
    swtpm.close();
  }
}
