-- The group's official name in each language (issue 13), set by the organisers with
-- /setup group-name. A JSON object {language: name} on the server's settings row, keyed by ITU
-- language codes (ar, zh, en, fr, ru, es); a language without a key has no name set (English then
-- uses the house style's default name, the others the group's code alone: a name is never guessed).
-- A column rather than a table: the settings are one row per server, read through one cache and
-- written in one statement, so the names change with the rest of the settings, atomically.
ALTER TABLE guild_settings ADD COLUMN group_names TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(group_names) AND json_type(group_names) = 'object');
