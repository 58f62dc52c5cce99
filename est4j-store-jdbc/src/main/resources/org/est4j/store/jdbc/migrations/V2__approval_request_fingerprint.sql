-- est4j schema version 2 (approval, revocation): a pending request is found again by its request
-- fingerprint, SHA-256 over the CSR DER, the label and the requester identity (V1 keyed it by the
-- CSR alone, which would let another requester replaying a CSR pick up the certificate).
-- The CRL state per CA: the CRL number is allocated here so several nodes never reuse one.
ALTER TABLE pending_requests ADD COLUMN request_fingerprint CHAR(64);
ALTER TABLE pending_requests DROP CONSTRAINT pending_label_csr_unique;
ALTER TABLE pending_requests ADD CONSTRAINT pending_fingerprint_unique UNIQUE (request_fingerprint);
CREATE INDEX pending_requests_created ON pending_requests (created_at);
CREATE INDEX audit_events_label ON audit_events (label);

CREATE TABLE crl_state (
  ca_name            VARCHAR(64)    NOT NULL PRIMARY KEY,
  crl_number         BIGINT         NOT NULL,
  this_update        TIMESTAMP WITH TIME ZONE NOT NULL,
  next_update        TIMESTAMP WITH TIME ZONE NOT NULL,
  crl_der            BYTEA          NOT NULL
);
