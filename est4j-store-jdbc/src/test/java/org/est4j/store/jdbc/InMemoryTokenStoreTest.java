package org.est4j.store.jdbc;

import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.InMemoryCertificateStore;

class InMemoryTokenStoreTest extends TokenStoreContract {
  @Override
  CertificateStore newStore() {
    return new InMemoryCertificateStore();
  }
}
