-- est4j schema version 1: every table of the production server (issue 5), so later features add
-- migrations rather than rewrite this one. Portable SQL for H2 2.x and PostgreSQL 12+.
-- Labels are '' for the unlabelled path (NOT NULL, so they can take part in unique keys).

CREATE TABLE certificates (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ca_name            VARCHAR(64)    NOT NULL,
  serial             VARCHAR(64)    NOT NULL,
  label              VARCHAR(255)   NOT NULL,
  subject            VARCHAR(4096)  NOT NULL,
  subject_alt_names  VARCHAR(65536) NOT NULL,
  public_key_sha256  CHAR(64)       NOT NULL,
  not_before         TIMESTAMP WITH TIME ZONE NOT NULL,
  not_after          TIMESTAMP WITH TIME ZONE NOT NULL,
  status             VARCHAR(16)    NOT NULL,
  requester          VARCHAR(4096)  NOT NULL,
  request_id         VARCHAR(64)    NOT NULL,
  pem                VARCHAR(262144) NOT NULL,
  issued_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at         TIMESTAMP WITH TIME ZONE,
  revocation_reason  VARCHAR(1024),
  CONSTRAINT certificates_ca_serial_unique UNIQUE (ca_name, serial),
  CONSTRAINT certificates_status_check CHECK (status IN ('issued', 'revoked'))
);
CREATE INDEX certificates_serial ON certificates (serial);
CREATE INDEX certificates_label ON certificates (label);
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE INDEX certificates_public_key ON certificates (public_key_sha256);

-- approval: manual. One row per (label, CSR): the same CSR retried finds its row.
CREATE TABLE pending_requests (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label              VARCHAR(255)   NOT NULL,
  ca_name            VARCHAR(64)    NOT NULL,
  operation          VARCHAR(32)    NOT NULL,
  csr_sha256         CHAR(64)       NOT NULL,
  csr_der            BYTEA            NOT NULL,
  subject            VARCHAR(4096)  NOT NULL,
  requester          VARCHAR(4096)  NOT NULL,
  request_id         VARCHAR(64)    NOT NULL,
  status             VARCHAR(16)    NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  decided_at         TIMESTAMP WITH TIME ZONE,
  decided_by         VARCHAR(255),
  decision_reason    VARCHAR(1024),
  certificate_serial VARCHAR(64),
  CONSTRAINT pending_label_csr_unique UNIQUE (label, csr_sha256),
  CONSTRAINT pending_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'delivered'))
);
CREATE INDEX pending_requests_status ON pending_requests (status);

-- One-time enrollment tokens: only a hash of the secret is stored; used_at set atomically once.
CREATE TABLE tokens (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_sha256       CHAR(64)       NOT NULL,
  label              VARCHAR(255)   NOT NULL,
  subject_pattern    VARCHAR(1024),
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by         VARCHAR(255),
  expires_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  used_at            TIMESTAMP WITH TIME ZONE,
  used_by_request_id VARCHAR(64),
  CONSTRAINT tokens_hash_unique UNIQUE (token_sha256)
);

-- Basic users: a memory-hard hash only, never the password.
CREATE TABLE users (
  username           VARCHAR(255)   NOT NULL PRIMARY KEY,
  password_hash      VARCHAR(1024)  NOT NULL,
  disabled           BOOLEAN        DEFAULT FALSE NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE audit_events (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_time         TIMESTAMP WITH TIME ZONE NOT NULL,
  request_id         VARCHAR(64),
  client_address     VARCHAR(64),
  identity           VARCHAR(4096),
  label              VARCHAR(255)   NOT NULL,
  operation          VARCHAR(32)    NOT NULL,
  outcome            VARCHAR(32)    NOT NULL,
  http_status        INTEGER,
  serial             VARCHAR(64),
  reason             VARCHAR(4096)
);
CREATE INDEX audit_events_time ON audit_events (event_time);
CREATE INDEX audit_events_identity ON audit_events (identity);
