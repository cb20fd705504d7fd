-- The calendar subscription feed (issue 16): one unguessable feed address per server.
-- The secret is kept (the bot prints the link) and its SHA-256 is the lookup key, so a request
-- is matched by hash and then compared in constant time, never by a timing-leaky text compare.
CREATE TABLE calendar_feeds (
    guild_id    INTEGER PRIMARY KEY,
    secret      TEXT    NOT NULL,
    secret_hash TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL,
    rotated_at  TEXT,                           -- NULL: never rotated
    etag        TEXT,                           -- the feed's ETag as last served
    changed_at  TEXT                            -- when the served content last changed (Last-Modified)
);
