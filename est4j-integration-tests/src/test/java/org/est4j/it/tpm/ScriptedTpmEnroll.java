package org.est4j.it.tpm;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.est4j.protocol.cms.PskEncryptedData;
import org.est4j.testing.MockEstResponse;
import org.est4j.testing.RecordedEstRequest;
import org.est4j.tpm.CredentialChallenge;
import org.est4j.tpm.MakeCredential;
import org.est4j.tpm.TpmPublic;

/**
 * A /tpmenroll server in a few lines for {@code MockEstServer}'s dispatcher: the seed server's checks
 * (EK certificate's key = EK public area's, else 422), MakeCredential on the parts received, and the
 * seed's 3-part answer with {@code certificate} encrypted in the Go pkcs7 form.
 */
final class ScriptedTpmEnroll {
  private ScriptedTpmEnroll() {}

  static MockEstResponse answer(RecordedEstRequest r, X509Certificate certificate) {
    try {
      List<MultipartPart> parts = Multipart.decode(MediaType.parse(r.header("Content-Type").orElseThrow()), r.body());
      if (parts.size() != 4) {
        return MockEstResponse.error(400, "expected 4 parts, got " + parts.size());
      }
      List<X509Certificate> ekCerts = CertsOnly.decode(EstBase64.decode(parts.get(1).body()));
      TpmPublic ek = TpmPublic.parse(EstBase64.decode(parts.get(2).body()));
      TpmPublic ak = TpmPublic.parse(EstBase64.decode(parts.get(3).body()));
      if (!Arrays.equals(ekCerts.get(0).getPublicKey().getEncoded(), ek.publicKey().getEncoded())) {
        return MockEstResponse.error(422, "public key in public area doesn't match");
      }
      byte[] credential = new byte[16];
      new SecureRandom().nextBytes(credential);
      CredentialChallenge c = MakeCredential.make(credential, ek, ak);
      byte[] cert = PskEncryptedData.encrypt(certificate.getEncoded(), credential, PskEncryptedData.Form.GO_PKCS7);
      byte[] body = Multipart.encode("estTPMEnrollBoundary", List.of(
          MultipartPart.base64("application/octet-stream", c.credentialBlob()),
          MultipartPart.base64("application/octet-stream", c.encryptedSecret()),
          MultipartPart.base64("application/pkcs7-mime; smime-type=enveloped-data", cert)));
      return MockEstResponse.builder()
          .addHeader("Content-Type", "multipart/mixed; boundary=estTPMEnrollBoundary").body(body).build();
    } catch (Exception e) {
      return MockEstResponse.error(500, "test server: " + e);
    }
  }
}
