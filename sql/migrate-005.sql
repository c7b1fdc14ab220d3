-- migrate-005.sql: schema version 5. What questions are matched against: each section's question type
-- and the anchor of its heading on the article page, and the topic names of each article.

-- The question type of a section, from its heading (cgi/topic.c), and the id of its heading in the
-- article page's HTML, for links that land on the section.
ALTER TABLE section ADD COLUMN qtype TEXT;
ALTER TABLE section ADD COLUMN anchor TEXT;

-- The names a question may use for an article's topic, as cgi/topic.c writes words (lower case,
-- singular, single spaces). kind 1: the article's title or a whole name of it; kind 2: a phrase
-- taken from a longer title. Rebuilt with the article's sections. AUTOINCREMENT, so that the sequence
-- tells readers' caches that topics changed.
CREATE TABLE topic (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  term       TEXT NOT NULL CHECK (length(term) BETWEEN 1 AND 200),
  surface    TEXT NOT NULL,          -- the same words as the title writes them (spelling suggestions)
  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
  kind       INTEGER NOT NULL CHECK (kind IN (1, 2)),
  UNIQUE (term, article_id)
);
CREATE INDEX topic_article ON topic(article_id);

CREATE INDEX synonym_expansion ON synonym(expansion);

-- A question asked again (the same folded text and context while it is open) counts on the first
-- one but keeps its own private address: the asker of the repeat never sees the first asker's
-- address or time. Its page shows the first question's state and answer.
CREATE TABLE question_repeat (
  token       TEXT PRIMARY KEY CHECK (length(token) = 32 AND token NOT GLOB '*[^0-9a-f]*'),
  question_id INTEGER NOT NULL REFERENCES question(id) ON DELETE CASCADE,
  text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  asked_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX question_repeat_question ON question_repeat(question_id);

-- Headings get anchors and sections get types: render every text again and rebuild the sections
-- (evqa init and evqa serve do both for rows left like this).
UPDATE revision_text SET html = NULL;
DELETE FROM section;
