package org.est4j.server.store;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.est4j.protocol.pem.PemWriter;

/**
 * One issued certificate as the store keeps it: what an operator searches by and what an audit
 * needs, plus the certificate itself as PEM.
 *
 * @param serial the serial number, lower-case hex without leading zeros (as the access log shows it)
 * @param caName the configured name of the issuing CA; serials are unique per CA
 * @param label the EST label the client used (RFC 7030 §3.2.2), empty for the unlabelled path
 * @param subject the subject DN (RFC 4514 string)
 * @param subjectAltNames SANs as {@code DNS:x}, {@code IP:x}, {@code email:x}, {@code URI:x}, {@code other:TYPE}
 * @param publicKeySha256 SHA-256 of the SubjectPublicKeyInfo, lower-case hex
 * @param status {@link CertificateStatus#ISSUED} or {@link CertificateStatus#REVOKED} (never EXPIRED: see {@link #effectiveStatus})
 * @param requester the authenticated identity ({@code user:NAME}, {@code cert:DN}, {@code anonymous})
 * @param requestId the engine's request id, also in the access log and the client's X-Request-Id
 * @param pem the certificate, PEM
 * @param issuedAt when the server recorded it
 * @param revokedAt when it was revoked, if it was
 * @param revocationReason the operator's reason, if revoked
 */
public record CertificateRecord(
    String serial,
    String caName,
    Optional<String> label,
    String subject,
    List<String> subjectAltNames,
    String publicKeySha256,
    Instant notBefore,
    Instant notAfter,
    CertificateStatus status,
    String requester,
    String requestId,
    String pem,
    Instant issuedAt,
    Optional<Instant> revokedAt,
    Optional<String> revocationReason) {

  public CertificateRecord {
    serial = normaliseSerial(serial);
    Objects.requireNonNull(caName, "caName");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(subject, "subject");
    subjectAltNames = List.copyOf(subjectAltNames);
    Objects.requireNonNull(publicKeySha256, "publicKeySha256");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (status == CertificateStatus.EXPIRED) {
      throw new IllegalArgumentException("EXPIRED is derived from notAfter, never stored");
    }
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(revocationReason, "revocationReason");
  }

  /** The row for a certificate just issued: status ISSUED, everything derived from {@code cert}. */
  public static CertificateRecord issued(
      X509Certificate cert, String caName, Optional<String> label, String requester, String requestId, Instant issuedAt) {
    return new CertificateRecord(
        cert.getSerialNumber().toString(16),
        caName,
        label,
        cert.getSubjectX500Principal().getName(),
        subjectAltNames(cert),
        sha256Hex(cert.getPublicKey().getEncoded()),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        CertificateStatus.ISSUED,
        requester,
        requestId,
        PemWriter.toPem(cert),
        issuedAt,
        Optional.empty(),
        Optional.empty());
  }

  /** REVOKED if revoked, EXPIRED if notAfter is before {@code now}, else ISSUED. */
  public CertificateStatus effectiveStatus(Instant now) {
    if (status == CertificateStatus.REVOKED) {
      return CertificateStatus.REVOKED;
    }
    return notAfter.isBefore(now) ? CertificateStatus.EXPIRED : CertificateStatus.ISSUED;
  }

  /** This record revoked at {@code at} for {@code reason}. */
  public CertificateRecord revoked(Instant at, String reason) {
    return new CertificateRecord(
        serial, caName, label, subject, subjectAltNames, publicKeySha256, notBefore, notAfter,
        CertificateStatus.REVOKED, requester, requestId, pem, issuedAt, Optional.of(at), Optional.of(reason));
  }

  /**
   * A serial as typed by a person ({@code 0A:1B}, {@code 0x0a1b}, {@code A1B}) in the stored form
   * ({@code a1b}).
   */
  public static String normaliseSerial(String serial) {
    Objects.requireNonNull(serial, "serial");
    String s = serial.trim().replace(":", "").toLowerCase(Locale.ROOT);
    if (s.startsWith("0x")) {
      s = s.substring(2);
    }
    if (s.isEmpty() || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException("'" + serial + "' is not a hexadecimal serial number");
    }
    return new BigInteger(s, 16).toString(16);
  }

  static List<String> subjectAltNames(X509Certificate cert) {
    Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new IllegalArgumentException("unreadable subjectAltName extension: " + e.getMessage(), e);
    }
    if (names == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (List<?> n : names) {
      int type = (Integer) n.get(0);
      Object value = n.get(1);
      String prefix =
          switch (type) {
            case 1 -> "email:";
            case 2 -> "DNS:";
            case 6 -> "URI:";
            case 7 -> "IP:";
            case 4 -> "dirName:";
            default -> null;
          };
      out.add(prefix != null && value instanceof String s ? prefix + s : "other:" + type);
    }
    return out;
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
