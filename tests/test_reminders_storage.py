"""The reminders repository on a real SQLite file: reconcile in one transaction, at-most-once claims."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from factories import stored_meeting

from cogs.reminders._rules import plan_meeting
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import MeetingsRepo
from storage.reminders import RemindersRepo
from storage.timeutil import to_db, utcnow

GUILD = 1


async def setup_guild(db, **settings) -> None:
    await GuildSettingsRepo(db).update(GUILD, reminders_channel_id=500, meeting_channel_id=600, **settings)


async def new_meeting(db, start: datetime, number: int = 19):
    return await stored_meeting(db, guild_id=GUILD, number=number, starts_at=start, ends_at=start + timedelta(hours=3))


async def states(db, meeting_id: int) -> dict[tuple[str, int, str], str]:
    rows = await db.fetchall(
        "SELECT r.kind, r.offset_seconds, d.recipient, d.state FROM reminders r "
        "JOIN reminder_deliveries d ON d.reminder_id = r.id WHERE r.meeting_id = ?",
        (meeting_id,),
    )
    return {(r[0], r[1], r[2]): r[3] for r in rows}


async def test_reconcile_writes_the_reminders_and_is_idempotent(db):
    await setup_guild(db)
    repo = RemindersRepo(db)
    now = utcnow()
    meeting = await new_meeting(db, now + timedelta(days=30))
    await repo.set_subscription(GUILD, 42, None, "1d")
    first = await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])
    assert len(first.new_reminders) == 8  # 4 channel, 2 deadline, start, personal 1d
    assert (await states(db, meeting.id))[("personal", 86400, "user:42")] == "pending"
    assert (await states(db, meeting.id))[("start", 0, "channel:600")] == "pending"
    second = await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])
    assert not second
    assert second.meeting_ids == [meeting.id]


async def test_startup_reconcile_covers_upcoming_meetings_and_those_still_pending(db):
    await setup_guild(db)
    repo = RemindersRepo(db)
    now = utcnow()
    upcoming = await new_meeting(db, now + timedelta(days=30), number=19)
    started = await new_meeting(db, now + timedelta(hours=2), number=18)
    await repo.reconcile(plan_meeting, now=now, meeting_ids=[started.id])
    never = await new_meeting(db, now - timedelta(days=30), number=17)  # long past, nothing pending
    later = now + timedelta(hours=2, minutes=30)  # the 18th has started, with a pending "starting now"
    changes = await repo.reconcile(plan_meeting, now=later, meeting_ids=None)
    assert set(changes.meeting_ids) == {upcoming.id, started.id}
    assert never.id not in changes.meeting_ids


async def test_cancel_and_move_through_storage(db):
    await setup_guild(db)
    repo = RemindersRepo(db)
    meetings = MeetingsRepo(db)
    now = utcnow()
    meeting = await new_meeting(db, now + timedelta(days=30))
    await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])
    # Two days ahead: 7d and both deadline notices are already past -> skipped, the rest moved.
    start = now + timedelta(days=2)
    await meetings.update(meeting.id, starts_at=start, ends_at=start + timedelta(hours=3))
    await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])
    got = await states(db, meeting.id)
    assert got[("channel", 604800, "channel:500")] == "skipped"
    assert got[("deadline", 259200, "channel:500")] == "skipped"
    assert got[("channel", 86400, "channel:500")] == "pending"
    due = await db.fetchval(
        "SELECT due_at FROM reminders WHERE meeting_id = ? AND kind = 'channel' AND offset_seconds = 86400",
        (meeting.id,),
    )
    assert due == to_db(start - timedelta(days=1))
    await meetings.update(meeting.id, status="cancelled")
    await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])
    after = await states(db, meeting.id)
    assert set(after.values()) == {"skipped", "cancelled"}
    assert after[("channel", 86400, "channel:500")] == "cancelled"


async def test_a_delivery_is_claimed_at_most_once(db):
    await setup_guild(db)
    repo = RemindersRepo(db)
    now = utcnow()
    meeting = await new_meeting(db, now + timedelta(days=30))
    await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])
    (delivery_id,) = [
        r[0]
        for r in await db.fetchall(
            "SELECT d.id FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id "
            "WHERE r.kind = 'start' AND r.meeting_id = ?",
            (meeting.id,),
        )
    ]
    results = await asyncio.gather(*(repo.claim(delivery_id, late=False) for _ in range(5)))
    assert results.count(True) == 1
    await repo.finish(delivery_id, "sent")
    assert not await repo.claim(delivery_id, late=False)


async def test_an_interrupted_send_is_recorded_and_never_pending_again(db):
    await setup_guild(db)
    repo = RemindersRepo(db)
    now = utcnow()
    meeting = await new_meeting(db, now + timedelta(days=30))
    await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])
    reminder = next(r for r in await repo.ledger(meeting.id) if r.kind == "start")
    assert await repo.claim(reminder.deliveries[0].id, late=False)
    assert await repo.mark_interrupted(utcnow() + timedelta(seconds=1)) == 1
    (delivery,) = (await repo.reminder(reminder.id)).deliveries
    assert (delivery.state, delivery.detail) == ("failed", "interrupted")
    await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])  # a reconcile does not revive it
    assert (await repo.reminder(reminder.id)).deliveries[0].state == "failed"


async def test_only_the_latest_overdue_reminder_of_a_kind_goes_out(db):
    await setup_guild(db)
    repo = RemindersRepo(db)
    now = utcnow()
    meeting = await new_meeting(db, now + timedelta(days=30))
    await repo.reconcile(plan_meeting, now=now, meeting_ids=[meeting.id])
    by_offset = {r.offset_seconds: r for r in await repo.ledger(meeting.id) if r.kind == "channel"}
    back_after = meeting.starts_at - timedelta(hours=12)  # the bot was down over the 7d and 1d reminders
    assert await repo.superseded(by_offset[604800], back_after) == {"channel:500"}
    assert await repo.superseded(by_offset[86400], back_after) == set()


async def test_dst_crossing_due_times_are_stored_exactly(db):
    await setup_guild(db)
    repo = RemindersRepo(db)
    geneva = ZoneInfo("Europe/Zurich")
    start = datetime(2027, 3, 29, 10, 0, tzinfo=geneva).astimezone(UTC)  # the Monday after the change
    meeting = await new_meeting(db, start)
    await repo.reconcile(plan_meeting, now=utcnow(), meeting_ids=[meeting.id])
    week = next(r for r in await repo.ledger(meeting.id) if r.key == ("channel", 604800))
    assert start - week.due_at == timedelta(hours=168)
    assert week.due_at.astimezone(geneva).hour == 9


async def test_the_startup_reconcile_uses_a_fixed_number_of_queries(db):
    """Rebuilding from the database is bulk work: the statement count does not grow with the meetings."""
    await setup_guild(db)
    repo = RemindersRepo(db)
    now = utcnow()
    for n in range(1, 41):
        await new_meeting(db, now + timedelta(days=20 + n), number=n)
    await repo.set_subscription(GUILD, 42, None, "1d,1h")
    await repo.reconcile(plan_meeting, now=now, meeting_ids=None)  # writes the rows

    statements: list[str] = []
    await db.set_trace_callback(statements.append)
    try:
        changes = await repo.reconcile(plan_meeting, now=now, meeting_ids=None)
        entries = await repo.schedule_for(changes.meeting_ids)
    finally:
        await db.set_trace_callback(None)
    assert len(changes.meeting_ids) == 40 and not changes
    assert len(entries) == 40 * 9
    assert len(statements) < 15, statements
