-- est4j schema version 4: cheaper certificate and audit inserts (issue 5 §8; measured in
-- est4j-store-jdbc/README.md "Write cost"). Nothing a query uses is lost.
-- 1. One unique index (serial, ca_name) instead of UNIQUE (ca_name, serial) plus an index on
--    serial: it enforces the same uniqueness and serves lookups by serial alone through its first
--    column. Serials are random, so each of these indexes costs a B-tree leaf rewrite per row.
-- 2. No index on public_key_sha256: no query reads by it (another random-key leaf per row).
-- 3. Identity values handed out in blocks of 1024: H2 records a sequence's position with a commit
--    of its own each time its cache (32 by default) runs out, which with WRITE_DELAY=0 is a file
--    write per 32 rows. A crash skips the rest of a block (gaps in id, which nothing relies on).
ALTER TABLE certificates ADD CONSTRAINT certificates_serial_ca_unique UNIQUE (serial, ca_name);
ALTER TABLE certificates DROP CONSTRAINT certificates_ca_serial_unique;
DROP INDEX certificates_serial;
DROP INDEX certificates_public_key;
ALTER TABLE certificates ALTER COLUMN id SET CACHE 1024;
ALTER TABLE audit_events ALTER COLUMN id SET CACHE 1024;
