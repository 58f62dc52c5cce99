package org.est4j.cli.estclient;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.est4j.client.TpmEnrollResult;
import org.est4j.tpm.device.KeyBlobs;
import org.est4j.tpm.device.TpmDevice;
import org.est4j.tpm.device.TpmException;

/** The TPM commands of tpmenroll, with the seed's messages (seed-behavior §3.3) naming the setting. */
final class TpmEnrollDevice {
  private static final int TPM_RC_RETRY = 0x922;
  private static final int MAX_ATTEMPTS = 5;

  private TpmEnrollDevice() {}

  static TpmDevice open(String device) throws CliException {
    try {
      return TpmDevice.open(device);
    } catch (IOException e) {
      throw CliException.failure("failed to open TPM device " + device + " (private_key.tpm.device): "
          + Settings.describe(e), e);
    }
  }

  /** TPMT_PUBLIC of a loaded or persistent object. */
  static byte[] readPublic(TpmDevice t, int handle, String what) throws CliException {
    try {
      return t.readPublic(handle).publicArea();
    } catch (IOException e) {
      throw CliException.failure("failed to read the public area of the " + what + " "
          + TpmEnrollConfig.hex(handle) + ": " + e.getMessage(), e);
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
   * TPM2_ActivateCredential with the AK (persistent, or loaded from its blobs under the storage key
   * and flushed afterwards) and the EK under the default EK policy (PolicySecret(endorsement)).
   */
  static byte[] activate(TpmDevice t, TpmEnrollConfig c, int ekHandle, TpmEnrollResult r) throws CliException {
    int ak;
    boolean loaded = false;
    if (c.persistentHandle().isPresent()) {
      ak = c.persistentHandle().get();
    } else {
      int storage = c.storageHandle().orElseThrow(() -> CliException.usage(
          "no storage key in configuration file (private_key.tpm.storage_handle)"));
      Path pub = c.publicArea().orElseThrow(() -> CliException.usage(
          "no public area provided (private_key.tpm.public_area)"));
      Path priv = c.privateArea().orElseThrow(() -> CliException.usage(
          "no private area provided (private_key.tpm.private_area)"));
      KeyBlobs blobs;
      try {
        blobs = KeyBlobs.read(pub, priv);
      } catch (IOException e) {
        throw CliException.failure("failed to read the key's public/private areas " + pub + ", " + priv
            + ": " + Settings.describe(e), e);
      }
      try {
        ak = t.load(storage, c.storagePassword(), blobs);
        loaded = true;
      } catch (IOException e) {
        throw CliException.failure("failed to load key under storage key " + TpmEnrollConfig.hex(storage)
            + ": " + e.getMessage(), e);
      }
    }
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return t.activateCredential(ak, c.keyPassword(), ekHandle, c.ekPassword(),
              r.credentialBlob(), r.encryptedSeed());
        } catch (TpmException e) {
          // TPM_RC_RETRY is a warning: the command did not start and may be sent again (Part 2 §6.6)
          if (e.responseCode() != TPM_RC_RETRY || attempt == MAX_ATTEMPTS) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      throw CliException.failure("failed to activate credential (key " + TpmEnrollConfig.hex(ak) + ", EK "
          + TpmEnrollConfig.hex(ekHandle) + "): " + e.getMessage(), e);
    } finally {
      if (loaded) {
        try {
          t.flush(ak);
        } catch (IOException e) {
          // the TPM still answers on the next command; a transient object goes at the next reset
        }
      }
    }
  }
}
