package org.est4j.server;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.est4j.protocol.EstOperation;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.MediaTypes;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.est4j.protocol.cms.PskEncryptedData;
import org.est4j.tpm.CredentialChallenge;
import org.est4j.tpm.MakeCredential;
import org.est4j.tpm.SymDef;
import org.est4j.tpm.TpmAlg;
import org.est4j.tpm.TpmFormatException;
import org.est4j.tpm.TpmPublic;

/**
 * /tpmenroll, the Go seed's TPM 2.0 extension (TPM 2.0 Part 1 §24, credential protection): the
 * certificate for the AK's CSR is returned encrypted under a random credential that only the TPM
 * holding the EK can recover, and only with the AK loaded (TPM2_ActivateCredential).
 *
 * <p>Checks, in order: Content-Type multipart/mixed (415), authentication as for enroll (401;
 * an enrollment token, also in the AK CSR's challengePassword, is consumed in the certificate
 * row's transaction exactly as for /simpleenroll),
 * the four parts (see {@link TpmEnrollRequest}), the EK public area's key equals the EK
 * certificate's (422), the EK is a restricted decryption key with AES-CFB (422), the EK chain
 * verifies against the label's TPM manufacturer roots when it has some (422). The AK CSR is not
 * matched against the AK public area, as in the seed: activation itself proves the AK is resident
 * in that TPM.
 */
final class TpmEnrollment {
  static final String BOUNDARY = "estTPMEnrollBoundary";
  static final String ENVELOPED_DATA = "application/pkcs7-mime; smime-type=enveloped-data";
  static final String KEY_MISMATCH = "public key in public area doesn't match";
  private static final int CREDENTIAL_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Authenticator authenticator;
  private final Enrollments enrollments; // issues and records the AK's certificate

  TpmEnrollment(Authenticator authenticator, Enrollments enrollments) {
    this.authenticator = authenticator;
    this.enrollments = enrollments;
  }

  EstResponse enroll(EstRequest request, LabelRuntime label, RequestLog log) throws EstError {
    MediaType type = requireMultipart(request);
    Authenticator.Authentication auth = authenticator.authenticate(request, label, EstOperation.TPMENROLL,
        Optional.ofNullable(log.routeLabel), () -> tokenInAkCsr(type, request));
    log.identity = auth.identity();
    TpmEnrollRequest parts = TpmEnrollRequest.decode(type, request.body());
    if (auth.token().isPresent()) {
      auth.token().get().checkSubject(parts.csr()); // before MakeCredential: a refused subject costs nothing
    }
    checkEk(parts);
    List<X509Certificate> roots = label.settings.tpmEndorsementRoots();
    if (!roots.isEmpty()) {
      String failure = label.ekChainVerifier().verify(parts.ekCertificates());
      if (failure != null) {
        throw TpmEnrollRequest.partError(422, 1, failure);
      }
    }
    byte[] credential = new byte[CREDENTIAL_BYTES];
    RANDOM.nextBytes(credential);
    try {
      // the challenge first: an EK that MakeCredential cannot use must not cost a certificate
      CredentialChallenge challenge = makeCredential(credential, parts);
      X509Certificate cert = enrollments.issue(label, parts.csr(), log, auth); // a token commits with the row
      byte[] encrypted = PskEncryptedData.encrypt(cert.getEncoded(), credential, PskEncryptedData.Form.GO_PKCS7);
      int lineLength = Base64Style.lineLength(label.settings, request);
      byte[] body = Multipart.encode(BOUNDARY, List.of(
          MultipartPart.base64(TpmEnrollRequest.OCTET_STREAM, challenge.credentialBlob(), lineLength),
          MultipartPart.base64(TpmEnrollRequest.OCTET_STREAM, challenge.encryptedSecret(), lineLength),
          MultipartPart.base64(ENVELOPED_DATA, encrypted, lineLength)));
      return EstResponse.of(200, MediaTypes.MULTIPART_MIXED + "; boundary=" + BOUNDARY, body)
          .withHeader("Cache-Control", "no-store");
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("the CA returned an unencodable certificate", e);
    } finally {
      Arrays.fill(credential, (byte) 0);
    }
  }

  /** A token in the AK CSR's challengePassword or otpChallenge; none when the body does not decode. */
  private static Optional<String> tokenInAkCsr(MediaType type, EstRequest request) {
    try {
      return TokenCredential.fromCsr(TpmEnrollRequest.decode(type, request.body()).csr());
    } catch (EstError e) {
      return Optional.empty(); // the body's own error follows authentication
    }
  }

  private static CredentialChallenge makeCredential(byte[] credential, TpmEnrollRequest parts)
      throws EstError {
    try {
      return MakeCredential.make(credential, parts.ek(), parts.ak().name());
    } catch (java.security.InvalidKeyException e) {
      // e.g. an ECC point off its curve, which ECDH refuses: the client's fault
      throw TpmEnrollRequest.partError(422, 2, "the EK's public key is unusable: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MakeCredential failed", e); // a JCA failure: ours
    }
  }

  private static MediaType requireMultipart(EstRequest request) throws EstError {
    MediaType type;
    try {
      type = MediaType.parse(request.headers().get("Content-Type"));
    } catch (EstProtocolException e) {
      throw EstError.of(415, Errors.CONTENT_TYPE_MISSING);
    }
    if (!type.is(MediaTypes.MULTIPART_MIXED)) {
      throw EstError.of(415, "Content-Type must be " + MediaTypes.MULTIPART_MIXED);
    }
    return type;
  }

  /** The EK public area must hold the EK certificate's key and be usable by MakeCredential. */
  private static void checkEk(TpmEnrollRequest parts) throws EstError {
    TpmPublic ek = parts.ek();
    PublicKey areaKey;
    try {
      areaKey = ek.publicKey();
    } catch (TpmFormatException e) {
      throw EstError.of(400, "unable to extract public key from TPM object public area: " + e.getMessage());
    }
    if (!EkKeys.sameKey(ek, areaKey, parts.ekCertificates().get(0))) {
      throw EstError.of(422, KEY_MISMATCH);
    }
    if (!ek.isRestrictedDecryptionKey()) {
      throw EstError.of(422, "EK is not a storage key: the EK public area must be a restricted"
          + " decryption key that cannot sign (its attributes are 0x"
          + Integer.toHexString(ek.attributes()) + ")");
    }
    SymDef sym = ek.symmetric();
    if (sym.algorithm() != TpmAlg.AES || sym.mode() != TpmAlg.CFB
        || (sym.keyBits() != 128 && sym.keyBits() != 192 && sym.keyBits() != 256)) {
      throw EstError.of(422, "the EK public area's symmetric algorithm must be AES-128, -192 or"
          + " -256 in CFB mode, as TPM credential protection requires");
    }
  }
}
