package org.est4j.tpm.device;

/** TPMS_NV_PUBLIC of an NV index: its attributes and data size. */
public record NvPublic(int nvIndex, int nameAlg, int attributes, int dataSize) {
  /** TPMA_NV_OWNERREAD: the owner hierarchy authorises reads. */
  public static final int OWNERREAD = 1 << 17;
  /** TPMA_NV_AUTHREAD: the index's own auth value authorises reads. */
  public static final int AUTHREAD = 1 << 18;
  /** TPMA_NV_WRITTEN: the index holds data. */
  public static final int WRITTEN = 1 << 29;

  public boolean has(int attribute) {
    return (attributes & attribute) != 0;
  }
}
