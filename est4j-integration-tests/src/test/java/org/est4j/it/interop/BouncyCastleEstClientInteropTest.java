package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.CACertsResponse;
import org.bouncycastle.est.CSRRequestResponse;
import org.bouncycastle.est.ESTAuth;
import org.bouncycastle.est.ESTException;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.HttpAuth;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bouncy Castle's EST client ({@code org.bouncycastle.est}, bcpkix) against est4j: its own HTTP/1.1
 * client over JSSE, its own base64/PKCS#7/multipart parsing and its own Basic authentication.
 */
class BouncyCastleEstClientInteropTest {
  private static final JcaX509CertificateConverter CONVERTER = new JcaX509CertificateConverter();

  @TempDir Path dir;

  /**
   * BC trusts exactly the server's root (explicit trust anchor) and checks the hostname against
   * localhost. The JDK's PKIX trust manager is used: BC's own {@code
   * JcaJceUtils.getCertPathTrustManager} needs the "BC" JCA provider installed JVM-wide.
   */
  private static JsseESTServiceBuilder client(EmbeddedEstServer server) throws Exception {
    X509TrustManager[] trust = {TestPki.trustManagerTrusting(server.root())};
    // Note: the embedded server inserts Conscrypt as the JVM's first security provider, so BC's
    // default SSLContext here is Conscrypt's. Pinning SunJSSE does not work: see the report
    // (SunJSSE's static initialisation fails once Conscrypt is first, ECFieldF2m).
    return new JsseESTServiceBuilder("localhost", server.port(), trust).withTimeout(30_000);
  }

  /** BC's own Basic/Digest implementation: waits for the 401 challenge, then answers it. */
  private static HttpAuth httpAuth(String user, String password) {
    return new HttpAuth(user, password.toCharArray());
  }

  /**
   * Preemptive HTTP Basic through BC's public {@link ESTAuth} hook: credentials on the first
   * request, as many device clients send them ({@link #httpAuth} covers the challenge flow).
   */
  private static ESTAuth basic(String user, String password) {
    String token =
        Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return request -> request.setHeader("Authorization", "Basic " + token);
  }

  private static List<X509Certificate> certificates(Collection<X509CertificateHolder> holders) throws Exception {
    List<X509Certificate> certs = new ArrayList<>();
    for (X509CertificateHolder holder : holders) {
      certs.add(CONVERTER.getCertificate(holder));
    }
    return certs;
  }

  private static X509Certificate single(EnrollmentResponse response) throws Exception {
    assertThat(response.isCompleted()).as("enrollment completed (not 202)").isTrue();
    List<X509Certificate> certs = certificates(response.getStore().getMatches(null));
    assertThat(certs).as("certificates in the enrollment response").hasSize(1);
    return certs.get(0);
  }

  @Test
  void getCACertsReturnsTheChainEndingAtTheServersRoot() throws Exception {
    try (EmbeddedEstServer server = Interop.zeroConfigServer()) {
      CACertsResponse response = client(server).build().getCACerts();

      assertThat(response.isTrusted()).as("fetched over a TLS session BC validated").isTrue();
      assertThat(response.hasCertificates()).isTrue();
      List<X509Certificate> certs = certificates(response.getCertificateStore().getMatches(null));
      assertThat(certs).containsExactlyInAnyOrderElementsOf(server.caCertificates());

      X509Certificate root = server.root();
      List<X509Certificate> selfSigned =
          certs.stream().filter(c -> c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).toList();
      assertThat(selfSigned).as("exactly one self-signed root in /cacerts").containsExactly(root);
      X509Certificate issuing = server.caCertificates().get(0);
      Interop.assertChainsTo(issuing, certs, root);
      assertThat(issuing.getBasicConstraints()).as("issuing CA is a CA").isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void getCsrAttributesWithoutAttributesIsBcsEmptyResult() throws Exception {
    try (EmbeddedEstServer server = Interop.zeroConfigServer()) {
      CSRRequestResponse response = client(server).build().getCSRAttributes();

      // est4j answers 204 No Content; BC maps 204 to "no attributes response".
      assertThat(response.hasAttributesResponse()).isFalse();
    }
  }

  /**
   * Interop quirk: the zero-config server's test label {@code csrattrs} (inherited from the Go
   * seed) is an operation name, and BC refuses such labels before sending anything, so BC cannot
   * reach it. est4j's own label validation ({@code Labels}) agrees with BC and would reject
   * {@code labels: {csrattrs: ...}} in a config file.
   */
  @Test
  void bcRefusesTheZeroConfigCsrattrsTestLabel() throws Exception {
    try (EmbeddedEstServer server = Interop.zeroConfigServer()) {
      assertThatThrownBy(() -> client(server).withLabel("csrattrs").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reserved path segment");
    }
  }

  /** The RFC 7030 section 4.5.2 example, configured on an ordinary label, as BC reads it. */
  @Test
  void getCsrAttributesOnALabelReturnsTheRfc7030Example() throws Exception {
    // RFC 7030 section 4.5.2: the example CsrAttrs DER as printed in the RFC.
    byte[] rfcExample =
        HexFormat.of()
            .parseHex(
                "3041"
                    + "06092a864886f70d010907"
                    + "3012" + "06072a8648ce3d0201" + "3107" + "06052b81040022"
                    + "3016" + "06092a864886f70d01090e" + "3109" + "06072b060101010116"
                    + "06082a8648ce3d040303");
    String yaml =
        Interop.AUTH_CONFIG
            + "labels:\n"
            + "  rfc7030:\n"
            + "    csrattrs:\n"
            + "      - 1.2.840.113549.1.9.7\n"
            + "      - {type: 1.2.840.10045.2.1, values: [1.3.132.0.34]}\n"
            + "      - {type: 1.2.840.113549.1.9.14, values: [1.3.6.1.1.1.1.22]}\n"
            + "      - 1.2.840.10045.4.3.3\n";
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "est.yaml", yaml)) {
      CSRRequestResponse response = client(server).withLabel("rfc7030").build().getCSRAttributes();

      assertThat(response.hasAttributesResponse()).isTrue();
      var attributes = response.getAttributesResponse();
      assertThat(attributes.isEmpty()).isFalse();
      assertThat(attributes.getRequirements())
          .containsExactlyInAnyOrder(
              new ASN1ObjectIdentifier("1.2.840.113549.1.9.7"), // challengePassword
              new ASN1ObjectIdentifier("1.2.840.10045.2.1"), // ecPublicKey (attribute: secp384r1)
              new ASN1ObjectIdentifier("1.2.840.113549.1.9.14"), // extensionRequest (attribute)
              new ASN1ObjectIdentifier("1.2.840.10045.4.3.3")); // ecdsaWithSHA384
      assertThat(attributes.isAttribute(new ASN1ObjectIdentifier("1.2.840.10045.2.1"))).isTrue();
      assertThat(attributes.isAttribute(new ASN1ObjectIdentifier("1.2.840.113549.1.9.7"))).isFalse();
      assertThat(attributes.getEncoded()).isEqualTo(rfcExample);
    }
  }

  /**
   * Enroll with HTTP Basic, then re-enroll (new key, same Subject and SAN) authenticated only by
   * the TLS client certificate just issued.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RSA", "EC"})
  void simpleEnrollWithBasicThenReenrollWithTlsClientCertificate(String keyType) throws Exception {
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "est.yaml", Interop.AUTH_CONFIG)) {
      X509Certificate root = server.root();
      String subject = "CN=bc-" + keyType.toLowerCase() + ",O=est4j interop";
      String dns = "bc-" + keyType.toLowerCase() + ".example.org";
      KeyPair first = keyType.equals("RSA") ? Interop.rsaKeyPair() : Interop.ecKeyPair();

      EnrollmentResponse enrolled =
          client(server).build()
              .simpleEnroll(false, Interop.csr(first, subject, dns), basic(Interop.USER, Interop.PASSWORD));
      X509Certificate cert = single(enrolled);
      assertThat(cert.getPublicKey()).isEqualTo(first.getPublic());
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("O=est4j interop,CN=bc-" + keyType.toLowerCase());
      assertThat(List.copyOf(cert.getSubjectAlternativeNames())).containsExactly(List.of(2, dns));
      Interop.assertChainsTo(cert, server.caCertificates(), root);

      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      char[] storePassword = "changeit".toCharArray();
      keyStore.setKeyEntry(
          "client", first.getPrivate(), storePassword, new Certificate[] {cert, server.caCertificates().get(0)});
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keyStore, storePassword);

      KeyPair second = keyType.equals("RSA") ? Interop.rsaKeyPair() : Interop.ecKeyPair();
      EnrollmentResponse renewed =
          client(server).withKeyManagers(keyManagers.getKeyManagers()).build()
              .simpleEnroll(true, Interop.csr(second, subject, dns), null);
      X509Certificate newCert = single(renewed);
      assertThat(newCert.getPublicKey()).isEqualTo(second.getPublic());
      assertThat(newCert.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
      assertThat(List.copyOf(newCert.getSubjectAlternativeNames()))
          .isEqualTo(List.copyOf(cert.getSubjectAlternativeNames()));
      assertThat(newCert.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());
      Interop.assertChainsTo(newCert, server.caCertificates(), root);
    }
  }

  /**
   * A wrong password or an unknown user is a 401 that BC reports as such. est4j's 401s have an
   * empty body: BC closes error responses unread and its close() fails on any unread body, which
   * replaced the ESTException(401) with an IOException while est4j still sent a text body.
   */
  @Test
  void simpleEnrollWithAWrongPasswordFailsWith401() throws Exception {
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "est.yaml", Interop.AUTH_CONFIG)) {
      PKCS10CertificationRequest csr = Interop.csr(Interop.ecKeyPair(), "CN=bc-wrong-password");

      assertThatThrownBy(() -> client(server).build().simpleEnroll(false, csr, basic(Interop.USER, "not-the-password")))
          .isInstanceOfSatisfying(ESTException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));
      assertThatThrownBy(() -> client(server).build().simpleEnroll(false, csr, basic("mallory", Interop.PASSWORD)))
          .isInstanceOfSatisfying(ESTException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));
      // The same client with the right password succeeds, so the refusal above is about credentials.
      assertThat(single(client(server).build().simpleEnroll(false, csr, basic(Interop.USER, Interop.PASSWORD))))
          .isNotNull();
    }
  }

  /**
   * BC's own Basic authentication: it sends the request without credentials, reads the 401
   * challenge, and answers it. This needs a 401 without a body (BC closes the challenge unread and
   * fails on any body; libest, which BC's tests use, sends none either).
   */
  @Test
  void bcHttpAuthBasicEnrolls() throws Exception {
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "est.yaml", Interop.AUTH_CONFIG)) {
      KeyPair pair = Interop.ecKeyPair();
      ESTService est = client(server).build();

      X509Certificate cert =
          single(est.simpleEnroll(false, Interop.csr(pair, "CN=bc-http-auth"), httpAuth(Interop.USER, Interop.PASSWORD)));
      Interop.assertChainsTo(cert, server.caCertificates(), server.root());
      assertThatThrownBy(
              () -> est.simpleEnroll(false, Interop.csr(pair, "CN=bc-http-auth"), httpAuth(Interop.USER, "wrong")))
          .isInstanceOfSatisfying(ESTException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RSA", "EC"})
  void serverKeygenReturnsAKeyMatchingTheCertificate(String keyType) throws Exception {
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "est.yaml", Interop.AUTH_CONFIG)) {
      KeyPair requestKey = keyType.equals("RSA") ? Interop.rsaKeyPair() : Interop.ecKeyPair();
      PKCS10CertificationRequest csr = Interop.csr(requestKey, "CN=bc-serverkeygen-" + keyType, "keygen.example.org");

      EnrollmentResponse response =
          client(server).build().simpleEnrollWithServersideCreation(csr, basic(Interop.USER, Interop.PASSWORD));

      X509Certificate cert = single(response);
      assertThat(response.getPrivateKeyInfo()).as("PKCS#8 part parsed by BC").isNotNull();
      PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(response.getPrivateKeyInfo());
      Interop.assertKeyPairMatches(key, cert.getPublicKey());
      assertThat(cert.getPublicKey()).as("a fresh server-generated key, not the CSR's").isNotEqualTo(requestKey.getPublic());
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=bc-serverkeygen-" + keyType);
      Interop.assertChainsTo(cert, server.caCertificates(), server.root());
    }
  }

  /** BC decodes both base64 styles est4j can emit: one line (no wrapping) and 76-column lines. */
  @ParameterizedTest(name = "base64_line_length {0}")
  @ValueSource(ints = {0, 76})
  void bothBase64StylesParseInBc(int lineLength) throws Exception {
    String yaml =
        Interop.AUTH_CONFIG
            + "labels:\n"
            + "  fixed:\n"
            + "    base64_line_length: " + lineLength + "\n";
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "est.yaml", yaml)) {
      ESTService est = client(server).withLabel("fixed").build();

      CACertsResponse cacerts = est.getCACerts();
      assertThat(certificates(cacerts.getCertificateStore().getMatches(null)))
          .containsExactlyInAnyOrderElementsOf(server.caCertificates());
      KeyPair pair = Interop.ecKeyPair();
      X509Certificate cert =
          single(est.simpleEnroll(false, Interop.csr(pair, "CN=bc-wrap-" + lineLength), basic(Interop.USER, Interop.PASSWORD)));
      Interop.assertChainsTo(cert, server.caCertificates(), server.root());
    }
  }
}
