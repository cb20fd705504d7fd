"""The meeting chat record: recordings, captured lines, edits, tombstones, minutes snapshots, privacy.

Every SQL statement of the capture, minutes and privacy features lives here.

Writes of captured chat go through :meth:`CaptureStore.apply`: one transaction per batch, in the
order the events happened, so an edit or a deletion of a line still waiting in the writer's buffer
lands after the line itself. Inserts are ``INSERT OR IGNORE`` on Discord's message id, so a line
seen twice (live and again by the backfill) is stored once.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from storage import attendance, languages
from storage.database import Database, Transaction
from storage.timeutil import from_db, opt_from_db, to_db

# ---------------------------------------------------------------------------------------------
# Writes of the captured chat: the operations the writer batches, in event order.


class NewLine(NamedTuple):
    """One captured chat line (a plain tuple: executemany takes it as it is)."""

    message_id: int
    meeting_id: int
    recording_id: int | None
    channel_id: int  # the meeting channel (the thread's parent for thread lines)
    thread_id: int | None
    author_id: int
    author_name: str
    content: str
    created_at: str  # storage.timeutil.to_db form
    reply_to: int | None
    attachments: str | None  # JSON [{"name", "size", "url"}]
    is_notice: int
    by_organiser: int


class Edit(NamedTuple):
    """A line's new content: the original and every version are kept in message_versions."""

    message_id: int
    content: str
    at: str
    attachments: str | None


class Delete(NamedTuple):
    """Lines deleted on Discord (or taken off the record): a tombstone, no content, no versions."""

    message_ids: tuple[int, ...]
    at: str


class DeleteThread(NamedTuple):
    """A thread deleted on Discord takes its messages with it: tombstone every line said there."""

    thread_id: int
    at: str


class ThreadName(NamedTuple):
    """A thread seen under a recorded channel, or renamed: its latest name is kept."""

    thread_id: int
    meeting_id: int
    channel_id: int
    name: str
    owner_id: int | None = None  # who created it (a forgotten creator's thread names are not kept)


class RenameThread(NamedTuple):
    """A recorded thread renamed on Discord (blank if its creator is forgotten)."""

    thread_id: int
    name: str


Op = NewLine | Edit | Delete | DeleteThread | ThreadName | RenameThread

_INSERT_LINE = (
    "INSERT OR IGNORE INTO messages (message_id, meeting_id, recording_id, channel_id, thread_id, author_id, "
    "author_name, content, created_at, reply_to, attachments, is_notice, by_organiser) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# What every captured line goes through (live, backfill, start-up catch-up): never into a purged
# meeting, never by a member who is forgotten or was forgotten when the line was said (a line said
# before a /log remember). Parameters are the 13 NewLine fields: ?1 message id (a snowflake: Discord's
# clock), ?2 meeting, ?6 author, ?12 is_notice.
_INSERT_CAPTURED = (
    "INSERT OR IGNORE INTO messages (message_id, meeting_id, recording_id, channel_id, thread_id, author_id, "
    "author_name, content, created_at, reply_to, attachments, is_notice, by_organiser) "
    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 "
    "WHERE NOT EXISTS (SELECT 1 FROM log_purges WHERE meeting_id = ?2) "
    "AND NOT EXISTS (SELECT 1 FROM forgotten_members AS f JOIN meetings AS mt ON mt.guild_id = f.guild_id "
    "WHERE mt.id = ?2 AND f.user_id = ?6 AND ?12 = 0 AND (f.remembered_from IS NULL OR f.remembered_from > ?1))"
)
# An edit is applied only to a live line whose content really changes (Discord also sends updates
# for embeds and pins). Version 0 is the original; each later version is the content after an edit.
_EDIT_KEEP_ORIGINAL = (
    "INSERT OR IGNORE INTO message_versions (message_id, version, content, at) "
    "SELECT message_id, 0, content, created_at FROM messages "
    "WHERE message_id = ? AND deleted_at IS NULL AND forgotten = 0 AND content != ?"
)
_EDIT_ADD_VERSION = (
    "INSERT INTO message_versions (message_id, version, content, at) "
    "SELECT message_id, (SELECT IFNULL(MAX(version), 0) + 1 FROM message_versions WHERE message_id = ?), ?, ? "
    "FROM messages WHERE message_id = ? AND deleted_at IS NULL AND forgotten = 0 AND content != ?"
)
_EDIT_CONTENT = (
    "UPDATE messages SET content = ?, edited_at = ? "
    "WHERE message_id = ? AND deleted_at IS NULL AND forgotten = 0 AND content != ?"
)
# Discord only lets an author remove attachments from a message: honour that too.
_EDIT_ATTACHMENTS = (
    "UPDATE messages SET attachments = ? "
    "WHERE message_id = ? AND deleted_at IS NULL AND forgotten = 0 AND IFNULL(attachments, '') != IFNULL(?, '')"
)
_TOMBSTONE = (
    "UPDATE messages SET content = '', attachments = NULL, deleted_at = ? WHERE message_id = ? AND deleted_at IS NULL"
)
_DROP_VERSIONS = "DELETE FROM message_versions WHERE message_id = ?"
# A thread's name is its creator's text: it is not kept (blank) if the creator was forgotten after
# the thread was made (still forgotten, or remembered only later: remembered_from and thread ids are
# both Discord snowflakes); never into a purged meeting. The same rule for every write of a name.
_NAME_FORGOTTEN = (
    "EXISTS (SELECT 1 FROM forgotten_members AS f JOIN meetings AS mt ON mt.guild_id = f.guild_id "
    "WHERE mt.id = {meeting} AND f.user_id = {owner} AND (f.remembered_from IS NULL OR f.remembered_from > {thread}))"
)
_RENAME_THREAD = (
    "UPDATE recorded_threads SET name = CASE WHEN "
    + _NAME_FORGOTTEN.format(
        meeting="recorded_threads.meeting_id", owner="recorded_threads.owner_id", thread="recorded_threads.thread_id"
    )
    + " THEN '' ELSE ?2 END WHERE thread_id = ?1"
)
# Parameters are the ThreadName fields: ?1 thread, ?2 meeting, ?3 channel, ?4 name, ?5 owner.
_THREAD = (
    "INSERT INTO recorded_threads (thread_id, meeting_id, channel_id, name, owner_id) "
    "SELECT ?1, ?2, ?3, CASE WHEN "
    + _NAME_FORGOTTEN.format(
        meeting="?2", owner="COALESCE(?5, (SELECT owner_id FROM recorded_threads WHERE thread_id = ?1))", thread="?1"
    )
    + " THEN '' ELSE ?4 END, ?5 "
    "WHERE NOT EXISTS (SELECT 1 FROM log_purges WHERE meeting_id = ?2) "
    "ON CONFLICT (thread_id) DO UPDATE SET name = excluded.name, "
    "owner_id = COALESCE(excluded.owner_id, recorded_threads.owner_id)"
)


# ---------------------------------------------------------------------------------------------
# What the repository returns


@dataclass(frozen=True, slots=True)
class Recording:
    id: int
    meeting_id: int
    channel_id: int
    started_at: datetime
    ended_at: datetime | None
    started_by: int | None  # None: started by the schedule
    ended_by: int | None
    start_message_id: int | None
    end_message_id: int | None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def started_by_hand(self) -> bool:
        return self.started_by is not None


def _recording(row) -> Recording:
    return Recording(
        id=row["id"],
        meeting_id=row["meeting_id"],
        channel_id=row["channel_id"],
        started_at=from_db(row["started_at"]),
        ended_at=opt_from_db(row["ended_at"]),
        started_by=row["started_by"],
        ended_by=row["ended_by"],
        start_message_id=row["start_message_id"],
        end_message_id=row["end_message_id"],
    )


@dataclass(frozen=True, slots=True)
class LogLine:
    """A live line of the log as the minutes parser reads it (current content)."""

    message_id: int
    thread_id: int | None
    author_id: int
    author_name: str
    content: str
    created_at: datetime
    by_organiser: bool


@dataclass(frozen=True, slots=True)
class Speaker:
    author_id: int
    name: str  # on their latest line
    lines: int


@dataclass(frozen=True, slots=True)
class StoredLine:
    """What the backfill compares with the channel's history."""

    message_id: int
    thread_id: int | None
    content_hash: int
    deleted: bool


@dataclass(frozen=True, slots=True)
class TranscriptRow:
    message_id: int
    channel_id: int
    thread_id: int | None
    author_id: int
    author_name: str
    content: str
    created_at: datetime
    reply_to: int | None
    reply_author_id: int | None
    reply_author_name: str | None
    reply_at: datetime | None
    reply_removed: bool
    attachments: tuple[dict, ...]
    is_notice: bool
    edited_at: datetime | None
    deleted_at: datetime | None
    forgotten: bool
    versions: tuple[tuple[int, str, datetime], ...]  # (version, content, at), original first


@dataclass(frozen=True, slots=True)
class SnapshotItem:
    """A minutes item kept after the raw log is purged."""

    position: int
    kind: str
    text: str
    author_id: int
    author_name: str
    at: datetime
    message_id: int | None
    agenda_item_id: int | None
    assignees: tuple[tuple[int | None, str], ...] = ()  # (user id or None, name)


@dataclass(frozen=True, slots=True)
class SnapshotPerson:
    author_id: int
    name: str
    lines: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    items: tuple[SnapshotItem, ...]
    people: tuple[SnapshotPerson, ...]


@dataclass(frozen=True, slots=True)
class Purge:
    meeting_id: int
    purged_at: datetime
    purged_by: int | None
    lines: int
    reason: str


@dataclass(frozen=True, slots=True)
class LogStats:
    lines: int  # live lines said by people (no notices, no tombstones)
    deleted: int
    removed: int
    notices: int
    first_at: datetime | None
    last_at: datetime | None


@dataclass(frozen=True, slots=True)
class ForgetResult:
    lines: int
    minutes_items: int


@dataclass(frozen=True, slots=True)
class RetentionCandidate:
    meeting_id: int
    guild_id: int
    ends_at: datetime


def _purge(row) -> Purge:
    return Purge(
        meeting_id=row["meeting_id"],
        purged_at=from_db(row["purged_at"]),
        purged_by=row["purged_by"],
        lines=row["lines"],
        reason=row["reason"],
    )


def content_hash(content: str) -> int:
    """A compact fingerprint of a line's content (the backfill compares, it does not store it)."""
    return hash(content)


_LIVE = "deleted_at IS NULL AND forgotten = 0 AND is_notice = 0"
_MARKER_LINES = (
    "SELECT message_id, thread_id, author_id, author_name, content, created_at, by_organiser FROM messages "
    f"WHERE meeting_id = ? AND {_LIVE} AND ltrim(content) LIKE '#%' ORDER BY created_at, message_id"
)
_MARKER_MENTIONS = (
    f"SELECT content FROM messages WHERE meeting_id = ? AND {_LIVE} AND ltrim(content) LIKE '#%' "
    "AND instr(content, '<@') > 0 ORDER BY created_at, message_id"
)
_ALL_MENTIONS = f"""
SELECT content, created_at, message_id, 1 AS version FROM messages
 WHERE meeting_id = ? AND {_LIVE} AND instr(content, '<@') > 0
UNION ALL
SELECT v.content, m.created_at, m.message_id, 0 AS version FROM message_versions AS v
  JOIN messages AS m ON m.message_id = v.message_id
 WHERE m.meeting_id = ? AND m.deleted_at IS NULL AND m.forgotten = 0 AND m.is_notice = 0
   AND instr(v.content, '<@') > 0
 ORDER BY created_at, message_id, version
"""
# SQLite returns the bare column author_name from the row holding MAX(created_at): the latest name.
_SPEAKERS = (
    "SELECT author_id, author_name, MAX(created_at) AS last_at, COUNT(*) AS lines FROM messages "
    f"WHERE meeting_id = ? AND {_LIVE} GROUP BY author_id ORDER BY lines DESC, last_at"
)

# The transcript in reading order: a thread's lines follow its starter line (a thread opened from a
# message has that message's id), or sit where the thread's first line was said.
_TRANSCRIPT = """
SELECT m.message_id, m.channel_id, m.thread_id, m.author_id, m.author_name, m.content, m.created_at,
       m.reply_to, m.attachments, m.is_notice, m.edited_at, m.deleted_at, m.forgotten,
       r.author_id AS reply_author_id, r.author_name AS reply_author_name, r.forgotten AS reply_forgotten,
       r.created_at AS reply_at,
       CASE WHEN m.edited_at IS NOT NULL AND m.deleted_at IS NULL THEN
            (SELECT json_group_array(json_array(v.version, v.content, v.at))
               FROM (SELECT version, content, at FROM message_versions
                      WHERE message_id = m.message_id ORDER BY version) AS v)
       END AS versions,
       CASE WHEN m.thread_id IS NULL THEN m.created_at ELSE COALESCE(s.created_at, t.first_at) END AS k1,
       CASE WHEN m.thread_id IS NULL THEN m.message_id ELSE m.thread_id END AS k2
  FROM messages AS m
  LEFT JOIN messages AS r ON r.message_id = m.reply_to
  LEFT JOIN messages AS s ON s.message_id = m.thread_id AND s.meeting_id = m.meeting_id
  LEFT JOIN (SELECT thread_id, MIN(created_at) AS first_at FROM messages
              WHERE meeting_id = ? AND thread_id IS NOT NULL GROUP BY thread_id) AS t ON t.thread_id = m.thread_id
 WHERE m.meeting_id = ?
 ORDER BY k1, k2, m.thread_id IS NOT NULL, m.created_at, m.message_id
"""


_instant = datetime.fromisoformat  # stored instants are UTC with their offset: already aware


def _transcript_row(row) -> TranscriptRow:
    versions_json = row["versions"]
    versions = tuple((int(v), str(c), _instant(a)) for v, c, a in json.loads(versions_json)) if versions_json else ()
    attachments = row["attachments"]
    reply_at, edited_at, deleted_at = row["reply_at"], row["edited_at"], row["deleted_at"]
    return TranscriptRow(
        message_id=row["message_id"],
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        content=row["content"],
        created_at=_instant(row["created_at"]),
        reply_to=row["reply_to"],
        reply_author_id=row["reply_author_id"],
        reply_author_name=row["reply_author_name"],
        reply_at=_instant(reply_at) if reply_at else None,
        reply_removed=bool(row["reply_forgotten"]),
        attachments=tuple(json.loads(attachments)) if attachments else (),
        is_notice=bool(row["is_notice"]),
        edited_at=_instant(edited_at) if edited_at else None,
        deleted_at=_instant(deleted_at) if deleted_at else None,
        forgotten=bool(row["forgotten"]),
        versions=versions,
    )


class CaptureStore:
    """Recordings, the captured log, minutes snapshots, purges and the privacy registers."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the writer's batches ----------------------------------------------------------------------
    async def apply(self, ops: Sequence[Op]) -> None:
        """Apply captured events in order, in one transaction."""
        if not ops:
            return
        async with self.db.transaction() as tx:
            await self.apply_in(tx, ops)

    @staticmethod
    async def apply_in(tx: Transaction, ops: Sequence[Op]) -> None:
        for kind, run in itertools.groupby(ops, key=type):
            if kind is NewLine:
                await tx.executemany(_INSERT_CAPTURED, run)
            elif kind is Edit:
                for edit in run:
                    await tx.execute(_EDIT_KEEP_ORIGINAL, (edit.message_id, edit.content))
                    await tx.execute(
                        _EDIT_ADD_VERSION, (edit.message_id, edit.content, edit.at, edit.message_id, edit.content)
                    )
                    await tx.execute(_EDIT_CONTENT, (edit.content, edit.at, edit.message_id, edit.content))
                    await tx.execute(_EDIT_ATTACHMENTS, (edit.attachments, edit.message_id, edit.attachments))
            elif kind is Delete:
                deletes = list(run)
                await tx.executemany(_TOMBSTONE, [(d.at, mid) for d in deletes for mid in d.message_ids])
                await tx.executemany(_DROP_VERSIONS, [(mid,) for d in deletes for mid in d.message_ids])
            elif kind is DeleteThread:
                for gone in run:
                    await tx.execute(
                        "DELETE FROM message_versions WHERE message_id IN "
                        "(SELECT message_id FROM messages WHERE thread_id = ?)",
                        (gone.thread_id,),
                    )
                    await tx.execute(
                        "UPDATE messages SET content = '', attachments = NULL, deleted_at = ? "
                        "WHERE thread_id = ? AND deleted_at IS NULL",
                        (gone.at, gone.thread_id),
                    )
                    # Its name goes too (the row stays: the thread id still groups the tombstones).
                    await tx.execute("UPDATE recorded_threads SET name = '' WHERE thread_id = ?", (gone.thread_id,))
            elif kind is ThreadName:
                await tx.executemany(_THREAD, run)
            elif kind is RenameThread:
                await tx.executemany(_RENAME_THREAD, run)
            else:  # pragma: no cover - a programming error
                raise TypeError(f"unknown capture operation {kind!r}")

    # -- recordings ------------------------------------------------------------------------------
    async def open_recordings(self) -> list[Recording]:
        rows = await self.db.fetchall("SELECT * FROM recordings WHERE ended_at IS NULL ORDER BY id")
        return [_recording(r) for r in rows]

    async def recordings_since(self, since: datetime) -> list[Recording]:
        """Open recordings and those that ended at or after ``since`` (what a backfill looks at).

        Recordings of purged meetings are left out: a purged log is never read back from Discord.
        """
        rows = await self.db.fetchall(
            "SELECT * FROM recordings WHERE (ended_at IS NULL OR ended_at >= ?) "
            "AND meeting_id NOT IN (SELECT meeting_id FROM log_purges) ORDER BY id",
            (to_db(since),),
        )
        return [_recording(r) for r in rows]

    async def recordings_for(self, meeting_id: int) -> list[Recording]:
        rows = await self.db.fetchall(
            "SELECT * FROM recordings WHERE meeting_id = ? ORDER BY started_at, id", (meeting_id,)
        )
        return [_recording(r) for r in rows]

    async def recorded_channels(self) -> tuple[set[int], set[int]]:
        """Every channel ever recorded, and every thread seen under one (edits/deletes are followed there)."""
        channels = {r[0] for r in await self.db.fetchall("SELECT DISTINCT channel_id FROM recordings")}
        threads = {r[0] for r in await self.db.fetchall("SELECT thread_id FROM recorded_threads")}
        return channels, threads

    async def start_recording(
        self,
        *,
        meeting_id: int,
        channel_id: int,
        started_at: datetime,
        started_by: int | None,
        notice: NewLine,
    ) -> Recording | None:
        """Open a recording whose notice is already posted; None if the meeting or channel is busy."""
        async with self.db.transaction() as tx:
            busy = await tx.fetchval(
                "SELECT 1 FROM recordings WHERE ended_at IS NULL AND (channel_id = ? OR meeting_id = ?)",
                (channel_id, meeting_id),
            )
            if busy:
                return None
            recording_id = await tx.execute(
                "INSERT INTO recordings (meeting_id, channel_id, started_at, started_by, start_message_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (meeting_id, channel_id, to_db(started_at), started_by, notice.message_id),
            )
            await tx.execute(_INSERT_LINE, notice._replace(recording_id=recording_id))
            row = await tx.fetchone("SELECT * FROM recordings WHERE id = ?", (recording_id,))
        return _recording(row)

    async def end_recording(
        self, recording_id: int, *, ended_at: datetime, ended_by: int | None, notice: NewLine | None
    ) -> Recording | None:
        """Close an open recording (and store its end notice); None if it was already closed."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE recordings SET ended_at = ?, ended_by = ?, end_message_id = ? "
                "WHERE id = ? AND ended_at IS NULL",
                (to_db(ended_at), ended_by, notice.message_id if notice else None, recording_id),
            )
            if not changed:
                return None
            if notice is not None:
                await tx.execute(_INSERT_LINE, notice._replace(recording_id=recording_id))
            row = await tx.fetchone("SELECT * FROM recordings WHERE id = ?", (recording_id,))
        return _recording(row)

    # -- the backfill ----------------------------------------------------------------------------
    async def stored_lines(self, recording_id: int, channel_id: int, thread_id: int | None) -> list[StoredLine]:
        """Lines of one recording said in the channel (thread_id None) or in one of its threads."""
        rows = await self.db.fetchall(
            "SELECT message_id, thread_id, content, deleted_at FROM messages "
            "WHERE recording_id = ? AND channel_id = ? AND thread_id IS ? AND forgotten = 0",
            (recording_id, channel_id, thread_id),
        )
        return [
            StoredLine(r["message_id"], r["thread_id"], content_hash(r["content"]), r["deleted_at"] is not None)
            for r in rows
        ]

    async def thread_ids(self, meeting_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT thread_id FROM recorded_threads WHERE meeting_id = ? ORDER BY thread_id", (meeting_id,)
        )
        return [r[0] for r in rows]

    # -- reading the log -------------------------------------------------------------------------
    async def stats(self, meeting_id: int) -> LogStats:
        row = await self.db.fetchone(
            "SELECT "
            f"  SUM(CASE WHEN {_LIVE} THEN 1 ELSE 0 END) AS lines, "
            "  SUM(CASE WHEN deleted_at IS NOT NULL THEN 1 ELSE 0 END) AS deleted, "
            "  SUM(forgotten) AS removed, SUM(is_notice) AS notices, "
            "  MIN(created_at) AS first_at, MAX(created_at) AS last_at "
            "FROM messages WHERE meeting_id = ?",
            (meeting_id,),
        )
        return LogStats(
            lines=row["lines"] or 0,
            deleted=row["deleted"] or 0,
            removed=row["removed"] or 0,
            notices=row["notices"] or 0,
            first_at=opt_from_db(row["first_at"]),
            last_at=opt_from_db(row["last_at"]),
        )

    async def has_log(self, meeting_id: int) -> bool:
        return bool(await self.db.fetchval("SELECT 1 FROM messages WHERE meeting_id = ? LIMIT 1", (meeting_id,)))

    async def marker_lines(self, meeting_id: int) -> list[LogLine]:
        """Live lines that start with '#' (candidate minutes markers), in the order they were said."""
        return [_log_line(r) for r in await self.db.fetchall(_MARKER_LINES, (meeting_id,))]

    async def speakers(self, meeting_id: int) -> list[Speaker]:
        return [_speaker(r) for r in await self.db.fetchall(_SPEAKERS, (meeting_id,))]

    async def transcript(self, meeting_id: int) -> AsyncIterator[TranscriptRow]:
        """The whole log in reading order, streamed (memory stays flat however long the log)."""
        async for row in self.db.iterate(_TRANSCRIPT, (meeting_id, meeting_id)):
            yield _transcript_row(row)

    async def thread_names(self, meeting_id: int) -> dict[int, str]:
        """The latest name of each recorded thread (none for deleted threads and forgotten creators)."""
        rows = await self.db.fetchall(
            "SELECT thread_id, name FROM recorded_threads WHERE meeting_id = ? AND name != ''", (meeting_id,)
        )
        return {r["thread_id"]: r["name"] for r in rows}

    async def mention_texts(self, meeting_id: int, *, markers_only: bool) -> list[str]:
        """The live texts of the log that may mention someone (they hold ``<@``), in the order said.

        ``markers_only``: the minutes markers only (what the minutes show); otherwise every live line
        and the earlier versions of edited ones (what the transcript shows).
        """
        if markers_only:
            rows = await self.db.fetchall(_MARKER_MENTIONS, (meeting_id,))
        else:
            rows = await self.db.fetchall(_ALL_MENTIONS, (meeting_id, meeting_id))
        return [r["content"] for r in rows]

    async def author_names(self, meeting_id: int) -> dict[int, str]:
        """Each speaker's latest display name in this meeting's log (to show mentions by name)."""
        rows = await self.db.fetchall(
            "SELECT author_id, author_name, MAX(created_at) FROM messages "
            "WHERE meeting_id = ? AND forgotten = 0 AND is_notice = 0 GROUP BY author_id",
            (meeting_id,),
        )
        return {r["author_id"]: r["author_name"] for r in rows}

    # -- minutes snapshots and purges ------------------------------------------------------------
    async def purge_info(self, meeting_id: int) -> Purge | None:
        row = await self.db.fetchone("SELECT * FROM log_purges WHERE meeting_id = ?", (meeting_id,))
        return None if row is None else _purge(row)

    async def snapshot(self, meeting_id: int) -> Snapshot:
        items = await self.db.fetchall(
            "SELECT * FROM minutes_items WHERE meeting_id = ? ORDER BY position", (meeting_id,)
        )
        people = await self.db.fetchall(
            "SELECT * FROM minutes_people WHERE meeting_id = ? ORDER BY lines DESC, author_name", (meeting_id,)
        )
        return Snapshot(
            items=tuple(
                SnapshotItem(
                    position=r["position"],
                    kind=r["kind"],
                    text=r["text"],
                    author_id=r["author_id"],
                    author_name=r["author_name"],
                    at=from_db(r["at"]),
                    message_id=r["message_id"],
                    agenda_item_id=r["agenda_item_id"],
                    assignees=tuple((a.get("id"), a["name"]) for a in json.loads(r["assignees"] or "[]")),
                )
                for r in items
            ),
            people=tuple(SnapshotPerson(r["author_id"], r["author_name"], r["lines"]) for r in people),
        )

    async def purge(
        self,
        meeting_id: int,
        *,
        now: datetime,
        purged_by: int | None,
        reason: str,
        build: Callable[[list[LogLine], list[Speaker]], Snapshot],
    ) -> Purge | None:
        """Keep the minutes, then delete the raw log: one transaction. None if there was nothing to purge.

        ``build`` turns the live marker lines and speakers into the minutes snapshot (the pure
        minutes rules); it runs inside the transaction, so no line can slip in between.
        """
        async with self.db.transaction() as tx:
            if await tx.fetchval("SELECT 1 FROM recordings WHERE meeting_id = ? AND ended_at IS NULL", (meeting_id,)):
                return None
            lines = await tx.fetchval("SELECT COUNT(*) FROM messages WHERE meeting_id = ?", (meeting_id,))
            if not lines:
                return None
            markers = [_log_line(r) for r in await tx.fetchall(_MARKER_LINES, (meeting_id,))]
            speakers = [_speaker(r) for r in await tx.fetchall(_SPEAKERS, (meeting_id,))]
            snap = build(markers, speakers)
            await tx.execute("DELETE FROM minutes_items WHERE meeting_id = ?", (meeting_id,))
            await tx.execute("DELETE FROM minutes_people WHERE meeting_id = ?", (meeting_id,))
            await tx.executemany(
                "INSERT INTO minutes_items (meeting_id, message_id, kind, text, author_id, author_name, at, "
                "agenda_item_id, position, assignees) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        meeting_id,
                        i.message_id,
                        i.kind,
                        i.text,
                        i.author_id,
                        i.author_name,
                        to_db(i.at),
                        i.agenda_item_id,
                        i.position,
                        json.dumps([{"id": uid, "name": name} for uid, name in i.assignees]) if i.assignees else None,
                    )
                    for i in snap.items
                ],
            )
            await tx.executemany(
                "INSERT INTO minutes_people (meeting_id, author_id, author_name, lines) VALUES (?, ?, ?, ?)",
                [(meeting_id, p.author_id, p.name, p.lines) for p in snap.people],
            )
            await tx.execute(
                "DELETE FROM message_versions "
                "WHERE message_id IN (SELECT message_id FROM messages WHERE meeting_id = ?)",
                (meeting_id,),
            )
            await tx.execute("DELETE FROM messages WHERE meeting_id = ?", (meeting_id,))
            await tx.execute("DELETE FROM recorded_threads WHERE meeting_id = ?", (meeting_id,))
            await tx.execute(
                "INSERT INTO log_purges (meeting_id, purged_at, purged_by, lines, reason) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (meeting_id) DO UPDATE SET purged_at = excluded.purged_at, "
                "purged_by = excluded.purged_by, lines = log_purges.lines + excluded.lines, reason = excluded.reason",
                (meeting_id, to_db(now), purged_by, lines, reason),
            )
            row = await tx.fetchone("SELECT * FROM log_purges WHERE meeting_id = ?", (meeting_id,))
        return _purge(row)

    async def retention_candidates(self) -> list[RetentionCandidate]:
        """Meetings that still hold a raw log and are not being recorded (the retention rule decides)."""
        rows = await self.db.fetchall(
            "SELECT id, guild_id, ends_at FROM meetings AS mt "
            "WHERE EXISTS (SELECT 1 FROM messages WHERE meeting_id = mt.id) "
            "AND NOT EXISTS (SELECT 1 FROM recordings WHERE meeting_id = mt.id AND ended_at IS NULL) "
            "ORDER BY ends_at"
        )
        return [RetentionCandidate(r["id"], r["guild_id"], from_db(r["ends_at"])) for r in rows]

    # -- privacy: youth participants ---------------------------------------------------------------
    async def youth(self) -> dict[tuple[int, int], int]:
        """Active youth participants: (guild id, user id) → pseudonym number."""
        rows = await self.db.fetchall("SELECT guild_id, user_id, pseudonym FROM youth_members WHERE active = 1")
        return {(r["guild_id"], r["user_id"]): r["pseudonym"] for r in rows}

    async def youth_in(self, guild_id: int) -> dict[int, int]:
        """Active youth participants of one guild: user id → pseudonym number."""
        rows = await self.db.fetchall(
            "SELECT user_id, pseudonym FROM youth_members WHERE guild_id = ? AND active = 1", (guild_id,)
        )
        return {r["user_id"]: r["pseudonym"] for r in rows}

    async def youth_status(self, guild_id: int, user_id: int) -> tuple[int, bool] | None:
        row = await self.db.fetchone(
            "SELECT pseudonym, active FROM youth_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return None if row is None else (row["pseudonym"], bool(row["active"]))

    async def set_youth(self, guild_id: int, user_id: int, *, active: bool, now: datetime) -> int | None:
        """Mark or unmark a youth participant; their pseudonym number stays the same for good."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT pseudonym FROM youth_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            if row is None:
                if not active:
                    return None
                number = await tx.fetchval(
                    "SELECT IFNULL(MAX(pseudonym), 0) + 1 FROM youth_members WHERE guild_id = ?", (guild_id,)
                )
                await tx.execute(
                    "INSERT INTO youth_members (guild_id, user_id, pseudonym, since, active) VALUES (?, ?, ?, ?, 1)",
                    (guild_id, user_id, number, to_db(now)),
                )
                return number
            await tx.execute(
                "UPDATE youth_members SET active = ?, since = CASE WHEN ? THEN ? ELSE since END "
                "WHERE guild_id = ? AND user_id = ?",
                (int(active), int(active), to_db(now), guild_id, user_id),
            )
            return row["pseudonym"]

    async def rename_author(self, guild_id: int, user_id: int, name: str) -> int:
        """Replace a member's name on every stored line and minutes entry of the guild (pseudonyms)."""
        in_guild = "meeting_id IN (SELECT id FROM meetings WHERE guild_id = ?)"
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                f"UPDATE messages SET author_name = ? WHERE author_id = ? AND forgotten = 0 AND {in_guild}",
                (name, user_id, guild_id),
            )
            await tx.execute(
                f"UPDATE minutes_items SET author_name = ? WHERE author_id = ? AND {in_guild}",
                (name, user_id, guild_id),
            )
            await tx.execute(
                f"UPDATE minutes_people SET author_name = ? WHERE author_id = ? AND {in_guild}",
                (name, user_id, guild_id),
            )
            await _rewrite_assignees(tx, guild_id, user_id, name)
        return changed

    # -- privacy: forgetting a member ----------------------------------------------------------------
    async def forgotten(self) -> set[tuple[int, int]]:
        rows = await self.db.fetchall("SELECT guild_id, user_id FROM forgotten_members WHERE remembered_from IS NULL")
        return {(r["guild_id"], r["user_id"]) for r in rows}

    async def forgotten_in(self, guild_id: int) -> frozenset[int]:
        """The members of one guild whose words were removed at their request."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM forgotten_members WHERE guild_id = ? AND remembered_from IS NULL", (guild_id,)
        )
        return frozenset(r["user_id"] for r in rows)

    async def is_forgotten(self, guild_id: int, user_id: int) -> bool:
        return bool(
            await self.db.fetchval(
                "SELECT 1 FROM forgotten_members WHERE guild_id = ? AND user_id = ? AND remembered_from IS NULL",
                (guild_id, user_id),
            )
        )

    async def forget(self, guild_id: int, user_id: int, *, by: int, now: datetime) -> ForgetResult:
        """Remove a member's words from every log and minutes snapshot of the guild; remember the request.

        Their lines stay as "[removed]" placeholders (so replies still make sense) with no content,
        no name, no attachments, no versions and no author id.
        """
        in_guild = "meeting_id IN (SELECT id FROM meetings WHERE guild_id = ?)"
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO forgotten_members (guild_id, user_id, forgotten_at, forgotten_by) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id, user_id) DO UPDATE SET forgotten_at = excluded.forgotten_at, "
                "forgotten_by = excluded.forgotten_by, remembered_from = NULL",
                (guild_id, user_id, to_db(now), by),
            )
            await tx.execute(
                "DELETE FROM message_versions WHERE message_id IN "
                f"(SELECT message_id FROM messages WHERE author_id = ? AND {in_guild})",
                (user_id, guild_id),
            )
            lines = await tx.execute(
                "UPDATE messages SET content = '', author_name = '', attachments = NULL, author_id = 0, "
                f"forgotten = 1 WHERE author_id = ? AND is_notice = 0 AND {in_guild}",
                (user_id, guild_id),
            )
            items = await tx.execute(
                f"DELETE FROM minutes_items WHERE author_id = ? AND {in_guild}", (user_id, guild_id)
            )
            await tx.execute(f"DELETE FROM minutes_people WHERE author_id = ? AND {in_guild}", (user_id, guild_id))
            await _rewrite_assignees(tx, guild_id, user_id, None)
            # The names of the threads they created are their words too.
            await tx.execute(
                f"UPDATE recorded_threads SET name = '' WHERE owner_id = ? AND {in_guild}", (user_id, guild_id)
            )
            await attendance.forget_member(tx, guild_id, user_id)
            await languages.forget_member(tx, guild_id, user_id)
        return ForgetResult(lines=lines, minutes_items=items)

    async def remember(self, guild_id: int, user_id: int, *, from_id: int) -> bool:
        """Lift a forget request for what the member says from now on (nothing forgotten comes back).

        ``from_id`` is a Discord id of now (the /log remember interaction's): only the member's
        messages with a larger id (said after it) are stored from then on. The request stays: lines
        said before are never stored, even if a backfill reads them from Discord later.
        """
        changed = await self.db.execute(
            "UPDATE forgotten_members SET remembered_from = ? "
            "WHERE guild_id = ? AND user_id = ? AND remembered_from IS NULL",
            (from_id, guild_id, user_id),
        )
        return bool(changed)

    async def lines_by(self, guild_id: int, user_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM messages WHERE author_id = ? AND deleted_at IS NULL AND forgotten = 0 "
                "AND meeting_id IN (SELECT id FROM meetings WHERE guild_id = ?)",
                (user_id, guild_id),
            )
        )


async def _rewrite_assignees(tx: Transaction, guild_id: int, user_id: int, name: str | None) -> None:
    """Rename (or, with None, remove) a member among the people kept action items are for."""
    rows = await tx.fetchall(
        "SELECT id, assignees FROM minutes_items WHERE assignees IS NOT NULL "
        "AND meeting_id IN (SELECT id FROM meetings WHERE guild_id = ?)",
        (guild_id,),
    )
    for row in rows:
        assignees = json.loads(row["assignees"])
        if not any(a.get("id") == user_id for a in assignees):
            continue
        if name is None:  # forgotten: the action stays, the person it was for becomes "[removed]"
            assignees = [a if a.get("id") != user_id else {"id": None, "name": "[removed]"} for a in assignees]
        else:
            assignees = [{"id": a.get("id"), "name": name if a.get("id") == user_id else a["name"]} for a in assignees]
        await tx.execute(
            "UPDATE minutes_items SET assignees = ? WHERE id = ?",
            (json.dumps(assignees) if assignees else None, row["id"]),
        )


def _log_line(row) -> LogLine:
    return LogLine(
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        content=row["content"],
        created_at=from_db(row["created_at"]),
        by_organiser=bool(row["by_organiser"]),
    )


def _speaker(row) -> Speaker:
    return Speaker(author_id=row["author_id"], name=row["author_name"], lines=row["lines"])


def attachments_json(attachments: Iterable[tuple[str, int, str]]) -> str | None:
    """[(name, size, url)] → the stored JSON (None when there are none)."""
    items = [{"name": name, "size": size, "url": url} for name, size, url in attachments]
    return json.dumps(items, ensure_ascii=False) if items else None
