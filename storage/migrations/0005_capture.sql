-- Chat-log capture and minutes (issue 6). Builds on the recordings, messages, message_versions,
-- minutes_items, youth_members and forgotten_members tables of 0001.

-- Whether the author was an organiser when the line was captured: only an organiser's #undo counts,
-- and minutes are derived again from the stored log at any time, so the fact is kept with the line.
ALTER TABLE messages ADD COLUMN by_organiser INTEGER NOT NULL DEFAULT 0 CHECK (by_organiser IN (0, 1));

-- At most one open recording per channel and per meeting.
CREATE UNIQUE INDEX recordings_one_open_per_channel ON recordings (channel_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX recordings_one_open_per_meeting ON recordings (meeting_id) WHERE ended_at IS NULL;
CREATE INDEX recordings_by_meeting ON recordings (meeting_id, started_at);

-- Threads under a recorded channel (their names head the nested blocks of a transcript).
CREATE TABLE recorded_threads (
    thread_id  INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL,
    name       TEXT    NOT NULL
);
CREATE INDEX recorded_threads_by_meeting ON recorded_threads (meeting_id);

-- A meeting whose raw log was purged (by an organiser, or by the retention rule). Its minutes live
-- on in minutes_items and minutes_people.
CREATE TABLE log_purges (
    meeting_id INTEGER PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    purged_at  TEXT    NOT NULL,
    purged_by  INTEGER,                         -- NULL: the retention rule
    lines      INTEGER NOT NULL,
    reason     TEXT    NOT NULL CHECK (reason IN ('manual', 'retention'))
);

-- Minutes snapshot, part 2: who an action item is for ([{"id": user id or null, "name": "..."}]).
ALTER TABLE minutes_items ADD COLUMN assignees TEXT;

-- Minutes snapshot, part 3: the people who spoke, with the number of lines each said.
CREATE TABLE minutes_people (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL,
    author_name TEXT    NOT NULL,
    lines       INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, author_id)
);
