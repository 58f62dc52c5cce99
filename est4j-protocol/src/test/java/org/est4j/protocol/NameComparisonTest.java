package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.Test;

class NameComparisonTest {
  @Test
  void printableStringEqualsUtf8String() {
    X500Name printable = name(rdn(BCStyle.CN, new DERPrintableString("Device 1")), rdn(BCStyle.O, new DERPrintableString("Acme")));
    X500Name utf8 = name(rdn(BCStyle.CN, new DERUTF8String("Device 1")), rdn(BCStyle.O, new DERUTF8String("Acme")));
    assertThat(NameComparison.sameSubject(printable, utf8)).isTrue();
  }

  @Test
  void caseAndWhitespaceDoNotMatter() {
    X500Name a = name(rdn(BCStyle.CN, new DERUTF8String("Device 1")));
    X500Name b = name(rdn(BCStyle.CN, new DERPrintableString("  DEVICE    1 ")));
    assertThat(NameComparison.sameSubject(a, b)).isTrue();
  }

  @Test
  void differentValuesOrTypesDiffer() {
    X500Name a = name(rdn(BCStyle.CN, new DERUTF8String("device1")));
    assertThat(NameComparison.sameSubject(a, name(rdn(BCStyle.CN, new DERUTF8String("device2"))))).isFalse();
    assertThat(NameComparison.sameSubject(a, name(rdn(BCStyle.OU, new DERUTF8String("device1"))))).isFalse();
    assertThat(NameComparison.sameSubject(a, name(rdn(BCStyle.CN, new DERUTF8String("device 1"))))).isFalse();
    assertThat(NameComparison.sameSubject(a, new X500Name("CN=device1,O=x"))).isFalse();
  }

  @Test
  void rdnOrderMattersAlthoughBouncyCastleIgnoresIt() {
    X500Name forward = new X500Name("CN=device,O=Acme,C=DE");
    X500Name reversed = new X500Name("C=DE,O=Acme,CN=device");
    assertThat(NameComparison.sameSubject(forward, reversed)).isFalse();
    assertThat(NameComparison.sameSubject(forward, new X500Name("cn=DEVICE, o=acme, c=de"))).isTrue();
    // Why X500Name.equals is not used: BCStyle matches reversed RDN sequences.
    assertThat(forward.equals(reversed)).isTrue();
  }

  @Test
  void multiValuedRdnIsASet() {
    AttributeTypeAndValue cn = new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("x"));
    AttributeTypeAndValue ou = new AttributeTypeAndValue(BCStyle.OU, new DERUTF8String("y"));
    X500Name a = new X500Name(new RDN[] {new RDN(new AttributeTypeAndValue[] {cn, ou})});
    X500Name b = new X500Name(new RDN[] {new RDN(new AttributeTypeAndValue[] {ou, cn})});
    X500Name split = new X500Name(new RDN[] {new RDN(cn), new RDN(ou)});
    assertThat(NameComparison.sameSubject(a, b)).isTrue();
    assertThat(NameComparison.sameSubject(a, split)).isFalse();
  }

  @Test
  void sanIsComparedAsASet() {
    GeneralNames a = sans(dns("device.example"), ip("192.0.2.1"), dns("alt.example"));
    GeneralNames b = sans(ip("192.0.2.1"), dns("ALT.example"), dns("Device.Example"), dns("alt.example"));
    assertThat(NameComparison.sameSubjectAltNames(Optional.of(a), Optional.of(b))).isTrue();
    assertThat(NameComparison.sameSubjectAltNames(Optional.of(a), Optional.of(sans(dns("device.example"), ip("192.0.2.1")))))
        .isFalse();
    assertThat(NameComparison.sameSubjectAltNames(Optional.of(sans(ip("192.0.2.1"))), Optional.of(sans(ip("192.0.2.2")))))
        .isFalse();
  }

  @Test
  void emailDomainIsCaseInsensitiveButLocalPartIsNot() {
    assertThat(same(email("User@Example.COM"), email("User@example.com"))).isTrue();
    assertThat(same(email("User@example.com"), email("user@example.com"))).isFalse();
  }

  @Test
  void urisAreExactAndTypesAreDistinct() {
    GeneralName uri = new GeneralName(GeneralName.uniformResourceIdentifier, "https://a.example/x");
    assertThat(same(uri, new GeneralName(GeneralName.uniformResourceIdentifier, "https://a.example/x"))).isTrue();
    assertThat(same(uri, new GeneralName(GeneralName.uniformResourceIdentifier, "https://a.example/X"))).isFalse();
    assertThat(same(dns("a.example"), email("a.example"))).isFalse();
  }

  @Test
  void directoryNamesAndOtherTypesCompare() {
    GeneralName dir1 = new GeneralName(new X500Name("CN=x,O=y"));
    GeneralName dir2 = new GeneralName(name(rdn(BCStyle.CN, new DERPrintableString("X")), rdn(BCStyle.O, new DERPrintableString("Y"))));
    assertThat(same(dir1, dir2)).isTrue();
    assertThat(same(dir1, new GeneralName(new X500Name("CN=x,O=z")))).isFalse();
    GeneralName rid = new GeneralName(GeneralName.registeredID, "1.2.3.4");
    assertThat(same(rid, new GeneralName(GeneralName.registeredID, "1.2.3.4"))).isTrue();
    assertThat(same(rid, new GeneralName(GeneralName.registeredID, "1.2.3.5"))).isFalse();
  }

  @Test
  void absentSanEqualsOnlyAbsentSan() {
    Optional<GeneralNames> present = Optional.of(sans(dns("a.example")));
    assertThat(NameComparison.sameSubjectAltNames(Optional.empty(), Optional.empty())).isTrue();
    assertThat(NameComparison.sameSubjectAltNames(present, Optional.empty())).isFalse();
    assertThat(NameComparison.sameSubjectAltNames(Optional.empty(), present)).isFalse();
  }

  private static boolean same(GeneralName a, GeneralName b) {
    return NameComparison.sameSubjectAltNames(Optional.of(sans(a)), Optional.of(sans(b)));
  }

  private static X500Name name(RDN... rdns) {
    return new X500Name(rdns);
  }

  private static RDN rdn(ASN1ObjectIdentifier type, ASN1Encodable value) {
    return new RDN(type, value);
  }

  private static GeneralNames sans(GeneralName... names) {
    return new GeneralNames(names);
  }

  private static GeneralName dns(String name) {
    return new GeneralName(GeneralName.dNSName, name);
  }

  private static GeneralName ip(String address) {
    return new GeneralName(GeneralName.iPAddress, address);
  }

  private static GeneralName email(String address) {
    return new GeneralName(GeneralName.rfc822Name, address);
  }
}
