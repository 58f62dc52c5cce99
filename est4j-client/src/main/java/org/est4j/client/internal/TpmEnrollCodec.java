package org.est4j.client.internal;

import java.util.List;
import org.est4j.client.EstResponseException;
import org.est4j.client.TpmEnrollRequest;
import org.est4j.client.TpmEnrollResult;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.MediaTypes;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;

/**
 * The wire form of the Go seed's /tpmenroll: a 4-part multipart/mixed request and a 3-part
 * answer, every part base64 (seed-behavior §1.8).
 */
public final class TpmEnrollCodec {
  /** The seed's fixed boundary; its server reads any, but keeping it makes requests byte-identical. */
  public static final String BOUNDARY = "estTPMEnrollBoundary";

  public static final String CONTENT_TYPE = MediaTypes.MULTIPART_MIXED + "; boundary=" + BOUNDARY;
  public static final String OCTET_STREAM = "application/octet-stream";

  private static final String OP = "/tpmenroll";
  private static final String[] PART_NAMES = {"credential blob", "encrypted seed", "encrypted certificate"};
  private static final String[] PART_TYPES = {OCTET_STREAM, OCTET_STREAM, MediaTypes.PKCS7_MIME};

  private TpmEnrollCodec() {}

  /**
   * CSR, EK chain (certs-only, EK first), EK TPMT_PUBLIC, AK TPMT_PUBLIC; each part with
   * Content-Transfer-Encoding then Content-Type, as Go's multipart writer orders them.
   */
  public static byte[] encode(TpmEnrollRequest request) {
    return Multipart.encode(BOUNDARY, List.of(
        MultipartPart.base64(MediaTypes.PKCS10, request.csr()),
        MultipartPart.base64(MediaTypes.CERTS_ONLY, CertsOnly.encode(request.ekCertificates())),
        MultipartPart.base64(OCTET_STREAM, request.ekPublic()),
        MultipartPart.base64(OCTET_STREAM, request.akPublic())));
  }

  /** The three parts in order; anything else (fewer, more, another type, bad base64) is an error. */
  public static TpmEnrollResult parse(HttpResponse r) throws EstResponseException {
    List<MultipartPart> parts = Responses.multipart(OP, r);
    if (parts.size() != PART_NAMES.length) {
      throw new EstResponseException(OP + ": the response has " + parts.size() + " part"
          + (parts.size() == 1 ? "" : "s") + ", expected 3 (credential blob, encrypted seed,"
          + " encrypted certificate)");
    }
    byte[][] values = new byte[PART_NAMES.length][];
    for (int i = 0; i < PART_NAMES.length; i++) {
      String what = "part " + (i + 1) + " (" + PART_NAMES[i] + ")";
      MediaType pt = Responses.partType(OP, parts.get(i), what);
      if (!pt.is(PART_TYPES[i])) {
        throw new EstResponseException(OP + ": " + what + " has Content-Type "
            + HttpWire.printable(pt.essence()) + ", expected " + PART_TYPES[i]);
      }
      values[i] = Responses.base64(OP, parts.get(i).body(), what);
    }
    return new TpmEnrollResult(values[0], values[1], values[2]);
  }
}
