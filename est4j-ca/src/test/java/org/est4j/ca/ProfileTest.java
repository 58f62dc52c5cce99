package org.est4j.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;

/** Each profile rule refuses what it should, with a 403 naming the rule and value, and allows the rest. */
class ProfileTest {
  private static final KeyPair P256 = ServerKeyGenerator.generate("ec:P-256");
  private static final KeyPair RSA2048 = ServerKeyGenerator.generate("rsa:2048");
  private final EmbeddedCa ca = TransientCa.create();

  private static CertificateRequest request(String subject, KeyPair keys, GeneralName... sans) {
    return new CertificateRequest(new X500Name(subject),
        sans.length == 0 ? Optional.empty() : Optional.of(new GeneralNames(sans)), Pki.spki(keys));
  }

  private void refused(Profile profile, CertificateRequest request, String... parts) {
    assertThatThrownBy(() -> ca.issue(request.withProfile(profile)))
        .isInstanceOf(CaException.class)
        .satisfies(e -> assertThat(((CaException) e).status()).isEqualTo(403))
        .hasMessageContainingAll(parts);
  }

  private X509Certificate issued(Profile profile, CertificateRequest request) throws CaException {
    return ca.issue(request.withProfile(profile));
  }

  @Test
  void keyTypesAndSizes() throws Exception {
    Profile p = Profile.builder("web").keyTypes(List.of("ec:P-256", "ec:P-384", "rsa:3072+")).build();
    refused(p, request("CN=a", RSA2048), "profile 'web'", "key_types", "rsa:2048", "rsa:3072+");
    refused(p, request("CN=a", ServerKeyGenerator.generate("ec:P-521")), "key_types", "ec:P-521");
    refused(p, request("CN=a", ServerKeyGenerator.generate("ed25519")), "key_types", "ed25519");
    issued(p, request("CN=a", P256));
    issued(p, request("CN=a", ServerKeyGenerator.generate("rsa:4096")));
    Profile exact = Profile.builder("x").keyTypes(List.of("rsa:3072")).build();
    refused(exact, request("CN=a", ServerKeyGenerator.generate("rsa:4096")), "rsa:4096");
    assertThatThrownBy(() -> KeyRule.parse("rsa:1024")).hasMessageContaining("rsa:1024");
    assertThatThrownBy(() -> KeyRule.parse("ec:P-192")).hasMessageContaining("ec:P-192");
  }

  @Test
  void dnsSuffixes() throws Exception {
    Profile p = Profile.builder("web").san(SanRules.restrict(Optional.of(List.of("example.com", ".devices.test")),
        Optional.empty(), Optional.empty(), Optional.empty())).build();
    issued(p, request("CN=a", P256, new GeneralName(GeneralName.dNSName, "example.com")));
    issued(p, request("CN=a", P256, new GeneralName(GeneralName.dNSName, "WWW.Example.COM")));
    issued(p, request("CN=a", P256, new GeneralName(GeneralName.dNSName, "a.devices.test")));
    refused(p, request("CN=a", P256, new GeneralName(GeneralName.dNSName, "devices.test")),
        "san.dns_suffixes", "DNS:devices.test");
    refused(p, request("CN=a", P256, new GeneralName(GeneralName.dNSName, "badexample.com")),
        "san.dns_suffixes", "DNS:badexample.com");
    refused(p, request("CN=a", P256, new GeneralName(GeneralName.iPAddress, "10.0.0.1")),
        "san.ip_ranges", "IP:10.0.0.1");
    refused(p, request("CN=a", P256, new GeneralName(new X500Name("CN=x"))), "directoryName");
  }

  @Test
  void ipRanges() throws Exception {
    Profile p = Profile.builder("net").san(SanRules.restrict(Optional.empty(),
        Optional.of(List.of(SanRules.Cidr.parse("10.0.0.0/8"), SanRules.Cidr.parse("fd00::/8"))),
        Optional.empty(), Optional.empty())).build();
    issued(p, request("CN=a", P256, new GeneralName(GeneralName.iPAddress, "10.200.3.4")));
    issued(p, request("CN=a", P256, new GeneralName(GeneralName.iPAddress, "fd12::1")));
    refused(p, request("CN=a", P256, new GeneralName(GeneralName.iPAddress, "11.0.0.1")),
        "san.ip_ranges", "IP:11.0.0.1", "10.0.0.0/8");
    refused(p, request("CN=a", P256, new GeneralName(GeneralName.iPAddress, "fe80::1")), "IP:fe80");
    refused(p, request("CN=a", P256, new GeneralName(GeneralName.dNSName, "a.example")), "san.dns_suffixes");
    assertThatThrownBy(() -> SanRules.Cidr.parse("example.com/8")).hasMessageContaining("example.com/8");
    assertThatThrownBy(() -> SanRules.Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix");
  }

  @Test
  void emailDomainsAndUriPrefixes() throws Exception {
    Profile p = Profile.builder("mail").san(SanRules.restrict(Optional.empty(), Optional.empty(),
        Optional.of(List.of("example.com")), Optional.of(List.of("https://id.example.com/devices/")))).build();
    issued(p, request("CN=a", P256, new GeneralName(GeneralName.rfc822Name, "alice@example.com"),
        new GeneralName(GeneralName.uniformResourceIdentifier, "https://id.example.com/devices/42")));
    refused(p, request("CN=a", P256, new GeneralName(GeneralName.rfc822Name, "eve@evil.com")),
        "san.email_domains", "email:eve@evil.com");
    refused(p, request("CN=a", P256, new GeneralName(GeneralName.uniformResourceIdentifier, "https://id.example.com/users/1")),
        "san.uri_prefixes", "URI:https://id.example.com/users/1");
  }

  @Test
  void subjectRequiredAndForbidden() throws Exception {
    Profile p = Profile.builder("dev").subjectRequired(List.of("CN", "O")).subjectForbidden(List.of("OU")).build();
    issued(p, request("CN=a,O=Example", P256));
    refused(p, request("CN=a", P256), "subject.required", "no O");
    refused(p, request("CN=a,O=Example,OU=Sales", P256), "subject.forbidden", "OU=Sales");
    assertThatThrownBy(() -> Profile.builder("x").subjectRequired(List.of("NOPE"))).hasMessageContaining("NOPE");
    assertThatThrownBy(() -> Profile.builder("x").subjectRequired(List.of("CN")).subjectForbidden(List.of("CN")).build())
        .hasMessageContaining("both required and forbidden");
  }

  @Test
  void keyUsageExtendedKeyUsageValidityAndCrlDistributionPoint() throws Exception {
    Profile p = Profile.builder("sign").keyUsage(List.of("digitalSignature", "nonRepudiation"))
        .extendedKeyUsage(List.of("codeSigning", "1.3.6.1.5.5.7.3.4")).validity(Duration.ofDays(7))
        .crlDistributionPoint("http://crl.example.com/sign.crl").build();
    X509Certificate cert = issued(p, request("CN=a", RSA2048));
    boolean[] ku = cert.getKeyUsage();
    assertThat(ku[0]).isTrue();
    assertThat(ku[1]).isTrue();
    assertThat(ku[2]).isFalse();
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3", "1.3.6.1.5.5.7.3.4");
    assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(7).plus(EmbeddedCa.CLOCK_SKEW));
    CRLDistPoint dp = CRLDistPoint.fromExtensions(new JcaX509CertificateHolder(cert).getExtensions());
    assertThat(dp.getDistributionPoints()[0].getDistributionPoint().getName().toString())
        .contains("http://crl.example.com/sign.crl");
    assertThat(cert.getNonCriticalExtensionOIDs()).contains(Extension.cRLDistributionPoints.getId());
    assertThatThrownBy(() -> Profile.builder("x").keyUsage(List.of("keyCertSign"))).hasMessageContaining("keyCertSign");
    assertThatThrownBy(() -> Profile.builder("x").crlDistributionPoint("file:/x")).hasMessageContaining("file:/x");
  }

  @Test
  void defaultProfileKeepsTheClassicLeaf() throws Exception {
    X509Certificate cert = ca.issue(request("CN=a", P256, new GeneralName(GeneralName.iPAddress, "192.0.2.1")));
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(cert.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
  }
}
