-- migrate-011.sql: schema version 11: a third kind of topic name. kind 3: the part of the body or
-- the function an article on a group of conditions is about ("hand" for "Hand Injuries and
-- Disorders"), a place to look when a question names nothing more exact, never a sure subject
-- (cgi/topic.c). SQLite cannot change a CHECK constraint in place, so the table is rebuilt
-- (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"); the
-- rename carries the AUTOINCREMENT sequence that readers' caches watch.
CREATE TABLE topic_new (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  term       TEXT NOT NULL CHECK (length(term) BETWEEN 1 AND 200),
  surface    TEXT NOT NULL,          -- the same words as the title writes them (spelling suggestions)
  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
  kind       INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
  UNIQUE (term, article_id)
);
INSERT INTO topic_new (id, term, surface, article_id, kind)
  SELECT id, term, surface, article_id, kind FROM topic;
DROP TABLE topic;
ALTER TABLE topic_new RENAME TO topic;
CREATE INDEX topic_article ON topic(article_id);
CREATE INDEX topic_surface ON topic(surface);

-- Every article's topic names are written again with its sections, by the rules of this version
-- (the group subjects above; typographic apostrophes and Roman numerals read as cgi/topic.c reads
-- them): evqa init rebuilds the sections of articles left without them.
DELETE FROM section;
