-- Attendance by delegation (issue 15).
-- A member's delegation, stated by them or set by an organiser. Deleted by /log forget.
CREATE TABLE delegations (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    type       TEXT    NOT NULL CHECK (type IN ('member_state', 'sector_member', 'organisation', 'academia',
                                                'civil_society', 'youth', 'secretariat', 'chair', 'other')),
    set_by     INTEGER NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Server roles that stand for a delegation (a role per country or organisation).
CREATE TABLE delegation_roles (
    guild_id   INTEGER NOT NULL,
    role_id    INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    type       TEXT    NOT NULL CHECK (type IN ('member_state', 'sector_member', 'organisation', 'academia',
                                                'civil_society', 'youth', 'secretariat', 'chair', 'other')),
    set_by     INTEGER NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, role_id)
);

-- Who was present at a meeting: pressed "I am present", or spoke in the recorded chat.
-- role_name/role_type: the delegation of a mapped role the member held when seen (roles are only
-- known at that moment: the bot has no member list). A forget sets user_id to NULL and clears
-- the name and the delegation: the person stays counted, anonymously.
CREATE TABLE attendance (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id    INTEGER,
    name       TEXT,                          -- display name when seen (shown to organisers only)
    pressed    INTEGER NOT NULL DEFAULT 0 CHECK (pressed IN (0, 1)),
    spoke      INTEGER NOT NULL DEFAULT 0 CHECK (spoke IN (0, 1)),
    role_name  TEXT,
    role_type  TEXT,
    first_at   TEXT    NOT NULL,
    UNIQUE (meeting_id, user_id)
);
