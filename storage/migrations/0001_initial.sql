-- CWG-COP bot schema, version 1.
-- Instants: TEXT in UTC, fixed-width ISO 8601 (storage/timeutil.py). Discord ids: INTEGER.
-- Later changes go in new numbered files; never edit a migration that has shipped.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Per-guild configuration (/setup). A guild without a row uses the defaults below.
CREATE TABLE guild_settings (
    guild_id                   INTEGER PRIMARY KEY,
    chair_role_id              INTEGER,
    secretariat_role_id        INTEGER,
    participant_role_id        INTEGER,
    agenda_channel_id          INTEGER,
    contributions_channel_id   INTEGER,
    reminders_channel_id       INTEGER,
    meeting_channel_id         INTEGER,
    timezone                   TEXT    NOT NULL DEFAULT 'Europe/Zurich',
    group_code                 TEXT    NOT NULL DEFAULT 'CWG-COP',
    reminder_offsets           TEXT    NOT NULL DEFAULT '7d,1d,1h,10m',
    contribution_deadline_days INTEGER NOT NULL DEFAULT 12 CHECK (contribution_deadline_days BETWEEN 0 AND 365),
    posting_deadline_days      INTEGER NOT NULL DEFAULT 7  CHECK (posting_deadline_days BETWEEN 0 AND 365),
    retention_days             INTEGER NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 36500),
    max_file_mb                INTEGER NOT NULL DEFAULT 25 CHECK (max_file_mb BETWEEN 1 AND 500),
    allowed_file_types         TEXT    NOT NULL DEFAULT 'pdf,docx,doc,pptx,ppt,xlsx,xls,odt,txt,rtf,zip',
    updated_at                 TEXT    NOT NULL
);

-- Numbered meetings. Times are instants; `timezone` is the zone they were given in (for display).
CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    number        INTEGER NOT NULL CHECK (number > 0),
    title         TEXT    NOT NULL,
    starts_at     TEXT    NOT NULL,
    ends_at       TEXT    NOT NULL,
    timezone      TEXT    NOT NULL DEFAULT 'Europe/Zurich',
    venue         TEXT,
    link          TEXT,
    channel_id    INTEGER,                      -- the meeting chat channel
    status        TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    cancel_reason TEXT,
    sequence      INTEGER NOT NULL DEFAULT 0,   -- iCalendar SEQUENCE, bumped on every change
    event_id      INTEGER,                      -- the mirrored Discord guild scheduled event
    chair_name    TEXT,                         -- who chairs this meeting (for minutes and reports)
    created_by    INTEGER NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (guild_id, number),
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_by_start ON meetings (guild_id, starts_at);

-- Agenda items: a tree of depth two (5, 5.1). `position` is 1-based and consecutive among siblings;
-- the displayed number (5.1) is derived from positions, never stored.
CREATE TABLE agenda_items (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    parent_id  INTEGER REFERENCES agenda_items (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position > 0),
    title      TEXT    NOT NULL,
    presenter  TEXT,
    minutes    INTEGER CHECK (minutes IS NULL OR minutes > 0),
    created_at TEXT    NOT NULL
);
CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, parent_id, position);

-- The published agenda: where it is (one or more messages) and every published revision.
CREATE TABLE agenda_posts (
    meeting_id  INTEGER PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL,
    message_ids TEXT    NOT NULL,               -- JSON array of message ids, in order
    revision    INTEGER NOT NULL DEFAULT 0,     -- 0 = original, 1 = (Rev.1) ...
    updated_at  TEXT    NOT NULL
);
CREATE TABLE agenda_revisions (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    revision   INTEGER NOT NULL,
    note       TEXT,
    body       TEXT    NOT NULL,                -- the agenda as published (plain text)
    posted_by  INTEGER NOT NULL,
    posted_at  TEXT    NOT NULL,
    UNIQUE (meeting_id, revision)
);

-- Contributions and information documents. Numbers: one gapless sequence per meeting and kind,
-- never reused (a withdrawn document keeps its row and number).
CREATE TABLE contributions (
    id                      INTEGER PRIMARY KEY,
    meeting_id              INTEGER NOT NULL REFERENCES meetings (id),
    kind                    TEXT    NOT NULL CHECK (kind IN ('contribution', 'information')),
    seq                     INTEGER NOT NULL CHECK (seq > 0),
    title                   TEXT    NOT NULL,
    source                  TEXT    NOT NULL,
    source_type             TEXT,           -- member_state, sector_member, organisation, secretariat, chair, youth, other
    abstract                TEXT,
    language                TEXT,           -- original language: A, C, E, F, R, S
    agenda_item_id          INTEGER REFERENCES agenda_items (id) ON DELETE SET NULL,
    submitter_id            INTEGER NOT NULL,
    status                  TEXT    NOT NULL DEFAULT 'submitted'
                            CHECK (status IN ('submitted', 'accepted', 'late', 'rejected', 'withdrawn')),
    is_late                 INTEGER NOT NULL DEFAULT 0 CHECK (is_late IN (0, 1)),
    status_reason           TEXT,
    revision                INTEGER NOT NULL DEFAULT 0,
    link                    TEXT,
    file_name               TEXT,
    file_size               INTEGER,
    file_sha256             TEXT,
    file_message_url        TEXT,           -- the bot's own re-post of the file (attachment links expire)
    announcement_channel_id INTEGER,
    announcement_message_id INTEGER,
    received_at             TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL,
    UNIQUE (meeting_id, kind, seq)
);
CREATE INDEX contributions_by_submitter ON contributions (submitter_id);

CREATE TABLE contribution_revisions (
    id               INTEGER PRIMARY KEY,
    contribution_id  INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    revision         INTEGER NOT NULL,
    title            TEXT    NOT NULL,
    abstract         TEXT,
    link             TEXT,
    file_name        TEXT,
    file_size        INTEGER,
    file_sha256      TEXT,
    file_message_url TEXT,
    created_by       INTEGER NOT NULL,
    created_at       TEXT    NOT NULL,
    UNIQUE (contribution_id, revision)
);

-- The history of a document: registered, revised, accepted, rejected, assigned, withdrawn.
CREATE TABLE contribution_events (
    id              INTEGER PRIMARY KEY,
    contribution_id INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    at              TEXT    NOT NULL,
    actor_id        INTEGER NOT NULL,
    action          TEXT    NOT NULL,
    detail          TEXT
);
CREATE INDEX contribution_events_by_doc ON contribution_events (contribution_id, at);

-- Reminders: one row per notice to send (a channel notice, a personal offset, a deadline notice,
-- the "starting now" post), with its due instant computed in UTC from the meeting.
CREATE TABLE reminders (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL CHECK (kind IN ('channel', 'personal', 'deadline', 'start')),
    offset_seconds INTEGER NOT NULL CHECK (offset_seconds >= 0),
    due_at         TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    UNIQUE (meeting_id, kind, offset_seconds)
);
CREATE INDEX reminders_by_due ON reminders (due_at);

-- Members who asked to be reminded. meeting_id NULL means "all meetings".
CREATE TABLE reminder_subscriptions (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    meeting_id INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    offsets    TEXT    NOT NULL,                -- e.g. '1d,1h'
    created_at TEXT    NOT NULL
);
CREATE UNIQUE INDEX reminder_subscriptions_one ON reminder_subscriptions (guild_id, user_id, IFNULL(meeting_id, 0));

-- The delivery ledger: one row per (reminder, recipient); at most one delivery each.
CREATE TABLE reminder_deliveries (
    id           INTEGER PRIMARY KEY,
    reminder_id  INTEGER NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
    recipient    TEXT    NOT NULL,              -- 'channel:<id>' or 'user:<id>'
    state        TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled')),
    late         INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    detail       TEXT,
    updated_at   TEXT    NOT NULL,
    UNIQUE (reminder_id, recipient)
);
CREATE INDEX reminder_deliveries_by_state ON reminder_deliveries (state);

-- Recording periods of a meeting's chat.
CREATE TABLE recordings (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    channel_id       INTEGER NOT NULL,
    started_at       TEXT    NOT NULL,
    ended_at         TEXT,
    started_by       INTEGER,                   -- NULL: started by the schedule
    ended_by         INTEGER,
    start_message_id INTEGER,
    end_message_id   INTEGER
);
CREATE INDEX recordings_open ON recordings (channel_id, ended_at);

-- Captured chat lines. message_id is Discord's snowflake, so a line is never stored twice.
CREATE TABLE messages (
    message_id   INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    recording_id INTEGER REFERENCES recordings (id) ON DELETE SET NULL,
    channel_id   INTEGER NOT NULL,              -- the meeting channel
    thread_id    INTEGER,                       -- set when said in a thread under it
    author_id    INTEGER NOT NULL,
    author_name  TEXT    NOT NULL,              -- display name at the time
    content      TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    reply_to     INTEGER,
    attachments  TEXT,                          -- JSON: [{"name", "size", "url"}]
    is_notice    INTEGER NOT NULL DEFAULT 0,    -- the bot's own recording notices
    edited_at    TEXT,
    deleted_at   TEXT,                          -- tombstone: content is emptied
    forgotten    INTEGER NOT NULL DEFAULT 0     -- /log forget: content and name removed
);
CREATE INDEX messages_by_meeting ON messages (meeting_id, created_at);
CREATE INDEX messages_by_author ON messages (author_id);

-- Earlier versions of edited lines (the original is version 0).
CREATE TABLE message_versions (
    message_id INTEGER NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    content    TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    PRIMARY KEY (message_id, version)
);

-- Minutes items kept after a purge of the raw log (while the log exists, minutes are derived from it).
CREATE TABLE minutes_items (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    message_id     INTEGER,
    kind           TEXT    NOT NULL CHECK (kind IN ('topic', 'info', 'action', 'agreed', 'link')),
    text           TEXT    NOT NULL,
    author_id      INTEGER NOT NULL,
    author_name    TEXT    NOT NULL,
    at             TEXT    NOT NULL,
    agenda_item_id INTEGER REFERENCES agenda_items (id) ON DELETE SET NULL,
    position       INTEGER NOT NULL
);
CREATE INDEX minutes_items_by_meeting ON minutes_items (meeting_id, position);

-- Privacy: youth participants (pseudonymised everywhere) and forget requests.
CREATE TABLE youth_members (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    pseudonym INTEGER NOT NULL,                 -- "Participant <n>", stable per guild
    since     TEXT    NOT NULL,
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    PRIMARY KEY (guild_id, user_id),
    UNIQUE (guild_id, pseudonym)
);
CREATE TABLE forgotten_members (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    forgotten_at TEXT    NOT NULL,
    forgotten_by INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
