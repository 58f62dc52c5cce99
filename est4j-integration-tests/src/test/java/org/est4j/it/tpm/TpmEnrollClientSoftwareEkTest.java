package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.est4j.client.CredentialActivator;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.KeyPairs;
import org.est4j.client.TpmEnrollRequest;
import org.est4j.client.TrustAnchors;
import org.est4j.testing.MockEstServer;
import org.est4j.testing.TestCertificate;
import org.est4j.testing.TestPki;
import org.est4j.tpm.CredentialActivation;
import org.est4j.tpm.CredentialChallenge;
import org.est4j.tpm.TpmPublic;
import org.est4j.tpm.TpmPublicBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole credential protection in software: a scripted server runs MakeCredential on the EK
 * and AK public areas the client sent (as a /tpmenroll server does) and encrypts the certificate
 * in the Go pkcs7 form under the credential; the client's {@link CredentialActivator} is a
 * software EK (TPM2_ActivateCredential's cryptography). RSA and ECC EKs.
 */
class TpmEnrollClientSoftwareEkTest {
  private static TestPki pki;
  private static TestCertificate issued;

  @BeforeAll
  static void pki() {
    pki = TestPki.create();
    issued = pki.newClient("ak");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa:2048", "ec:P-256", "ec:P-384"})
  void roundTripWithASoftwareEk(String ekAlgorithm) throws Exception {
    KeyPair ekKey = KeyPairs.generate(ekAlgorithm);
    KeyPair akKey = KeyPairs.generate("ec:P-256");
    TpmPublic ek = TpmPublicBuilder.ekTemplate(ekKey.getPublic()).build();
    TpmPublic ak = TpmPublicBuilder.akTemplate(akKey.getPublic()).build();
    TestCertificate ekCert = TestCertificate.builder().commonName("EK").keyPair(ekKey).signedBy(pki.root()).build();

    try (MockEstServer server = new MockEstServer(pki)) {
      server.setDispatcher(r -> ScriptedTpmEnroll.answer(r, issued.certificate()));
      server.start();
      EstClient client = EstClient.builder().server("localhost:" + server.port())
          .trust(TrustAnchors.explicit(List.of(pki.root().certificate()))).build();
      TpmEnrollRequest request = TpmEnrollRequest.builder()
          .csr(CsrBuilder.create().commonName("ak").sign(akKey))
          .ekCertificates(List.of(ekCert.certificate()))
          .ekPublic(ek.encode()).akPublic(ak.encode()).build();

      X509Certificate cert = client.tpmEnroll(request, (blob, seed) ->
          CredentialActivation.activate(ekKey.getPrivate(), ek, ak.name(), new CredentialChallenge(blob, seed)));
      assertThat(cert).isEqualTo(issued.certificate());

      // Another EK cannot recover the credential: the activator fails, nothing is decrypted.
      KeyPair otherEk = KeyPairs.generate(ekAlgorithm);
      assertThatThrownBy(() -> client.tpmEnroll(request, (blob, seed) ->
          CredentialActivation.activate(otherEk.getPrivate(), ek, ak.name(), new CredentialChallenge(blob, seed))))
          .isInstanceOf(GeneralSecurityException.class);
    }
  }
}
