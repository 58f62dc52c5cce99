package org.est4j.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2IssuanceAuditTest extends IssuanceAuditContract {
  @TempDir Path dir;

  @Override
  JdbcStoreSettings settings() {
    return Backends.h2(dir);
  }
}
