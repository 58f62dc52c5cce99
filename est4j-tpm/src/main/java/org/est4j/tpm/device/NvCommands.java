package org.est4j.tpm.device;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** NV_ReadPublic, NV_Read and the EK certificates of the TCG EK Credential Profile (§2.2.1.4, §2.2.1.5). */
final class NvCommands {
  /**
   * EK certificate indices: RSA 2048 and ECC NIST P-256 of the "low range" (template L-1, L-2),
   * then the high range: RSA 2048, P-256, P-384, P-521, SM2, RSA 3072, RSA 4096 (H-1 to H-7).
   */
  static final int[] EK_CERT_INDICES = {
    0x01C00002, 0x01C0000A, 0x01C00012, 0x01C00014, 0x01C00016, 0x01C00018, 0x01C0001A, 0x01C0001C, 0x01C0001E
  };

  /**
   * Bytes per TPM2_NV_Read: TPM_PT_NV_BUFFER_MAX is at least 512 on every TPM seen (libtpms 1024,
   * some discrete TPMs 768), so 512 works everywhere without asking.
   */
  private static final int CHUNK = 512;

  private NvCommands() {}

  static NvPublic readPublic(TpmDevice tpm, int nvIndex) throws IOException {
    Command c = Command.of("TPM2_NV_ReadPublic(" + Tpm2.hex(nvIndex) + ")", Tpm2.CC_NV_READ_PUBLIC).handle(nvIndex);
    TpmReader p = tpm.execute(c, 0).params();
    TpmReader nv = p.slice(p.u16());
    int index = nv.u32();
    int nameAlg = nv.u16();
    int attributes = nv.u32();
    nv.tpm2b();
    int dataSize = nv.u16();
    return new NvPublic(index, nameAlg, attributes, dataSize);
  }

  static byte[] read(TpmDevice tpm, int nvIndex) throws IOException {
    NvPublic pub = readPublic(tpm, nvIndex);
    // the index's own (empty) auth when it allows that, as EK certificate indices do; else the owner's
    int authHandle = pub.has(NvPublic.AUTHREAD) || !pub.has(NvPublic.OWNERREAD) ? nvIndex : Tpm2.RH_OWNER;
    byte[] data = new byte[pub.dataSize()];
    for (int off = 0; off < data.length; off += CHUNK) {
      int n = Math.min(CHUNK, data.length - off);
      Command c = Command.of("TPM2_NV_Read(" + Tpm2.hex(nvIndex) + ", offset " + off + ")", Tpm2.CC_NV_READ)
          .handle(authHandle).auth(Authorization.password("")).handle(nvIndex);
      c.params().u16(n).u16(off);
      byte[] chunk = tpm.execute(c, 0).params().tpm2b();
      if (chunk.length != n) {
        throw new TpmException(c.name() + ": asked for " + n + " bytes, got " + chunk.length);
      }
      System.arraycopy(chunk, 0, data, off, n);
    }
    return data;
  }

  static Optional<X509Certificate> ekCertificate(TpmDevice tpm, int nvIndex) throws IOException {
    byte[] der;
    try {
      der = read(tpm, nvIndex);
    } catch (TpmException e) {
      if (e.baseCode() == ResponseCodes.HANDLE || e.responseCode() == ResponseCodes.NV_UNINITIALIZED) {
        return Optional.empty(); // no such index, or defined but never written
      }
      throw e;
    }
    try {
      // the DER may be followed by padding: the factory reads one certificate and stops
      return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der)));
    } catch (CertificateException e) {
      throw new TpmException("NV index " + Tpm2.hex(nvIndex) + " does not hold an X.509 EK certificate: "
          + e.getMessage());
    }
  }

  static List<X509Certificate> ekCertificates(TpmDevice tpm) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    for (int index : EK_CERT_INDICES) {
      ekCertificate(tpm, index).ifPresent(certs::add);
    }
    return certs;
  }
}
