package org.est4j.it.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.est4j.it.seed.SeedServer.assertError;
import static org.est4j.it.seed.SeedServer.assertInternalError;
import static org.est4j.it.seed.SeedServer.assertUnauthorized;
import static org.est4j.it.seed.SeedServer.path;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Port of the seed's {@code TestServerErrors} (reference §5.1), the health check, allowed hosts,
 * rate limiting, methods and the security headers. Configured-server cases use the seed harness
 * configuration ({@link SeedServer#configured}); trigger-label cases use the zero-config server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedServerErrorsTest {
  @TempDir static Path dir;
  SeedServer configured;
  SeedServer zero;

  @BeforeAll
  void start() throws Exception {
    configured = SeedServer.configured(Files.createDirectory(dir.resolve("configured")));
    zero = SeedServer.zeroConfig();
  }

  @AfterAll
  void stop() throws Exception {
    configured.close();
    zero.close();
  }

  private static byte[] csrBody(String cn) {
    return TestPki.base64(TestPki.csr(TestPki.ecP256(), cn));
  }

  @Nested
  class CACerts {
    /**
     * TestServerErrors/CACerts/BadMethod. DIFFERS FROM THE SEED (reference B12): the seed's 405
     * had an empty body and no {@code Allow} header; RFC 9110 §15.5.6 requires Allow, and est4j
     * sends it with an error text.
     */
    @Test
    void badMethod() throws Exception {
      TestHttpClient.Response r = configured.client.post(path(null, "cacerts"), "application/pkcs10", csrBody("x"));
      assertThat(r.status()).as("%s", r).isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
      assertThat(r.text()).startsWith("405 ");
      TestHttpClient.Response r2 = configured.client.get(path(null, "simpleenroll"));
      assertThat(r2.status()).isEqualTo(405);
      assertThat(r2.header("Allow")).isEqualTo("POST");
    }

    /** TestServerErrors/CACerts/TriggeredError: 500 (est4j adds a request id to the text). */
    @Test
    void triggeredError() throws Exception {
      assertInternalError(zero.client.get(path("triggererrors", "cacerts")));
    }

    /** DIFFERS FROM THE SEED (B12): HEAD works on GET operations (the seed answered 405). */
    @Test
    void head() throws Exception {
      TestHttpClient.Response r = configured.client.head(path(null, "cacerts"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("application/pkcs7-mime");
      assertThat(r.body()).isEmpty();
      TestHttpClient.Response z = zero.client.head(path("csrattrs", "csrattrs"));
      assertThat(z.status()).isEqualTo(200);
      assertThat(z.header("Content-Type")).isEqualTo("application/csrattrs");
      assertThat(z.body()).isEmpty();
    }
  }

  @Nested
  class CSRAttrs {
    @Test
    void triggeredError() throws Exception {
      assertInternalError(zero.client.get(path("triggererrors", "csrattrs")));
    }
  }

  /** TestServerErrors/NotFound: "404 page not found\n". */
  @Test
  void notFound() throws Exception {
    assertError(configured.client.post(TestHttpClient.PREFIX + "/nosuchoperation", "application/pkcs10", csrBody("x")), 404, "page not found");
    assertError(configured.client.get("/no/such/path"), 404, "page not found");
    assertError(zero.client.get(path("label", "nosuchoperation")), 404, "page not found");
  }

  @Nested
  class Enroll {
    @Test
    void badContentType() throws Exception {
      assertError(
          configured.client.post(path(null, "simpleenroll"), "text/plain", csrBody("John Doe")),
          415,
          "Content-Type must be application/pkcs10");
    }

    /** …/MissingContentType: no Content-Type and no credentials: 415 comes before 401. */
    @Test
    void missingContentTypeBeforeAuth() throws Exception {
      assertError(
          configured.client.withoutBasic().post(path(null, "simpleenroll"), null, csrBody("John Doe")),
          415,
          "malformed or missing Content-Type header");
    }

    @Test
    void badBase64() throws Exception {
      assertError(
          configured.client.post(
              path(null, "simpleenroll"), "application/pkcs10", "not a base64 encoding".getBytes(StandardCharsets.US_ASCII)),
          400,
          "invalid base64 encoding");
    }

    /** …/CAError: triggererrors + CN Trigger Error Unknown → 500. */
    @Test
    void caError() throws Exception {
      assertInternalError(zero.client.post(path("triggererrors", "simpleenroll"), "application/pkcs10", csrBody("Trigger Error Unknown")));
    }

    /** A configured server requires authentication for enrollment. */
    @Test
    void noCredentials() throws Exception {
      TestHttpClient.Response r =
          configured.client.withoutBasic().post(path(null, "simpleenroll"), "application/pkcs10", csrBody("John Doe"));
      assertUnauthorized(r);
      assertThat(r.header("WWW-Authenticate")).startsWith("Basic realm=");
    }

    @Test
    void wrongPassword() throws Exception {
      TestHttpClient.Response r =
          configured.client.withBasic("testuser", "wrong").post(path(null, "simpleenroll"), "application/pkcs10", csrBody("John Doe"));
      assertUnauthorized(r);
    }
  }

  @Nested
  class HealthCheck {
    @Test
    void ok() throws Exception {
      TestHttpClient.Response r = configured.client.withBasic("healthcheck", "xyzzy").get("/healthcheck");
      assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    /** TestServerErrors/HealthCheck/NoAuth: Authorization "baad", Host est.fake.domain:666. */
    @Test
    void noAuth() throws Exception {
      TestHttpClient.Response r =
          configured.client.withoutBasic().withHost("est.fake.domain:666").raw("GET", "/healthcheck", Map.of("Authorization", "baad"), null, false);
      assertUnauthorized(r);
      assertThat(r.header("WWW-Authenticate")).startsWith("Basic realm=");
    }

    @Test
    void wrongPassword() throws Exception {
      TestHttpClient.Response r = configured.client.withBasic("healthcheck", "wrong").get("/healthcheck");
      assertUnauthorized(r);
      assertThat(r.header("WWW-Authenticate")).startsWith("Basic realm=");
      // the enrollment user is not the health-check user
      assertUnauthorized(configured.client.get("/healthcheck"));
    }

    /** TestServerErrors/HealthCheck/BadHost. */
    @Test
    void badHost() throws Exception {
      assertError(
          configured.client.withBasic("healthcheck", "xyzzy").withHost("some.wrong.domain").get("/healthcheck"),
          400,
          "host not allowed");
    }
  }

  @Nested
  class AllowedHosts {
    /** The Host header is compared without its port and case-insensitively. */
    @Test
    void portAndCaseIgnored() throws Exception {
      assertThat(configured.client.withHost("EST.Fake.Domain:" + configured.port()).get(path(null, "cacerts")).status()).isEqualTo(200);
      assertThat(configured.client.withHost("est.fake.domain").get(path(null, "cacerts")).status()).isEqualTo(200);
      assertError(configured.client.withHost("localhost:" + configured.port()).get(path(null, "cacerts")), 400, "host not allowed");
      assertError(configured.client.withHost("est.fake.domain.evil:" + configured.port()).get(path(null, "cacerts")), 400, "host not allowed");
    }

    /**
     * DIFFERS FROM THE SEED (reference B13): an allowed_hosts entry {@code [::1]} never matched a
     * Host header with a port in the seed. est4j must accept {@code [::1]:port}.
     */
    @Test
    void ipv6LiteralWithPort() throws Exception {
      try (SeedServer v6 = SeedServer.configured(Files.createDirectory(dir.resolve("v6")), "allowed_hosts: ['[::1]']\n")) {
        TestHttpClient c = v6.client.withHost("[::1]:" + v6.port());
        assertThat(c.get(path(null, "cacerts")).status()).isEqualTo(200);
        assertThat(v6.client.withHost("[::1]").get(path(null, "cacerts")).status()).isEqualTo(200);
        assertError(v6.client.get(path(null, "cacerts")), 400, "host not allowed"); // est.fake.domain
      }
    }
  }

  /**
   * Rate limit exceeded → 429. DIFFERS FROM THE SEED (B12): est4j adds Retry-After. A server with
   * 1 request/s (burst 2) gets 6 requests at once.
   */
  @Test
  void rateLimit() throws Exception {
    try (SeedServer slow = SeedServer.configured(Files.createDirectory(dir.resolve("slow")), "allowed_hosts: [est.fake.domain]\n", 1)) {
      List<TestHttpClient.Response> limited = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        TestHttpClient.Response r = slow.client.get(path(null, "cacerts"));
        if (r.status() == 429) {
          limited.add(r);
        } else {
          assertThat(r.status()).isEqualTo(200);
        }
      }
      assertThat(limited).isNotEmpty();
      assertError(limited.get(0), 429, "rate limit exceeded");
      assertThat(Integer.parseInt(limited.get(0).header("Retry-After"))).isPositive();
    }
  }

  /** Strict-Transport-Security and X-Content-Type-Options: nosniff on every response. */
  @Test
  void securityHeadersOnEveryResponse() throws Exception {
    List<TestHttpClient.Response> all =
        List.of(
            configured.client.get(path(null, "cacerts")),
            configured.client.get(path(null, "csrattrs")),
            configured.client.head(path(null, "cacerts")),
            configured.client.post(path(null, "simpleenroll"), "application/pkcs10", csrBody("Header Doe")),
            configured.client.post(path(null, "simpleenroll"), "text/plain", csrBody("Header Doe")),
            configured.client.withoutBasic().post(path(null, "simpleenroll"), "application/pkcs10", csrBody("Header Doe")),
            configured.client.post(path(null, "cacerts"), "application/pkcs10", csrBody("x")),
            configured.client.get("/nothing"),
            configured.client.withHost("wrong.host").get(path(null, "cacerts")),
            configured.client.withBasic("healthcheck", "xyzzy").get("/healthcheck"),
            zero.client.get(path("triggererrors", "cacerts")),
            zero.client.post(path("triggererrors", "simpleenroll"), "application/pkcs10", csrBody("Trigger Error Deferred")));
    for (TestHttpClient.Response r : all) {
      assertThat(r.header("Strict-Transport-Security")).as("%s", r).startsWith("max-age=");
      assertThat(r.header("X-Content-Type-Options")).as("%s", r).isEqualTo("nosniff");
    }
  }
}
