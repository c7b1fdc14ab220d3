-- migrate-008.sql: schema version 8: the authors of each reference, for the list and citation export.

-- The authors in order, as a JSON array of {"family", "given"} (a person) or {"literal"} (a group or
-- body), as content_save() checked and wrote it; NULL when none are recorded.
ALTER TABLE reference ADD COLUMN authors TEXT CHECK (authors IS NULL OR (json_valid(authors) AND
  json_type(authors) = 'array'));

-- Retraction watch (evqa references check --retractions FILE): the notices read from a Retraction
-- Watch file, one row per notice, kept when read again (key: the file's record id, else the paper and
-- the notice).
CREATE TABLE retraction_notice (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  record_id   TEXT,
  doi         TEXT,              -- the original paper's DOI, lowercase
  pmid        TEXT,              -- the original paper's PubMed id
  nature      TEXT NOT NULL,     -- 'Retraction', 'Correction', 'Expression of concern'
  notice_date TEXT,              -- 'YYYY-MM-DD', or NULL when the file gives none
  title       TEXT,
  first_seen  TEXT NOT NULL
);

-- A reference of a revision (the one readers see, or the newest) that cites a noticed paper: the
-- article is flagged for re-review. Found once: reading the file again adds nothing.
CREATE TABLE reference_flag (
  id          INTEGER PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
  revision_id INTEGER NOT NULL REFERENCES revision(id) ON DELETE CASCADE,
  ref_num     INTEGER NOT NULL,
  notice_id   INTEGER NOT NULL REFERENCES retraction_notice(id),
  found_at    TEXT NOT NULL,
  UNIQUE (revision_id, ref_num, notice_id)
);
CREATE INDEX reference_flag_article ON reference_flag(article_id);

-- References by the identifiers a notice names.
CREATE INDEX reference_doi ON reference(lower(doi));
CREATE INDEX reference_pmid ON reference(pmid);

-- Honest provenance. The conflict-of-interest statement of an account, shown beside its approvals
-- (NULL: none on record).
ALTER TABLE account ADD COLUMN conflicts TEXT;

-- Where an imported revision came from: who imported it, from which source, when, and the state it
-- was given. Readers see this instead of an approval when no person approved the revision.
CREATE TABLE revision_import (
  revision_id INTEGER PRIMARY KEY REFERENCES revision(id) ON DELETE CASCADE,
  imported_by TEXT NOT NULL,
  source      TEXT NOT NULL,     -- "MedQuAD (GARD)", "evqa export"
  source_url  TEXT,
  state       TEXT NOT NULL,
  imported_at TEXT NOT NULL
);
