-- migrate-002.sql: schema version 2: imported ids, sections for search, synonyms, readers' questions.

-- The id an article has in the collection it was imported from (MedQuAD's document id), or NULL.
ALTER TABLE article ADD COLUMN source_id TEXT;
CREATE UNIQUE INDEX article_source ON article(source_id) WHERE source_id IS NOT NULL;

-- Saving looks up slugs and texts not rendered yet; an import saves thousands of articles.
CREATE INDEX article_slug ON article(slug);
CREATE INDEX revision_text_unrendered ON revision_text(revision_id) WHERE html IS NULL;

-- External ids of a revision's sections, in order, as a JSON array of strings or nulls (set by import).
ALTER TABLE revision ADD COLUMN section_ids TEXT;

-- One row per heading of the wording readers see (the shown revision of each article, every audience
-- it has wording for), derived from revision_text.doc_json when a text is rendered (cgi/section.c).
-- text is the section's plain text; cites lists the reference numbers it cites ("1,3").
CREATE TABLE section (
  id          INTEGER PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
  revision_id INTEGER NOT NULL REFERENCES revision(id) ON DELETE CASCADE,
  audience    TEXT NOT NULL,
  ord         INTEGER NOT NULL,
  question    TEXT NOT NULL,
  heading     TEXT NOT NULL,
  text        TEXT NOT NULL,
  cites       TEXT NOT NULL,
  source_id   TEXT,
  UNIQUE (revision_id, audience, ord)
);
CREATE INDEX section_article ON section(article_id);

-- Full-text index over the sections (external content: the text lives in section). Columns are
-- weighted at query time (bm25 in sql/queries.sql).
CREATE VIRTUAL TABLE section_fts USING fts5(
  question, heading, text,
  content = 'section', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER section_ai AFTER INSERT ON section BEGIN
  INSERT INTO section_fts(rowid, question, heading, text) VALUES (new.id, new.question, new.heading, new.text);
END;
CREATE TRIGGER section_ad AFTER DELETE ON section BEGIN
  INSERT INTO section_fts(section_fts, rowid, question, heading, text)
  VALUES ('delete', old.id, old.question, old.heading, old.text);
END;

-- Words a search query is widened with: term (lower case, words separated by one space) also searches
-- for expansion. Seeded with clinical abbreviations below; import adds each topic's synonyms.
CREATE TABLE synonym (
  term      TEXT NOT NULL CHECK (length(term) BETWEEN 1 AND 200),
  expansion TEXT NOT NULL CHECK (length(expansion) BETWEEN 1 AND 200),
  PRIMARY KEY (term, expansion)
) WITHOUT ROWID;

INSERT INTO synonym(term, expansion) VALUES
  ('mi', 'myocardial infarction'), ('heart attack', 'myocardial infarction'),
  ('htn', 'hypertension'), ('high blood pressure', 'hypertension'),
  ('dm', 'diabetes mellitus'), ('t2dm', 'type 2 diabetes'), ('t1dm', 'type 1 diabetes'),
  ('copd', 'chronic obstructive pulmonary disease'), ('chf', 'heart failure'),
  ('hf', 'heart failure'), ('afib', 'atrial fibrillation'), ('af', 'atrial fibrillation'),
  ('cad', 'coronary artery disease'), ('chd', 'coronary heart disease'),
  ('ckd', 'chronic kidney disease'), ('aki', 'acute kidney injury'),
  ('dvt', 'deep vein thrombosis'), ('pe', 'pulmonary embolism'), ('vte', 'venous thromboembolism'),
  ('uti', 'urinary tract infection'), ('uri', 'upper respiratory infection'),
  ('gerd', 'gastroesophageal reflux disease'), ('heartburn', 'gastroesophageal reflux'),
  ('ibd', 'inflammatory bowel disease'), ('ibs', 'irritable bowel syndrome'),
  ('ra', 'rheumatoid arthritis'), ('oa', 'osteoarthritis'), ('sle', 'lupus'),
  ('ms', 'multiple sclerosis'), ('als', 'amyotrophic lateral sclerosis'),
  ('tia', 'transient ischemic attack'), ('cva', 'stroke'),
  ('adhd', 'attention deficit hyperactivity disorder'), ('asd', 'autism spectrum disorder'),
  ('ptsd', 'post traumatic stress disorder'), ('ocd', 'obsessive compulsive disorder'),
  ('hiv', 'human immunodeficiency virus'), ('aids', 'acquired immunodeficiency syndrome'),
  ('tb', 'tuberculosis'), ('hpv', 'human papillomavirus'), ('std', 'sexually transmitted disease'),
  ('sti', 'sexually transmitted infection'), ('nsaid', 'nonsteroidal anti inflammatory'),
  ('nsaids', 'nonsteroidal anti inflammatory'), ('ssri', 'selective serotonin reuptake inhibitor'),
  ('ace inhibitor', 'angiotensin converting enzyme inhibitor'),
  ('bp', 'blood pressure'), ('hr', 'heart rate'), ('bmi', 'body mass index'),
  ('osa', 'obstructive sleep apnea'), ('pcos', 'polycystic ovary syndrome'),
  ('bph', 'benign prostatic hyperplasia'), ('cf', 'cystic fibrosis'),
  ('aml', 'acute myeloid leukemia'),
  ('cll', 'chronic lymphocytic leukemia'), ('cml', 'chronic myeloid leukemia'),
  ('nhl', 'non hodgkin lymphoma'), ('sids', 'sudden infant death syndrome'),
  ('cancer', 'carcinoma'), ('tumour', 'tumor'), ('anaemia', 'anemia'), ('oedema', 'edema'),
  ('diarrhoea', 'diarrhea'), ('paediatric', 'pediatric'), ('haemorrhage', 'hemorrhage'),
  ('kidney', 'renal'), ('liver', 'hepatic'), ('lung', 'pulmonary'), ('heart', 'cardiac');

-- A reader's question and the answer evqa gave. token is the only way to read it (unguessable, 128
-- bits); norm is the question folded for spotting repeats. answer_json is the answer as it was shown.
CREATE TABLE question (
  id          INTEGER PRIMARY KEY,
  token       TEXT NOT NULL UNIQUE CHECK (length(token) = 32 AND token NOT GLOB '*[^0-9a-f]*'),
  text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  norm        TEXT NOT NULL,
  article_id  INTEGER REFERENCES article(id) ON DELETE SET NULL,
  audience    TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  last_asked  TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('answered', 'queued', 'answered_by_editors', 'dismissed')),
  asked       INTEGER NOT NULL DEFAULT 1 CHECK (asked >= 1),
  answer_json TEXT NOT NULL
);
CREATE INDEX question_open ON question(norm, article_id, audience)
  WHERE state IN ('answered', 'queued');
CREATE INDEX question_state ON question(state, created_at);
