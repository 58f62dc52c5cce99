package org.est4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.est4j.server.store.InMemoryCertificateStore;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EST4J_STORE / est4j.store: replaces a file's store and the zero-config server's, for the server
 * and the store commands; the property wins; bad values name the variable or property.
 */
class StoreOverrideTest {
  @TempDir Path dir;
  private String saved;

  @BeforeEach
  void saveProperty() {
    saved = System.getProperty(StoreOverride.PROPERTY);
    System.clearProperty(StoreOverride.PROPERTY);
  }

  @AfterEach
  void restoreProperty() {
    if (saved == null) {
      System.clearProperty(StoreOverride.PROPERTY);
    } else {
      System.setProperty(StoreOverride.PROPERTY, saved);
    }
  }

  private ServerConfig file(String yaml) throws ConfigException {
    return ServerConfigReader.parse(yaml, dir, "test.yaml");
  }

  @Test
  void unsetOrBlankLeavesTheConfiguredStore() throws Exception {
    ServerConfig cfg = file("store: jdbc:postgresql://db/est4j");
    assertThat(StoreOverride.apply(cfg, null, null)).isSameAs(cfg);
    assertThat(StoreOverride.apply(cfg, " ", "")).isSameAs(cfg);
    assertThat(StoreOverride.apply(ServerConfig.noFile(), null, null).store().isInMemory()).isTrue();
  }

  @Test
  void theVariableReplacesTheStoreKeyAndThePropertyWins() throws Exception {
    ServerConfig cfg = file("store: {url: jdbc:postgresql://db/est4j, user: est4j, password_env: PW, pool_size: 40}");
    StoreConfig env = StoreOverride.apply(cfg, "jdbc:h2:file:/srv/est4j/db", null).store();
    assertThat(env.url()).contains("jdbc:h2:file:/srv/est4j/db");
    assertThat(env.overriddenBy()).contains("EST4J_STORE");
    assertThat(env.user()).as("the whole store key is replaced").isEmpty();
    assertThat(env.passwordEnv()).isEmpty();
    assertThat(env.poolSize()).isEqualTo(StoreConfig.DEFAULT_POOL_SIZE);
    assertThat(env.dataDir()).as("the data directory still holds the CAs").isEqualTo(cfg.store().dataDir());

    StoreConfig prop = StoreOverride.apply(cfg, "jdbc:h2:file:/srv/est4j/db",
        "jdbc:postgresql://other:5432/est4j?user=u&password=p").store();
    assertThat(prop.url()).contains("jdbc:postgresql://other:5432/est4j?user=u&password=p");
    assertThat(prop.overriddenBy()).contains("est4j.store");
  }

  @Test
  void memoryReplacesAFilesDurableStoreAndAJdbcUrlTheZeroConfigServersMemory() throws Exception {
    assertThat(StoreOverride.apply(file("rate_limit: 1"), "memory", null).store().isInMemory()).isTrue();
    StoreConfig zero = StoreOverride.apply(ServerConfig.noFile(), null, "jdbc:h2:file:/tmp/x").store();
    assertThat(zero.isInMemory()).isFalse();
    assertThat(zero.url()).contains("jdbc:h2:file:/tmp/x");
  }

  @Test
  void badValuesNameTheVariableOrPropertyWithoutThePassword() {
    assertThatThrownBy(() -> StoreOverride.apply(ServerConfig.noFile(), "jdbc:mysql://db/x?password=hunter2", null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("EST4J_STORE: must be jdbc:h2:file:PATH, jdbc:postgresql://HOST:PORT/DB or memory")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> StoreOverride.apply(ServerConfig.noFile(), null, "postgres://db/x"))
        .hasMessageStartingWith("est4j.store: must be");
    assertThatThrownBy(() -> StoreOverride.apply(ServerConfig.noFile(), null, "jdbc:h2:mem:x"))
        .hasMessageStartingWith("est4j.store: an in-memory H2 database is not durable");
  }

  @Test
  void theZeroConfigServerRecordsInTheOverridingDatabase() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("zero").toAbsolutePath();
    System.setProperty(StoreOverride.PROPERTY, url);
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0")) {
      assertThat(server.certificateStore()).isInstanceOf(JdbcCertificateStore.class);
      assertThat(server.certificateStore().describe()).startsWith(url);
    }
    assertThat(dir.resolve("zero.mv.db")).isRegularFile();
    System.setProperty(StoreOverride.PROPERTY, "memory");
    Path cfg = Files.writeString(dir.resolve("estserver.yaml"), "tls: {listen_address: '127.0.0.1:0'}\n");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(cfg), null)) {
      assertThat(server.certificateStore()).isInstanceOf(InMemoryCertificateStore.class);
    }
    assertThat(dir.resolve("est4j-data")).as("the default H2 file was not opened").doesNotExist();
  }

  @Test
  void theStoreCommandsReadTheOverridingStore() throws Exception {
    Path cfg = Files.writeString(dir.resolve("estserver.yaml"), "tls: {listen_address: '127.0.0.1:0'}\n");
    System.setProperty(StoreOverride.PROPERTY, "memory");
    StringWriter err = new StringWriter();
    int exit = EstServerCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "certs", "list",
        "-config", cfg.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("(from est4j.store) is 'memory'");

    System.setProperty(StoreOverride.PROPERTY, "jdbc:h2:file:" + dir.resolve("other").toAbsolutePath());
    exit = EstServerCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "certs",
        "list", "-config", cfg.toString());
    assertThat(exit).isZero();
    assertThat(dir.resolve("other.mv.db")).isRegularFile();
    assertThat(dir.resolve("est4j-data")).doesNotExist();
  }

  @Test
  void aBadOverrideStopsTheServerWithExit2() {
    System.setProperty(StoreOverride.PROPERTY, "jdbc:oracle:thin:@db");
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = EstServerCommand.commandLine().execute("-listen", "127.0.0.1:0");
    } finally {
      System.setErr(oldErr);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("configuration error: est4j.store: must be");
  }
}
