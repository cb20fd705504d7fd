-- Languages (issue 13).
-- The server's language(s) for public posts, in order (the first leads): a comma-separated list of
-- ITU language codes (ar, zh, en, fr, ru, es).
ALTER TABLE guild_settings ADD COLUMN languages TEXT NOT NULL DEFAULT 'en';

-- A member's own choice of language for the bot's answers to them (/language set). Deleted by
-- /language clear and by /log forget.
CREATE TABLE member_languages (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    language   TEXT    NOT NULL CHECK (language IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
