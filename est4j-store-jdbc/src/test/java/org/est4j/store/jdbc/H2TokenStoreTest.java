package org.est4j.store.jdbc;

import java.nio.file.Path;
import org.est4j.server.store.CertificateStore;
import org.junit.jupiter.api.io.TempDir;

class H2TokenStoreTest extends TokenStoreContract {
  @TempDir Path dir;

  @Override
  CertificateStore newStore() {
    return JdbcCertificateStore.open(Backends.h2(dir));
  }
}
