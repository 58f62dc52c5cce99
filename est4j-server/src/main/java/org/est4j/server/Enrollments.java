package org.est4j.server;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.est4j.ca.CaException;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.RetryLaterException;
import org.est4j.ca.ServerKeyGenerator;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.Csr;
import org.est4j.protocol.CsrAttrsCheck;
import org.est4j.protocol.EstOperation;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.MediaTypes;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.est4j.protocol.NameComparison;
import org.est4j.server.store.TokenNotUsableException;

/**
 * The three operations that turn a CSR into a certificate: /simpleenroll (RFC 7030 §4.2.1),
 * /simplereenroll (§4.2.2) and /serverkeygen (§4.4). Each checks the content type before
 * authentication (as the Go seed does: 415 before 401), then decodes and verifies the CSR.
 */
final class Enrollments {
  static final String SERVER_KEYGEN_BOUNDARY = "estServerKeyGenBoundary";

  private final Authenticator authenticator;
  private final boolean seedTestHeaders;
  private final IssuanceRecorder recorder;
  private final Approvals approvals;
  private final org.est4j.server.store.CertificateStore certificates;
  private final java.time.Clock clock;

  /**
   * @param seedTestHeaders honour the Go seed's test header {@code Bit-Size} on /serverkeygen (the
   *     zero-config test server only)
   * @param recorder where every issued certificate is recorded before the response
   */
  Enrollments(Authenticator authenticator, boolean seedTestHeaders, IssuanceRecorder recorder, Approvals approvals,
      org.est4j.server.store.CertificateStore certificates, java.time.Clock clock) {
    this.authenticator = authenticator;
    this.seedTestHeaders = seedTestHeaders;
    this.recorder = recorder;
    this.approvals = approvals;
    this.certificates = certificates;
    this.clock = clock;
  }

  /** /simpleenroll. */
  EstResponse enroll(EstRequest request, LabelRuntime label, RequestLog log) throws EstError {
    requirePkcs10(request);
    Authenticator.Authentication auth = authenticate(request, label, log, EstOperation.SIMPLEENROLL);
    Csr csr = readCsr(request);
    checkToken(auth, csr);
    checkCsrAttrs(label, csr);
    X509Certificate cert = issueOrAwaitApproval(label, csr, "simpleenroll", log, auth);
    return certsOnly(cert, Base64Style.lineLength(label.settings, request));
  }

  /** Issues now, or with {@code approval: manual} once approved (else 202/403, see {@link Approvals}). */
  private X509Certificate issueOrAwaitApproval(
      LabelRuntime label, Csr csr, String operation, RequestLog log, Authenticator.Authentication auth)
      throws EstError {
    if (!label.settings.manualApproval()) {
      return issue(label, csr, log, auth);
    }
    Approvals.Approved approved = approvals.check(label, log, csr, operation, auth.token());
    X509Certificate cert;
    if (approved.issued().isPresent()) {
      cert = approved.issued().get(); // delivered again: not issued again (metrics count it once)
    } else {
      X509Certificate signed = sign(label, forCa(label, csr));
      cert = approvals.complete(approved.request(), signed, label, log);
      log.issued = cert.equals(signed); // else another node linked its certificate a moment earlier
    }
    log.serial = cert.getSerialNumber().toString(16);
    return cert;
  }

  /**
   * A reenrolling client's certificate must be neither expired nor revoked (issue 5 §4): it is
   * the only credential of /simplereenroll.
   */
  private void requireUsable(X509Certificate current, LabelRuntime label) throws EstError {
    String serial = current.getSerialNumber().toString(16);
    if (current.getNotAfter().toInstant().isBefore(clock.instant())) {
      throw EstError.of(403, "certificate " + serial + " expired on " + current.getNotAfter().toInstant()
          + ": enroll again with /simpleenroll");
    }
    java.util.Optional<org.est4j.server.store.CertificateRecord> row = certificates.find(label.settings.caName(), serial);
    if (row.isPresent() && row.get().status() == org.est4j.server.store.CertificateStatus.REVOKED) {
      throw EstError.of(403, "certificate " + serial + " was revoked on "
          + row.get().revokedAt().map(Object::toString).orElse("an unknown date")
          + " (" + row.get().revocationReason().orElse("unspecified") + ")");
    }
  }

  private Authenticator.Authentication authenticate(
      EstRequest request, LabelRuntime label, RequestLog log, EstOperation operation) throws EstError {
    Authenticator.Authentication auth =
        authenticator.authenticate(request, label, operation, Optional.ofNullable(log.routeLabel));
    log.identity = auth.identity();
    return auth;
  }

  private static void checkToken(Authenticator.Authentication auth, Csr csr) throws EstError {
    if (auth.token().isPresent()) {
      auth.token().get().checkSubject(csr);
    }
  }

  /** /simplereenroll: the TLS client certificate is the credential and fixes Subject and SAN. */
  EstResponse reenroll(EstRequest request, LabelRuntime label, RequestLog log) throws EstError {
    requirePkcs10(request);
    if (label.settings.auth().allowed(EstOperation.SIMPLEREENROLL).isEmpty()) {
      throw EstError.of(403, "reenroll is not allowed on this label (auth.reenroll: [])");
    }
    if (!request.secure() || request.peerCertificates().isEmpty()) {
      throw EstError.of(403, Errors.NO_CLIENT_CERT);
    }
    if (request.peerCertificates().get(0).getNotAfter().toInstant().isBefore(clock.instant())) {
      requireUsable(request.peerCertificates().get(0), label); // says "expired", not just "invalid"
    }
    if (!label.issuedByUs().verify(request.peerCertificates())) {
      throw EstError.of(403, Errors.INVALID_CLIENT_CERT);
    }
    X509Certificate current = request.peerCertificates().get(0);
    log.identity = "cert:" + current.getSubjectX500Principal().getName();
    requireUsable(current, label);
    Csr csr = readCsr(request);
    ReenrollPolicy policy = label.settings.reenroll();
    if (!policy.subjectChangeAllowed()
        && (!NameComparison.sameSubject(csr.subject(), NameComparison.subjectOf(current))
            || !NameComparison.sameSubjectAltNames(csr.subjectAltNames(), NameComparison.subjectAltNamesOf(current)))) {
      throw EstError.of(403, Errors.SUBJECT_CHANGED);
    }
    if (!policy.sameKeyAllowed() && sameKey(csr, current)) {
      throw EstError.of(403, "reenroll.same_key is deny on this label: the CSR must carry a new key, not the"
          + " current certificate's");
    }
    checkCsrAttrs(label, csr);
    X509Certificate cert = issueOrAwaitApproval(label, csr, "simplereenroll", log, Authenticator.Authentication.of(log.identity));
    return certsOnly(cert, Base64Style.lineLength(label.settings, request));
  }

  /**
   * /serverkeygen: a key of the CSR key's type and size (else P-256), returned as PKCS#8 or, when
   * the CSR asks for it (§4.4.1), encrypted; see {@link ServerKeyProtection}.
   */
  EstResponse serverKeyGen(EstRequest request, LabelRuntime label, RequestLog log) throws EstError {
    requirePkcs10(request);
    Authenticator.Authentication auth = authenticate(request, label, log, EstOperation.SERVERKEYGEN);
    Csr csr = readCsr(request);
    checkToken(auth, csr);
    ServerKeyProtection protection = ServerKeyProtection.plan(csr, request, label.settings);
    Approvals.Approved approved = null;
    if (label.settings.manualApproval()) {
      approved = approvals.check(label, log, csr, "serverkeygen", auth.token());
      if (approved.issued().isPresent()) {
        throw EstError.of(403, "the key of request " + approved.request().id() + " was already delivered (certificate "
            + approved.issued().get().getSerialNumber().toString(16) + "); the server keeps no private keys: send a new request");
      }
    }
    KeyPair keyPair;
    try {
      keyPair = seedTestHeaders ? SeedBitSize.generate(request, csr) : ServerKeyGenerator.generateLike(csr.publicKeyInfo());
    } catch (CaException e) {
      throw fromCa(e);
    }
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
    CertificateRequest forCa = new CertificateRequest(csr.subject(), csr.subjectAltNames(), spki)
        .withProfile(label.settings.profile());
    if (label.settings.authority().forwardsCsr()) {
      forCa = forCa.withSignedCsr(ServerKeyCsr.sign(csr, keyPair));
    }
    X509Certificate cert;
    if (approved == null) {
      cert = issue(label, forCa, log, auth);
    } else {
      X509Certificate signed = sign(label, forCa);
      cert = approvals.complete(approved.request(), signed, label, log);
      if (!cert.equals(signed)) {
        throw EstError.of(409, "another server node delivered request " + approved.request().id() + " at the same moment");
      }
      log.serial = cert.getSerialNumber().toString(16);
      log.issued = true;
    }
    int lineLength = Base64Style.lineLength(label.settings, request);
    byte[] pkcs8 = keyPair.getPrivate().getEncoded();
    try {
      ServerKeyProtection.KeyPart key = protection.protect(pkcs8);
      byte[] body =
          Multipart.encode(
              SERVER_KEYGEN_BOUNDARY,
              List.of(
                  MultipartPart.base64(key.contentType(), key.der(), lineLength),
                  MultipartPart.base64(MediaTypes.CERTS_ONLY, encodeCertsOnly(cert), lineLength)));
      return EstResponse.of(200, MediaTypes.MULTIPART_MIXED + "; boundary=" + SERVER_KEYGEN_BOUNDARY, body)
          .withHeader("Cache-Control", "no-store");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign or encrypt the server-generated key", e); // a 500 with a request id
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private static void requirePkcs10(EstRequest request) throws EstError {
    String header = request.headers().get("Content-Type");
    MediaType type;
    try {
      type = MediaType.parse(header);
    } catch (EstProtocolException e) {
      throw EstError.of(415, Errors.CONTENT_TYPE_MISSING);
    }
    if (!type.is(MediaTypes.PKCS10)) {
      throw EstError.of(415, "Content-Type must be " + MediaTypes.PKCS10);
    }
  }

  private static Csr readCsr(EstRequest request) throws EstError {
    if (request.body().length == 0) {
      throw EstError.of(400, Errors.EMPTY_BODY);
    }
    try {
      byte[] der = EstBase64.decode(request.body());
      if (der.length == 0) {
        throw EstError.of(400, Errors.EMPTY_BODY);
      }
      return Csr.decode(der).verify();
    } catch (EstProtocolException e) {
      throw EstError.of(400, e.getMessage());
    }
  }

  /** Signs only: the caller records (see {@link Approvals#complete}). */
  private static X509Certificate sign(LabelRuntime label, CertificateRequest request) throws EstError {
    try {
      return label.settings.authority().issue(request);
    } catch (CaException e) {
      throw fromCa(e);
    }
  }

  private static boolean sameKey(Csr csr, X509Certificate current) {
    try {
      return Arrays.equals(csr.publicKeyInfo().getEncoded(ASN1Encoding.DER), current.getPublicKey().getEncoded());
    } catch (java.io.IOException e) {
      return false; // a key we cannot encode is not the current one
    }
  }

  /**
   * Refuses (400) a CSR that does not give what the label's /csrattrs advertises, when the label
   * enforces them.
   */
  private static void checkCsrAttrs(LabelRuntime label, Csr csr) throws EstError {
    if (!label.settings.enforceCsrAttrs()) {
      return;
    }
    try {
      Optional<String> unmet = CsrAttrsCheck.unmet(label.settings.csrAttrs(), csr);
      if (unmet.isPresent()) {
        throw EstError.of(400, "the CSR does not satisfy this label's CSR attributes (enforce_csrattrs): " + unmet.get());
      }
    } catch (EstProtocolException e) {
      throw new IllegalStateException("the label's CSR attributes cannot be read: " + e.getMessage(), e);
    }
  }

  /** Issues for a verified CSR under the label's profile; the CA also gets the CSR to forward. */
  X509Certificate issue(LabelRuntime label, Csr csr, RequestLog log) throws EstError {
    return issue(label, csr, log, Authenticator.Authentication.of(log.identity));
  }

  /** As {@link #issue(LabelRuntime, Csr, RequestLog)}, consuming the token when the credential was one. */
  X509Certificate issue(LabelRuntime label, Csr csr, RequestLog log, Authenticator.Authentication auth)
      throws EstError {
    return issue(label, forCa(label, csr), log, auth);
  }

  private static CertificateRequest forCa(LabelRuntime label, Csr csr) {
    return new CertificateRequest(csr.subject(), csr.subjectAltNames(), csr.publicKeyInfo())
        .withProfile(label.settings.profile()).withSignedCsr(csr.encoded());
  }

  X509Certificate issue(
      LabelRuntime label, X500Name subject, Optional<GeneralNames> san, SubjectPublicKeyInfo key, RequestLog log)
      throws EstError {
    return issue(label, new CertificateRequest(subject, san, key).withProfile(label.settings.profile()), log);
  }

  /** Signs and records (committed before any response is built; see {@link IssuanceRecorder}). */
  X509Certificate issue(LabelRuntime label, CertificateRequest request, RequestLog log) throws EstError {
    return issue(label, request, log, Authenticator.Authentication.of(log.identity));
  }

  /**
   * Signs and records; when the credential was an enrollment token, its consumption commits with
   * the certificate row, and a token consumed meanwhile by another request (or node) is a 403
   * with nothing recorded and nothing sent.
   */
  private X509Certificate issue(
      LabelRuntime label, CertificateRequest request, RequestLog log, Authenticator.Authentication auth)
      throws EstError {
    X509Certificate cert;
    try {
      cert = label.settings.authority().issue(request);
    } catch (CaException e) {
      throw fromCa(e);
    }
    log.serial = cert.getSerialNumber().toString(16);
    try {
      recorder.record(cert, label, log, auth.token());
    } catch (TokenNotUsableException e) {
      throw EstError.of(403, e.getMessage());
    }
    log.issued = true;
    return cert;
  }

  static EstError fromCa(CaException e) {
    if (e instanceof RetryLaterException r) {
      return EstError.retryLater(202, r.getMessage(), r.retryAfter());
    }
    if (e.status() >= 500 || e.status() < 200) {
      throw new IllegalStateException("the CA failed: " + e.getMessage(), e); // our fault: a 500 with a request id
    }
    return EstError.of(e.status(), e.getMessage());
  }

  private static EstResponse certsOnly(X509Certificate cert, int lineLength) {
    return EstResponse.base64(MediaTypes.CERTS_ONLY, EstBase64.encode(encodeCertsOnly(cert), lineLength));
  }

  private static byte[] encodeCertsOnly(X509Certificate cert) {
    return CertsOnly.encode(List.of(cert));
  }
}
