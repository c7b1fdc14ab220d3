-- migrate-004.sql: the question queue, schema version 4: the article the editors linked as the answer
-- to a reader's question, and the append-only history of what editors did with each question.

-- The article the editors linked as the answer (state answered_by_editors), or NULL.
ALTER TABLE question ADD COLUMN answer_article_id INTEGER REFERENCES article(id) ON DELETE SET NULL;
CREATE INDEX question_answer_article ON question(answer_article_id) WHERE answer_article_id IS NOT NULL;

-- Every change an editor made to a question, appended and never changed (the trigger below refuses
-- UPDATE of what was recorded; an article's removal may still clear article_id): from_state and
-- to_state, the article linked (link, new article), the reason given (dismissal). Rows go only with
-- their question.
CREATE TABLE question_history (
  id          INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES question(id) ON DELETE CASCADE,
  action      TEXT NOT NULL CHECK (action IN ('link', 'new_article', 'dismiss')),
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  article_id  INTEGER REFERENCES article(id) ON DELETE SET NULL,
  actor_id    INTEGER REFERENCES account(id),
  reason      TEXT,
  at          TEXT NOT NULL
);
CREATE INDEX question_history_question ON question_history(question_id, id);
CREATE TRIGGER question_history_no_update BEFORE UPDATE OF question_id, action, from_state, to_state,
  actor_id, reason, at ON question_history
BEGIN
  SELECT RAISE(ABORT, 'question history rows cannot be changed');
END;
