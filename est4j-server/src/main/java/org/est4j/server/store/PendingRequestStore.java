package org.est4j.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Requests held for approval (issue 5 §3), shared by every node on one database so that an
 * approval given anywhere is delivered by whichever node the client's retry reaches.
 * Thread-safe.
 */
public interface PendingRequestStore {

  /** What {@link #decide} did. */
  enum Decision { DECIDED, ALREADY_DECIDED, NOT_FOUND }

  /**
   * Stores {@code request} unless a request with its fingerprint exists; returns the stored row
   * (the existing one when retried). Atomic: two nodes submitting the same request at once get
   * the same row.
   */
  default PendingRequest submit(PendingRequest request) {
    return submit(request, Optional.empty());
  }

  /**
   * As {@link #submit(PendingRequest)}; when the request is stored now and {@code token} is
   * present, the token is consumed in the same transaction (both or neither). A retry finds the
   * row its first submission stored and leaves the token alone: the token paid for that request.
   *
   * @throws TokenNotUsableException when the row would be new but the token is used, expired,
   *     revoked or for another label; nothing is stored
   */
  PendingRequest submit(PendingRequest request, Optional<TokenConsumption> token);

  Optional<PendingRequest> find(long id);

  /** Requests with this status (all when empty), newest first, at most {@code limit}. */
  List<PendingRequest> list(Optional<PendingStatus> status, int limit);

  /** Approves or rejects a request that is still pending (only once: a second decision is refused). */
  Decision decide(long id, PendingStatus to, String by, String reason, Instant at);

  /**
   * Records the certificate issued for an approved request and links it to the request, in one
   * transaction; returns the serial now linked. When another node linked one first, nothing is
   * recorded and that serial is returned (the caller delivers that certificate instead).
   */
  String completeIssuance(long id, CertificateRecord certificate);

  /** How many requests wait for a decision (the metrics gauge). */
  int countPending();
}
