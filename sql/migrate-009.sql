-- migrate-009.sql: schema version 9: the content version, a number that grows whenever anything a
-- public page shows changes (an article, a revision or its state, its wording, its references, a
-- synonym, an approver's name). evqa writes it into the ETag of every public page, so that a client
-- or nginx revalidating a page gets 304 from one read of this row, without the page being built.
-- Derived data (rendered HTML, the search sections) is left out: it follows from the rows counted.

CREATE TABLE content_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 1);

CREATE TRIGGER content_version_article_ai AFTER INSERT ON article
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_article_au AFTER UPDATE ON article
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_article_ad AFTER DELETE ON article
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_revision_ai AFTER INSERT ON revision
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_revision_au AFTER UPDATE ON revision
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_revision_ad AFTER DELETE ON revision
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_text_ai AFTER INSERT ON revision_text
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_text_au AFTER UPDATE OF bottom_line, body ON revision_text
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_text_ad AFTER DELETE ON revision_text
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_reference_ai AFTER INSERT ON reference
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_reference_au AFTER UPDATE ON reference
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_reference_ad AFTER DELETE ON reference
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_synonym_ai AFTER INSERT ON synonym
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_synonym_ad AFTER DELETE ON synonym
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_account_au AFTER UPDATE OF name, credential ON account
BEGIN UPDATE content_version SET n = n + 1; END;

-- What public pages show from schema 8: the notice beside a reference of a retracted or corrected
-- paper (reference_flag), where an imported revision came from (revision_import), and an approver's
-- statement of interests.
CREATE TRIGGER content_version_flag_ai AFTER INSERT ON reference_flag
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_flag_ad AFTER DELETE ON reference_flag
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_import_ai AFTER INSERT ON revision_import
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_import_au AFTER UPDATE ON revision_import
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_import_ad AFTER DELETE ON revision_import
BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER content_version_account_conflicts_au AFTER UPDATE OF conflicts ON account
BEGIN UPDATE content_version SET n = n + 1; END;
