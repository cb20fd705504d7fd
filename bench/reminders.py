"""Figure 3: reminders. With 10,000 pending reminders in the database:

- rebuild: the time the reminders cog takes to load (``cog_load``: mark interrupted deliveries,
  reconcile every upcoming meeting with its rows, index the jobs due within the horizon) when the
  real bot starts on that database. Baseline: a plain SELECT of the same reminder rows, and the same
  jobs added to a bare APScheduler (the least any rebuild could do);
- lateness: 200 reminders fall due within three seconds, in a server of the simulated Discord; from
  each one's due time to the moment the bot calls Discord to send it (the cog's ``_send``). Baseline:
  a bare APScheduler with 200 date jobs at the same offsets calling a no-op.

The 10,000 reminders are those the bot itself plans (its reconcile writes them): 1,112 upcoming
meetings, each with the guild's four channel reminders (7d, 1d, 1h, 10m), two contribution-deadline
notices, the "starting now" post, and two personal reminders (1d, 1h) for 30 members subscribed to
every meeting.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bench.common import Figure, median
from bench.data import add_meeting, connect, migrated
from bench.sim import isolated, real_bot
from bot import SCHEDULER_JOB_DEFAULTS
from cogs.core.events import GUILD_SETTINGS_CHANGED
from cogs.reminders import _cog as reminders_cog
from cogs.reminders import _rules
from storage.database import Database
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import MeetingsRepo
from storage.reminders import RemindersRepo
from storage.timeutil import from_db, to_db, utcnow

BIG_GUILD = 900000000000000002  # a server of the database the simulated Discord does not show
PER_MEETING = 9
SUBSCRIBERS = 30
DUE = 200
SPREAD = 3.0  # seconds over which the 200 reminders fall due
LEAD = 4.0  # seconds from scheduling to the first due time
RELOADS = 3


async def build(path: Path, reminders: int) -> int:
    """The big database: meetings, settings, subscriptions, then the bot's own reconcile writes the rows."""
    await migrated(path)
    now = datetime.now(UTC)
    conn = connect(path)
    try:
        conn.execute("BEGIN")
        for n in range(1, reminders // PER_MEETING + 2):
            add_meeting(conn, number=n, starts_at=now + timedelta(days=8 + 2 * n), guild_id=BIG_GUILD)
        conn.executemany(
            "INSERT INTO reminder_subscriptions (guild_id, user_id, meeting_id, offsets, created_at) "
            "VALUES (?, ?, NULL, '1d,1h', ?)",
            [(BIG_GUILD, 5000 + u, to_db(now)) for u in range(SUBSCRIBERS)],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    db = await Database.open(path)
    try:
        await GuildSettingsRepo(db).update(BIG_GUILD, reminders_channel_id=1, meeting_channel_id=2)
        await RemindersRepo(db).reconcile(_rules.plan_meeting, now=utcnow())
        return int(
            await db.fetchval(
                "SELECT COUNT(*) FROM reminders r WHERE EXISTS "
                "(SELECT 1 FROM reminder_deliveries d WHERE d.reminder_id = r.id AND d.state = 'pending')"
            )
        )
    finally:
        await db.close()


async def floor(path: Path) -> float:
    """The least a rebuild does: read the rows, add the jobs due within the horizon to a scheduler."""
    db = await Database.open(path)
    scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=SCHEDULER_JOB_DEFAULTS)
    scheduler.start()
    try:
        started = time.perf_counter()
        now = utcnow()
        horizon = now + reminders_cog.HORIZON
        for row in await db.fetchall("SELECT id, due_at FROM reminders"):
            due = from_db(row["due_at"])
            if due < horizon:
                scheduler.add_job(_noop, "date", run_date=due, id=f"r{row['id']}", replace_existing=True)
        return time.perf_counter() - started
    finally:
        scheduler.shutdown(wait=False)
        await db.close()


async def _noop() -> None:
    return None


async def bot_run(path: Path) -> tuple[list[float], list[float], int]:
    """(cog_load seconds: the start-up one, then reloads; lateness seconds of the 200; reminders sent)."""
    loads: list[float] = []
    lateness: list[float] = []
    original_load = reminders_cog.RemindersCog.cog_load
    original_send = reminders_cog.RemindersCog._send

    async def timed_load(self) -> None:
        started = time.perf_counter()
        await original_load(self)
        loads.append(time.perf_counter() - started)

    async def timed_send(self, delivery, reminder, sending):
        lateness.append((utcnow() - reminder.due_at).total_seconds())
        return await original_send(self, delivery, reminder, sending)

    reminders_cog.RemindersCog.cog_load = timed_load
    reminders_cog.RemindersCog._send = timed_send
    try:
        settings = {"reminder_offsets": "1h", "contribution_deadline_days": 0}
        async with real_bot(path, delegates=10, settings=settings) as (server, bot):
            for _ in range(RELOADS - 1):  # the start-up rebuild again, on a warm process
                await bot.remove_cog("Reminders")
                await bot.add_cog(reminders_cog.RemindersCog(bot))
            # 200 meetings opening in an hour, a few milliseconds apart: their 1-hour reminders fall
            # due within SPREAD seconds; a settings change makes the cog reconcile them (as /setup does).
            first = utcnow() + timedelta(hours=1, seconds=LEAD)
            meetings = MeetingsRepo(bot.db)
            for i in range(DUE):
                starts = first + timedelta(seconds=SPREAD * i / DUE)
                await meetings.create(
                    guild_id=server.guild.id,
                    number=i + 1,
                    title=f"{i + 1}th meeting of CWG-COP",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    timezone="Europe/Zurich",
                    created_by=server.chair.id,
                )
            settings_now = await GuildSettingsRepo(bot.db).get(server.guild.id)
            with server.env._bot_scope():  # as a command handler dispatches it
                bot.dispatch(GUILD_SETTINGS_CHANGED, settings_now)
            await server.env.settle()
            loop = asyncio.get_running_loop()
            deadline = loop.time() + LEAD + SPREAD + 30
            while len(lateness) < DUE and loop.time() < deadline:
                await asyncio.sleep(0.1)
                await server.env.settle()
            sent = await bot.db.fetchval(
                "SELECT COUNT(*) FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id "
                "JOIN meetings m ON m.id = r.meeting_id WHERE m.guild_id = ? AND d.state = 'sent'",
                (server.guild.id,),
            )
    finally:
        reminders_cog.RemindersCog.cog_load = original_load
        reminders_cog.RemindersCog._send = original_send
    return loads, lateness, int(sent)


async def bare_lateness() -> list[float]:
    """A bare APScheduler: 200 date jobs at the same offsets, each calling a no-op."""
    lateness: list[float] = []

    async def job(due: datetime) -> None:
        lateness.append((datetime.now(UTC) - due).total_seconds())

    scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=SCHEDULER_JOB_DEFAULTS)
    scheduler.start()
    try:
        first = datetime.now(UTC) + timedelta(seconds=1)
        for i in range(DUE):
            due = first + timedelta(seconds=SPREAD * i / DUE)
            scheduler.add_job(job, "date", run_date=due, args=[due])
        await asyncio.sleep(1 + SPREAD + 0.5)
    finally:
        scheduler.shutdown(wait=False)
    return lateness


async def run(quick: bool = False) -> list[Figure]:
    target = 2_000 if quick else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reminders.sqlite3"
        pending = await isolated(lambda: build(path, target))
        floor_s = min([await isolated(lambda: floor(path)) for _ in range(RELOADS)])
        loads, lateness, sent = await isolated(lambda: bot_run(path))
        bare = await isolated(bare_lateness)
    if len(lateness) < DUE or sent < DUE:
        raise AssertionError(f"only {sent} of {DUE} reminders were sent ({len(lateness)} send calls)")
    rebuild = min(loads)
    late_med, late_max = median(lateness), max(lateness)
    bare_med, bare_max = median(bare), max(bare)
    return [
        Figure(
            f"3. reminders: rebuild at start-up, {pending:,} pending (first start: {loads[0] * 1000:,.0f} ms)",
            rebuild,
            "s",
            "SELECT + bare APScheduler",
            floor_s,
            "< 1 s",
            rebuild < 1.0,
        ),
        Figure(
            f"3. reminders: median lateness, {DUE} due within {SPREAD:.0f} s",
            late_med,
            "s",
            "bare APScheduler, no-op",
            bare_med,
            "-",
            None,
        ),
        Figure(
            f"3. reminders: max lateness, {DUE} due within {SPREAD:.0f} s",
            late_max,
            "s",
            "bare APScheduler, no-op",
            bare_max,
            "< 2 s",
            late_max < 2.0,
        ),
    ]
