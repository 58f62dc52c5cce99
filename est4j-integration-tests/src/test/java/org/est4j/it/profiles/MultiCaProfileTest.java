package org.est4j.it.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.est4j.ca.CaDirectory;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.EstServerException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One estserver with two embedded CAs and two labels, each with its own profile: each label
 * issues from its CA (checked with openssl verify against each root) with its profile's
 * validity, KeyUsage/EKU and CRL distribution point; profile refusals reach the client as 403s
 * naming the rule; per-operation authentication and the reenroll policy are enforced.
 */
class MultiCaProfileTest {
  @TempDir static Path dir;
  static EmbeddedEstServer server;
  static X509Certificate devicesRoot;
  static X509Certificate serversRoot;

  @BeforeAll
  static void start() throws Exception {
    Pki.embeddedCa(dir, "devices", "ec:P-256");
    Pki.embeddedCa(dir, "servers", "ec:P-384");
    devicesRoot = Pki.root(dir, "devices");
    serversRoot = Pki.root(dir, "servers");
    Path cfg = Files.writeString(dir.resolve("estserver.yaml"), String.join("\n",
        "data_dir: data",
        "cas:",
        "  devices: {kind: embedded, passphrase_file: ca.pass}",
        "  servers: {kind: embedded, passphrase_file: ca.pass}",
        "ca: devices",
        "users: [{username: installer, password: secret}]",
        "profiles:",
        "  iot:",
        "    validity: 30d",
        "    key_types: [ec:P-256]",
        "    key_usage: [digitalSignature, keyAgreement]",
        "    extended_key_usage: [clientAuth]",
        "    subject: {required: [CN], forbidden: [OU]}",
        "    crl_distribution_point: http://crl.example.com/devices.crl",
        "  web:",
        "    validity: 7d",
        "    key_types: [ec:P-384, rsa:3072+]",
        "    extended_key_usage: [serverAuth, clientAuth]",
        "    san: {dns_suffixes: [web.example], ip_ranges: [10.0.0.0/8], email_domains: [example.com],",
        "          uri_prefixes: ['https://web.example/']}",
        "labels:",
        "  iot:",
        "    profile: iot",
        "    reenroll: {same_key: deny}",
        "  web:",
        "    ca: servers",
        "    profile: web",
        "    auth: {serverkeygen: [client_cert]}",
        "    reenroll: {subject_change: allow}",
        ""));
    server = EmbeddedEstServer.start(Optional.of(cfg), "127.0.0.1:0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static EstClient installer(String label) {
    // the TLS certificate comes from the unlabelled path's CA (devices)
    return Pki.basic(server.port(), label, devicesRoot, "installer", "secret");
  }

  @Test
  void eachLabelIssuesFromItsCaWithItsProfile() throws Exception {
    KeyPair deviceKey = Pki.key("ec:P-256");
    X509Certificate device = Pki.issued(installer("iot")
        .enroll(CsrBuilder.create().commonName("sensor-1").sign(deviceKey)));
    KeyPair webKey = Pki.key("ec:P-384");
    X509Certificate web = Pki.issued(installer("web")
        .enroll(CsrBuilder.create().commonName("www").addDnsName("www.web.example").sign(webKey)));

    assertThat(installer("iot").caCerts()).containsExactlyElementsOf(server.caCertificates("devices"));
    assertThat(installer("web").caCerts()).containsExactlyElementsOf(server.caCertificates("servers"));

    Pki.pem(dir, "device.pem", device);
    Pki.pem(dir, "web.pem", web);
    Path devicesChain = Pki.caFile(dir, "devices", CaDirectory.CHAIN);
    Path serversChain = Pki.caFile(dir, "servers", CaDirectory.CHAIN);
    Path devicesRootPem = Pki.caFile(dir, "devices", CaDirectory.ROOT);
    Path serversRootPem = Pki.caFile(dir, "servers", CaDirectory.ROOT);
    assertThat(Pki.openssl(dir, "verify", "-CAfile", devicesRootPem.toString(), "-untrusted", devicesChain.toString(),
        "device.pem").out()).contains("device.pem: OK");
    assertThat(Pki.openssl(dir, "verify", "-CAfile", serversRootPem.toString(), "-untrusted", serversChain.toString(),
        "web.pem").out()).contains("web.pem: OK");
    assertThat(Pki.openssl(dir, "verify", "-CAfile", serversRootPem.toString(), "-untrusted", serversChain.toString(),
        "device.pem").exit()).as("the device certificate is not from the servers CA").isNotZero();

    String deviceText = Pki.openssl(dir, "x509", "-in", "device.pem", "-noout", "-text").out();
    assertThat(deviceText).contains("Digital Signature, Key Agreement").contains("TLS Web Client Authentication")
        .doesNotContain("TLS Web Server Authentication").contains("URI:http://crl.example.com/devices.crl");
    String webText = Pki.openssl(dir, "x509", "-in", "web.pem", "-noout", "-text").out();
    assertThat(webText).contains("TLS Web Server Authentication, TLS Web Client Authentication")
        .doesNotContain("CRL Distribution Points");
    assertThat(days(device)).isEqualTo(30);
    assertThat(days(web)).isEqualTo(7);
  }

  private static long days(X509Certificate c) {
    return java.time.Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()).toDays();
  }

  @Test
  void profileRulesAreRefusedWith403NamingTheRule() throws Exception {
    EstClient iot = installer("iot");
    EstClient web = installer("web");
    assertRefused(() -> iot.enroll(CsrBuilder.create().commonName("a").sign(Pki.key("ec:P-384"))),
        "profile 'iot' rule key_types: ec:P-384 is not allowed");
    assertRefused(() -> web.enroll(CsrBuilder.create().commonName("a").sign(Pki.key("rsa:2048"))),
        "key_types: rsa:2048");
    assertRefused(() -> iot.enroll(CsrBuilder.create().organization("Example").sign(Pki.key("ec:P-256"))),
        "subject.required: the subject has no CN");
    assertRefused(() -> iot.enroll(CsrBuilder.create().commonName("a").organizationalUnit("Sales").sign(Pki.key("ec:P-256"))),
        "subject.forbidden", "OU=Sales");
    KeyPair k = Pki.key("ec:P-384");
    assertRefused(() -> web.enroll(CsrBuilder.create().commonName("a").addDnsName("www.evil.example").sign(k)),
        "san.dns_suffixes: DNS:www.evil.example is not allowed");
    assertRefused(() -> web.enroll(CsrBuilder.create().commonName("a").addIpAddress("192.168.1.1").sign(k)),
        "san.ip_ranges: IP:192.168.1.1 is not in [10.0.0.0/8]");
    assertRefused(() -> web.enroll(CsrBuilder.create().commonName("a").addEmail("eve@evil.example").sign(k)),
        "san.email_domains: email:eve@evil.example");
    assertRefused(() -> web.enroll(CsrBuilder.create().commonName("a").addUri(java.net.URI.create("https://evil.example/x")).sign(k)),
        "san.uri_prefixes: URI:https://evil.example/x");
    // and what the rules allow passes
    Pki.issued(web.enroll(CsrBuilder.create().commonName("a").addDnsName("web.example").addIpAddress("10.1.2.3")
        .addEmail("ops@example.com").addUri(java.net.URI.create("https://web.example/svc/1")).sign(k)));
    Pki.issued(web.enroll(CsrBuilder.create().commonName("b").sign(Pki.key("rsa:3072"))));
  }

  @Test
  void operationsAreAuthenticatedAsTheLabelSays() throws Exception {
    EstClient web = installer("web");
    EstServerException e = Pki.refusal(() -> web.serverKeyGen(CsrBuilder.create().commonName("k").sign(Pki.key("ec:P-384"))));
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.serverMessage()).contains("HTTP Basic may not be used for serverkeygen").contains("auth.serverkeygen: [client_cert]");
    // with a certificate from the label's CA it works
    KeyPair key = Pki.key("ec:P-384");
    X509Certificate cert = Pki.issued(web.enroll(CsrBuilder.create().commonName("svc").sign(key)));
    EstClient byCert = Pki.withCertificate(server.port(), "web", devicesRoot, key, cert);
    assertThat(byCert.serverKeyGen(CsrBuilder.create().commonName("k").sign(Pki.key("ec:P-384"))).certificate()).isNotNull();
  }

  @Test
  void reenrollPolicy() throws Exception {
    KeyPair key = Pki.key("ec:P-256");
    X509Certificate cert = Pki.issued(installer("iot").enroll(CsrBuilder.create().commonName("dev-9").sign(key)));
    EstClient iot = Pki.withCertificate(server.port(), "iot", devicesRoot, key, cert);
    assertRefused(() -> iot.reenroll(CsrBuilder.create().commonName("dev-9").sign(key)),
        "reenroll.same_key is deny on this label");
    KeyPair fresh = Pki.key("ec:P-256");
    assertRefused(() -> iot.reenroll(CsrBuilder.create().commonName("dev-10").sign(fresh)),
        "Subject and SubjectAltName fields in CSR must be identical");
    X509Certificate renewed = Pki.issued(iot.reenroll(CsrBuilder.create().commonName("dev-9").sign(fresh)));
    assertThat(renewed.getPublicKey()).isEqualTo(fresh.getPublic());

    KeyPair webKey = Pki.key("ec:P-384");
    X509Certificate webCert = Pki.issued(installer("web").enroll(CsrBuilder.create().commonName("old").sign(webKey)));
    EstClient web = Pki.withCertificate(server.port(), "web", devicesRoot, webKey, webCert);
    X509Certificate renamed = Pki.issued(web.reenroll(CsrBuilder.create().commonName("new").sign(webKey)));
    assertThat(renamed.getSubjectX500Principal().getName()).isEqualTo("CN=new");
  }

  private static void assertRefused(Pki.ThrowingCall call, String... parts) {
    EstServerException e = Pki.refusal(call);
    assertThat(e.status()).as(e.serverMessage()).isEqualTo(403);
    assertThat(e.serverMessage()).contains(parts);
  }
}
