package org.est4j.tpm.device;

import java.io.IOException;
import org.est4j.tpm.TpmFormatException;
import org.est4j.tpm.TpmPublic;

/**
 * Opens TPM-resident signing keys as {@link TpmPrivateKey}s: from a persistent handle, or from
 * public/private blobs loaded under a storage key (flushed again by {@link TpmPrivateKey#close()}).
 */
public final class TpmKeys {
  private TpmKeys() {}

  /**
   * Opens the device and the key the seed's {@code private_key.tpm} names: the persistent handle
   * when there is one, else the blobs under the storage key. The key owns the device: closing the
   * key closes it.
   *
   * @throws IOException with the seed's messages for missing settings ("no TPM device in
   *     configuration file", "no key handle or public/private areas in configuration file", "no
   *     storage key in configuration file", "no public area provided", "no private area
   *     provided") or the TPM's error
   */
  public static TpmPrivateKey open(TpmKeyConfig config) throws IOException {
    if (config.device().isEmpty()) {
      throw new IOException("no TPM device in configuration file");
    }
    if (config.persistentHandle().isEmpty()) {
      if (config.publicArea().isEmpty() && config.privateArea().isEmpty()) {
        throw new IOException("no key handle or public/private areas in configuration file");
      }
      if (config.storageHandle().isEmpty()) {
        throw new IOException("no storage key in configuration file");
      }
      if (config.publicArea().isEmpty()) {
        throw new IOException("no public area provided");
      }
      if (config.privateArea().isEmpty()) {
        throw new IOException("no private area provided");
      }
    }
    TpmDevice tpm = TpmDevice.open(config.device());
    try {
      if (config.persistentHandle().isPresent()) {
        return persistent(tpm, config.persistentHandle().getAsInt(), config.keyPassword(), true);
      }
      KeyBlobs blobs = KeyBlobs.read(config.publicArea().get(), config.privateArea().get());
      return load(tpm, config.storageHandle().getAsInt(), config.storagePassword(), blobs, config.keyPassword(), true);
    } catch (IOException | RuntimeException e) {
      tpm.close();
      throw e;
    }
  }

  /** A key at a persistent handle of an open device (the device stays the caller's). */
  public static TpmPrivateKey persistent(TpmDevice tpm, int handle, String keyPassword) throws IOException {
    return persistent(tpm, handle, keyPassword, false);
  }

  /** Loads blobs under {@code parent}; closing the key flushes it (the device stays the caller's). */
  public static TpmPrivateKey load(TpmDevice tpm, int parent, String parentPassword, KeyBlobs blobs,
      String keyPassword) throws IOException {
    return load(tpm, parent, parentPassword, blobs, keyPassword, false);
  }

  private static TpmPrivateKey persistent(TpmDevice tpm, int handle, String keyPassword, boolean owns)
      throws IOException {
    if ((handle >>> 24) != 0x81) {
      throw new IOException("persistent_handle " + Tpm2.hex(handle) + " is not a persistent handle (0x81xxxxxx)");
    }
    return TpmPrivateKey.of(tpm, handle, keyPassword, parse(tpm.readPublic(handle).publicArea(), "the public area of the key at " + Tpm2.hex(handle)), false, owns);
  }

  private static TpmPrivateKey load(TpmDevice tpm, int parent, String parentPassword, KeyBlobs blobs,
      String keyPassword, boolean owns) throws IOException {
    TpmPublic pub = parse(blobs.publicArea(), "the key's public area (public_area)");
    int handle = tpm.load(parent, parentPassword, blobs);
    try {
      return TpmPrivateKey.of(tpm, handle, keyPassword, pub, true, owns);
    } catch (IOException | RuntimeException e) {
      tpm.flush(handle);
      throw e;
    }
  }

  private static TpmPublic parse(byte[] area, String what) throws TpmException {
    try {
      return TpmPublic.parse(area);
    } catch (TpmFormatException e) {
      throw new TpmException(what + " cannot be read: " + e.getMessage());
    }
  }
}
