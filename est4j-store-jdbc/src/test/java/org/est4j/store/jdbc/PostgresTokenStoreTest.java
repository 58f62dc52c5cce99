package org.est4j.store.jdbc;

import org.est4j.server.store.CertificateStore;

class PostgresTokenStoreTest extends TokenStoreContract {
  @Override
  CertificateStore newStore() throws Exception {
    return JdbcCertificateStore.open(Backends.freshPostgres());
  }
}
