"""Figure 14: personal reminders to 150 members at the same instant, under Discord's limits.
(Numbered after its issue, clear of the figures other branches add.)

150 delegates subscribe to a personal reminder one hour before every meeting; a meeting is created
that opens in one hour and a few seconds, so that all 150 direct messages fall due at one instant.
Discord's limits are modelled as ``tests/discord_limits.py`` does (a bucket per DM channel, 50
requests per second in all, 429s handled by discord.py). Measured: from the due time to each DM's
arrival at Discord (after discord.py's waits), the last one against the 60 s target; and that each
member got exactly one.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import Figure, median
from bench.sim import isolated, real_bot
from cogs.core.events import MEETING_CREATED
from cogs.reminders import _cog as reminders_cog
from storage.meetings import MeetingsRepo
from storage.reminders import RemindersRepo
from storage.timeutil import utcnow
from tests.discord_limits import Limits, install

MEMBERS = 150
LEAD = 3.0  # seconds from the meeting's creation to the reminders' due time
TARGET = 60.0


async def measure(tmp: Path, limits: Limits) -> tuple[list[float], int, int]:
    """(lateness of each DM in seconds, members with exactly one DM, 429s)."""
    sent_at: list[float] = []
    all_sent = asyncio.Event()
    original_send = reminders_cog.RemindersCog._send

    async def timed_send(self, delivery, reminder, sending):
        result = await original_send(self, delivery, reminder, sending)
        if result is None:
            sent_at.append((utcnow() - reminder.due_at).total_seconds())
            if len(sent_at) == MEMBERS:
                all_sent.set()
        return result

    reminders_cog.RemindersCog._send = timed_send
    try:
        with install(limits):
            async with real_bot(
                Path(tempfile.mkdtemp(dir=tmp)) / "bot.sqlite3", delegates=MEMBERS, settings={"reminder_offsets": ""}
            ) as (server, bot):
                repo = RemindersRepo(bot.db)
                for member in server.delegates:
                    await repo.set_subscription(server.guild.id, member.id, None, "1h")
                starts = utcnow() + timedelta(hours=1, seconds=LEAD)
                meeting = await MeetingsRepo(bot.db).create(
                    guild_id=server.guild.id,
                    number=1,
                    title="1st meeting of CWG-COP",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    timezone="Europe/Zurich",
                    created_by=server.chair.id,
                )
                limits.reset_counts()
                with server.env._bot_scope():  # as /meeting create dispatches it
                    bot.dispatch(MEETING_CREATED, meeting)
                await server.env.settle()
                with contextlib.suppress(TimeoutError):  # reported below: fewer than MEMBERS sent
                    await asyncio.wait_for(all_sent.wait(), timeout=LEAD + TARGET + 30)
                await server.env.settle()
                dms = [m.user.dm_channel for m in server.delegates]
                once = sum(1 for dm in dms if dm is not None and len(dm.history()) == 1)
                return sent_at, once, limits.rate_limited
    finally:
        reminders_cog.RemindersCog._send = original_send


async def run(quick: bool = False) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        lateness, once, throttled = await isolated(lambda: measure(Path(tmp), Limits()))
        elapsed = time.perf_counter() - started
    if len(lateness) < MEMBERS or once < MEMBERS:
        raise AssertionError(f"{len(lateness)} DMs sent, {once} of {MEMBERS} members got exactly one ({elapsed:.0f} s)")
    last = max(lateness)
    return [
        Figure(
            f"14. {MEMBERS} personal reminders due at once, Discord limits: last sent after its due time "
            f"(median {median(lateness):.2f} s, 429s: {throttled}, each member exactly one: {once})",
            last,
            "s",
            "target",
            TARGET,
            f"<= {TARGET:g} s",
            last <= TARGET,
        )
    ]
