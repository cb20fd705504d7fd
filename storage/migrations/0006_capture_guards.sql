-- The chat record's guards (issue 11).
--
-- /log remember no longer deletes the forget request: it keeps the Discord id (a snowflake, so a
-- Discord time) of the /log remember command. A line by a member with a row here is stored only if
-- its message id is larger (said after it); NULL: still forgotten. So a backfill can never bring
-- back what was said while the member was forgotten.
ALTER TABLE forgotten_members ADD COLUMN remembered_from INTEGER;

-- Who created a thread: a thread's name is user text written by its creator, so /log forget
-- blanks the names of the threads the forgotten member created. NULL: not known (older rows).
ALTER TABLE recorded_threads ADD COLUMN owner_id INTEGER;
