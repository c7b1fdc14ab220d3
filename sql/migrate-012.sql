-- migrate-012.sql: schema version 12: a question asked again keeps the answer given when it was asked.
-- A repeat (the same folded text and context while the first is open) still counts on the first
-- one, which stays in the editors' queue as it was; but its own page showed the first one's stored
-- answer, so an answer that new content or a newer evqa gives today never reached the reader who
-- asked again. Repeats stored before this version have neither and show the first one's, as before.
ALTER TABLE question_repeat ADD COLUMN state TEXT CHECK (state IS NULL OR state IN ('answered', 'queued'));
ALTER TABLE question_repeat ADD COLUMN answer_json TEXT;

-- Answers gain no_article_for (a disease named that no article covers, cgi/topic.c): the answers
-- stored before have it as null, as docs/openapi.json has every absent value.
UPDATE question SET answer_json = json_insert(answer_json, '$.no_article_for', NULL)
 WHERE json_valid(answer_json) AND json_type(answer_json, '$.no_article_for') IS NULL;
