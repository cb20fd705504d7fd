"""Reminders: the notices to send, who asked for them, and the delivery ledger.

Three tables (0001_initial.sql):

- ``reminders``: one row per notice of a meeting, keyed by ``(meeting_id, kind, offset_seconds)``, with
  its due instant in UTC. Personal reminders of many members at the same offset share one row.
- ``reminder_subscriptions``: members who asked for direct messages; ``meeting_id`` NULL means every
  meeting. An empty ``offsets`` on a meeting row is an opt-out from an "every meeting" subscription.
- ``reminder_deliveries``: the ledger, one row per (reminder, recipient). A delivery leaves ``pending``
  only through :meth:`RemindersRepo.claim` (pending → sending, committed before anything is sent), so
  each one is attempted at most once, whatever fires twice or restarts.

Reconciling (making the rows follow a meeting, the guild's settings and the subscriptions) reads and
writes in ONE transaction; the rules that decide the difference are passed in as a pure function.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from storage.database import Database, Transaction
from storage.guild_settings import GuildSettings, GuildSettingsRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import from_db, to_db, utcnow

KINDS = ("channel", "personal", "deadline", "start")
STATES = ("pending", "sending", "sent", "failed", "skipped", "cancelled")
# States a reconcile may change: the delivery was never attempted.
UNATTEMPTED = ("pending", "skipped", "cancelled")
DETAIL_INTERRUPTED = "interrupted"
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    reminder_id: int
    recipient: str  # 'channel:<id>' or 'user:<id>'
    state: str
    late: bool
    detail: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    meeting_id: int
    kind: str
    offset_seconds: int
    due_at: datetime
    deliveries: tuple[Delivery, ...] = ()

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.offset_seconds)


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    guild_id: int
    user_id: int
    meeting_id: int | None  # None: every meeting
    offsets: str  # '1d,1h'; '' on a meeting row: opted out of that meeting
    created_at: datetime

    @property
    def opted_out(self) -> bool:
        return self.meeting_id is not None and not self.offsets


@dataclass(frozen=True, slots=True)
class NewReminder:
    meeting_id: int
    kind: str
    offset_seconds: int
    due_at: datetime
    recipients: tuple[str, ...]


@dataclass(slots=True)
class Changes:
    """What a reconcile writes. Built by the pure rules, applied by :meth:`RemindersRepo.reconcile`."""

    new_reminders: list[NewReminder] = field(default_factory=list)
    moves: list[tuple[int, datetime]] = field(default_factory=list)  # reminder id, new due instant
    new_deliveries: list[tuple[int, str]] = field(default_factory=list)  # reminder id, recipient
    states: list[tuple[int, str, str | None]] = field(default_factory=list)  # delivery id, state, detail
    retargets: list[tuple[int, str]] = field(default_factory=list)  # delivery id, recipient
    meeting_ids: list[int] = field(default_factory=list)  # the meetings that were reconciled

    def __bool__(self) -> bool:
        return bool(self.new_reminders or self.moves or self.new_deliveries or self.states or self.retargets)

    def extend(self, other: Changes) -> None:
        self.new_reminders += other.new_reminders
        self.moves += other.moves
        self.new_deliveries += other.new_deliveries
        self.states += other.states
        self.retargets += other.retargets


# planner(meeting, guild settings, the guild's subscriptions, the meeting's reminders, now) -> Changes
Planner = Callable[[Meeting, GuildSettings, Sequence[Subscription], Sequence[Reminder], datetime], Changes]


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    reminder_id: int
    meeting_id: int
    due_at: datetime
    pending: bool  # has at least one pending delivery


def _delivery(row) -> Delivery:
    return Delivery(
        id=row["id"],
        reminder_id=row["reminder_id"],
        recipient=row["recipient"],
        state=row["state"],
        late=bool(row["late"]),
        detail=row["detail"],
        updated_at=from_db(row["updated_at"]),
    )


def _reminder(row, deliveries: Iterable[Delivery] = ()) -> Reminder:
    return Reminder(
        id=row["id"],
        meeting_id=row["meeting_id"],
        kind=row["kind"],
        offset_seconds=row["offset_seconds"],
        due_at=from_db(row["due_at"]),
        deliveries=tuple(deliveries),
    )


def _subscription(row) -> Subscription:
    return Subscription(
        id=row["id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        meeting_id=row["meeting_id"],
        offsets=row["offsets"],
        created_at=from_db(row["created_at"]),
    )


def _ids(values: Iterable[int]) -> str:
    """A JSON array for ``IN (SELECT value FROM json_each(?))``: one bound parameter for any number of ids."""
    return json.dumps(sorted(set(values)))


class RemindersRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- subscriptions ------------------------------------------------------------------------------
    async def subscription(self, guild_id: int, user_id: int, meeting_id: int | None) -> Subscription | None:
        row = await self.db.fetchone(
            "SELECT * FROM reminder_subscriptions WHERE guild_id = ? AND user_id = ? AND IFNULL(meeting_id, 0) = ?",
            (guild_id, user_id, meeting_id or 0),
        )
        return None if row is None else _subscription(row)

    async def user_subscriptions(self, guild_id: int, user_id: int) -> list[Subscription]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminder_subscriptions WHERE guild_id = ? AND user_id = ? "
            "ORDER BY meeting_id IS NOT NULL, id",
            (guild_id, user_id),
        )
        return [_subscription(r) for r in rows]

    async def set_subscription(self, guild_id: int, user_id: int, meeting_id: int | None, offsets: str) -> Subscription:
        """Create or replace the member's subscription for one meeting (or every meeting: None)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "DELETE FROM reminder_subscriptions WHERE guild_id = ? AND user_id = ? AND IFNULL(meeting_id, 0) = ?",
                (guild_id, user_id, meeting_id or 0),
            )
            sub_id = await tx.execute(
                "INSERT INTO reminder_subscriptions (guild_id, user_id, meeting_id, offsets, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (guild_id, user_id, meeting_id, offsets, to_db(utcnow())),
            )
            row = await tx.fetchone("SELECT * FROM reminder_subscriptions WHERE id = ?", (sub_id,))
        return _subscription(row)

    async def delete_subscription(self, guild_id: int, user_id: int, meeting_id: int | None) -> bool:
        count = await self.db.execute(
            "DELETE FROM reminder_subscriptions WHERE guild_id = ? AND user_id = ? AND IFNULL(meeting_id, 0) = ?",
            (guild_id, user_id, meeting_id or 0),
        )
        return count > 0

    async def delete_all_subscriptions(self, guild_id: int, user_id: int) -> int:
        return await self.db.execute(
            "DELETE FROM reminder_subscriptions WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )

    # -- reconciling --------------------------------------------------------------------------------
    async def reconcile(self, planner: Planner, *, now: datetime, meeting_ids: Iterable[int] | None = None) -> Changes:
        """Make meetings' reminders what ``planner`` says, in one transaction; return what changed.

        ``meeting_ids=None`` means every scheduled meeting that has not started yet, plus every meeting
        that still has a pending delivery (start-up). Meetings, settings, subscriptions and existing
        rows are read inside the transaction, so two reconciles never work from the same stale picture.
        """
        meetings_repo = MeetingsRepo(self.db)
        settings_repo = GuildSettingsRepo(self.db)
        total = Changes()
        async with self.db.transaction() as tx:
            if meeting_ids is None:
                meetings = await meetings_repo.in_window(now, FAR_FUTURE)
                known = {m.id for m in meetings}
                for row in await tx.fetchall(
                    "SELECT DISTINCT r.meeting_id FROM reminders r WHERE EXISTS (SELECT 1 FROM reminder_deliveries d "
                    "WHERE d.reminder_id = r.id AND d.state = 'pending')"
                ):
                    if row[0] not in known and (meeting := await meetings_repo.get(row[0])) is not None:
                        meetings.append(meeting)
            else:
                meetings = [m for m in [await meetings_repo.get(i) for i in sorted(set(meeting_ids))] if m]
            if not meetings:
                return total
            guild_ids = {m.guild_id for m in meetings}
            settings = {g: await settings_repo.get(g) for g in guild_ids}
            subs: dict[int, list[Subscription]] = defaultdict(list)
            for row in await tx.fetchall(
                "SELECT * FROM reminder_subscriptions WHERE guild_id IN (SELECT value FROM json_each(?))",
                (_ids(guild_ids),),
            ):
                subs[row["guild_id"]].append(_subscription(row))
            existing = await self._reminders_of(tx, [m.id for m in meetings])
            for meeting in meetings:
                total.extend(
                    planner(meeting, settings[meeting.guild_id], subs[meeting.guild_id], existing[meeting.id], now)
                )
            if total:
                await self._apply(tx, total)
            total.meeting_ids = [m.id for m in meetings]
        return total

    @staticmethod
    async def _reminders_of(tx: Transaction, meeting_ids: Sequence[int]) -> dict[int, list[Reminder]]:
        ids = _ids(meeting_ids)
        deliveries: dict[int, list[Delivery]] = defaultdict(list)
        for row in await tx.fetchall(
            "SELECT d.* FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id "
            "WHERE r.meeting_id IN (SELECT value FROM json_each(?)) ORDER BY d.id",
            (ids,),
        ):
            deliveries[row["reminder_id"]].append(_delivery(row))
        out: dict[int, list[Reminder]] = defaultdict(list)
        for row in await tx.fetchall(
            "SELECT * FROM reminders WHERE meeting_id IN (SELECT value FROM json_each(?)) ORDER BY due_at, id", (ids,)
        ):
            out[row["meeting_id"]].append(_reminder(row, deliveries.get(row["id"], ())))
        return out

    @staticmethod
    async def _apply(tx: Transaction, changes: Changes) -> None:
        stamp = to_db(utcnow())
        for new in changes.new_reminders:
            reminder_id = await tx.execute(
                "INSERT INTO reminders (meeting_id, kind, offset_seconds, due_at, created_at) VALUES (?, ?, ?, ?, ?)",
                (new.meeting_id, new.kind, new.offset_seconds, to_db(new.due_at), stamp),
            )
            changes.new_deliveries.extend((reminder_id, r) for r in new.recipients)
        if changes.moves:
            await tx.executemany(
                "UPDATE reminders SET due_at = ? WHERE id = ?", ((to_db(due), rid) for rid, due in changes.moves)
            )
        # A reconcile never touches a delivery that was attempted (sending, sent, failed).
        if changes.retargets:
            await tx.executemany(
                "UPDATE reminder_deliveries SET recipient = ?, updated_at = ? "
                "WHERE id = ? AND state IN ('pending', 'skipped', 'cancelled')",
                ((recipient, stamp, did) for did, recipient in changes.retargets),
            )
        if changes.states:
            await tx.executemany(
                "UPDATE reminder_deliveries SET state = ?, detail = ?, late = 0, updated_at = ? "
                "WHERE id = ? AND state IN ('pending', 'skipped', 'cancelled')",
                ((state, detail, stamp, did) for did, state, detail in changes.states),
            )
        if changes.new_deliveries:
            await tx.executemany(
                "INSERT INTO reminder_deliveries (reminder_id, recipient, state, updated_at) "
                "VALUES (?, ?, 'pending', ?) ON CONFLICT (reminder_id, recipient) DO NOTHING",
                ((rid, recipient, stamp) for rid, recipient in changes.new_deliveries),
            )

    # -- the schedule (APScheduler is an index of these rows) ------------------------------------------
    async def schedule_for(self, meeting_ids: Iterable[int]) -> list[ScheduleEntry]:
        """Every reminder of these meetings, with whether it still has something to send."""
        rows = await self.db.fetchall(
            "SELECT r.id, r.meeting_id, r.due_at, EXISTS (SELECT 1 FROM reminder_deliveries d "
            "WHERE d.reminder_id = r.id AND d.state = 'pending') AS pending "
            "FROM reminders r WHERE r.meeting_id IN (SELECT value FROM json_each(?))",
            (_ids(meeting_ids),),
        )
        return [ScheduleEntry(r["id"], r["meeting_id"], from_db(r["due_at"]), bool(r["pending"])) for r in rows]

    async def pending_due_before(self, instant: datetime) -> list[ScheduleEntry]:
        """Reminders with a pending delivery due before ``instant`` (overdue ones included), by due time."""
        rows = await self.db.fetchall(
            "SELECT r.id, r.meeting_id, r.due_at FROM reminders r WHERE r.due_at < ? AND EXISTS "
            "(SELECT 1 FROM reminder_deliveries d WHERE d.reminder_id = r.id AND d.state = 'pending') "
            "ORDER BY r.due_at, r.id",
            (to_db(instant),),
        )
        return [ScheduleEntry(r["id"], r["meeting_id"], from_db(r["due_at"]), True) for r in rows]

    # -- delivering ---------------------------------------------------------------------------------
    async def reminder(self, reminder_id: int) -> Reminder | None:
        row = await self.db.fetchone("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        if row is None:
            return None
        deliveries = await self.db.fetchall(
            "SELECT * FROM reminder_deliveries WHERE reminder_id = ? ORDER BY id", (reminder_id,)
        )
        return _reminder(row, (_delivery(d) for d in deliveries))

    async def claim(self, delivery_id: int, *, late: bool) -> bool:
        """pending → sending, committed before the send. False: someone else has it, or it was withdrawn."""
        count = await self.db.execute(
            "UPDATE reminder_deliveries SET state = 'sending', late = ?, updated_at = ? "
            "WHERE id = ? AND state = 'pending'",
            (int(late), to_db(utcnow()), delivery_id),
        )
        return count == 1

    async def finish(self, delivery_id: int, state: str, detail: str | None = None) -> None:
        """Record the outcome of a claimed delivery (sent or failed)."""
        if state not in ("sent", "failed"):
            raise ValueError(state)
        await self.db.execute(
            "UPDATE reminder_deliveries SET state = ?, detail = ?, updated_at = ? WHERE id = ?",
            (state, detail, to_db(utcnow()), delivery_id),
        )

    async def set_detail(self, delivery_ids: Iterable[int], detail: str) -> None:
        ids = list(delivery_ids)
        if ids:
            await self.db.execute(
                "UPDATE reminder_deliveries SET detail = ? WHERE id IN (SELECT value FROM json_each(?))",
                (detail, _ids(ids)),
            )

    async def close_pending(self, delivery_ids: Iterable[int], state: str, detail: str) -> int:
        """pending → skipped or cancelled (never sent, and now never will be); return how many."""
        if state not in ("skipped", "cancelled"):
            raise ValueError(state)
        ids = list(delivery_ids)
        if not ids:
            return 0
        return await self.db.execute(
            "UPDATE reminder_deliveries SET state = ?, detail = ?, updated_at = ? "
            "WHERE id IN (SELECT value FROM json_each(?)) AND state = 'pending'",
            (state, detail, to_db(utcnow()), _ids(ids)),
        )

    async def superseded(self, reminder: Reminder, now: datetime) -> set[str]:
        """Recipients who also have a LATER reminder of the same meeting and kind already due (and not
        withdrawn): after downtime only the most recent of those is sent, the older ones are skipped."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT d.recipient FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id "
            "WHERE r.meeting_id = ? AND r.kind = ? AND r.due_at > ? AND r.due_at <= ? "
            "AND d.state IN ('pending', 'sending', 'sent', 'failed')",
            (reminder.meeting_id, reminder.kind, to_db(reminder.due_at), to_db(now)),
        )
        return {r[0] for r in rows}

    async def mark_interrupted(self, before: datetime) -> int:
        """Deliveries left in 'sending' by a process that stopped mid-send: they may or may not have
        arrived. At most once: record them as failed ('interrupted') and never send them again."""
        return await self.db.execute(
            "UPDATE reminder_deliveries SET state = 'failed', detail = ?, updated_at = ? "
            "WHERE state = 'sending' AND updated_at < ?",
            (DETAIL_INTERRUPTED, to_db(utcnow()), to_db(before)),
        )

    # -- reading --------------------------------------------------------------------------------------
    async def ledger(self, meeting_id: int) -> list[Reminder]:
        """The meeting's reminders with all their deliveries, by due time."""
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE meeting_id = ? ORDER BY due_at, kind, offset_seconds", (meeting_id,)
        )
        deliveries: dict[int, list[Delivery]] = defaultdict(list)
        for row in await self.db.fetchall(
            "SELECT d.* FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id "
            "WHERE r.meeting_id = ? ORDER BY d.id",
            (meeting_id,),
        ):
            deliveries[row["reminder_id"]].append(_delivery(row))
        return [_reminder(r, deliveries.get(r["id"], ())) for r in rows]

    async def pending_for_user(self, guild_id: int, user_id: int, *, limit: int = 10) -> list[Reminder]:
        """The member's next personal reminders in this guild (each with only the member's delivery).

        Scoped by guild before the LIMIT: reminders in other servers never crowd this one out.
        """
        rows = await self.db.fetchall(
            "SELECT r.*, d.id AS d_id, d.reminder_id, d.recipient, d.state, d.late, d.detail, "
            "d.updated_at AS d_updated_at "
            "FROM reminders r JOIN reminder_deliveries d ON d.reminder_id = r.id "
            "JOIN meetings m ON m.id = r.meeting_id "
            "WHERE m.guild_id = ? AND r.kind = 'personal' AND d.recipient = ? AND d.state = 'pending' "
            "ORDER BY r.due_at LIMIT ?",
            (guild_id, f"user:{user_id}", limit),
        )
        out = []
        for row in rows:
            delivery = Delivery(
                id=row["d_id"],
                reminder_id=row["id"],
                recipient=row["recipient"],
                state=row["state"],
                late=bool(row["late"]),
                detail=row["detail"],
                updated_at=from_db(row["d_updated_at"]),
            )
            out.append(_reminder(row, (delivery,)))
        return out
