"""Helpers shared by the reminders tests (this module holds no tests).

Meetings are created, moved and cancelled through the real storage (storage.meetings), then the
same events the /meeting commands dispatch are dispatched on the bot.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from datetime import datetime, timedelta

import pytest

from cogs.core.events import GUILD_SETTINGS_CHANGED, MEETING_CANCELLED, MEETING_CHANGED, MEETING_CREATED
from cogs.core.timefmt import ordinal
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import to_db, utcnow
from tests.conftest import dispatch_and_settle


@pytest.fixture(autouse=True)
def no_job_errors(caplog):
    """Scheduled jobs run outside simcord's error capture: any error they log fails the test.

    A job cancelled because the test killed the bot mid-send is expected, not an error.
    """
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    errors = [
        r
        for r in records
        if r.levelno >= logging.ERROR and not (r.exc_info and isinstance(r.exc_info[1], asyncio.CancelledError))
    ]
    assert not errors, [r.getMessage() for r in errors]


async def new_meeting(
    world,
    *,
    starts_in: timedelta | None = None,
    at: datetime | None = None,
    number: int = 19,
    duration: timedelta = timedelta(hours=3),
    title: str | None = None,
    **fields,
) -> Meeting:
    """A meeting stored as /meeting create stores it (no event yet: see announce)."""
    start = at if at is not None else utcnow() + starts_in
    fields.setdefault("channel_id", world.meeting.id)
    return await MeetingsRepo(world.bot.db).create(
        guild_id=world.guild.id,
        number=number,
        title=title or f"{ordinal(number)} meeting of the CWG-COP",
        starts_at=start,
        ends_at=start + duration,
        timezone="Europe/Zurich",
        created_by=world.chair.id,
        **fields,
    )


async def announce(world, meeting: Meeting) -> None:
    await dispatch_and_settle(world.env, MEETING_CREATED, meeting)


async def create_meeting(world, **kwargs) -> Meeting:
    meeting = await new_meeting(world, **kwargs)
    await announce(world, meeting)
    return meeting


async def edit_meeting(world, meeting: Meeting, **changes) -> Meeting:
    after = await MeetingsRepo(world.bot.db).update(meeting.id, **changes)
    await dispatch_and_settle(world.env, MEETING_CHANGED, meeting, after)
    return after


async def cancel_meeting(world, meeting: Meeting, reason: str = "Postponed") -> Meeting:
    after = await MeetingsRepo(world.bot.db).update(meeting.id, status="cancelled", cancel_reason=reason)
    await dispatch_and_settle(world.env, MEETING_CANCELLED, after)
    return after


async def change_settings(world, **changes) -> None:
    settings = await GuildSettingsRepo(world.bot.db).update(world.guild.id, **changes)
    await dispatch_and_settle(world.env, GUILD_SETTINGS_CHANGED, settings)


async def ledger(db, meeting_id: int) -> list[tuple]:
    """(kind, offset_seconds, recipient, state, late, detail) for every delivery of the meeting."""
    rows = await db.fetchall(
        "SELECT r.kind, r.offset_seconds, d.recipient, d.state, d.late, d.detail "
        "FROM reminders r JOIN reminder_deliveries d ON d.reminder_id = r.id "
        "WHERE r.meeting_id = ? ORDER BY r.due_at, r.kind, d.recipient",
        (meeting_id,),
    )
    return [tuple(r) for r in rows]


async def wait_until(env, check, *, within: float = 10.0) -> None:
    """Let the bot work (real time: APScheduler) until ``check()`` holds; fail after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
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


def travel(monkeypatch, ahead: timedelta) -> None:
    """From now on the reminders cog believes it is ``ahead`` later (APScheduler keeps real time)."""
    module = importlib.import_module("cogs.reminders._cog")  # the module the running cog was built from
    monkeypatch.setattr(module, "utcnow", lambda: utcnow() + ahead)


async def sweep(env) -> None:
    """Run the cog's hourly sweep now, as the scheduler would, and wait for what it sends."""
    cog = env.bot.get_cog("Reminders")
    with env._bot_scope():
        asyncio.ensure_future(cog._sweep())  # noqa: RUF006 (simcord tracks it; settle joins it)
    await env.settle()


async def insert_agenda_post(db, meeting_id: int, channel_id: int, message_id: int) -> None:
    """What /agenda post stores (the agenda feature owns the table)."""
    await db.execute(
        "INSERT INTO agenda_posts (meeting_id, channel_id, message_ids, revision, updated_at) VALUES (?, ?, ?, 0, ?)",
        (meeting_id, channel_id, f"[{message_id}]", to_db(utcnow())),
    )
