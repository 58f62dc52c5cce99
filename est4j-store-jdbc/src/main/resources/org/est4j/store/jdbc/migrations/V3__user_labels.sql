-- est4j schema version 3: a stored user may be limited to some labels (estserver users add
-- --labels). Space-separated label names, '/' for the unlabelled path (neither can occur in a
-- label); NULL: every label, as before.
ALTER TABLE users ADD COLUMN labels VARCHAR(4096);
