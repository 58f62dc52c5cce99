package org.est4j.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.temporal.ChronoUnit;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.InMemoryCertificateStore;
import org.junit.jupiter.api.Test;

class InMemoryCertificateStoreTest extends CertificateStoreContract {
  @Override
  CertificateStore newStore() {
    return new InMemoryCertificateStore(100_000);
  }

  @Test
  void forgetsTheOldestBeyondItsCapacity() {
    InMemoryCertificateStore small = new InMemoryCertificateStore(2);
    small.recordIssued(row("1", "main", null, "a", NOW.plus(1, ChronoUnit.DAYS)));
    small.recordIssued(row("2", "main", null, "b", NOW.plus(1, ChronoUnit.DAYS)));
    small.recordIssued(row("3", "main", null, "c", NOW.plus(1, ChronoUnit.DAYS)));
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.find("main", "1")).isEmpty();
    assertThat(small.find("main", "3")).isPresent();
  }
}
