-- Meetings and agendas, version 2.
-- A published agenda revision keeps the items exactly as published (JSON), so the pinned post can be
-- refreshed (documents under each item, meeting times, a cancellation) without showing the chair's
-- unpublished draft changes: only /agenda post publishes a new revision.
ALTER TABLE agenda_revisions ADD COLUMN items TEXT NOT NULL DEFAULT '[]';

-- A digest of what the agenda post shows now, so a refresh that would change nothing sends nothing
-- (refreshes happen on every document change and when the bot starts).
ALTER TABLE agenda_posts ADD COLUMN rendered TEXT;
