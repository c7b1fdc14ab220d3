-- migrate-008.sql: schema version 8: the authors of each reference, for the list and citation export.

-- The authors in order, as a JSON array of {"family", "given"} (a person) or {"literal"} (a group or
-- body), as content_save() checked and wrote it; NULL when none are recorded.
ALTER TABLE reference ADD COLUMN authors TEXT CHECK (authors IS NULL OR (json_valid(authors) AND
  json_type(authors) = 'array'));
