package org.est4j.server.store;

import java.util.List;
import java.util.Optional;

/**
 * One-time enrollment tokens (issue 5 §1). Consumption is not here: it belongs to the
 * certificate's transaction, see {@link CertificateStore#recordIssued(CertificateRecord, Optional)}.
 */
public interface TokenStore {
  /** Stores a new token; returns it with its id. */
  EnrollmentToken create(EnrollmentToken token);

  /** The token whose text hashes to {@code sha256}, used or not. */
  Optional<EnrollmentToken> findBySha256(String sha256);

  /** All tokens, newest first, at most {@code limit}. */
  List<EnrollmentToken> list(int limit);

  /** Deletes a token so it can no longer be presented; false when there is none with this id. */
  boolean revoke(long id);
}
