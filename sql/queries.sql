-- queries.sql: every SQL statement evqa runs, by name. Each is prepared once per connection when the
-- connection opens (a statement that does not compile stops the server at start-up) and always bound.
-- The build turns "-- name: foo_bar" into STMT_FOO_BAR (build-aux/embed.awk).

-- name: health
SELECT 1;

-- Changes whenever another connection commits: the page caches check it (cgi/pages.c).
-- name: data_version
PRAGMA data_version;

-- name: setting_get
SELECT value FROM setting WHERE key = ?1;

-- name: setting_put
INSERT INTO setting(key, value) VALUES (?1, ?2)
  ON CONFLICT(key) DO UPDATE SET value = excluded.value;

-- name: audience_put
INSERT INTO audience(code, label, sort) VALUES (?1, ?2, ?3)
  ON CONFLICT(code) DO UPDATE SET label = excluded.label, sort = excluded.sort;

-- name: article_exists_any
SELECT EXISTS (SELECT 1 FROM article);

-- name: article_count
SELECT count(*) FROM article;

-- The revision readers see: the latest approved one, else the latest.
-- Columns: article id, slug, revision id, number, question, author, created_at, state, state_at.
-- name: article_shown
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 WHERE a.id = ?1;

-- A page of articles with their shown revision, newest article id last. ?1 limit, ?2 offset.
-- name: article_page
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 ORDER BY a.id
 LIMIT ?1 OFFSET ?2;

-- The rendered wording of revision ?1 for audience ?2, for the page.
-- name: text_html
SELECT html, bottom_html, cite_counts FROM revision_text
 WHERE revision_id = ?1 AND audience = ?2 AND html IS NOT NULL;

-- The same wording as structured JSON, for the API.
-- name: text_doc
SELECT doc_json FROM revision_text
 WHERE revision_id = ?1 AND audience = ?2 AND doc_json IS NOT NULL;

-- The audiences revision ?1 has wording for, in display order.
-- name: text_audiences
SELECT t.audience FROM revision_text t JOIN audience a ON a.code = t.audience
 WHERE t.revision_id = ?1 ORDER BY a.sort;

-- name: reference_list
SELECT num, kind, title, source, year, pmid, doi, url FROM reference
 WHERE revision_id = ?1 ORDER BY num;

-- Texts still to be rendered (after demo load, import or save): source Markdown.
-- name: text_unrendered
SELECT revision_id, audience, bottom_line, body FROM revision_text
 WHERE html IS NULL ORDER BY revision_id, audience = 'clinician' DESC, audience;

-- name: text_source
SELECT bottom_line, body FROM revision_text WHERE revision_id = ?1 AND audience = ?2;

-- name: text_store
UPDATE revision_text SET html = ?3, bottom_html = ?4, doc_json = ?5, cite_counts = ?6
 WHERE revision_id = ?1 AND audience = ?2;

-- name: reference_nums
SELECT num FROM reference WHERE revision_id = ?1 ORDER BY num;

-- name: article_insert
INSERT INTO article(slug, created_at) VALUES (?1, ?2);

-- The next revision number of article ?1.
-- name: revision_next_number
SELECT coalesce(max(number), 0) + 1 FROM revision WHERE article_id = ?1;

-- name: revision_insert
INSERT INTO revision(article_id, number, question, author, created_at, state, state_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5);

-- name: reference_insert
INSERT INTO reference(revision_id, num, kind, title, source, year, pmid, doi, url)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);

-- name: text_insert
INSERT INTO revision_text(revision_id, audience, bottom_line, body) VALUES (?1, ?2, ?3, ?4);

-- name: article_slug_taken
SELECT EXISTS (SELECT 1 FROM article WHERE slug = ?1 AND id <> ?2);
