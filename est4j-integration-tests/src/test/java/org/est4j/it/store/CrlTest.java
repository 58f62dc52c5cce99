package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CA's CRL through the real server, read by OpenSSL: served at /crl/default.crl as DER
 * (application/pkix-crl, cacheable until nextUpdate), signed by the CA (openssl crl -CAfile
 * verifies), a revocation by {@code estserver certs revoke} appears with its reason code and a
 * higher CRL number, an unknown CA is 404, and issued certificates carry the configured CRL
 * distribution point.
 */
class CrlTest {
  private static final Pattern CRL_NUMBER = Pattern.compile("X509v3 CRL Number:\\s*\\n\\s*(\\d+)");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void revocationsArePublishedInASignedCrl(StoreFixture.Kind kind) throws Exception {
    Path openssl = openssl();
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    TestPki pki = TestPki.create();
    Path caFile = pki.intermediate().writeTo(dir, "ca");
    String dp = "http://pki.example.com/crl/default.crl";
    Path config = Files.writeString(dir.resolve("estserver.yaml"), "tls:\n  listen_address: 127.0.0.1:0\n"
        + "mock_ca:\n  certificates: " + caFile + "\n  private_key: " + dir.resolve("ca-key.pem") + "\n"
        + "users:\n  - username: alice\n    password: wonderland\n"
        + "crl:\n  validity: 2d\n  refresh: 1h\n"
        + "profiles:\n  withdp:\n    crl_distribution_point: " + dp + "\n"
        + "labels:\n  iot:\n    profile: withdp\n  plain: {}\n" + db.yaml());
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(pki.root().certificate());
      KeyPair key = StoreFixture.p256();
      X509Certificate withDp = StoreFixture.certificateOf(StoreFixture.enroll(client, server.port(), "iot", StoreFixture.csr(key, "CN=a")));
      X509Certificate other = StoreFixture.certificateOf(StoreFixture.enroll(client, server.port(), "plain", StoreFixture.csr(key, "CN=b")));
      assertThat(new String(withDp.getExtensionValue("2.5.29.31"), StandardCharsets.ISO_8859_1)).contains(dp);
      assertThat(other.getExtensionValue("2.5.29.31")).as("label whose profile has no crl_distribution_point").isNull();
      Path certFile = Files.writeString(dir.resolve("a.pem"), org.est4j.protocol.pem.PemWriter.toPem(withDp));
      assertThat(run(openssl, "x509", "-in", certFile.toString(), "-noout", "-text")).contains("URI:" + dp);

      HttpResponse<byte[]> first = get(client, server.port(), "/crl/default.crl");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
      long maxAge = Long.parseLong(first.headers().firstValue("Cache-Control").orElseThrow().replaceAll("public, max-age=", ""));
      assertThat(maxAge).isBetween(Duration.ofDays(2).minusMinutes(5).toSeconds(), Duration.ofDays(2).toSeconds());
      String text1 = crlText(openssl, first.body(), "first");
      assertThat(text1).contains("No Revoked Certificates");
      long number1 = crlNumber(text1);

      String serial = withDp.getSerialNumber().toString(16);
      assertThat(EstServerCli.run("certs", "revoke", serial, "--reason", "keyCompromise", "-config", config.toString()).exit()).isZero();
      assertThat(EstServerCli.run("certs", "revoke", other.getSerialNumber().toString(16), "-config", config.toString()).exit()).isZero();
      String text2 = "";
      for (int i = 0; i < 40 && !text2.contains("Key Compromise"); i++) { // picked up within 5 s of a fetch
        Thread.sleep(250);
        text2 = crlText(openssl, get(client, server.port(), "/crl/default.crl").body(), "second");
      }
      String upper = serial.toUpperCase(Locale.ROOT);
      assertThat(text2).containsPattern("Serial Number: 0*" + upper);
      assertThat(text2).contains("Key Compromise");
      assertThat(text2).containsPattern("Serial Number: 0*" + other.getSerialNumber().toString(16).toUpperCase(Locale.ROOT));
      assertThat(text2.split("CRL Reason Code", -1)).as("unspecified carries no reason code").hasSize(2);
      assertThat(crlNumber(text2)).isGreaterThan(number1);
      assertThat(text2).contains("Next Update:").contains("Authority Key Identifier");

      HttpResponse<byte[]> unknown = get(client, server.port(), "/crl/nosuch.crl");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("/crl/default.crl");
    }
    // a restart continues the numbering from the store
    try (EmbeddedEstServer again = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(pki.root().certificate());
      String text = crlText(openssl, get(client, again.port(), "/crl/default.crl").body(), "third");
      assertThat(crlNumber(text)).isGreaterThanOrEqualTo(2);
      assertThat(text).contains("Key Compromise");
    }
  }

  private String crlText(Path openssl, byte[] der, String name) throws Exception {
    Path f = Files.write(dir.resolve(name + ".crl"), der);
    String text = run(openssl, "crl", "-inform", "DER", "-in", f.toString(), "-noout", "-text");
    String verify = run(openssl, "crl", "-inform", "DER", "-in", f.toString(), "-noout", "-CAfile", dir.resolve("ca.pem").toString());
    assertThat(verify).contains("verify OK");
    return text;
  }

  private static long crlNumber(String text) {
    Matcher m = CRL_NUMBER.matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static HttpResponse<byte[]> get(HttpClient client, int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String run(Path tool, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(tool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }

  private static Path openssl() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, "openssl");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if (System.getenv("CI") != null) {
      fail("openssl is not installed (apt-get install openssl); CI is set, so this is a failure, not a skip");
    }
    Assumptions.abort("openssl is not installed (apt-get install openssl)");
    return null;
  }
}
