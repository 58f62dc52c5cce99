package org.est4j.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2CertificateStoreTest extends CertificateStoreContract {
  @TempDir Path dir;

  @Override
  CertificateStore newStore() {
    return JdbcCertificateStore.open(Backends.h2(dir));
  }

  @Test
  void h2UrlsWriteAtEachCommitUnlessTheySaySo() {
    assertThat(JdbcDatabase.durableUrl("jdbc:h2:file:/x/y")).isEqualTo("jdbc:h2:file:/x/y;WRITE_DELAY=0");
    assertThat(JdbcDatabase.durableUrl("jdbc:h2:file:/x/y;write_delay=100")).isEqualTo("jdbc:h2:file:/x/y;write_delay=100");
    assertThat(JdbcDatabase.durableUrl("jdbc:postgresql://h/d")).isEqualTo("jdbc:postgresql://h/d");
  }

  @Test
  void aClosedStoreRefusesToRecord() {
    CertificateStore closed = JdbcCertificateStore.open(Backends.h2(dir.resolve("other")));
    closed.close();
    assertThatThrownBy(() -> closed.recordIssued(row("1", "main", null, "x", NOW.plus(1, ChronoUnit.DAYS))))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theDataSurvivesReopening() {
    store.recordIssued(row("abc", "main", "l", "kept", NOW.plus(1, ChronoUnit.DAYS)));
    store.close();
    store = JdbcCertificateStore.open(Backends.h2(dir));
    assertThat(store.find("main", "abc")).get().extracting(r -> r.subject()).isEqualTo("CN=kept,O=Example");
  }
}
