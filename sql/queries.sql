-- queries.sql: every SQL statement evqa runs, by name. Each is prepared once per connection when the
-- connection opens (a statement that does not compile stops the server at start-up) and always bound.
-- The build turns "-- name: foo_bar" into STMT_FOO_BAR (build-aux/embed.awk).

-- name: health
SELECT 1;

-- Changes whenever another connection commits: the page caches check it (cgi/pages.c).
-- name: data_version
PRAGMA data_version;

-- "ok", or the problems found (evqa backup checks its copy with it).
-- name: integrity_check
PRAGMA integrity_check;

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

-- Articles readers see: all but the archived ones.
-- name: article_count
SELECT count(*) FROM article a
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived';

-- The revision readers see: the latest approved one, else the latest; none when the article is archived.
-- Columns: article id, slug, revision id, number, question, author, created_at, state, state_at.
-- name: article_shown
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 WHERE a.id = ?1
   AND (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived';

-- A page of articles with their shown revision, newest article id last. ?1 limit, ?2 offset.
-- name: article_page
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
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

-- Columns: num, kind, title, source, year, pmid, doi, url, authors (JSON, or NULL).
-- name: reference_list
SELECT num, kind, title, source, year, pmid, doi, url, authors FROM reference
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
INSERT INTO revision(article_id, number, question, author, created_at, state, state_at, author_user_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?7);

-- name: reference_insert
INSERT INTO reference(revision_id, num, kind, title, source, year, pmid, doi, url, authors)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);

-- name: text_insert
INSERT INTO revision_text(revision_id, audience, bottom_line, body) VALUES (?1, ?2, ?3, ?4);

-- name: article_slug_taken
SELECT EXISTS (SELECT 1 FROM article WHERE slug = ?1 AND id <> ?2);

-- ---- Editorial workflow: accounts, sessions, API tokens, review transitions, audit trail ----

-- Where an article stands for readers: ?1 article, ?2 the shown revision. Columns: newest revision
-- number, review-by date, and who approved the shown revision (name, credential, when), or NULLs.
-- name: article_standing
SELECT (SELECT max(number) FROM revision WHERE article_id = ?1),
       (SELECT review_by FROM article WHERE id = ?1),
       acc.name, acc.credential, au.at
  FROM (SELECT 1)
  LEFT JOIN (SELECT actor_id, at FROM audit WHERE revision_id = ?2 AND to_state = 'approved'
                AND from_state IS NOT to_state ORDER BY id DESC LIMIT 1) au ON 1
  LEFT JOIN account acc ON acc.id = au.actor_id;

-- name: account_insert
INSERT INTO account(email, name, credential, role, password_hash, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6);

-- Columns: id, email, name, credential, role, password_hash, disabled.
-- name: account_by_email
SELECT id, email, name, credential, role, password_hash, disabled FROM account WHERE email = ?1;

-- name: account_list
SELECT id, email, name, credential, role, disabled FROM account ORDER BY id;

-- name: account_disable
UPDATE account SET disabled = 1 WHERE email = ?1;

-- name: account_set_password
UPDATE account SET password_hash = ?2 WHERE email = ?1;

-- name: session_delete_account
DELETE FROM session WHERE account_id = ?1;

-- name: session_insert
INSERT INTO session(token_hash, account_id, created_at, last_seen, expires_at) VALUES (?1, ?2, ?3, ?3, ?4);

-- A live session's account: ?1 token hash, ?2 now, ?3 idle timeout in seconds.
-- Columns: account id, email, name, credential, role.
-- name: session_lookup
SELECT a.id, a.email, a.name, a.credential, a.role FROM session s JOIN account a ON a.id = s.account_id
 WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen + ?3 > ?2 AND a.disabled = 0;

-- Marks session ?1 used at ?2, when it was last marked more than ?3 seconds before.
-- name: session_touch
UPDATE session SET last_seen = ?2 WHERE token_hash = ?1 AND last_seen < ?2 - ?3;

-- name: session_delete
DELETE FROM session WHERE token_hash = ?1;

-- Ended sessions: ?1 now, ?2 idle timeout in seconds.
-- name: session_purge
DELETE FROM session WHERE expires_at <= ?1 OR last_seen + ?2 <= ?1;

-- name: token_insert
INSERT INTO api_token(token_hash, account_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4);

-- Columns as session_lookup. ?2: now, as 'YYYY-MM-DDTHH:MM:SSZ'; an expired token finds nothing.
-- name: token_lookup
SELECT a.id, a.email, a.name, a.credential, a.role FROM api_token t JOIN account a ON a.id = t.account_id
 WHERE t.token_hash = ?1 AND a.disabled = 0 AND t.expires_at > ?2;

-- Tokens, all or of the account with e-mail ?1: id, e-mail, created, expires.
-- name: token_list
SELECT t.rowid, a.email, t.created_at, coalesce(t.expires_at, '') FROM api_token t
  JOIN account a ON a.id = t.account_id
 WHERE ?1 IS NULL OR a.email = ?1
 ORDER BY t.rowid;

-- name: token_revoke
DELETE FROM api_token WHERE rowid = ?1;

-- name: token_revoke_account
DELETE FROM api_token WHERE account_id = ?1;

-- Revision columns used by the workflow: id, number, question, author, created_at, state, state_at,
-- author_user_id, article slug.
-- name: revision_latest
SELECT r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at, r.author_user_id, a.slug
  FROM revision r JOIN article a ON a.id = r.article_id
 WHERE r.article_id = ?1 ORDER BY r.number DESC LIMIT 1;

-- name: revision_by_number
SELECT r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at, r.author_user_id, a.slug
  FROM revision r JOIN article a ON a.id = r.article_id
 WHERE r.article_id = ?1 AND r.number = ?2;

-- The latest approved revision of article ?1.
-- name: revision_approved
SELECT r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at, r.author_user_id, a.slug
  FROM revision r JOIN article a ON a.id = r.article_id
 WHERE r.article_id = ?1 AND r.state = 'approved' ORDER BY r.number DESC LIMIT 1;

-- name: revision_list
SELECT r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at, r.author_user_id, a.slug
  FROM revision r JOIN article a ON a.id = r.article_id
 WHERE r.article_id = ?1 ORDER BY r.number DESC;

-- name: revision_set_state
UPDATE revision SET state = ?2, state_at = ?3 WHERE id = ?1;

-- name: audit_insert
INSERT INTO audit(article_id, revision_id, from_state, to_state, actor_id, reason, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);

-- name: article_set_review_by
UPDATE article SET review_by = ?2 WHERE id = ?1;

-- The audit trail of article ?1, oldest first. Columns: revision number, from, to, actor name,
-- actor credential, reason, at.
-- name: audit_list
SELECT r.number, au.from_state, au.to_state, acc.name, acc.credential, au.reason, au.at
  FROM audit au JOIN revision r ON r.id = au.revision_id LEFT JOIN account acc ON acc.id = au.actor_id
 WHERE au.article_id = ?1 ORDER BY au.id;

-- Every article with its newest revision, for the dashboard. ?1 a state or NULL for all, ?2 the sort:
-- 'question', 'oldest' (longest in its state first), 'review_by', else newest article first.
-- Columns: article id, slug, number, question, state, state_at, author, author_user_id, review_by.
-- name: dashboard_rows
SELECT a.id, a.slug, r.number, r.question, r.state, r.state_at, r.author, r.author_user_id, a.review_by
  FROM article a JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                                             ORDER BY number DESC LIMIT 1)
 WHERE ?1 IS NULL OR r.state = ?1
 ORDER BY CASE WHEN ?2 = 'question' THEN r.question END COLLATE NOCASE,
          CASE WHEN ?2 = 'oldest' THEN r.state_at END,
          CASE WHEN ?2 = 'review_by' THEN coalesce(a.review_by, '9999') END,
          a.id DESC;

-- name: dashboard_counts
SELECT r.state, count(*) FROM article a JOIN revision r ON r.id = (SELECT id FROM revision
                                   WHERE article_id = a.id ORDER BY number DESC LIMIT 1)
 GROUP BY r.state;

-- The wording of revision ?1 for every audience. Columns: audience, bottom_line, body.
-- name: text_all
SELECT t.audience, t.bottom_line, t.body FROM revision_text t JOIN audience a ON a.code = t.audience
 WHERE t.revision_id = ?1 ORDER BY a.sort;

-- One revision ?1 with its article, in article_shown's columns (editor previews).
-- name: article_revision
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at
  FROM revision r JOIN article a ON a.id = r.article_id
 WHERE r.id = ?1;

-- The account that wrote the first revision of article ?1 (its owner), or NULL.
-- name: article_owner
SELECT author_user_id FROM revision WHERE article_id = ?1 ORDER BY number LIMIT 1;

-- The two-person rule (workflow.c): the newest revision of article ?1 that user ?2 wrote after the
-- article's last approved revision (one whose state is approved, or that an audit row approved), or
-- no row. With no approval yet, every revision counts.
-- name: revision_written_since_approval
SELECT max(number) FROM revision
 WHERE article_id = ?1 AND author_user_id = ?2
   AND number > coalesce((SELECT max(v.number) FROM revision v
                           WHERE v.article_id = ?1
                             AND (v.state = 'approved' OR EXISTS (SELECT 1 FROM audit a
                                   WHERE a.revision_id = v.id AND a.to_state = 'approved'))), 0)
HAVING max(number) IS NOT NULL;

-- When revision ?1 last went under review, or no row.
-- name: revision_review_started
SELECT at FROM audit WHERE revision_id = ?1 AND to_state = 'under_review' AND from_state IS NOT to_state
 ORDER BY id DESC LIMIT 1;

-- ---- search, import and readers' questions (cgi/section.c, cgi/search.c, cgi/question.c,
-- cgi/transfer.c) ----

-- The revision readers see of article ?1 (as article_shown): none when the article is archived.
-- name: shown_revision
SELECT id, question, section_ids FROM revision WHERE article_id = ?1
   AND (SELECT state FROM revision WHERE article_id = ?1 ORDER BY number DESC LIMIT 1) <> 'archived'
 ORDER BY (state = 'approved') DESC, number DESC LIMIT 1;

-- Articles with no searchable sections (a database migrated to schema 2, for one).
-- name: article_unsectioned
SELECT id FROM article a WHERE NOT EXISTS (SELECT 1 FROM section s WHERE s.article_id = a.id);

-- name: revision_article
SELECT article_id FROM revision WHERE id = ?1;

-- name: section_clear
DELETE FROM section WHERE article_id = ?1;

-- The rendered wordings of revision ?1, to split into sections.
-- name: section_sources
SELECT audience, doc_json FROM revision_text WHERE revision_id = ?1 AND doc_json IS NOT NULL;

-- name: section_insert
INSERT INTO section(article_id, revision_id, audience, ord, question, heading, text, cites, source_id,
                    qtype, anchor)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);

-- name: revision_set_section_ids
UPDATE revision SET section_ids = ?2 WHERE id = ?1;

-- name: section_set_source
UPDATE section SET source_id = ?3 WHERE revision_id = ?1 AND ord = ?2;

-- name: article_by_source
SELECT id FROM article WHERE source_id = ?1;

-- name: article_by_slug
SELECT id FROM article WHERE slug = ?1;

-- name: article_set_source
UPDATE article SET source_id = ?2 WHERE id = ?1;

-- name: synonym_put
INSERT OR IGNORE INTO synonym(term, expansion) VALUES (?1, ?2);

-- name: synonym_get
SELECT expansion FROM synonym WHERE term = ?1 LIMIT 4;

-- Sections matching the FTS5 query ?1, best first: approved wording above unapproved, then bm25
-- weighted towards the question (4) and headings (2) over the text (1); ?5 = 1 drops the weighting.
-- ?2 the audience (its wording where the revision has one, else the clinician wording), ?3 a state
-- or NULL, ?4 the most rows, ?6 the number of sections holding each phrase of ?1, in order, or NULL
-- (evqa_bm25() in cgi/db.c: bm25() without counting them again). Columns: section id, article id,
-- state, score, question type.
-- name: search_sections
SELECT s.id, s.article_id, r.state,
       CASE WHEN ?5 THEN evqa_bm25(section_fts, ?6) ELSE evqa_bm25(section_fts, ?6, 4.0, 2.0, 1.0) END
       AS score, s.qtype
  FROM section_fts
  JOIN section s ON s.id = section_fts.rowid
  JOIN revision r ON r.id = s.revision_id
 WHERE section_fts MATCH ?1
   AND s.audience = CASE WHEN EXISTS (SELECT 1 FROM revision_text t WHERE t.revision_id = s.revision_id
                                      AND t.audience = ?2) THEN ?2 ELSE 'clinician' END
   AND (?3 IS NULL OR r.state = ?3)
 ORDER BY (r.state = 'approved') DESC, score
 LIMIT ?4;

-- One hit of search_sections in full: ?1 the section id (the snippet is cut from text in C).
-- Columns: slug, question, heading, cites, revision id, source id, article source id, ord, text,
-- anchor.
-- name: search_hit
SELECT a.slug, s.question, s.heading, s.cites, s.revision_id, s.source_id, a.source_id, s.ord, s.text,
       s.anchor
  FROM section s
  JOIN article a ON a.id = s.article_id
 WHERE s.id = ?1;

-- Documents (sections) matching one quoted term, for the query planner in cgi/search.c.
-- name: search_df
SELECT count(*) FROM section_fts WHERE section_fts MATCH ?1;

-- name: section_count
SELECT count(*) FROM section;

-- name: reference_get
SELECT num, kind, title, source, year, pmid, doi, url FROM reference WHERE revision_id = ?1 AND num = ?2;

-- An open question with the same folded text and context. ?2 article or NULL, ?3 audience.
-- Columns: token, id.
-- name: question_find_open
SELECT token, id FROM question
 WHERE norm = ?1 AND article_id IS ?2 AND audience = ?3 AND state IN ('answered', 'queued')
 LIMIT 1;

-- name: question_repeat
UPDATE question SET asked = asked + 1, last_asked = ?2 WHERE token = ?1;

-- A repeat's own address: ?1 token, ?2 the question it repeats, ?3 its text, ?4 when, ?5 the state
-- and ?6 the answer computed when it was asked.
-- name: question_repeat_insert
INSERT INTO question_repeat(token, question_id, text, asked_at, state, answer_json)
VALUES (?1, ?2, ?3, ?4, ?5, ?6);

-- name: question_insert
INSERT INTO question(token, text, norm, article_id, audience, created_at, last_asked, state, answer_json)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8);

-- The question with token ?1, or the one a repeat with token ?1 repeats, with the repeat's own text
-- and time, and while the question is open the repeat's own state and answer (once the editors have
-- answered or dismissed it, theirs). Columns: text, article id, audience, asked at, state, asked,
-- answer, slug, the question's own token.
-- name: question_get
SELECT coalesce(p.text, q.text), q.article_id, q.audience, coalesce(p.asked_at, q.created_at),
       CASE WHEN p.state IS NOT NULL AND q.state IN ('answered', 'queued') THEN p.state ELSE q.state END,
       q.asked,
       CASE WHEN p.answer_json IS NOT NULL AND q.state IN ('answered', 'queued') THEN p.answer_json
            ELSE q.answer_json END,
       a.slug, q.token
  FROM question q LEFT JOIN article a ON a.id = q.article_id
  LEFT JOIN question_repeat p ON p.token = ?1
 WHERE q.token = ?1 OR q.id = p.question_id
 LIMIT 1;

-- Export: every article, and each one's revisions in order.
-- name: export_articles
SELECT id, slug, source_id, created_at FROM article ORDER BY id;

-- name: export_revisions
SELECT id, number, question, author, created_at, state, section_ids FROM revision
 WHERE article_id = ?1 ORDER BY number;

-- name: export_texts
SELECT audience, bottom_line, body FROM revision_text t JOIN audience a ON a.code = t.audience
 WHERE revision_id = ?1 ORDER BY a.sort;

-- ---- the question queue (cgi/question_queue.c) ----

-- Questions in the queue. ?1 state or NULL for all; ?2 sort: 'oldest', 'newest', 'asked' (most
-- repeats first), 'last_asked'; else queued first, then by repeats and newest. ?3 limit, ?4 offset.
-- Columns: id, text, state, asked, audience, created_at, last_asked, article id, article slug,
-- asked-from article's question, answer article id, token.
-- name: queue_rows
SELECT q.id, q.text, q.state, q.asked, q.audience, q.created_at, q.last_asked, q.article_id, a.slug,
       (SELECT r.question FROM revision r WHERE r.article_id = q.article_id ORDER BY r.number DESC LIMIT 1),
       q.answer_article_id, q.token
  FROM question q LEFT JOIN article a ON a.id = q.article_id
 WHERE ?1 IS NULL OR q.state = ?1
 ORDER BY CASE WHEN ?2 IN ('oldest', 'newest', 'asked', 'last_asked') THEN 0
               WHEN q.state = 'queued' THEN 0 ELSE 1 END,
          CASE WHEN ?2 = 'asked' OR ?2 IS NULL OR ?2 = 'queued' THEN -q.asked END,
          CASE WHEN ?2 = 'oldest' THEN q.created_at END,
          CASE WHEN ?2 = 'last_asked' THEN q.last_asked END DESC,
          q.created_at DESC, q.id DESC
 LIMIT ?3 OFFSET ?4;

-- name: queue_count
SELECT count(*) FROM question WHERE ?1 IS NULL OR state = ?1;

-- name: queue_counts
SELECT state, count(*) FROM question GROUP BY state;

-- One question by id, with the same columns as queue_rows.
-- Then the answer the reader got (JSON).
-- name: queue_get
SELECT q.id, q.text, q.state, q.asked, q.audience, q.created_at, q.last_asked, q.article_id, a.slug,
       (SELECT r.question FROM revision r WHERE r.article_id = q.article_id ORDER BY r.number DESC LIMIT 1),
       q.answer_article_id, q.token, q.answer_json
  FROM question q LEFT JOIN article a ON a.id = q.article_id
 WHERE q.id = ?1;

-- name: queue_set_state
UPDATE question SET state = ?2, answer_article_id = ?3 WHERE id = ?1;

-- name: queue_history_add
INSERT INTO question_history(question_id, action, from_state, to_state, article_id, actor_id, reason, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);

-- Columns: action, from_state, to_state, article id, actor name, reason, at.
-- name: queue_history
SELECT h.action, h.from_state, h.to_state, h.article_id, u.name, h.reason, h.at
  FROM question_history h LEFT JOIN account u ON u.id = h.actor_id
 WHERE h.question_id = ?1 ORDER BY h.id;

-- The linked answer of the question with token ?1: article id, slug, its newest question, and the
-- number of its approved revision (NULL when none is approved), and its newest revision's state.
-- name: queue_answer
SELECT a.id, a.slug,
       (SELECT r.question FROM revision r WHERE r.article_id = a.id AND r.state = 'approved'
         ORDER BY r.number DESC LIMIT 1),
       (SELECT max(r.number) FROM revision r WHERE r.article_id = a.id AND r.state = 'approved'),
       (SELECT r.state FROM revision r WHERE r.article_id = a.id ORDER BY r.number DESC LIMIT 1)
  FROM question q JOIN article a ON a.id = q.answer_article_id
 WHERE q.token = ?1;


-- ---- approved versions at their own addresses (cgi/versions.c) ----

-- The approved revisions of article ?1, newest first, with the last approval recorded for each: who
-- and when (content imported as approved has no such row: its state time, and no one). Columns:
-- revision id, number, approved at, approver name, approver credential.
-- name: version_list
SELECT r.id, r.number, coalesce(au.at, r.state_at), acc.name, acc.credential
  FROM revision r
  LEFT JOIN audit au ON au.id = (SELECT max(id) FROM audit WHERE revision_id = r.id AND to_state = 'approved'
                                   AND from_state IS NOT to_state)
  LEFT JOIN account acc ON acc.id = au.actor_id
 WHERE r.article_id = ?1 AND r.state = 'approved'
 ORDER BY r.number DESC;

-- The wording of revision ?1 for audience ?2, else the clinician wording. Columns: audience, bottom
-- line, body (Markdown).
-- name: version_text
SELECT audience, bottom_line, body FROM revision_text
 WHERE revision_id = ?1 AND audience IN (?2, 'clinician')
 ORDER BY audience = ?2 DESC LIMIT 1;

-- ---- retraction watch (cgi/retract.c) ----

-- name: retraction_notice_put
INSERT INTO retraction_notice(key, record_id, doi, pmid, nature, notice_date, title, first_seen)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(key) DO NOTHING;

-- name: retraction_notice_id
SELECT id FROM retraction_notice WHERE key = ?1;

-- The references naming DOI ?1 (lowercase) in a revision readers see or editors work on (the shown
-- and the newest revision of each article that is not archived). Columns: article id, revision id,
-- reference number, revision state.
-- name: retraction_by_doi
SELECT r.article_id, r.id, f.num, r.state FROM reference f JOIN revision r ON r.id = f.revision_id
 WHERE lower(f.doi) = ?1
   AND (SELECT state FROM revision WHERE article_id = r.article_id ORDER BY number DESC LIMIT 1) <> 'archived'
   AND (r.id = (SELECT id FROM revision WHERE article_id = r.article_id
                 ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
        OR r.id = (SELECT id FROM revision WHERE article_id = r.article_id ORDER BY number DESC LIMIT 1));

-- The same for PubMed id ?1.
-- name: retraction_by_pmid
SELECT r.article_id, r.id, f.num, r.state FROM reference f JOIN revision r ON r.id = f.revision_id
 WHERE f.pmid = ?1
   AND (SELECT state FROM revision WHERE article_id = r.article_id ORDER BY number DESC LIMIT 1) <> 'archived'
   AND (r.id = (SELECT id FROM revision WHERE article_id = r.article_id
                 ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
        OR r.id = (SELECT id FROM revision WHERE article_id = r.article_id ORDER BY number DESC LIMIT 1));

-- name: reference_flag_put
INSERT INTO reference_flag(article_id, revision_id, ref_num, notice_id, found_at) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT(revision_id, ref_num, notice_id) DO NOTHING;

-- The notices on the references of revision ?1, most recent first for each. Columns: reference
-- number, nature, notice date.
-- name: reference_flags
SELECT f.ref_num, n.nature, n.notice_date FROM reference_flag f JOIN retraction_notice n ON n.id = f.notice_id
 WHERE f.revision_id = ?1 ORDER BY f.ref_num, n.notice_date DESC;

-- Articles flagged for re-review, on a revision that is still shown or newest, newest finding first.
-- Columns: article id, slug, question, revision number, reference number, nature, notice date,
-- found at, DOI, PubMed id.
-- name: flag_list
SELECT a.id, a.slug, r.question, r.number, f.ref_num, n.nature, n.notice_date, f.found_at, n.doi, n.pmid
  FROM reference_flag f JOIN revision r ON r.id = f.revision_id JOIN article a ON a.id = f.article_id
  JOIN retraction_notice n ON n.id = f.notice_id
 WHERE (r.id = (SELECT id FROM revision WHERE article_id = a.id ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
        OR r.id = (SELECT id FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1))
   AND (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
 ORDER BY f.found_at DESC, a.id, f.ref_num
 LIMIT 200;

-- ---- honest provenance (cgi/content.c, cgi/transfer.c, cgi/account.c) ----

-- name: revision_import_put
INSERT INTO revision_import(revision_id, imported_by, source, source_url, state, imported_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(revision_id) DO NOTHING;

-- Where revision ?1 came from when it was imported. Columns: by, source, source URL, state, at.
-- name: revision_import_get
SELECT imported_by, source, source_url, state, imported_at FROM revision_import WHERE revision_id = ?1;

-- The conflict-of-interest statement of whoever approved revision ?1 last (NULL: none on record).
-- name: approver_conflicts
SELECT acc.conflicts FROM audit au JOIN account acc ON acc.id = au.actor_id
 WHERE au.revision_id = ?1 AND au.to_state = 'approved' AND au.from_state IS NOT au.to_state
 ORDER BY au.id DESC LIMIT 1;

-- name: account_set_conflicts
UPDATE account SET conflicts = ?2 WHERE email = ?1;

-- ---- the home page: a corpus one can browse (cgi/pages.c) ----
-- Filters: ?1 a state or NULL, ?2 a first letter ('a'-'z', '0' for anything else) or NULL, ?3 a
-- source ("evqa" for articles written here, else an import source) or NULL, ?6 and ?7 LIKE patterns
-- for a section heading (the kind of question a section answers) or NULL.

-- name: home_count
SELECT count(*) FROM (
  SELECT r.state, r.question, coalesce(ri.source, 'evqa') AS source
    FROM article a
    JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                                ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
    LEFT JOIN revision_import ri ON ri.revision_id = r.id
   WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
     AND (?6 IS NULL OR EXISTS (SELECT 1 FROM section s WHERE s.revision_id = r.id
                                   AND (s.heading LIKE ?6 OR s.heading LIKE ?7))))
 WHERE (?1 IS NULL OR state = ?1)
   AND (?2 IS NULL OR CASE WHEN lower(substr(question, 1, 1)) BETWEEN 'a' AND 'z'
                           THEN lower(substr(question, 1, 1)) ELSE '0' END = ?2)
   AND (?3 IS NULL OR source = ?3);

-- One page of the filtered articles, by id; ?4 limit, ?5 offset. Columns: article_shown's, then the
-- source and how many articles readers see share the question (to tell them apart).
-- name: home_page
SELECT * FROM (
  SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at,
         coalesce(ri.source, 'evqa') AS source, count(*) OVER (PARTITION BY lower(r.question)) AS same
    FROM article a
    JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                                ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
    LEFT JOIN revision_import ri ON ri.revision_id = r.id
   WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
     AND (?6 IS NULL OR EXISTS (SELECT 1 FROM section s WHERE s.revision_id = r.id
                                   AND (s.heading LIKE ?6 OR s.heading LIKE ?7))))
 WHERE (?1 IS NULL OR state = ?1)
   AND (?2 IS NULL OR CASE WHEN lower(substr(question, 1, 1)) BETWEEN 'a' AND 'z'
                           THEN lower(substr(question, 1, 1)) ELSE '0' END = ?2)
   AND (?3 IS NULL OR source = ?3)
 ORDER BY id LIMIT ?4 OFFSET ?5;

-- The first letters of the questions readers see, with how many. Columns: letter, count.
-- name: home_letters
SELECT CASE WHEN lower(substr(r.question, 1, 1)) BETWEEN 'a' AND 'z' THEN lower(substr(r.question, 1, 1))
            ELSE '0' END AS letter, count(*)
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
 GROUP BY letter ORDER BY letter;

-- The sources of the articles readers see, with how many. Columns: source, count.
-- name: home_sources
SELECT coalesce(ri.source, 'evqa') AS src, count(*)
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
  LEFT JOIN revision_import ri ON ri.revision_id = r.id
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
 GROUP BY src ORDER BY src = 'evqa' DESC, src;

-- Articles related to article ?1, at most 8: first those whose shown revisions share references with
-- its revision ?2 (same DOI, PubMed id or address), most shared first; then those on the same topic
-- (a topic term both have, a group's subject, kind 3, not counted); then those sharing a name through
-- the synonym table: first those whose topic is another name of ?1's (or the reverse), then those
-- whose topics go by the same other name.
-- Never ?1 itself, never an archived article. The joins run from ?1's few topic rows outwards (CROSS
-- JOIN keeps that order) and find names and references by index (topic_surface, synonym_expansion,
-- reference_doi, reference_pmid, reference_url). Columns: id, slug, question, shared (references in
-- common, 0 for a name), how (0 references, 1 topic, 2 one's topic is the other's synonym, 3 a
-- synonym both have), name (the shared topic term as the title writes it, or the shared synonym;
-- NULL for references).
-- name: related_articles
WITH cites(id, shared) AS (
  SELECT r.article_id, count(DISTINCT m.num)
    FROM reference m
    CROSS JOIN reference f ON f.revision_id <> m.revision_id
                    AND ((m.doi IS NOT NULL AND lower(f.doi) = lower(m.doi)) OR (m.pmid IS NOT NULL AND f.pmid = m.pmid)
                         OR (m.url IS NOT NULL AND f.url = m.url))
    CROSS JOIN revision r ON r.id = f.revision_id
   WHERE m.revision_id = ?2 AND r.article_id <> ?1
     AND r.id = (SELECT id FROM revision WHERE article_id = r.article_id ORDER BY (state = 'approved') DESC, number DESC
                  LIMIT 1)
   GROUP BY r.article_id),
name(term, surface) AS (SELECT term, surface FROM topic WHERE article_id = ?1 AND kind < 3),
near(id, how, name) AS (
  SELECT t.article_id, 1, n.surface FROM name n CROSS JOIN topic t ON t.term = n.term AND t.kind < 3
  UNION ALL
  SELECT t.article_id, 2, s.term FROM name n CROSS JOIN synonym s ON s.expansion = n.surface
    CROSS JOIN topic t ON t.surface = s.term
  UNION ALL
  SELECT t.article_id, 2, s.term FROM name n CROSS JOIN synonym s ON s.term = n.surface
    CROSS JOIN topic t ON t.surface = s.expansion
  UNION ALL
  SELECT t.article_id, 3, s.term FROM name n CROSS JOIN synonym s ON s.expansion = n.surface
    CROSS JOIN synonym o ON o.term = s.term AND o.expansion <> s.expansion
    CROSS JOIN topic t ON t.surface = o.expansion),
pick(id, how, shared, name) AS (
  SELECT id, 0, shared, NULL FROM cites
  UNION ALL
  SELECT id, min(how), 0, name FROM near WHERE id <> ?1 AND id NOT IN (SELECT id FROM cites) GROUP BY id)
SELECT a.id, a.slug, r.question, p.shared, p.how, p.name
  FROM pick p CROSS JOIN article a ON a.id = p.id
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id ORDER BY (state = 'approved') DESC, number DESC
                              LIMIT 1)
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
 ORDER BY p.how, p.shared DESC, a.id LIMIT 8;

-- ---- the web's conventions: sitemap and feed (cgi/site.c) ----

-- Every approved version readers can reach, newest approval first: the article (its shown revision
-- when approved) and each /v/{n}. Columns: article id, slug, revision number, question, approved at,
-- whether it is the shown revision, approver name (NULL: no person).
-- name: site_versions
SELECT a.id, a.slug, r.number, r.question,
       coalesce((SELECT at FROM audit WHERE revision_id = r.id AND to_state = 'approved'
                   AND from_state IS NOT to_state ORDER BY id DESC LIMIT 1), r.state_at) AS approved,
       r.id = (SELECT id FROM revision WHERE article_id = a.id ORDER BY (state = 'approved') DESC, number DESC
                LIMIT 1),
       (SELECT acc.name FROM audit au JOIN account acc ON acc.id = au.actor_id
         WHERE au.revision_id = r.id AND au.to_state = 'approved' AND au.from_state IS NOT au.to_state
         ORDER BY au.id DESC LIMIT 1)
  FROM revision r JOIN article a ON a.id = r.article_id
 WHERE r.state = 'approved'
   AND (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
 ORDER BY approved DESC, r.id DESC
 LIMIT ?1;

-- ---- topics and question types (cgi/topic.c) ----

-- name: topic_clear
DELETE FROM topic WHERE article_id = ?1;

-- name: topic_insert
INSERT OR IGNORE INTO topic(term, surface, article_id, kind) VALUES (?1, ?2, ?3, ?4);

-- Articles readers see whose topic term is ?1. Columns: article id, kind.
-- name: topic_get
SELECT t.article_id, t.kind FROM topic t
 WHERE t.term = ?1
   AND (SELECT state FROM revision r WHERE r.article_id = t.article_id ORDER BY number DESC LIMIT 1)
       <> 'archived'
 LIMIT 40;

-- Articles readers see whose whole name (kind 1) is two words, the first being ?1: "parkinson
-- disease", "bell palsy" for "parkinson", "bell", when a question writes that word as a possessive
-- ("Parkinson's", "Bell's"). A range of the term index. Columns: article id, kind.
-- name: topic_eponym
SELECT t.article_id, t.kind FROM topic t
 WHERE t.term >= ?1 || ' ' AND t.term < ?1 || '!' AND t.kind = 1
   AND instr(substr(t.term, length(?1) + 2), ' ') = 0
   AND (SELECT state FROM revision r WHERE r.article_id = t.article_id ORDER BY number DESC LIMIT 1)
       <> 'archived'
 LIMIT 40;

-- The other articles readers see whose whole name (kind 1) is one of article ?1's whole names: its
-- twins, on the same topic ("Migraine" from two sources). Columns: article id.
-- name: topic_twins
SELECT DISTINCT t2.article_id FROM topic t1
  JOIN topic t2 ON t2.term = t1.term AND t2.kind = 1 AND t2.article_id <> t1.article_id
 WHERE t1.article_id = ?1 AND t1.kind = 1
   AND (SELECT state FROM revision r WHERE r.article_id = t2.article_id ORDER BY number DESC LIMIT 1)
       <> 'archived'
 ORDER BY t2.article_id
 LIMIT 8;

-- Changes whenever topics or synonyms change: the spelling index is rebuilt then.
-- name: topic_version
SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'topic'), (SELECT count(*) FROM synonym);

-- Every word the spelling index knows, in phrases: topic names as written, synonyms both ways.
-- name: topic_words
SELECT surface FROM topic UNION ALL SELECT term FROM synonym UNION ALL SELECT expansion FROM synonym;

-- The names a topic may start with: topic terms (written as topic.c writes them) and synonyms.
-- name: topic_starts
SELECT term FROM topic UNION ALL SELECT term FROM synonym;

-- The sections of article ?1 that readers of audience ?2 see (as search_sections), in page order;
-- ?3 a state or NULL. Columns: section id, article id, state, question type.
-- name: search_article_sections
SELECT s.id, s.article_id, r.state, s.qtype
  FROM section s
  JOIN revision r ON r.id = s.revision_id
 WHERE s.article_id = ?1
   AND s.audience = CASE WHEN EXISTS (SELECT 1 FROM revision_text t WHERE t.revision_id = s.revision_id
                                      AND t.audience = ?2) THEN ?2 ELSE 'clinician' END
   AND (?3 IS NULL OR r.state = ?3)
 ORDER BY s.ord
 LIMIT 60;

-- Articles with a section matching the FTS5 query ?1 (as search_sections, ?2 audience, ?3 state).
-- name: search_count
SELECT count(DISTINCT s.article_id)
  FROM section_fts
  JOIN section s ON s.id = section_fts.rowid
  JOIN revision r ON r.id = s.revision_id
 WHERE section_fts MATCH ?1
   AND s.audience = CASE WHEN EXISTS (SELECT 1 FROM revision_text t WHERE t.revision_id = s.revision_id
                                      AND t.audience = ?2) THEN ?2 ELSE 'clinician' END
   AND (?3 IS NULL OR r.state = ?3);

-- Slug and shown question of article ?1, naming a recognised topic.
-- name: search_topic_article
SELECT a.slug, r.question FROM article a JOIN revision r ON r.article_id = a.id
 WHERE a.id = ?1 ORDER BY (r.state = 'approved') DESC, r.number DESC LIMIT 1;

-- ---- The article list of the JSON API, for clients that sync ----

-- Articles readers see, filtered: ?1 the shown revision's state or NULL for all, ?2 an evqa time or
-- NULL: only articles changed at or after it (article.changed_at: a revision saved or a review step taken).
-- name: api_article_count
SELECT count(*) FROM article a
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
   AND (?1 IS NULL OR (SELECT state FROM revision WHERE article_id = a.id
                        ORDER BY (state = 'approved') DESC, number DESC LIMIT 1) = ?1)
   AND (?2 IS NULL OR a.changed_at >= ?2);

-- One page of them (?3 limit, ?4 offset) by id, in article_page's columns and then changed_at.
-- name: api_article_page
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at, a.changed_at
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
   AND (?1 IS NULL OR (SELECT state FROM revision WHERE article_id = a.id
                        ORDER BY (state = 'approved') DESC, number DESC LIMIT 1) = ?1)
   AND (?2 IS NULL OR a.changed_at >= ?2)
 ORDER BY a.id
 LIMIT ?3 OFFSET ?4;

-- The same, least recently changed first (sort=updated: a syncing client walks forward).
-- name: api_article_page_updated
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at, a.changed_at
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
   AND (?1 IS NULL OR (SELECT state FROM revision WHERE article_id = a.id
                        ORDER BY (state = 'approved') DESC, number DESC LIMIT 1) = ?1)
   AND (?2 IS NULL OR a.changed_at >= ?2)
 ORDER BY a.changed_at, a.id
 LIMIT ?3 OFFSET ?4;

-- The same, most recently changed first (sort=newest).
-- name: api_article_page_newest
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at, a.changed_at
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
   AND (?1 IS NULL OR (SELECT state FROM revision WHERE article_id = a.id
                        ORDER BY (state = 'approved') DESC, number DESC LIMIT 1) = ?1)
   AND (?2 IS NULL OR a.changed_at >= ?2)
 ORDER BY a.changed_at DESC, a.id DESC
 LIMIT ?3 OFFSET ?4;

-- The same, by question (sort=question).
-- name: api_article_page_question
SELECT a.id, a.slug, r.id, r.number, r.question, r.author, r.created_at, r.state, r.state_at, a.changed_at
  FROM article a
  JOIN revision r ON r.id = (SELECT id FROM revision WHERE article_id = a.id
                              ORDER BY (state = 'approved') DESC, number DESC LIMIT 1)
 WHERE (SELECT state FROM revision WHERE article_id = a.id ORDER BY number DESC LIMIT 1) <> 'archived'
   AND (?1 IS NULL OR (SELECT state FROM revision WHERE article_id = a.id
                        ORDER BY (state = 'approved') DESC, number DESC LIMIT 1) = ?1)
   AND (?2 IS NULL OR a.changed_at >= ?2)
 ORDER BY r.question COLLATE NOCASE, a.id
 LIMIT ?3 OFFSET ?4;

-- ---- Idempotency-Key (migrate-007.sql) ----

-- Claims key ?2 of scope ?1 for request hash ?3 at ?4; changes nothing when the key is taken.
-- name: idem_claim
INSERT INTO idempotency(scope, key, request, created_at) VALUES (?1, ?2, ?3, ?4)
  ON CONFLICT(scope, key) DO NOTHING;

-- Columns: request hash, status, location, etag, cache-control, body.
-- name: idem_get
SELECT request, status, location, etag, cache, body FROM idempotency WHERE scope = ?1 AND key = ?2;

-- name: idem_store
UPDATE idempotency SET status = ?3, location = ?4, etag = ?5, cache = ?6, body = ?7
 WHERE scope = ?1 AND key = ?2;

-- name: idem_release
DELETE FROM idempotency WHERE scope = ?1 AND key = ?2 AND status = 0;

-- Keys claimed before ?1.
-- name: idem_purge
DELETE FROM idempotency WHERE created_at < ?1;

-- ---- Public pages: the content version (sql/migrate-009.sql) in their ETag ----

-- name: content_version
SELECT n FROM content_version WHERE id = 1;
