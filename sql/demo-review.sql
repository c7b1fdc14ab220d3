-- demo-review.sql: the review history of the demo articles (loaded after demo.sql by `evqa init
-- --demo`, on the current schema). The reviewer's account is disabled and has no usable password:
-- it exists so that the approved demo article can say who approved it, as real ones do.
INSERT INTO account (id, email, name, credential, role, password_hash, disabled, created_at) VALUES
  (1, 'demo-reviewer@example.org', 'Maya Okafor', 'MD, MPH', 'reviewer', '!', 1, '2025-01-06T09:00:00Z');

-- Article 1: submitted, then taken into review.
INSERT INTO audit (article_id, revision_id, from_state, to_state, actor_id, reason, at) VALUES
  (1, 1, NULL, 'submitted', NULL, NULL, '2025-07-25T09:00:00Z'),
  (1, 1, 'submitted', 'under_review', 1, NULL, '2025-07-28T14:30:00Z');

-- Article 2: submitted, reviewed and approved; due for its next review two years on.
INSERT INTO audit (article_id, revision_id, from_state, to_state, actor_id, reason, at) VALUES
  (2, 2, NULL, 'submitted', NULL, NULL, '2025-05-12T08:00:00Z'),
  (2, 2, 'submitted', 'under_review', 1, NULL, '2025-05-20T10:00:00Z'),
  (2, 2, 'under_review', 'approved', 1, NULL, '2025-06-02T15:00:00Z');
UPDATE article SET review_by = '2027-06-02T15:00:00Z' WHERE id = 2;

-- Article 3: submitted.
INSERT INTO audit (article_id, revision_id, from_state, to_state, actor_id, reason, at) VALUES
  (3, 3, NULL, 'submitted', NULL, NULL, '2025-08-04T11:00:00Z');

-- The authors of article 2's references.
UPDATE reference SET authors = '[{"family":"Joglar","given":"José A."},{"family":"Chung","given":"Mina K."},{"family":"Armbruster","given":"Anastasia L."},{"family":"Benjamin","given":"Emelia J."},{"family":"Chyou","given":"Janice Y."},{"family":"Cronin","given":"Edmond M."},{"family":"Deswal","given":"Anita"}]'
 WHERE revision_id = 2 AND num = 1;
UPDATE reference SET authors = '[{"family":"Ruff","given":"Christian T."},{"family":"Giugliano","given":"Robert P."},{"family":"Braunwald","given":"Eugene"},{"family":"Hoffman","given":"Elaine B."},{"family":"Deenadayalu","given":"Naveen"},{"family":"Ezekowitz","given":"Michael D."},{"family":"Camm","given":"A. John"}]'
 WHERE revision_id = 2 AND num = 2;
UPDATE reference SET authors = '[{"family":"Connolly","given":"Stuart J."},{"family":"Ezekowitz","given":"Michael D."},{"family":"Yusuf","given":"Salim"},{"literal":"RE-LY Steering Committee and Investigators"}]'
 WHERE revision_id = 2 AND num = 3;
UPDATE reference SET authors = '[{"family":"Patel","given":"Manesh R."},{"family":"Mahaffey","given":"Kenneth W."},{"family":"Garg","given":"Jyotsna"},{"literal":"ROCKET AF Investigators"}]'
 WHERE revision_id = 2 AND num = 4;
UPDATE reference SET authors = '[{"family":"Granger","given":"Christopher B."},{"family":"Alexander","given":"John H."},{"family":"McMurray","given":"John J. V."},{"literal":"ARISTOTLE Committees and Investigators"}]'
 WHERE revision_id = 2 AND num = 5;
UPDATE reference SET authors = '[{"family":"Giugliano","given":"Robert P."},{"family":"Ruff","given":"Christian T."},{"family":"Braunwald","given":"Eugene"},{"literal":"ENGAGE AF-TIMI 48 Investigators"}]'
 WHERE revision_id = 2 AND num = 6;

-- The demo reviewer's statement of interests, shown beside her approval.
UPDATE account SET conflicts = 'No financial relationships with makers of the products discussed in the articles she reviews.'
 WHERE id = 1;
