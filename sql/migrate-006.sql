-- migrate-006.sql: schema version 6: API tokens expire and are revoked one by one (evqa token
-- list|revoke; a password change or a disabled account revokes them all); question history rows
-- cannot be deleted while their question exists.

-- When the token stops working ('YYYY-MM-DDTHH:MM:SSZ'). evqa token add always sets it; a row
-- without one is treated as expired. Tokens made before this version get 90 days from the upgrade.
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
UPDATE api_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days') WHERE expires_at IS NULL;
CREATE INDEX api_token_account ON api_token(account_id);

-- migrate-004.sql refused updates of question history; deleting a row of it was still possible.
-- Rows go only with their question (ON DELETE CASCADE removes the question first).
CREATE TRIGGER question_history_no_delete BEFORE DELETE ON question_history
  WHEN EXISTS (SELECT 1 FROM question WHERE id = old.question_id)
BEGIN
  SELECT RAISE(ABORT, 'question history rows cannot be removed');
END;
