package org.est4j.tpm.device;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The seed's {@code private_key.tpm} settings (est4j estclient's configuration file): which TPM,
 * which key (a persistent handle, which wins, or public/private blobs loaded under a storage key),
 * the EK for /tpmenroll and the passwords. Paths are already resolved (against the configuration
 * file's directory). Passwords are never printed by {@link #toString()}.
 */
public record TpmKeyConfig(
    String device,
    OptionalInt persistentHandle,
    OptionalInt storageHandle,
    OptionalInt ekHandle,
    String keyPassword,
    String storagePassword,
    String ekPassword,
    Optional<Path> ekCerts,
    Optional<Path> publicArea,
    Optional<Path> privateArea) {

  public TpmKeyConfig {
    device = device == null ? "" : device;
    Objects.requireNonNull(persistentHandle, "persistentHandle");
    Objects.requireNonNull(storageHandle, "storageHandle");
    Objects.requireNonNull(ekHandle, "ekHandle");
    keyPassword = keyPassword == null ? "" : keyPassword;
    storagePassword = storagePassword == null ? "" : storagePassword;
    ekPassword = ekPassword == null ? "" : ekPassword;
    Objects.requireNonNull(ekCerts, "ekCerts");
    Objects.requireNonNull(publicArea, "publicArea");
    Objects.requireNonNull(privateArea, "privateArea");
  }

  /** A persistent key and nothing else: the smallest useful configuration. */
  public static TpmKeyConfig persistent(String device, int handle, String keyPassword) {
    return new TpmKeyConfig(device, OptionalInt.of(handle), OptionalInt.empty(), OptionalInt.empty(), keyPassword,
        "", "", Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    return "TpmKeyConfig[device=" + device + ", persistentHandle=" + hex(persistentHandle) + ", storageHandle="
        + hex(storageHandle) + ", ekHandle=" + hex(ekHandle) + ", ekCerts=" + ekCerts.orElse(null)
        + ", publicArea=" + publicArea.orElse(null) + ", privateArea=" + privateArea.orElse(null) + "]";
  }

  private static String hex(OptionalInt h) {
    return h.isPresent() ? Tpm2.hex(h.getAsInt()) : "none";
  }
}
