"""Helpers shared by the capture tests (no tests here)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from simcord import ChannelHandle

from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import utcnow

NOTICE = "This meeting's chat is recorded for the chair's report"


async def make_meeting(
    world,
    number: int = 19,
    *,
    starts_in: timedelta = timedelta(days=30),
    duration: timedelta = timedelta(hours=7),
    channel=None,
    chair_name: str | None = "Ms Chair",
) -> Meeting:
    """A meeting created through the real storage, at real (future) times."""
    starts = utcnow() + starts_in
    return await MeetingsRepo(world.bot.db).create(
        guild_id=world.guild.id,
        number=number,
        title=f"{number}th meeting of CWG-COP",
        starts_at=starts,
        ends_at=starts + duration,
        timezone="Europe/Zurich",
        created_by=world.chair.id,
        channel_id=channel.id if channel is not None else None,
        chair_name=chair_name,
    )


async def start_recording(world, number: int = 19, channel=None):
    result = await world.chair.slash(channel or world.meeting, "meeting start", meeting=number)
    text = answer(result)
    assert text.startswith("Recording the"), text
    return result


def answer(result) -> str:
    """What the user reads: the response, or the first follow-up after a deferral."""
    if result.followups:
        return result.followups[-1].content
    return result.response.content if result.response else ""


async def rows(db, meeting_id: int) -> list[dict]:
    found = await db.fetchall(
        "SELECT * FROM messages WHERE meeting_id = ? ORDER BY created_at, message_id", (meeting_id,)
    )
    return [dict(r) for r in found]


async def contents(db, meeting_id: int, *, notices: bool = False) -> list[str]:
    return [r["content"] for r in await rows(db, meeting_id) if notices or not r["is_notice"]]


def make_thread(env, world, starter, name: str = "Item 5 comments") -> ChannelHandle:
    """A public thread opened from ``starter`` (simcord has no member verb for it: the backend does it)."""
    thread = env.backend.create_thread(world.meeting.id, name, starter.author.id, message_id=starter.id)
    return ChannelHandle(env, world.guild, env.backend.channels[thread.id])


def reactions(channel, message_id: int) -> list[str]:
    message = next(m for m in channel.history() if m.id == message_id)
    return [str(r.emoji) for r in message.reactions]


async def exported(result) -> tuple[str, str]:
    """(file name, text) of the file a command sent."""
    message = result.followups[-1] if result.followups else result.response
    (attachment,) = message.attachments
    return attachment.filename, (await attachment.read()).decode()


async def eventually(env, check: Callable[[], Awaitable[bool]], *, within: float = 10.0) -> None:
    """Wait for real-time scheduler work (APScheduler runs on the real clock), settling as it goes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        assert loop.time() < deadline, "the scheduled work did not happen"
        await asyncio.sleep(0.05)
        await env.settle()


def job_ran(bot, job_id: str) -> Callable[[], Awaitable[bool]]:
    """True once the scheduler job has run to its end (create it before the job can fire)."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

    finished: set[str] = set()
    bot.scheduler.add_listener(lambda event: finished.add(event.job_id), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    async def check() -> bool:
        return job_id in finished

    return check
