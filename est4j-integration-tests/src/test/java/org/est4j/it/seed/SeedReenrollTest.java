package org.est4j.it.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.est4j.it.seed.SeedServer.assertError;
import static org.est4j.it.seed.SeedServer.path;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Port of the seed's {@code TestReenroll} (reference §5.1) and mockca {@code TestEnrollReenroll}
 * (§5.4) against the seed-harness configuration, plus the cases where the seed's byte-exact
 * Subject/SAN comparison was wrong (reference §8.1 item 8): est4j must accept a reordered SAN and
 * a subject whose strings are re-encoded (PrintableString vs UTF8String).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedReenrollTest {
  @TempDir static Path dir;
  SeedServer s;

  @BeforeAll
  void start() throws Exception {
    s = SeedServer.configured(dir);
  }

  @AfterAll
  void stop() throws Exception {
    s.close();
  }

  /** Enrolls with Basic auth and returns a client presenting the new certificate + /cacerts chain. */
  private Enrolled enroll(KeyPair keys, X500Name subject, GeneralNames san) throws Exception {
    X509Certificate cert = s.enroll(s.client, null, TestPki.csr(keys, subject, san));
    TestPki.assertChains(cert, s.caCerts());
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(cert);
    chain.addAll(s.caCerts());
    return new Enrolled(cert, s.client.withClientCertificate(keys.getPrivate(), chain));
  }

  record Enrolled(X509Certificate cert, TestHttpClient client) {}

  private TestHttpClient.Response reenroll(TestHttpClient c, KeyPair keys, X500Name subject, GeneralNames san)
      throws Exception {
    return c.post(path(null, "simplereenroll"), "application/pkcs10", TestPki.base64(TestPki.csr(keys, subject, san)));
  }

  /** The renewed certificate chains, and keeps the old Subject and SAN; the key is the CSR's. */
  private void assertRenewed(TestHttpClient.Response r, X509Certificate old, KeyPair newKeys) throws Exception {
    X509Certificate renewed = SeedServer.enrolled(r);
    TestPki.assertChains(renewed, s.caCerts());
    assertThat(renewed.getSubjectX500Principal()).isEqualTo(old.getSubjectX500Principal());
    // as a set: a reordered SAN is the same SAN
    assertThat(sans(renewed)).containsExactlyInAnyOrderElementsOf(sans(old));
    assertThat(renewed.getPublicKey().getEncoded()).isEqualTo(newKeys.getPublic().getEncoded());
    assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
  }

  private static List<List<?>> sans(X509Certificate c) throws Exception {
    Collection<List<?>> names = c.getSubjectAlternativeNames();
    return names == null ? List.of() : new ArrayList<>(names);
  }

  /** TestReenroll/OK/ECDSA: Jane Doe + jane-doe.domain, same key. */
  @Test
  void okEcdsa() throws Exception {
    KeyPair keys = TestPki.ecP256();
    X500Name subject = new X500Name("CN=Jane Doe");
    GeneralNames san = TestPki.dnsNames("jane-doe.domain");
    Enrolled e = enroll(keys, subject, san);
    assertRenewed(reenroll(e.client(), keys, subject, san), e.cert(), keys);
  }

  /** TestReenroll/OK/RSA: John Doe + john-doe.domain, RSA, with a new key (rekey is allowed). */
  @Test
  void okRsaRekey() throws Exception {
    KeyPair keys = TestPki.rsa2048();
    X500Name subject = new X500Name("CN=John Doe");
    GeneralNames san = TestPki.dnsNames("john-doe.domain");
    Enrolled e = enroll(keys, subject, san);
    KeyPair newKeys = TestPki.rsa2048();
    assertRenewed(reenroll(e.client(), newKeys, subject, san), e.cert(), newKeys);
  }

  /** The certificate is the credential: Basic credentials are not needed for /simplereenroll. */
  @Test
  void okWithoutBasicCredentials() throws Exception {
    KeyPair keys = TestPki.ecP256();
    X500Name subject = new X500Name("CN=Cert Only Doe");
    Enrolled e = enroll(keys, subject, null);
    assertRenewed(reenroll(e.client().withoutBasic(), keys, subject, null), e.cert(), keys);
  }

  @Test
  void subjectChanged() throws Exception {
    KeyPair keys = TestPki.ecP256();
    Enrolled e = enroll(keys, new X500Name("CN=Jackie Doe"), null);
    assertError(
        reenroll(e.client(), keys, new X500Name("CN=Jackie Q. Doe"), null),
        403,
        "Subject and SubjectAltName fields in CSR must be identical to certificate being renewed");
  }

  @Test
  void subjectAltNameChanged() throws Exception {
    KeyPair keys = TestPki.ecP256();
    X500Name subject = new X500Name("CN=Jefferson Doe");
    Enrolled e = enroll(keys, subject, TestPki.dnsNames("jefferson-doe.domain"));
    assertError(
        reenroll(e.client(), keys, subject, TestPki.dnsNames("jefferson-q-doe.domain")),
        403,
        "Subject and SubjectAltName fields in CSR must be identical to certificate being renewed");
  }

  /** Dropping the SAN is a change too. */
  @Test
  void subjectAltNameRemoved() throws Exception {
    KeyPair keys = TestPki.ecP256();
    X500Name subject = new X500Name("CN=Dropped Doe");
    Enrolled e = enroll(keys, subject, TestPki.dnsNames("dropped-doe.domain"));
    assertError(
        reenroll(e.client(), keys, subject, null),
        403,
        "Subject and SubjectAltName fields in CSR must be identical to certificate being renewed");
  }

  /**
   * TestReenroll/InvalidCertificate: a certificate from the alt CA, which the TLS layer accepts
   * (client_cas) but which the EST CA did not issue.
   */
  @Test
  void invalidCertificate() throws Exception {
    KeyPair keys = TestPki.ecP256();
    X500Name subject = new X500Name("CN=Alt Doe");
    X509Certificate alt = s.altCa.issueClient(keys, subject, null);
    TestHttpClient c = s.client.withClientCertificate(keys.getPrivate(), List.of(alt, s.altCa.root()));
    assertError(reenroll(c, keys, subject, null), 403, "invalid client certificate");
    // the connection was fine: the alt-CA certificate still authenticates an ordinary enrollment
    X509Certificate cert = s.enroll(c.withoutBasic(), null, TestPki.csr(keys, subject, null));
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=Alt Doe");
  }

  @Test
  void noClientCertificate() throws Exception {
    KeyPair keys = TestPki.ecP256();
    assertError(
        reenroll(s.client, keys, new X500Name("CN=Nobody"), null),
        403,
        "client certificate must be provided for /simplereenroll");
  }

  /**
   * DIFFERS FROM THE SEED (reference §8.1 item 8): the seed compared the SAN extension bytes, so
   * the same names in another order were "changed". The SAN is a set of names; est4j must accept.
   */
  @Test
  void reorderedSubjectAltNameAccepted() throws Exception {
    KeyPair keys = TestPki.ecP256();
    X500Name subject = new X500Name("CN=Ordered Doe");
    Enrolled e = enroll(keys, subject, TestPki.dnsNames("a.ordered.domain", "b.ordered.domain"));
    assertRenewed(
        reenroll(e.client(), keys, subject, TestPki.dnsNames("b.ordered.domain", "a.ordered.domain")), e.cert(), keys);
  }

  /**
   * DIFFERS FROM THE SEED (reference §8.1 item 8): the seed compared RawSubject bytes, so a CSR
   * whose CN is a UTF8String where the certificate has a PrintableString (both spell the same
   * name; RFC 5280 §7.1 compares them as equal) was refused. est4j must accept, both ways.
   */
  @Test
  void reencodedSubjectAccepted() throws Exception {
    KeyPair keys = TestPki.ecP256();
    X500Name printable = name(new DERPrintableString("Printable Doe"), new DERPrintableString("Example Org"));
    X500Name utf8 = name(new DERUTF8String("Printable Doe"), new DERUTF8String("Example Org"));
    Enrolled e = enroll(keys, printable, TestPki.dnsNames("printable-doe.domain"));
    assertRenewed(reenroll(e.client(), keys, utf8, TestPki.dnsNames("printable-doe.domain")), e.cert(), keys);

    KeyPair keys2 = TestPki.ecP256();
    Enrolled e2 = enroll(keys2, utf8, null);
    assertRenewed(reenroll(e2.client(), keys2, printable, null), e2.cert(), keys2);
  }

  /** Case and inner whitespace differences in a DirectoryString also compare equal (RFC 5280 §7.1). */
  @Test
  void caseFoldedSubjectAccepted() throws Exception {
    KeyPair keys = TestPki.ecP256();
    Enrolled e = enroll(keys, name(new DERUTF8String("Folded Doe"), new DERUTF8String("Example Org")), null);
    assertRenewed(
        reenroll(e.client(), keys, name(new DERUTF8String("folded  doe"), new DERUTF8String("EXAMPLE ORG")), null),
        e.cert(),
        keys);
  }

  private static X500Name name(ASN1Encodable cn, ASN1Encodable org) {
    return new X500Name(new RDN[] {rdn(BCStyle.O, org), rdn(BCStyle.CN, cn)});
  }

  private static RDN rdn(ASN1ObjectIdentifier type, ASN1Encodable value) {
    return new RDN(new AttributeTypeAndValue(type, value));
  }
}
