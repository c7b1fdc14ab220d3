-- migrate-003.sql: the editorial workflow, schema version 3: accounts and their roles, login sessions,
-- API tokens, the append-only audit trail of review transitions, a review-by date per article, the
-- author account of each revision, and the review states changes_requested and archived.
-- Applied by evqa with foreign keys off (cgi/db.c: db_migrate), so that rebuilding `revision` below
-- does not cascade into its references and wording; PRAGMA foreign_key_check runs before COMMIT.

-- People who write and review. role: author < reviewer < editor < admin (see cgi/workflow.c).
-- password_hash is libsodium's crypto_pwhash_str (argon2id) string.
CREATE TABLE account (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
  name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  credential    TEXT NOT NULL DEFAULT '' CHECK (length(credential) <= 200),
  role          TEXT NOT NULL CHECK (role IN ('author', 'reviewer', 'editor', 'admin')),
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL
);

-- A login session. Only the hash of the cookie's token is stored (crypto_generichash, 32 bytes).
-- Times are Unix seconds (compared on every request): the session ends at expires_at, or when it has
-- not been used for the idle timeout (last_seen + idle seconds, checked by evqa).
CREATE TABLE session (
  token_hash  BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
  account_id  INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX session_account ON session(account_id);

-- Per-account tokens for the JSON API (Authorization: Bearer). Only the hash is stored.
CREATE TABLE api_token (
  token_hash  BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
  account_id  INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL
);

-- Every review transition, appended and never changed: the triggers below refuse UPDATE and DELETE.
-- from_state is NULL when the revision was created.
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES article(id),
  revision_id INTEGER NOT NULL REFERENCES revision(id),
  from_state  TEXT,
  to_state    TEXT NOT NULL,
  actor_id    INTEGER REFERENCES account(id),
  reason      TEXT,
  at          TEXT NOT NULL
);
CREATE INDEX audit_article ON audit(article_id, id);
CREATE INDEX audit_revision ON audit(revision_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit rows cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit rows cannot be removed');
END;

-- When the approved text is due for its next review ('YYYY-MM-DDTHH:MM:SSZ'), set on approval.
ALTER TABLE article ADD COLUMN review_by TEXT;

-- The revision table again, with the new states and the author's account: SQLite cannot change a
-- CHECK constraint in place, so the table is rebuilt (https://www.sqlite.org/lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes").
CREATE TABLE revision_new (
  id             INTEGER PRIMARY KEY,
  article_id     INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
  number         INTEGER NOT NULL CHECK (number >= 1),
  question       TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
  author         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('submitted', 'under_review', 'approved',
                                                'changes_requested', 'archived')),
  state_at       TEXT NOT NULL,
  author_user_id INTEGER REFERENCES account(id),
  section_ids    TEXT,          -- from migrate-002.sql: external ids of the sections, set by import
  UNIQUE (article_id, number)
);
INSERT INTO revision_new (id, article_id, number, question, author, created_at, state, state_at, section_ids)
  SELECT id, article_id, number, question, author, created_at, state, state_at, section_ids FROM revision;
DROP TABLE revision;
ALTER TABLE revision_new RENAME TO revision;
CREATE INDEX revision_article ON revision(article_id, number);
