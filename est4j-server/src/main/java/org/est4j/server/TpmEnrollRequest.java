package org.est4j.server;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.Csr;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.MediaTypes;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.est4j.tpm.TpmFormatException;
import org.est4j.tpm.TpmPublic;

/**
 * The four parts of a /tpmenroll request, in the Go seed's order: the AK's CSR
 * (application/pkcs10), the EK certificate chain, EK first (application/pkcs7-mime certs-only),
 * the EK's and the AK's TPMT_PUBLIC (application/octet-stream), each base64. Every defect is a 4xx
 * naming the part; the part count is enforced (the seed panics on too few and ignores extras).
 */
record TpmEnrollRequest(Csr csr, List<X509Certificate> ekCertificates, TpmPublic ek, TpmPublic ak) {
  static final String OCTET_STREAM = "application/octet-stream";
  private static final String[] ORDINALS = {"first", "second", "third", "fourth"};
  private static final String[] NAMES = {
    "AK certificate signing request", "EK certificate chain", "EK public area", "AK public area"
  };
  private static final String[] TYPES = {MediaTypes.PKCS10, MediaTypes.PKCS7_MIME, OCTET_STREAM, OCTET_STREAM};

  static TpmEnrollRequest decode(MediaType contentType, byte[] body) throws EstError {
    List<MultipartPart> parts;
    try {
      parts = Multipart.decode(contentType, body);
    } catch (EstProtocolException e) {
      throw EstError.of(400, "unable to parse request body: " + e.getMessage());
    }
    if (parts.size() != 4) {
      throw EstError.of(400, "/tpmenroll needs exactly 4 parts (AK certificate signing request, EK"
          + " certificate chain, EK public area, AK public area), not " + parts.size());
    }
    byte[][] der = new byte[4][];
    for (int i = 0; i < 4; i++) {
      der[i] = content(parts.get(i), i);
    }
    Csr csr;
    try {
      csr = Csr.decode(der[0]).verify();
    } catch (EstProtocolException e) {
      throw partError(400, 0, e.getMessage());
    }
    List<X509Certificate> ekCerts;
    try {
      ekCerts = CertsOnly.decode(der[1]);
    } catch (EstProtocolException e) {
      throw partError(400, 1, e.getMessage());
    }
    if (ekCerts.isEmpty()) {
      throw partError(400, 1, "no certificates found in PKCS7 structure");
    }
    return new TpmEnrollRequest(csr, List.copyOf(ekCerts), publicArea(der[2], 2), publicArea(der[3], 3));
  }

  /** The part's decoded body, after its Content-Type and Content-Transfer-Encoding are checked. */
  private static byte[] content(MultipartPart part, int index) throws EstError {
    MediaType type;
    try {
      type = part.contentType();
    } catch (EstProtocolException e) {
      throw EstError.of(415, "Content-Type of " + ORDINALS[index] + " part must be " + TYPES[index]);
    }
    if (!type.is(TYPES[index])) {
      throw EstError.of(415, "Content-Type of " + ORDINALS[index] + " part (" + NAMES[index]
          + ") must be " + TYPES[index] + ", not " + type.essence());
    }
    // The parts are always base64 (RFC 8951): an absent header is tolerated, another encoding not.
    Optional<String> encoding = part.header("Content-Transfer-Encoding");
    if (encoding.isPresent() && !encoding.get().trim().toLowerCase(Locale.ROOT).equals("base64")) {
      throw EstError.of(415, "Content-Transfer-Encoding of " + ORDINALS[index] + " part must be base64");
    }
    byte[] der;
    try {
      der = EstBase64.decode(part.body());
    } catch (EstProtocolException e) {
      throw partError(400, index, "invalid base64 encoding");
    }
    if (der.length == 0) {
      throw partError(400, index, "empty");
    }
    return der;
  }

  private static TpmPublic publicArea(byte[] der, int index) throws EstError {
    try {
      return TpmPublic.parse(der);
    } catch (TpmFormatException e) {
      throw partError(400, index, "malformed TPM object public area: " + e.getMessage());
    }
  }

  static EstError partError(int status, int index, String message) {
    return EstError.of(status, ORDINALS[index] + " part (" + NAMES[index] + "): " + message);
  }
}
