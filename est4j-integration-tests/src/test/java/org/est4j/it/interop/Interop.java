package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.cli.EmbeddedEstServer;

/** Shared plumbing for the interop suites: servers, keys, CSRs, PEM files and path validation. */
final class Interop {
  static final String USER = "alice";
  static final String PASSWORD = "wonderland";

  /** A configured server (authentication required) with the one user alice/wonderland. */
  static final String AUTH_CONFIG =
      "tls:\n"
          + "  listen_address: 127.0.0.1:0\n"
          + "users:\n"
          + "  - username: " + USER + "\n"
          + "    password: " + PASSWORD + "\n";

  private Interop() {}

  static EmbeddedEstServer zeroConfigServer() throws Exception {
    return EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
  }

  /** Writes {@code yaml} to {@code dir/name} and starts the server it describes on a random port. */
  static EmbeddedEstServer configuredServer(Path dir, String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return EmbeddedEstServer.start(Optional.of(file), "127.0.0.1:0");
  }

  static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static KeyPair rsaKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static String signatureAlgorithm(PrivateKey key) {
    return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
  }

  /** A PKCS#10 request for {@code subject} with optional DNS subjectAltNames, signed by the pair. */
  static PKCS10CertificationRequest csr(KeyPair pair, String subject, String... dnsNames) throws Exception {
    JcaPKCS10CertificationRequestBuilder builder =
        new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), pair.getPublic());
    if (dnsNames.length > 0) {
      GeneralName[] names = new GeneralName[dnsNames.length];
      for (int i = 0; i < dnsNames.length; i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
      }
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
    }
    return builder.build(
        new JcaContentSignerBuilder(signatureAlgorithm(pair.getPrivate())).build(pair.getPrivate()));
  }

  /**
   * Validates {@code leaf} (plus untrusted {@code intermediates}) against {@code root} as the only
   * trust anchor with the JDK's PKIX validator; fails the test when the path does not validate.
   */
  static PKIXCertPathValidatorResult assertChainsTo(
      X509Certificate leaf, List<X509Certificate> intermediates, X509Certificate root) {
    try {
      List<X509Certificate> path = new ArrayList<>();
      path.add(leaf);
      for (X509Certificate ca : intermediates) {
        if (!ca.equals(root) && !ca.equals(leaf)) {
          path.add(ca);
        }
      }
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      CertPath certPath = factory.generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      parameters.setRevocationEnabled(false);
      return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(
          "certificate " + leaf.getSubjectX500Principal() + " does not chain to root "
              + root.getSubjectX500Principal() + ": " + e,
          e);
    }
  }

  /** Proves {@code key} is the private half of {@code publicKey} by a signature round trip. */
  static void assertKeyPairMatches(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
    byte[] data = "est4j interop key check".getBytes(StandardCharsets.US_ASCII);
    String algorithm = signatureAlgorithm(key);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(data);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(publicKey);
    verifier.update(data);
    assertThat(verifier.verify(signature))
        .as("the private key matches the certificate's public key")
        .isTrue();
  }

  static String pem(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  static Path writePem(Path file, Object... objects) throws IOException {
    Files.writeString(file, pem(objects), StandardCharsets.US_ASCII);
    return file;
  }

  /** All certificates of a PEM (or DER) file, in file order. */
  static List<X509Certificate> readCertificates(Path file) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certs = new ArrayList<>();
    for (var cert : factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      certs.add((X509Certificate) cert);
    }
    return certs;
  }

  static X509Certificate readCertificate(Path file) throws Exception {
    List<X509Certificate> certs = readCertificates(file);
    assertThat(certs).as("certificates in %s", file).hasSize(1);
    return certs.get(0);
  }
}
