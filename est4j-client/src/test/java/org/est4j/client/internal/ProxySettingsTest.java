package org.est4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
  @Test
  void httpsProxyUrlOrHostPort() {
    assertThat(ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "http://proxy.example:3128"), "est.example"))
        .contains(new ProxySettings("proxy.example", 3128, null));
    assertThat(ProxySettings.fromEnvironment(Map.of("https_proxy", "proxy.example:8080"), "est.example"))
        .contains(new ProxySettings("proxy.example", 8080, null));
    assertThat(ProxySettings.fromEnvironment(Map.of(), "est.example")).isEmpty();
  }

  @Test
  void credentialsBecomeProxyAuthorization() {
    ProxySettings p = ProxySettings.parse("http://bob:s%40cret@proxy:3128");
    assertThat(p.authorization()).isEqualTo("Basic Ym9iOnNAY3JldA==");
  }

  @Test
  void noProxy() {
    Map<String, String> env = Map.of("HTTPS_PROXY", "proxy:3128", "NO_PROXY", "localhost, .corp.example,other.example:443");
    assertThat(ProxySettings.fromEnvironment(env, "localhost")).isEmpty();
    assertThat(ProxySettings.fromEnvironment(env, "est.corp.example")).isEmpty();
    assertThat(ProxySettings.fromEnvironment(env, "corp.example")).isEmpty();
    assertThat(ProxySettings.fromEnvironment(env, "other.example")).isEmpty();
    assertThat(ProxySettings.fromEnvironment(env, "notcorp.example")).isPresent();
    assertThat(ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "p:1", "no_proxy", "*"), "x")).isEmpty();
  }

  @Test
  void onlyHttpProxies() {
    assertThatThrownBy(() -> ProxySettings.parse("socks5://p:1080")).hasMessageContaining("only http://");
  }
}
