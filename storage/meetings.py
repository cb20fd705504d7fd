"""Meetings and their agenda items."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database, Transaction
from storage.timeutil import from_db, opt_to_db, to_db, utcnow


class MeetingNumberTaken(Exception):
    """Another meeting of the guild already has this number (UNIQUE (guild_id, number))."""


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    guild_id: int
    number: int
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str | None
    link: str | None
    channel_id: int | None
    status: str
    cancel_reason: str | None
    sequence: int
    event_id: int | None
    chair_name: str | None  # as written in documents: "Ms Jane Doe (United Kingdom), Chair of the CWG-COP"
    created_by: int
    created_at: datetime
    updated_at: datetime
    chair_member_id: int | None = None  # the Discord member who chairs, when an organiser chose one

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    def has_ended(self, now: datetime) -> bool:
        return now >= self.ends_at

    def has_started(self, now: datetime) -> bool:
        return now >= self.starts_at


@dataclass(frozen=True, slots=True)
class AgendaItem:
    id: int
    meeting_id: int
    parent_id: int | None
    position: int
    title: str
    presenter: str | None
    minutes: int | None
    number: str  # derived: "5" or "5.1"


def _meeting(row) -> Meeting:
    return Meeting(
        id=row["id"],
        guild_id=row["guild_id"],
        number=row["number"],
        title=row["title"],
        starts_at=from_db(row["starts_at"]),
        ends_at=from_db(row["ends_at"]),
        timezone=row["timezone"],
        venue=row["venue"],
        link=row["link"],
        channel_id=row["channel_id"],
        status=row["status"],
        cancel_reason=row["cancel_reason"],
        sequence=row["sequence"],
        event_id=row["event_id"],
        chair_name=row["chair_name"],
        created_by=row["created_by"],
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
        chair_member_id=row["chair_member_id"],
    )


# Columns a caller may change with update(); changing any of them bumps the iCalendar SEQUENCE.
EDITABLE = frozenset(
    {
        "number",
        "title",
        "starts_at",
        "ends_at",
        "timezone",
        "venue",
        "link",
        "channel_id",
        "status",
        "cancel_reason",
    }
)
# Columns that do not change what a calendar shows (the chair is in the minutes and reports, not the .ics).
BOOKKEEPING = frozenset({"event_id", "chair_name", "chair_member_id"})


class MeetingsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        guild_id: int,
        number: int,
        title: str,
        starts_at: datetime,
        ends_at: datetime,
        timezone: str,
        created_by: int,
        venue: str | None = None,
        link: str | None = None,
        channel_id: int | None = None,
        chair_name: str | None = None,
        chair_member_id: int | None = None,
    ) -> Meeting:
        now = to_db(utcnow())
        try:
            async with self.db.transaction() as tx:
                return await self._insert(
                    tx,
                    (
                        guild_id,
                        number,
                        title,
                        to_db(starts_at),
                        to_db(ends_at),
                        timezone,
                        venue,
                        link,
                        channel_id,
                        chair_name,
                        chair_member_id,
                        created_by,
                        now,
                        now,
                    ),
                )
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise MeetingNumberTaken(number) from None
            raise

    @staticmethod
    async def _insert(tx: Transaction, values: tuple) -> Meeting:
        meeting_id = await tx.execute(
            "INSERT INTO meetings (guild_id, number, title, starts_at, ends_at, timezone, venue, link, "
            "channel_id, chair_name, chair_member_id, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
        return _meeting(await tx.fetchone("SELECT * FROM meetings WHERE id = ?", (meeting_id,)))

    async def get(self, meeting_id: int) -> Meeting | None:
        row = await self.db.fetchone_cached("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        return None if row is None else _meeting(row)

    async def get_in_guild(self, guild_id: int, meeting_id: int) -> Meeting | None:
        row = await self.db.fetchone_cached(
            "SELECT * FROM meetings WHERE id = ? AND guild_id = ?", (meeting_id, guild_id)
        )
        return None if row is None else _meeting(row)

    async def by_number(self, guild_id: int, number: int) -> Meeting | None:
        row = await self.db.fetchone_cached(
            "SELECT * FROM meetings WHERE guild_id = ? AND number = ?", (guild_id, number)
        )
        return None if row is None else _meeting(row)

    async def list(self, guild_id: int, *, include_cancelled: bool = True) -> list[Meeting]:
        """All the guild's meetings in start order."""
        rows = await self.db.fetchall_cached(
            "SELECT * FROM meetings WHERE guild_id = ? "
            + ("" if include_cancelled else "AND status = 'scheduled' ")
            + "ORDER BY starts_at",
            (guild_id,),
        )
        return [_meeting(r) for r in rows]

    async def upcoming_first(self, guild_id: int, now: datetime, limit: int | None = None) -> list[Meeting]:
        """Meetings not yet ended (soonest first), then past ones (latest first)."""
        meetings = await self.list(guild_id)
        upcoming = [m for m in meetings if m.ends_at > now]
        past = [m for m in reversed(meetings) if m.ends_at <= now]
        ordered = upcoming + past
        return ordered if limit is None else ordered[:limit]

    async def next_meeting(self, guild_id: int, now: datetime) -> Meeting | None:
        """The next scheduled meeting that has not ended yet."""
        row = await self.db.fetchone(
            "SELECT * FROM meetings WHERE guild_id = ? AND status = 'scheduled' AND ends_at > ? "
            "ORDER BY starts_at LIMIT 1",
            (guild_id, to_db(now)),
        )
        return None if row is None else _meeting(row)

    async def in_window(self, start: datetime, end: datetime) -> list[Meeting]:
        """Scheduled meetings (all guilds) starting in [start, end)."""
        rows = await self.db.fetchall(
            "SELECT * FROM meetings WHERE status = 'scheduled' AND starts_at >= ? AND starts_at < ? ORDER BY starts_at",
            (to_db(start), to_db(end)),
        )
        return [_meeting(r) for r in rows]

    async def update(self, meeting_id: int, **changes: object) -> Meeting:
        """Change fields; a visible change bumps ``sequence`` (iCalendar) and ``updated_at``."""
        unknown = set(changes) - EDITABLE - BOOKKEEPING
        if unknown:
            raise KeyError(f"not editable: {sorted(unknown)}")
        try:
            async with self.db.transaction() as tx:
                return await self.update_in(tx, meeting_id, **changes)
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise MeetingNumberTaken(changes.get("number")) from None
            raise

    async def documents_count(self, meeting_id: int) -> int:
        """How many documents (any status) carry this meeting's number."""
        return int(await self.db.fetchval("SELECT COUNT(*) FROM contributions WHERE meeting_id = ?", (meeting_id,)))

    # -- "told once" notices to organisers (e.g. a missing permission), one flag per guild and topic --
    async def note_problem(self, guild_id: int, topic: str) -> bool:
        """Remember that the organisers were told about ``topic``; True the first time only."""
        key = f"meetings:told:{topic}:{guild_id}"
        async with self.db.transaction() as tx:
            if await tx.fetchval("SELECT 1 FROM meta WHERE key = ?", (key,)):
                return False
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, to_db(utcnow())))
            return True

    async def clear_problem(self, guild_id: int, topic: str) -> None:
        """The problem is gone: tell the organisers again if it ever comes back."""
        await self.db.execute("DELETE FROM meta WHERE key = ?", (f"meetings:told:{topic}:{guild_id}",))

    async def update_in(self, tx: Transaction, meeting_id: int, **changes: object) -> Meeting:
        """update() inside a caller's transaction."""
        values = {k: (opt_to_db(v) if isinstance(v, datetime) else v) for k, v in changes.items()}
        sets = [f"{k} = ?" for k in values]
        if set(changes) & EDITABLE:
            sets.append("sequence = sequence + 1")
            sets.append("updated_at = ?")
            values["updated_at"] = to_db(utcnow())
        if sets:
            await tx.execute(
                f"UPDATE meetings SET {', '.join(sets)} WHERE id = ?",
                (*values.values(), meeting_id),
            )
        row = await tx.fetchone("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        if row is None:
            raise LookupError(meeting_id)
        return _meeting(row)

    # -- agenda items (read side; the agenda feature adds the writes) ------------------------------
    async def agenda(self, meeting_id: int) -> list[AgendaItem]:
        """The meeting's agenda in order, each item with its derived number (1, 2, 5.1 ...)."""
        rows = await self.db.fetchall_cached(
            "SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position", (meeting_id,)
        )
        return number_agenda(rows)

    async def agenda_item(self, item_id: int) -> AgendaItem | None:
        row = await self.db.fetchone_cached("SELECT meeting_id FROM agenda_items WHERE id = ?", (item_id,))
        if row is None:
            return None
        return next((i for i in await self.agenda(row["meeting_id"]) if i.id == item_id), None)


def number_agenda(rows) -> list[AgendaItem]:
    """Rows of one meeting (any order) → items in reading order with numbers "5" and "5.1"."""
    tops = sorted((r for r in rows if r["parent_id"] is None), key=lambda r: r["position"])
    children: dict[int, list] = {}
    for r in rows:
        if r["parent_id"] is not None:
            children.setdefault(r["parent_id"], []).append(r)
    items: list[AgendaItem] = []
    for i, top in enumerate(tops, start=1):
        items.append(_item(top, str(i)))
        for j, child in enumerate(sorted(children.get(top["id"], []), key=lambda r: r["position"]), start=1):
            items.append(_item(child, f"{i}.{j}"))
    return items


def _item(row, number: str) -> AgendaItem:
    return AgendaItem(
        id=row["id"],
        meeting_id=row["meeting_id"],
        parent_id=row["parent_id"],
        position=row["position"],
        title=row["title"],
        presenter=row["presenter"],
        minutes=row["minutes"],
        number=number,
    )
