"""Reports: every SQL statement the reports read. Read-only: reports never write.

The figures of a report are computed from what these queries return, by the pure functions of
``cogs/reports/_rules.py``. The definitions (what a "message" and a "participant" are) live in the
SQL below and are documented in docs/reports.md:

- a *counted message* is a captured chat line that is not one of the bot's notices, not deleted and
  not removed at a member's request (``/log forget``): exactly the capture feature's live lines;
- a *participant* of a meeting is a distinct author of at least one counted message, in the meeting
  channel or in a thread under it; after a purge of the raw log, the minutes snapshot of the people
  who spoke (``minutes_people``) stands in for the log.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.timeutil import from_db, opt_from_db, to_db

# A counted message (the same rule as storage.capture's live lines).
COUNTED = "m.is_notice = 0 AND m.deleted_at IS NULL AND m.forgotten = 0"

_YOUTH = (
    "EXISTS (SELECT 1 FROM youth_members AS y WHERE y.guild_id = mt.guild_id AND y.user_id = {author} AND y.active = 1)"
)


@dataclass(frozen=True, slots=True)
class DocumentCount:
    """How many documents of a meeting share a kind, status, lateness and source type."""

    kind: str  # contribution | information
    status: str  # submitted | accepted | late | rejected | withdrawn
    is_late: bool
    source_type: str  # "other" when none was given
    count: int


@dataclass(frozen=True, slots=True)
class PersonActivity:
    """One participant of one meeting. The id never leaves the report builder: reports show counts."""

    author_id: int
    messages: int
    in_channel: int | None  # messages in the meeting channel itself (None: unknown after a purge)
    youth: bool  # an active youth participant (counted, never named)


@dataclass(frozen=True, slots=True)
class ChatRecord:
    """What is known about a meeting's chat record, apart from the lines themselves."""

    recordings: int
    recording_open: bool
    purged_at: datetime | None
    deleted: int  # lines deleted by their authors or moderators (not counted)
    removed: int  # lines removed at a member's request, /log forget (not counted)


class ReportsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- documents ---------------------------------------------------------------------------------
    async def document_counts(self, meeting_id: int) -> list[DocumentCount]:
        rows = await self.db.fetchall(
            "SELECT kind, status, is_late, IFNULL(source_type, 'other') AS source_type, COUNT(*) AS n "
            "FROM contributions WHERE meeting_id = ? "
            "GROUP BY kind, status, is_late, IFNULL(source_type, 'other') "
            "ORDER BY kind, status, is_late, source_type",
            (meeting_id,),
        )
        return [DocumentCount(r["kind"], r["status"], bool(r["is_late"]), r["source_type"], r["n"]) for r in rows]

    # -- the chat ------------------------------------------------------------------------------------
    async def chat_record(self, meeting_id: int) -> ChatRecord:
        row = await self.db.fetchone(
            "SELECT "
            "  (SELECT COUNT(*) FROM recordings WHERE meeting_id = ?) AS recordings, "
            "  (SELECT COUNT(*) FROM recordings WHERE meeting_id = ? AND ended_at IS NULL) AS open_recordings, "
            "  (SELECT purged_at FROM log_purges WHERE meeting_id = ?) AS purged_at, "
            "  (SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND is_notice = 0 "
            "     AND deleted_at IS NOT NULL AND forgotten = 0) AS deleted, "
            "  (SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND is_notice = 0 AND forgotten = 1) AS removed",
            (meeting_id,) * 5,
        )
        return ChatRecord(
            recordings=row["recordings"],
            recording_open=bool(row["open_recordings"]),
            purged_at=opt_from_db(row["purged_at"]),
            deleted=row["deleted"],
            removed=row["removed"],
        )

    async def people(self, meeting_id: int) -> list[PersonActivity]:
        """The meeting's participants and their counted messages (from the minutes snapshot once purged)."""
        purged = await self.db.fetchval("SELECT 1 FROM log_purges WHERE meeting_id = ?", (meeting_id,))
        if purged:
            rows = await self.db.fetchall(
                "SELECT p.author_id, p.lines AS messages, NULL AS in_channel, "
                + _YOUTH.format(author="p.author_id")
                + " AS youth FROM minutes_people AS p JOIN meetings AS mt ON mt.id = p.meeting_id "
                "WHERE p.meeting_id = ? AND p.lines > 0 ORDER BY p.author_id",
                (meeting_id,),
            )
        else:
            rows = await self.db.fetchall(
                "SELECT m.author_id, COUNT(*) AS messages, SUM(m.thread_id IS NULL) AS in_channel, "
                + _YOUTH.format(author="m.author_id")
                + " AS youth FROM messages AS m JOIN meetings AS mt ON mt.id = m.meeting_id "
                f"WHERE m.meeting_id = ? AND {COUNTED} GROUP BY m.author_id ORDER BY m.author_id",
                (meeting_id,),
            )
        return [PersonActivity(r["author_id"], r["messages"], r["in_channel"], bool(r["youth"])) for r in rows]

    async def messages_between(self, meeting_id: int, bounds: Sequence[datetime]) -> list[int]:
        """Counted messages before ``bounds[0]``, between each bound and the next, and from the last one on.

        ``bounds`` are sorted instants (the start of each #topic); the answer has ``len(bounds) + 1``
        counts. Each count is one range scan of the (meeting_id, created_at) index, however long the log.
        """
        edges = ["", *(to_db(b) for b in bounds), "~"]  # "" sorts before, "~" after, every stored instant
        # One bound parameter (a JSON array) for any number of topics: a statement built with one
        # SELECT per topic stops working at SQLite's compound-select limit (500), which members control.
        ranges = json.dumps([[lo, hi] for lo, hi in itertools.pairwise(edges)])
        rows = await self.db.fetchall(
            "WITH r AS (SELECT CAST(key AS INTEGER) AS i, json_extract(value, '$[0]') AS lo, "
            "json_extract(value, '$[1]') AS hi FROM json_each(?)) "
            "SELECT r.i, (SELECT COUNT(*) FROM messages AS m WHERE m.meeting_id = ? "
            f"AND {COUNTED} AND m.created_at >= r.lo AND m.created_at < r.hi) AS n FROM r ORDER BY r.i",
            (ranges, meeting_id),
        )
        return [r["n"] for r in rows]

    async def messages_per_minute(self, meeting_id: int, *, limit: int = 3) -> list[tuple[datetime, int]]:
        """The busiest minutes (UTC minute, counted messages), busiest first, the earliest first on a tie."""
        rows = await self.db.fetchall(
            "SELECT substr(m.created_at, 1, 16) AS minute, COUNT(*) AS n FROM messages AS m "
            f"WHERE m.meeting_id = ? AND {COUNTED} GROUP BY minute ORDER BY n DESC, minute LIMIT ?",
            (meeting_id, limit),
        )
        return [(from_db(r["minute"] + ":00.000000+00:00"), r["n"]) for r in rows]
