package org.est4j.tpm.device;

/**
 * An object loaded in (or persisted by) a TPM: its handle, its public area (TPMT_PUBLIC without
 * the TPM2B size, the form /tpmenroll sends) and its Name.
 */
public record TpmObject(int handle, byte[] publicArea, byte[] name) {
  public TpmObject {
    publicArea = publicArea.clone();
    name = name.clone();
  }

  @Override
  public byte[] publicArea() {
    return publicArea.clone();
  }

  @Override
  public byte[] name() {
    return name.clone();
  }
}
