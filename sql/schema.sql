-- schema.sql: the evqa database, schema version 1 (PRAGMA user_version = 1).
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SSZ'. Applied by `evqa init` inside one transaction.

-- Reader audiences. Rows are written by evqa itself from its built-in list (cgi/content.c).
CREATE TABLE audience (
  code  TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32),
  label TEXT NOT NULL,
  sort  INTEGER NOT NULL
);

-- Key/value settings kept by the server (the form-token secret, for instance).
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);

-- An article is a clinical question; its content lives in revisions.
CREATE TABLE article (
  id         INTEGER PRIMARY KEY,
  slug       TEXT NOT NULL CHECK (length(slug) BETWEEN 1 AND 120 AND slug NOT GLOB '*[^a-z0-9-]*'),
  created_at TEXT NOT NULL
);

-- One version of an article. Readers see the latest approved revision, else the latest one.
CREATE TABLE revision (
  id         INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
  number     INTEGER NOT NULL CHECK (number >= 1),
  question   TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
  author     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('submitted', 'under_review', 'approved')),
  state_at   TEXT NOT NULL,
  UNIQUE (article_id, number)
);
CREATE INDEX revision_article ON revision(article_id, number);

-- The numbered reference list of a revision; citation markers [n] resolve against num.
CREATE TABLE reference (
  revision_id INTEGER NOT NULL REFERENCES revision(id) ON DELETE CASCADE,
  num         INTEGER NOT NULL CHECK (num BETWEEN 1 AND 500),
  kind        TEXT NOT NULL CHECK (kind IN ('guideline', 'systematic_review', 'research', 'review', 'other')),
  title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  source      TEXT,
  year        INTEGER CHECK (year IS NULL OR year BETWEEN 1800 AND 2200),
  pmid        TEXT CHECK (pmid IS NULL OR (length(pmid) BETWEEN 1 AND 10 AND pmid NOT GLOB '*[^0-9]*')),
  doi         TEXT CHECK (doi IS NULL OR doi GLOB '10.*/*'),
  url         TEXT CHECK (url IS NULL OR url GLOB 'https://*' OR url GLOB 'http://*'),
  PRIMARY KEY (revision_id, num)
);

-- The wording of a revision for one audience. Markdown is the source; html, bottom_html and doc_json
-- are rendered from it by evqa when it is saved, so that reading an article renders nothing.
CREATE TABLE revision_text (
  revision_id INTEGER NOT NULL REFERENCES revision(id) ON DELETE CASCADE,
  audience    TEXT NOT NULL REFERENCES audience(code),
  bottom_line TEXT NOT NULL,
  body        TEXT NOT NULL,
  html        TEXT,
  bottom_html TEXT,
  doc_json    TEXT,
  cite_counts TEXT,            -- times each reference is cited, '3,1,0,2': for back links
  PRIMARY KEY (revision_id, audience)
);
