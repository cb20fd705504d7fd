"""Helpers shared by the reminders tests (this module holds no tests).

Meetings are created, moved and cancelled through the real storage (storage.meetings), then the
same events the /meeting commands dispatch are dispatched on the bot.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from cogs.core.events import GUILD_SETTINGS_CHANGED, MEETING_CANCELLED, MEETING_CHANGED, MEETING_CREATED
from cogs.core.timefmt import ordinal
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import utcnow


async def dispatch(env, event: str, *args) -> None:
    """Dispatch a bot event as a cog does inside a command, and wait for every listener.

    simcord's settle() joins only work the bot started; an event dispatched from test code would not
    be joined, so it is dispatched inside the bot's scope (simcord's own helper), exactly as a
    command handler's dispatch runs.
    """
    with env._bot_scope():
        env.bot.dispatch(event, *args)
    await env.settle()


async def create_meeting(
    world, *, starts_in: timedelta, number: int = 19, duration: timedelta = timedelta(hours=3), **fields
) -> Meeting:
    start = utcnow() + starts_in
    fields.setdefault("channel_id", world.meeting.id)
    meeting = await MeetingsRepo(world.bot.db).create(
        guild_id=world.guild.id,
        number=number,
        title=f"{ordinal(number)} meeting of the CWG-COP",
        starts_at=start,
        ends_at=start + duration,
        timezone="Europe/Zurich",
        created_by=world.chair.id,
        **fields,
    )
    await dispatch(world.env, MEETING_CREATED, meeting)
    return meeting


async def create_meeting_at(world, start, *, number: int = 19, duration=timedelta(hours=3), **fields) -> Meeting:
    return await create_meeting(world, starts_in=start - utcnow(), number=number, duration=duration, **fields)


async def edit_meeting(world, meeting: Meeting, **changes) -> Meeting:
    after = await MeetingsRepo(world.bot.db).update(meeting.id, **changes)
    await dispatch(world.env, MEETING_CHANGED, meeting, after)
    return after


async def cancel_meeting(world, meeting: Meeting, reason: str = "Postponed") -> Meeting:
    after = await MeetingsRepo(world.bot.db).update(meeting.id, status="cancelled", cancel_reason=reason)
    await dispatch(world.env, MEETING_CANCELLED, after)
    return after


async def change_settings(world, **changes) -> None:
    settings = await GuildSettingsRepo(world.bot.db).update(world.guild.id, **changes)
    await dispatch(world.env, GUILD_SETTINGS_CHANGED, settings)


async def ledger(db, meeting_id: int) -> list[tuple]:
    """(kind, offset_seconds, recipient, state, late, detail) for every delivery of the meeting."""
    rows = await db.fetchall(
        "SELECT r.kind, r.offset_seconds, d.recipient, d.state, d.late, d.detail "
        "FROM reminders r JOIN reminder_deliveries d ON d.reminder_id = r.id "
        "WHERE r.meeting_id = ? ORDER BY r.due_at, r.kind, d.recipient",
        (meeting_id,),
    )
    return [tuple(r) for r in rows]


async def wait_until(env, check, *, timeout: float = 10.0) -> None:
    """Let the bot work (real time: APScheduler) until ``check()`` holds; fail after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await env.settle()
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError("the bot did not get there in time")
        await asyncio.sleep(0.05)


def contents(channel) -> list[str]:
    return [m.content for m in channel.history()]
