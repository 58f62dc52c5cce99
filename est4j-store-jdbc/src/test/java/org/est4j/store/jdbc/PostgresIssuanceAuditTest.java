package org.est4j.store.jdbc;

class PostgresIssuanceAuditTest extends IssuanceAuditContract {
  @Override
  JdbcStoreSettings settings() throws Exception {
    return Backends.freshPostgres();
  }
}
