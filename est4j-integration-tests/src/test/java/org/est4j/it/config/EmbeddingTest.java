package org.est4j.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.Test;

/**
 * An application that embeds est4j keeps its JVM as it was: est4j prefers Conscrypt without
 * registering it, because registering it first broke SunJSSE for everyone else in the JVM.
 */
class EmbeddingTest {
  @Test
  void theJvmsProvidersAreUntouchedAndSunJsseStillWorks() throws Exception {
    List<String> before = Arrays.stream(Security.getProviders()).map(Provider::getName).toList();
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0")) {
      List<String> after = Arrays.stream(Security.getProviders()).map(Provider::getName).toList();
      assertThat(after).isEqualTo(before);

      SSLContext sunJsse = SSLContext.getInstance("TLSv1.3", "SunJSSE");
      sunJsse.init(null, new TrustManager[] {TestPki.trustManagerTrusting(server.root())}, null);
      HttpClient client = HttpClient.newBuilder().sslContext(sunJsse).version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/.well-known/est/cacerts")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.sslSession()).get().extracting(s -> s.getProtocol()).isEqualTo("TLSv1.3");
      // zero-config TLS: one certificate, issued by the root the client trusts (cheapest to verify)
      java.security.cert.Certificate[] chain = r.sslSession().get().getPeerCertificates();
      assertThat(chain).hasSize(1);
      java.security.cert.X509Certificate leaf = (java.security.cert.X509Certificate) chain[0];
      assertThat(leaf.getIssuerX500Principal()).isEqualTo(server.root().getSubjectX500Principal());
      leaf.verify(server.root().getPublicKey());
    }
  }
}
