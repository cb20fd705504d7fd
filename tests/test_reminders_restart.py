"""Restarts before, during and after a due time: no duplicate, nothing silently lost.

A "crash" stops the old bot's scheduler (its timers die with the process) and starts a new bot on
the same database file; the new bot rebuilds its jobs from the database in cog_load.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from test_reminders_helpers import (  # noqa: F401 (no_job_errors is an autouse fixture)
    announce,
    contents,
    create_meeting,
    ledger,
    new_meeting,
    no_job_errors,
    travel,
    wait_until,
)

from cogs.core.events import MEETING_CREATED
from cogs.reminders import _cog as reminders_cog
from storage.guild_settings import GuildSettingsRepo
from storage.reminders import RemindersRepo
from storage.timeutil import utcnow

SOON = timedelta(seconds=61.5)  # with a 1-minute offset: due in about a second and a half


async def crash_and_restart(world, harness):
    """The process dies (no cog_unload, jobs gone) and a new one starts on the same database file."""
    world.bot.scheduler.shutdown(wait=False)
    await asyncio.sleep(0)
    return await harness.restart()


async def test_restart_before_the_due_time_sends_once_on_time(world, simcord_env, db, harness):
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1m")
    meeting = await new_meeting(world, starts_in=timedelta(seconds=62))
    world.bot.dispatch(MEETING_CREATED, meeting)  # not joined by settle: we restart before the job fires
    repo = RemindersRepo(db)

    async def scheduled() -> bool:
        return any(r.kind == "channel" for r in await repo.ledger(meeting.id))

    await wait_until(simcord_env, scheduled)
    (reminder,) = [r for r in await repo.ledger(meeting.id) if r.kind == "channel"]
    assert reminder.due_at > utcnow()
    assert world.bot.scheduler.get_job(f"reminders:{reminder.id}") is not None

    bot = await crash_and_restart(world, harness)
    await wait_until(simcord_env, lambda: contents(world.reminders))
    await asyncio.sleep(0.3)
    await simcord_env.settle()
    assert len(contents(world.reminders)) == 1
    assert "sent late" not in contents(world.reminders)[0]
    assert ("channel", 60, f"channel:{world.reminders.id}", "sent", 0, None) in await ledger(bot.db, meeting.id)


async def test_a_crash_while_sending_is_recorded_and_never_resent(world, simcord_env, db, harness, monkeypatch):
    # One DM at a time, so that the second member's is still unclaimed when the first one hangs.
    monkeypatch.setattr(reminders_cog, "DM_CONCURRENCY", 1)
    repo = RemindersRepo(db)
    await repo.set_subscription(world.guild.id, world.delegate.id, None, "1m")
    await repo.set_subscription(world.guild.id, world.delegate2.id, None, "1m")
    cog = world.bot.get_cog("Reminders")
    real_dm = cog._dm
    never = asyncio.get_running_loop().create_future()

    async def hanging_dm(user_id: int, content: str):
        if user_id == world.delegate.id:  # Discord never answers this one; then the process dies
            await simcord_env.external_wait(never, reason="Discord does not answer")
        return await real_dm(user_id, content)

    cog._dm = hanging_dm
    meeting = await create_meeting(world, starts_in=SOON)
    rows = {row[2]: row[3] for row in await ledger(db, meeting.id) if row[0] == "personal"}
    assert rows == {f"user:{world.delegate.id}": "sending", f"user:{world.delegate2.id}": "pending"}

    bot = await crash_and_restart(world, harness)
    await wait_until(simcord_env, lambda: contents(world.delegate2.user.dm_channel))
    await simcord_env.settle()
    assert contents(world.delegate.user.dm_channel) == []  # at most once: it may have arrived; not sent again
    assert len(contents(world.delegate2.user.dm_channel)) == 1  # the one not yet claimed still goes out
    rows = {row[2]: (row[3], row[5]) for row in await ledger(bot.db, meeting.id) if row[0] == "personal"}
    assert rows == {
        f"user:{world.delegate.id}": ("failed", "interrupted"),
        f"user:{world.delegate2.id}": ("sent", None),
    }

    status = await world.chair.slash(world.general, "remind status", meeting=19)
    assert "interrupted by a restart mid-send: may have arrived, not resent" in status.response.content

    await crash_and_restart(world, harness)  # and again: still nothing resent
    await simcord_env.settle()
    assert contents(world.delegate.user.dm_channel) == []
    assert len(contents(world.delegate2.user.dm_channel)) == 1


async def test_after_downtime_the_latest_missed_reminder_is_sent_late_once(
    world, simcord_env, db, harness, monkeypatch
):
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="2h,1h")
    await RemindersRepo(db).set_subscription(world.guild.id, world.delegate.id, None, "2h,1h")
    meeting = await create_meeting(world, starts_in=timedelta(hours=3))
    assert world.reminders.history() == []

    travel(monkeypatch, timedelta(hours=2, minutes=10))  # the bot comes back 2h10 later: both are overdue
    bot = await crash_and_restart(world, harness)
    await simcord_env.settle()
    (post,) = contents(world.reminders)
    assert post.endswith("_(sent late: the bot was offline)_")
    (dm,) = contents(world.delegate.user.dm_channel)
    assert "sent late: the bot was offline" in dm
    got = {(row[0], row[1]): (row[3], row[4], row[5]) for row in await ledger(bot.db, meeting.id)}
    assert got[("channel", 7200)] == ("skipped", 0, "superseded")
    assert got[("channel", 3600)] == ("sent", 1, None)
    assert got[("personal", 7200)] == ("skipped", 0, "superseded")
    assert got[("personal", 3600)] == ("sent", 1, None)
    assert got[("start", 0)] == ("pending", 0, None)  # still ahead

    await crash_and_restart(world, harness)  # a second restart sends nothing again
    await simcord_env.settle()
    assert len(contents(world.reminders)) == 1 and len(contents(world.delegate.user.dm_channel)) == 1


async def test_after_downtime_past_the_opening_reminders_are_skipped_not_dropped(
    world, simcord_env, db, harness, monkeypatch
):
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1h")
    await RemindersRepo(db).set_subscription(world.guild.id, world.delegate.id, None, "1h")
    meeting = await create_meeting(world, starts_in=timedelta(hours=2))

    travel(monkeypatch, timedelta(hours=2, minutes=5))  # back five minutes after the opening
    bot = await crash_and_restart(world, harness)
    await simcord_env.settle()
    assert world.reminders.history() == [] and contents(world.delegate.user.dm_channel) == []
    (start,) = contents(world.meeting)  # "starting now" still makes sense five minutes in
    assert "is starting now" in start and "sent late" in start
    got = {(row[0], row[1]): (row[3], row[5]) for row in await ledger(bot.db, meeting.id)}
    assert got == {
        ("channel", 3600): ("skipped", "meeting_started"),
        ("personal", 3600): ("skipped", "meeting_started"),
        ("start", 0): ("sent", None),
    }
    status = await world.chair.slash(world.general, "remind status", meeting=19)
    assert "1 skipped (too late: the meeting had started)" in status.response.content


async def test_an_event_lost_in_a_crash_is_caught_up_at_start(world, simcord_env, db, harness):
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1m")
    meeting = await new_meeting(world, starts_in=SOON)  # committed, then the process died before dispatching
    await crash_and_restart(world, harness)
    await wait_until(simcord_env, lambda: contents(world.reminders))
    assert len(contents(world.reminders)) == 1
    assert ("channel", 60, f"channel:{world.reminders.id}", "sent", 0, None) in await ledger(world.bot.db, meeting.id)


async def test_a_double_fire_sends_once(world, simcord_env, db, monkeypatch):
    meeting = await create_meeting(world, starts_in=timedelta(hours=2))
    (reminder,) = [r for r in await RemindersRepo(db).ledger(meeting.id) if r.key == ("channel", 3600)]
    travel(monkeypatch, reminder.due_at - utcnow() + timedelta(seconds=1))
    cog = world.bot.get_cog("Reminders")
    await asyncio.gather(*(cog._fire(reminder.id) for _ in range(4)))  # four fires at the same moment
    await cog._fire(reminder.id)  # and one more later
    assert len(world.reminders.history()) == 1
    assert "sent late" not in world.reminders.last_message.content
    assert ("channel", 3600, f"channel:{world.reminders.id}", "sent", 0, None) in await ledger(db, meeting.id)


async def test_the_job_index_is_rebuilt_from_the_database(world, simcord_env, db, harness):
    near = await create_meeting(world, starts_in=timedelta(hours=3))
    far = await create_meeting(world, starts_in=timedelta(days=30), number=20)
    bot = await crash_and_restart(world, harness)
    jobs = {job.id for job in bot.scheduler.get_jobs()}
    near_ids = {f"reminders:{r.id}" for r in await RemindersRepo(bot.db).ledger(near.id)}
    far_ids = {f"reminders:{r.id}" for r in await RemindersRepo(bot.db).ledger(far.id)}
    assert near_ids and near_ids <= jobs  # due within the horizon
    assert not far_ids & jobs  # the hourly sweep schedules them as they come near
    assert "reminders-sweep" in jobs
    await announce(world, near)  # a repeated event is harmless
    assert {job.id for job in bot.scheduler.get_jobs()} == jobs
