package org.est4j.it.tpm;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.est4j.client.CsrBuilder;
import org.est4j.testing.TestCertificate;
import org.est4j.tpm.CredentialActivation;
import org.est4j.tpm.CredentialChallenge;
import org.est4j.tpm.TpmPublic;
import org.est4j.tpm.TpmPublicBuilder;

/**
 * A TPM in software: an EK (RSA or ECC) with its public area in the TCG default template's shape
 * and a certificate from a test "manufacturer" CA, and an AK. {@link #activate} does what
 * TPM2_ActivateCredential does, with the EK's private key.
 */
final class SoftwareTpm {
  final KeyPair ekKeys;
  final TpmPublic ek;
  final List<X509Certificate> ekChain;
  final KeyPair akKeys;
  final TpmPublic ak;

  SoftwareTpm(KeyPair ekKeys, TpmPublic ek, List<X509Certificate> ekChain, KeyPair akKeys, TpmPublic ak) {
    this.ekKeys = ekKeys;
    this.ek = ek;
    this.ekChain = List.copyOf(ekChain);
    this.akKeys = akKeys;
    this.ak = ak;
  }

  /** {@code ekType} "rsa" (2048) or an EC curve name; the EK certificate issued by {@code manufacturer}. */
  static SoftwareTpm create(String ekType, TestCertificate manufacturer) throws Exception {
    KeyPair ekKeys = keys(ekType);
    TpmPublic ek = TpmPublicBuilder.ekTemplate(ekKeys.getPublic()).build();
    KeyPair akKeys = keys("secp256r1");
    TpmPublic ak = TpmPublicBuilder.akTemplate(akKeys.getPublic()).build();
    return new SoftwareTpm(ekKeys, ek, ekChain(ekKeys, manufacturer), akKeys, ak);
  }

  /** The EK certificate (empty subject is typical, but a CN keeps the test readable) and its issuers. */
  static List<X509Certificate> ekChain(KeyPair ekKeys, TestCertificate manufacturer) {
    TestCertificate ekCert = TestCertificate.builder()
        .commonName("Test TPM Device").keyPair(ekKeys).signedBy(manufacturer).build();
    return new ArrayList<>(ekCert.chain());
  }

  static KeyPair keys(String type) throws Exception {
    if (type.equals("rsa")) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(type));
    return g.generateKeyPair();
  }

  /** A CSR for the AK, signed with it (the seed's test AK is not restricted, so it can sign). */
  byte[] akCsr(String commonName) throws Exception {
    return CsrBuilder.create().commonName(commonName).sign(akKeys);
  }

  byte[] activate(byte[] credentialBlob, byte[] encryptedSeed) throws Exception {
    return CredentialActivation.activate(
        ekKeys.getPrivate(), ek, ak.name(), new CredentialChallenge(credentialBlob, encryptedSeed));
  }
}
