package org.est4j.server;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.InMemoryCertificateStore;
import org.est4j.server.store.RevokeResult;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenStore;
import org.est4j.server.store.UserDirectory;

/** A test store that forwards everything to an in-memory store; tests override what they change. */
class ForwardingStore implements CertificateStore {
  final InMemoryCertificateStore memory = new InMemoryCertificateStore();

  @Override
  public void recordIssued(CertificateRecord record) {
    memory.recordIssued(record);
  }

  @Override
  public void recordIssued(CertificateRecord record, Optional<TokenConsumption> token) {
    memory.recordIssued(record, token);
  }

  @Override
  public Optional<TokenStore> tokens() {
    return memory.tokens();
  }

  @Override
  public Optional<UserDirectory> users() {
    return memory.users();
  }

  @Override
  public Optional<CertificateRecord> find(String caName, String serial) {
    return memory.find(caName, serial);
  }

  @Override
  public List<CertificateRecord> findBySerial(String serial) {
    return memory.findBySerial(serial);
  }

  @Override
  public List<CertificateRecord> list(CertificateQuery query) {
    return memory.list(query);
  }

  @Override
  public RevokeResult revoke(String caName, String serial, String reason, Instant at) {
    return memory.revoke(caName, serial, reason, at);
  }

  @Override
  public String describe() {
    return "test store";
  }
}
