package org.est4j.cli.estclient;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.est4j.client.TpmEnrollResult;
import org.est4j.tpm.device.Tpm2;
import org.est4j.tpm.device.TpmDevice;
import org.est4j.tpm.device.TpmPrivateKey;

/** The TPM commands of tpmenroll, with messages in the seed's words (seed-behavior §3.3) naming the setting. */
final class TpmEnrollDevice {
  private TpmEnrollDevice() {}

  /** TPMT_PUBLIC of a loaded or persistent object. */
  static byte[] readPublic(TpmDevice t, int handle, String what) throws CliException {
    try {
      return t.readPublic(handle).publicArea();
    } catch (IOException e) {
      throw CliException.failure("failed to read the public area of the " + what + " " + Tpm2.hex(handle)
          + ": " + e.getMessage(), e);
    }
  }

  /** The EK certificates provisioned in NV (est4j addition: the seed needs -ekcerts or ek_certs). */
  static List<X509Certificate> ekCertificates(TpmDevice t) throws CliException {
    try {
      return t.readEkCertificates();
    } catch (IOException e) {
      throw CliException.failure("no -ekcerts or private_key.tpm.ek_certs given, and reading the EK"
          + " certificates from the TPM's NV indices failed: " + e.getMessage(), e);
    }
  }

  /**
   * TPM2_ActivateCredential with the key being certified (persistent, or loaded from its blobs) and
   * the EK, on the device the key was opened on.
   */
  static byte[] activate(TpmPrivateKey key, String keyPassword, int ekHandle, String ekPassword, TpmEnrollResult r)
      throws CliException {
    try {
      return key.device().activateCredential(key.handle(), keyPassword, ekHandle, ekPassword,
          r.credentialBlob(), r.encryptedSeed());
    } catch (IOException e) {
      throw CliException.failure("failed to activate credential (key " + Tpm2.hex(key.handle()) + ", EK "
          + Tpm2.hex(ekHandle) + "): " + e.getMessage(), e);
    }
  }
}
