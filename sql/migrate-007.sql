-- migrate-007.sql: schema version 7: the replies kept for Idempotency-Key, so that a client that sends
-- POST /api/v1/articles or POST /api/v1/questions again (a timeout, a lost connection) gets the reply to
-- its first request instead of creating a second article or counting the question twice.

-- One key of one client: scope is 'user:ID' for an account, 'addr:ADDRESS' for an anonymous client.
-- request is a hash of the method, path and body the key was first used with; status is 0 while that
-- request is still being handled, else the status of the successful reply kept here (with its
-- Location, ETag and body). Rows older than the time keys are kept (24 hours) are purged.
CREATE TABLE idempotency (
  scope      TEXT NOT NULL,
  key        TEXT NOT NULL,
  request    TEXT NOT NULL,
  status     INTEGER NOT NULL DEFAULT 0,
  location   TEXT,
  etag       TEXT,
  cache      TEXT,
  body       TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_created ON idempotency(created_at);
