package org.est4j.client;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a /tpmenroll request carries (the Go seed's non-standard operation; TPM 2.0 Library Part 1
 * §24, credential protection): the CSR for the TPM key being certified (the attestation key, AK),
 * the endorsement key's certificate chain, EK certificate first, and the TPMT_PUBLIC areas of the
 * EK and the AK exactly as the TPM encodes them, <em>without</em> the TPM2B size prefix
 * (TPM2_ReadPublic's outPublic minus its first two bytes).
 *
 * <pre>{@code
 * TpmEnrollRequest req = TpmEnrollRequest.builder()
 *     .csr(csrDer)                      // signed by the AK
 *     .ekCertificates(List.of(ekCert))  // EK certificate first, then its issuers if wanted
 *     .ekPublic(ekTpmtPublic)
 *     .akPublic(akTpmtPublic)
 *     .build();
 * }</pre>
 *
 * <p>Immutable; byte arrays are copied on the way in and out.
 */
public final class TpmEnrollRequest {
  private final byte[] csr;
  private final List<X509Certificate> ekCertificates;
  private final byte[] ekPublic;
  private final byte[] akPublic;

  private TpmEnrollRequest(Builder b) {
    this.csr = b.csr.clone();
    this.ekCertificates = List.copyOf(b.ekCertificates);
    this.ekPublic = b.ekPublic.clone();
    this.akPublic = b.akPublic.clone();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The DER PKCS#10 CSR. */
  public byte[] csr() {
    return csr.clone();
  }

  /** The EK certificate first, then its chain (possibly nothing more). */
  public List<X509Certificate> ekCertificates() {
    return ekCertificates;
  }

  /** The EK's TPMT_PUBLIC (no size prefix). */
  public byte[] ekPublic() {
    return ekPublic.clone();
  }

  /** The AK's TPMT_PUBLIC (no size prefix). */
  public byte[] akPublic() {
    return akPublic.clone();
  }

  @Override
  public String toString() {
    return "TpmEnrollRequest[ek=" + ekCertificates.get(0).getSubjectX500Principal().getName()
        + ", chain=" + ekCertificates.size() + ", csr=" + csr.length + " B]";
  }

  /** Checks everything in {@link #build()}. */
  public static final class Builder {
    private byte[] csr;
    private final List<X509Certificate> ekCertificates = new ArrayList<>();
    private byte[] ekPublic;
    private byte[] akPublic;

    private Builder() {}

    public Builder csr(byte[] der) {
      this.csr = Objects.requireNonNull(der, "csr").clone();
      return this;
    }

    /** Replaces the EK chain: the EK certificate first. */
    public Builder ekCertificates(List<X509Certificate> chain) {
      ekCertificates.clear();
      for (X509Certificate c : Objects.requireNonNull(chain, "chain")) {
        ekCertificates.add(Objects.requireNonNull(c, "an EK certificate is null"));
      }
      return this;
    }

    public Builder ekPublic(byte[] tpmtPublic) {
      this.ekPublic = Objects.requireNonNull(tpmtPublic, "ekPublic").clone();
      return this;
    }

    public Builder akPublic(byte[] tpmtPublic) {
      this.akPublic = Objects.requireNonNull(tpmtPublic, "akPublic").clone();
      return this;
    }

    /**
     * @throws IllegalStateException if a part is missing or empty
     */
    public TpmEnrollRequest build() {
      require(csr != null && csr.length > 0, "the CSR");
      require(!ekCertificates.isEmpty(), "at least one EK certificate (the EK's own, first)");
      require(ekPublic != null && ekPublic.length > 0, "the EK public area (TPMT_PUBLIC)");
      require(akPublic != null && akPublic.length > 0, "the AK public area (TPMT_PUBLIC)");
      refuseSizePrefix(ekPublic, "EK");
      refuseSizePrefix(akPublic, "AK");
      return new TpmEnrollRequest(this);
    }

    /**
     * A TPM2B_PUBLIC (what tpm2-tools writes by default) where a TPMT_PUBLIC belongs: its first two
     * bytes are the length of the rest, and the next two a key type. A TPMT_PUBLIC starts with the
     * type itself, so for any real key the two cannot be confused.
     */
    private static void refuseSizePrefix(byte[] area, String which) {
      int size = area.length < 4 ? -1 : ((area[0] & 0xff) << 8) | (area[1] & 0xff);
      int type = area.length < 4 ? -1 : ((area[2] & 0xff) << 8) | (area[3] & 0xff);
      boolean keyType = type == 0x0001 || type == 0x0023 || type == 0x0008 || type == 0x0025;
      if (size == area.length - 2 && keyType) {
        throw new IllegalStateException("the " + which + " public area starts with a TPM2B size prefix"
            + " (TPM2B_PUBLIC); /tpmenroll carries the TPMT_PUBLIC inside it: drop the first two bytes");
      }
    }

    private static void require(boolean ok, String what) {
      if (!ok) {
        throw new IllegalStateException("a /tpmenroll request needs " + what);
      }
    }
  }
}
