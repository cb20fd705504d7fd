-- The outbox of public posts (issue 14). A registration commits its document and its outbox entry in
-- one transaction; one publisher per channel drains the entries, several documents per Discord
-- message, so a burst of registrations costs a few channel writes instead of one each.
--
-- state: 'pending'  waiting for a message;
--        'posting'  assigned to a message (batch = the id of the first entry of that message) whose
--                   write may or may not have reached Discord: after a crash the publisher looks for
--                   the batch's marker among the channel's recent messages before posting it again;
--        'sent'     carried by message_id;
--        'failed'   Discord refused the post for good (missing permission...), logged.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('announcement')),
    contribution_id INTEGER NOT NULL REFERENCES contributions (id) ON DELETE CASCADE,
    revision        INTEGER NOT NULL DEFAULT 0,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'posting', 'sent', 'failed')),
    batch           INTEGER,
    message_id      INTEGER,
    created_at      TEXT    NOT NULL,
    sent_at         TEXT
);
-- The publisher's hot path: what is left to post in a channel.
CREATE INDEX outbox_unsent ON outbox (guild_id, channel_id, kind, id) WHERE state IN ('pending', 'posting');
CREATE INDEX outbox_by_message ON outbox (message_id) WHERE message_id IS NOT NULL;
