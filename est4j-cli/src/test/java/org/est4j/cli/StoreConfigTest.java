package org.est4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigTest {
  @TempDir Path dir;

  private StoreConfig read(String yaml) throws ConfigException {
    return ServerConfigReader.parse(yaml, dir, "test.yaml").store();
  }

  @Test
  void theZeroConfigServerKeepsItsRecordsInMemory() {
    assertThat(ServerConfig.noFile().store().isInMemory()).isTrue();
  }

  @Test
  void aConfigFileWithoutStoreUsesH2InEst4jDataNextToIt() throws Exception {
    StoreConfig s = read("rate_limit: 1");
    assertThat(s.url()).contains("jdbc:h2:file:" + dir.resolve("est4j-data").resolve("est4j"));
    assertThat(s.dataDir()).contains(dir.resolve("est4j-data"));
  }

  @Test
  void dataDirMovesTheDefaultDatabase() throws Exception {
    StoreConfig s = read("data_dir: /var/lib/est4j");
    assertThat(s.url()).contains("jdbc:h2:file:/var/lib/est4j/est4j");
    StoreConfig relative = read("data_dir: state");
    assertThat(relative.url()).contains("jdbc:h2:file:" + dir.resolve("state").resolve("est4j"));
  }

  @Test
  void storeAsAStringOrAMapping() throws Exception {
    assertThat(read("store: jdbc:postgresql://db:5432/est4j").url()).contains("jdbc:postgresql://db:5432/est4j");
    assertThat(read("store: memory").isInMemory()).isTrue();
    Files.writeString(dir.resolve("db.pw"), "secret\n");
    StoreConfig m = read("""
        store:
          url: jdbc:postgresql://db/est4j
          user: est4j
          password_file: db.pw
          pool_size: 20
          connection_timeout: 2.5
        """);
    assertThat(m.user()).contains("est4j");
    assertThat(m.passwordFile()).contains(dir.resolve("db.pw"));
    assertThat(m.poolSize()).isEqualTo(20);
    assertThat(m.connectionTimeout()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void badStoreSettingsNameTheirKey() {
    assertThatThrownBy(() -> read("store: jdbc:mysql://db/x?password=hunter2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store: must be jdbc:h2:file:PATH, jdbc:postgresql://HOST:PORT/DB or memory")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> read("store: jdbc:h2:mem:x"))
        .hasMessageStartingWith("store: an in-memory H2 database is not durable");
    assertThatThrownBy(() -> read("store: {url: jdbc:postgresql://db/x, password_file: a, password_env: B}"))
        .hasMessageStartingWith("store.password_file: give either");
    assertThatThrownBy(() -> read("store: {url: jdbc:postgresql://db/x, pool: 3}"))
        .hasMessageStartingWith("store.pool: unknown key");
    assertThatThrownBy(() -> read("store: {user: x}")).hasMessageStartingWith("store.url: is required");
    assertThatThrownBy(() -> read("store: {url: jdbc:postgresql://db/x, pool_size: 0}"))
        .hasMessageStartingWith("store.pool_size: must be between 1 and 1000");
  }

  @Test
  void aMissingPasswordVariableIsNamed() {
    StoreConfig s = new StoreConfig(java.util.Optional.of("jdbc:postgresql://127.0.0.1:1/x"), java.util.Optional.empty(),
        java.util.Optional.of("u"), java.util.Optional.empty(), java.util.Optional.of("EST4J_SURELY_UNSET_VARIABLE"),
        1, Duration.ofSeconds(1), java.util.Optional.empty());
    assertThatThrownBy(() -> StoreAssembly.open(s))
        .isInstanceOf(ConfigException.class)
        .hasMessage("store.password_env: the environment variable EST4J_SURELY_UNSET_VARIABLE is not set");
  }

  @Test
  void revocationReasonsAndDurations() {
    assertThat(RevocationReasons.canonical("KEYCOMPROMISE")).isEqualTo("keyCompromise");
    assertThatThrownBy(() -> RevocationReasons.canonical("lost")).hasMessageContaining("is not one of unspecified");
    assertThat(CertsCommand.duration("x", "30d")).isEqualTo(Duration.ofDays(30));
    assertThat(CertsCommand.duration("x", "2w")).isEqualTo(Duration.ofDays(14));
    assertThat(CertsCommand.duration("x", "12h")).isEqualTo(Duration.ofHours(12));
    assertThat(CertsCommand.duration("x", "P30D")).isEqualTo(Duration.ofDays(30));
    assertThatThrownBy(() -> CertsCommand.duration("--expiring-within", "2y"))
        .hasMessage("--expiring-within: '2y' is not a duration like 30d, 12h, 2w, 90m or P30D");
  }
}
