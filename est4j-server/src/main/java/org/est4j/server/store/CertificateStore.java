package org.est4j.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable records of issued certificates (issue 5 §2). The EST engine calls
 * {@link #recordIssued} after the CA signed and before the response is written: when it returns,
 * the row is committed; when it throws, the client gets a 500 and no certificate. Implementations
 * are thread-safe. {@link InMemoryCertificateStore} is the non-durable default; the JDBC
 * implementation (H2, PostgreSQL) lives in est4j-store-jdbc.
 */
public interface CertificateStore extends AutoCloseable {

  /**
   * Records a newly issued certificate, committed when this returns.
   *
   * @throws DuplicateSerialException when the CA already has a certificate with this serial
   * @throws StoreException when the record cannot be committed
   */
  void recordIssued(CertificateRecord record);

  /**
   * Records a certificate and, in the same transaction, consumes the enrollment token it was
   * authorised by: both commit, or neither does. With an empty token this is
   * {@link #recordIssued(CertificateRecord)}. Abstract on purpose, like {@link #tokens()} and
   * {@link #users()}: a decorator (timing, logging) must forward all three to the store it wraps,
   * or tokens would silently stop working.
   *
   * @throws TokenNotUsableException when the token was used, expired, revoked or is for another
   *     label at commit time; the certificate is then not recorded
   */
  void recordIssued(CertificateRecord record, Optional<TokenConsumption> token);

  /**
   * {@link #recordIssued(CertificateRecord, Optional)}, and the audit event of the request that
   * issued the certificate appended in the same transaction, so that a certificate a client
   * received always has its audit row, even after a crash (issue 5 §5). Returns whether the event
   * was stored; this default stores none (a store without an audit table) and returns false, and
   * the caller then gives the event to its audit sink as for any other request. A decorator must
   * forward this method too, or audit rows silently become asynchronous again.
   *
   * @throws TokenNotUsableException as {@link #recordIssued(CertificateRecord, Optional)}; then
   *     neither the certificate nor the event is stored
   */
  default boolean recordIssued(CertificateRecord record, Optional<TokenConsumption> token, AuditEvent audit) {
    recordIssued(record, token);
    return false;
  }

  /** The tokens that live in the same database (needed for atomic consumption); empty if none. */
  Optional<TokenStore> tokens();

  /** The Basic users that live in this store; empty if it keeps none. */
  Optional<UserDirectory> users();

  /** The certificate of {@code caName} with this serial (any accepted spelling, see {@link CertificateRecord#normaliseSerial}). */
  Optional<CertificateRecord> find(String caName, String serial);

  /** Every certificate with this serial, whichever CA issued it (an operator rarely knows the CA). */
  List<CertificateRecord> findBySerial(String serial);

  /** Certificates matching the query, newest first, at most {@code query.limit()}. */
  List<CertificateRecord> list(CertificateQuery query);

  /** Marks a certificate revoked; idempotent (a second call keeps the first reason and time). */
  RevokeResult revoke(String caName, String serial, String reason, Instant at);

  /** A short description for the start-up log, without credentials. */
  String describe();

  /**
   * Returns normally when the store can take a record now (the readiness probe's "store" line);
   * the default, for stores in memory, always can.
   *
   * @throws StoreException saying what is wrong, without credentials
   */
  default void checkReady() {}

  /** Releases connections; the default does nothing. */
  @Override
  default void close() {}
}
