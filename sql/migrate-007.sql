-- migrate-007.sql: schema version 7: the replies kept for Idempotency-Key, so that a client that sends
-- POST /api/v1/articles or POST /api/v1/questions again (a timeout, a lost connection) gets the reply to
-- its first request instead of creating a second article or counting the question twice.

-- One key of one client: scope is 'user:ID' for an account, 'addr:ADDRESS COOKIE' for an anonymous client
-- (its address and its evqa_csrf cookie, when it sends one).
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

-- When anything about an article last changed: a revision saved or a review step taken, on any of its
-- revisions. Kept by the triggers below, so that GET /api/v1/articles can filter (updated_since) and
-- sort (sort=updated, sort=newest) on an index instead of reading every revision.
ALTER TABLE article ADD COLUMN changed_at TEXT;
UPDATE article SET changed_at = (SELECT max(max(created_at, state_at)) FROM revision WHERE article_id = article.id);
CREATE INDEX article_changed ON article(changed_at, id);
CREATE TRIGGER article_changed_insert AFTER INSERT ON revision
BEGIN
  UPDATE article SET changed_at = max(coalesce(changed_at, ''), NEW.created_at, NEW.state_at)
   WHERE id = NEW.article_id;
END;
CREATE TRIGGER article_changed_update AFTER UPDATE OF state, state_at ON revision
BEGIN
  UPDATE article SET changed_at = max(coalesce(changed_at, ''), NEW.state_at) WHERE id = NEW.article_id;
END;
