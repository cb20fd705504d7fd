"""Agenda writes, published posts and revisions (the read side of items is in storage.meetings).

Positions are 1-based and consecutive among siblings. Every write that moves items rewrites the
positions of the sibling lists it touched, inside the same transaction, so numbering (1, 2, 5.1 ...)
stays consecutive whatever happened before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storage.database import Database, Transaction
from storage.meetings import AgendaItem, MeetingsRepo, number_agenda
from storage.timeutil import from_db, to_db, utcnow

ITEM_FIELDS = frozenset({"title", "presenter", "minutes"})


class AgendaConflict(Exception):
    """The agenda is not in the state the caller expected (changed meanwhile, or a rule of the tree)."""


@dataclass(frozen=True, slots=True)
class TemplateEntry:
    title: str
    presenter: str | None = None
    minutes: int | None = None
    children: tuple[TemplateEntry, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class AgendaPost:
    meeting_id: int
    channel_id: int
    message_ids: tuple[int, ...]
    revision: int  # 0 = the original, 1 = (Rev.1) ...
    updated_at: datetime
    rendered: str | None  # digest of what the messages show


@dataclass(frozen=True, slots=True)
class AgendaRevision:
    id: int
    meeting_id: int
    revision: int
    note: str | None
    body: str  # the agenda as published, plain text
    items: tuple[AgendaItem, ...]  # the items as published, numbered
    posted_by: int
    posted_at: datetime


def snapshot(items: Sequence[AgendaItem]) -> str:
    """Items → the JSON kept with a revision (enough to number and show them again)."""
    return json.dumps(
        [
            {
                "id": i.id,
                "parent_id": i.parent_id,
                "position": i.position,
                "title": i.title,
                "presenter": i.presenter,
                "minutes": i.minutes,
            }
            for i in items
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def from_snapshot(meeting_id: int, text: str) -> list[AgendaItem]:
    rows = [{**row, "meeting_id": meeting_id} for row in json.loads(text or "[]")]
    return number_agenda(rows)


def same_items(a: Sequence[AgendaItem], b: Sequence[AgendaItem]) -> bool:
    """Would these two agendas read the same (numbers, titles, presenters, times)?"""

    def key(items: Sequence[AgendaItem]) -> list[tuple]:
        return [(i.id, i.number, i.title, i.presenter, i.minutes) for i in items]

    return key(a) == key(b)


def _post(row) -> AgendaPost:
    return AgendaPost(
        meeting_id=row["meeting_id"],
        channel_id=row["channel_id"],
        message_ids=tuple(int(m) for m in json.loads(row["message_ids"])),
        revision=row["revision"],
        updated_at=from_db(row["updated_at"]),
        rendered=row["rendered"],
    )


def _revision(row) -> AgendaRevision:
    return AgendaRevision(
        id=row["id"],
        meeting_id=row["meeting_id"],
        revision=row["revision"],
        note=row["note"],
        body=row["body"],
        items=tuple(from_snapshot(row["meeting_id"], row["items"])),
        posted_by=row["posted_by"],
        posted_at=from_db(row["posted_at"]),
    )


class AgendaRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.meetings = MeetingsRepo(db)

    # -- items -----------------------------------------------------------------------------------
    async def items(self, meeting_id: int) -> list[AgendaItem]:
        return await self.meetings.agenda(meeting_id)

    async def item(self, item_id: int) -> AgendaItem | None:
        return await self.meetings.agenda_item(item_id)

    async def add(
        self,
        meeting_id: int,
        *,
        title: str,
        presenter: str | None = None,
        minutes: int | None = None,
        parent_id: int | None = None,
        position: int | None = None,
    ) -> AgendaItem:
        """Insert an item among its siblings at ``position`` (default: last)."""
        async with self.db.transaction() as tx:
            if parent_id is not None:
                await self._check_parent(tx, meeting_id, parent_id)
            siblings = await self._siblings(tx, meeting_id, parent_id)
            item_id = await tx.execute(
                "INSERT INTO agenda_items (meeting_id, parent_id, position, title, presenter, minutes, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (meeting_id, parent_id, len(siblings) + 1, title, presenter, minutes, to_db(utcnow())),
            )
            at = len(siblings) if position is None else min(max(position, 1), len(siblings) + 1) - 1
            await self._renumber(tx, [*siblings[:at], item_id, *siblings[at:]])
        item = await self.item(item_id)
        assert item is not None
        return item

    async def edit(self, item_id: int, **changes: object) -> AgendaItem:
        unknown = set(changes) - ITEM_FIELDS
        if unknown:
            raise KeyError(f"not editable: {sorted(unknown)}")
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            count = await self.db.execute(f"UPDATE agenda_items SET {sets} WHERE id = ?", (*changes.values(), item_id))
            if count == 0:
                raise AgendaConflict("the item no longer exists")
        item = await self.item(item_id)
        if item is None:
            raise AgendaConflict("the item no longer exists")
        return item

    async def remove(self, item_id: int) -> None:
        """Delete the item (and its sub-items); its siblings close the gap."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT meeting_id, parent_id FROM agenda_items WHERE id = ?", (item_id,))
            if row is None:
                raise AgendaConflict("the item no longer exists")
            await tx.execute("DELETE FROM agenda_items WHERE id = ?", (item_id,))
            await self._renumber(tx, await self._siblings(tx, row["meeting_id"], row["parent_id"]))

    async def move(self, item_id: int, *, parent_id: int | None, position: int) -> None:
        """Put the item at ``position`` among the children of ``parent_id`` (None: top level)."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT meeting_id, parent_id FROM agenda_items WHERE id = ?", (item_id,))
            if row is None:
                raise AgendaConflict("the item no longer exists")
            meeting_id, old_parent = row["meeting_id"], row["parent_id"]
            if parent_id is not None:
                if parent_id == item_id:
                    raise AgendaConflict("an item cannot be its own sub-item")
                await self._check_parent(tx, meeting_id, parent_id)
                if await tx.fetchval("SELECT 1 FROM agenda_items WHERE parent_id = ? LIMIT 1", (item_id,)):
                    raise AgendaConflict("an item with sub-items cannot become a sub-item")
            old = [i for i in await self._siblings(tx, meeting_id, old_parent) if i != item_id]
            new = old if parent_id == old_parent else await self._siblings(tx, meeting_id, parent_id)
            at = min(max(position, 1), len(new) + 1) - 1
            new = [*new[:at], item_id, *new[at:]]
            await tx.execute("UPDATE agenda_items SET parent_id = ? WHERE id = ?", (parent_id, item_id))
            if parent_id != old_parent:
                await self._renumber(tx, old)
            await self._renumber(tx, new)

    async def fill(self, meeting_id: int, entries: Sequence[TemplateEntry], *, replace: bool = False) -> int:
        """Write a whole agenda (a template). Refused on a non-empty agenda unless ``replace``."""
        now = to_db(utcnow())
        count = 0
        async with self.db.transaction() as tx:
            if replace:
                await tx.execute("DELETE FROM agenda_items WHERE meeting_id = ?", (meeting_id,))
            elif await tx.fetchval("SELECT 1 FROM agenda_items WHERE meeting_id = ? LIMIT 1", (meeting_id,)):
                raise AgendaConflict("the agenda is not empty")
            for position, entry in enumerate(entries, start=1):
                parent = await tx.execute(
                    "INSERT INTO agenda_items (meeting_id, parent_id, position, title, presenter, minutes, created_at)"
                    " VALUES (?, NULL, ?, ?, ?, ?, ?)",
                    (meeting_id, position, entry.title, entry.presenter, entry.minutes, now),
                )
                count += 1
                for sub_position, child in enumerate(entry.children, start=1):
                    await tx.execute(
                        "INSERT INTO agenda_items (meeting_id, parent_id, position, title, presenter, minutes, "
                        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (meeting_id, parent, sub_position, child.title, child.presenter, child.minutes, now),
                    )
                    count += 1
        return count

    async def documents_under(self, item_id: int) -> int:
        """Documents assigned to the item or one of its sub-items."""
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM contributions WHERE agenda_item_id = ? "
                "OR agenda_item_id IN (SELECT id FROM agenda_items WHERE parent_id = ?)",
                (item_id, item_id),
            )
        )

    @staticmethod
    async def _siblings(tx: Transaction, meeting_id: int, parent_id: int | None) -> list[int]:
        rows = await tx.fetchall(
            "SELECT id FROM agenda_items WHERE meeting_id = ? AND parent_id IS ? ORDER BY position, id",
            (meeting_id, parent_id),
        )
        return [r["id"] for r in rows]

    @staticmethod
    async def _check_parent(tx: Transaction, meeting_id: int, parent_id: int) -> None:
        parent = await tx.fetchone("SELECT meeting_id, parent_id FROM agenda_items WHERE id = ?", (parent_id,))
        if parent is None or parent["meeting_id"] != meeting_id:
            raise AgendaConflict("the parent item no longer exists")
        if parent["parent_id"] is not None:
            raise AgendaConflict("sub-items cannot have sub-items (two levels at most)")

    @staticmethod
    async def _renumber(tx: Transaction, ordered_ids: Sequence[int]) -> None:
        await tx.executemany(
            "UPDATE agenda_items SET position = ? WHERE id = ?",
            [(position, item_id) for position, item_id in enumerate(ordered_ids, start=1)],
        )

    # -- the published post and its revisions ----------------------------------------------------
    async def post(self, meeting_id: int) -> AgendaPost | None:
        row = await self.db.fetchone_cached("SELECT * FROM agenda_posts WHERE meeting_id = ?", (meeting_id,))
        return None if row is None else _post(row)

    async def posted_meetings(self) -> list[int]:
        """Meetings (all guilds) whose agenda has been published."""
        rows = await self.db.fetchall("SELECT meeting_id FROM agenda_posts ORDER BY meeting_id")
        return [r["meeting_id"] for r in rows]

    async def publish(
        self,
        meeting_id: int,
        *,
        revision: int,
        channel_id: int,
        message_ids: Sequence[int],
        note: str | None,
        body: str,
        items: Sequence[AgendaItem],
        posted_by: int,
        rendered: str | None = None,
    ) -> AgendaRevision:
        """Record a publication: where the post is and the revision as published, together."""
        now = to_db(utcnow())
        async with self.db.transaction() as tx:
            latest = await tx.fetchval("SELECT MAX(revision) FROM agenda_revisions WHERE meeting_id = ?", (meeting_id,))
            expected = 0 if latest is None else latest + 1
            if revision != expected:
                raise AgendaConflict(f"revision {revision} was expected to be {expected}")
            await tx.execute(
                "INSERT INTO agenda_posts (meeting_id, channel_id, message_ids, revision, updated_at, rendered) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id) DO UPDATE SET channel_id = excluded.channel_id, "
                "message_ids = excluded.message_ids, revision = excluded.revision, updated_at = excluded.updated_at, "
                "rendered = excluded.rendered",
                (meeting_id, channel_id, json.dumps([str(m) for m in message_ids]), revision, now, rendered),
            )
            revision_id = await tx.execute(
                "INSERT INTO agenda_revisions (meeting_id, revision, note, body, items, posted_by, posted_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (meeting_id, revision, note, body, snapshot(items), posted_by, now),
            )
            row = await tx.fetchone("SELECT * FROM agenda_revisions WHERE id = ?", (revision_id,))
        return _revision(row)

    async def set_messages(
        self, meeting_id: int, channel_id: int, message_ids: Sequence[int], *, rendered: str | None
    ) -> None:
        """The post was refreshed or moved (parts re-sent or dropped) without a new revision."""
        await self.db.execute(
            "UPDATE agenda_posts SET channel_id = ?, message_ids = ?, rendered = ?, updated_at = ? "
            "WHERE meeting_id = ?",
            (channel_id, json.dumps([str(m) for m in message_ids]), rendered, to_db(utcnow()), meeting_id),
        )

    async def revisions(self, meeting_id: int) -> list[AgendaRevision]:
        rows = await self.db.fetchall_cached(
            "SELECT * FROM agenda_revisions WHERE meeting_id = ? ORDER BY revision", (meeting_id,)
        )
        return [_revision(r) for r in rows]

    async def latest_revision(self, meeting_id: int) -> AgendaRevision | None:
        row = await self.db.fetchone_cached(
            "SELECT * FROM agenda_revisions WHERE meeting_id = ? ORDER BY revision DESC LIMIT 1", (meeting_id,)
        )
        return None if row is None else _revision(row)
