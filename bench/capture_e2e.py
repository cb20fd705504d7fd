"""Figure 2: capture end to end. A burst of chat from 150 authors goes through simcord's gateway into
discord.py's real parsers and the real bot (a recording open, every cog loaded) until every line is a
row in the database; the same burst goes to a bare discord.py bot whose ``on_message`` does nothing.

How the burst is injected (the same for every bot): simcord's member ``send`` settles the bot after
every message (it waits until the bot has finished with it), which would measure settling, not the
bot. Instead each message is created with the backend's ``create_message``, which stores it and
emits MESSAGE_CREATE through simcord's gateway to discord.py exactly as ``send`` does, without
settling; the event loop runs every few messages (a gateway delivers continuously, and the bot
works meanwhile), and simcord settles once at the end. Nothing lost: the rows are counted.

simcord keeps a diagnostic transcript of every gateway payload; during the burst it is bounded to
its last entries, so that a log the real Discord would never keep in the bot's process does not
make the bot's garbage collector scan tens of thousands of payloads (it is the same for every bot).

A third run, the real bot with no recording open, splits the cost: what the bot costs before
capture does anything (discord.py's command processing, one more listener task per message), and
what the capture itself adds.
"""

from __future__ import annotations

import asyncio
import collections
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import Figure
from bench.data import PHRASES
from bench.sim import bare_bot, isolated, real_bot
from storage.meetings import MeetingsRepo
from storage.timeutil import utcnow

CHUNK = 10  # messages emitted between two turns of the event loop
RUNS = 3
TRANSCRIPT_KEPT = 100


def _burst(count: int, authors: list, seed: int = 2) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    return [
        (rng.choice(authors).id, rng.choice(PHRASES).format(item=rng.randrange(1, 10), doc=rng.randrange(2, 30)))
        for _ in range(count)
    ]


async def inject(env, channel_id: int, burst: list[tuple[int, str]]) -> float:
    """Emit the burst through simcord's gateway, settle once; seconds from the first to all handled."""
    backend = env.backend
    backend.transcript = collections.deque(backend.transcript, maxlen=TRANSCRIPT_KEPT)
    started = time.perf_counter()
    for i, (author_id, content) in enumerate(burst, start=1):
        backend.create_message(channel_id, author_id, content)
        if i % CHUNK == 0:
            await asyncio.sleep(0)
    await env.settle()
    return time.perf_counter() - started


async def _real(tmp: Path, count: int, *, recording: bool = True) -> float:
    async with real_bot(Path(tempfile.mkdtemp(dir=tmp)) / "bot.sqlite3") as (server, bot):
        starts = utcnow() + timedelta(days=30)
        meeting = await MeetingsRepo(bot.db).create(
            guild_id=server.guild.id,
            number=19,
            title="19th meeting of CWG-COP",
            starts_at=starts,
            ends_at=starts + timedelta(hours=7),
            timezone="Europe/Zurich",
            created_by=server.chair.id,
        )
        if recording:
            result = await server.chair.slash(server.meeting, "meeting start", meeting=19)
            reply = result.followups[-1].content if result.followups else result.response.content
            assert reply.startswith("Recording the"), reply
        elapsed = await inject(server.env, server.meeting.id, _burst(count, server.delegates))
        capture = bot.get_cog("CaptureCog")
        assert capture.writer.pending == 0, "settle returned before the writer had written everything"
        stored = await bot.db.fetchval(
            "SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND is_notice = 0", (meeting.id,)
        )
        if stored != (count if recording else 0):
            raise AssertionError(f"capture lost lines: {stored:,} stored of {count:,}")
    return elapsed


async def _bare(count: int) -> float:
    async with bare_bot() as (server, _bot):
        return await inject(server.env, server.meeting.id, _burst(count, server.delegates))


async def run(quick: bool = False) -> list[Figure]:
    count = 5_000 if quick else 20_000
    times: dict[str, list[float]] = {"bare": [], "idle": [], "real": []}
    with tempfile.TemporaryDirectory() as tmp:
        # A small warm-up of each (imports, first-call caches), then alternate runs, best of each.
        await isolated(lambda: _bare(500))
        await isolated(lambda: _real(Path(tmp), 500))
        for _ in range(RUNS):
            times["bare"].append(await isolated(lambda: _bare(count)))
            times["idle"].append(await isolated(lambda: _real(Path(tmp), count, recording=False)))
            times["real"].append(await isolated(lambda: _real(Path(tmp), count)))
    bare, idle, real = (count / min(times[k]) for k in ("bare", "idle", "real"))
    return [
        Figure(
            f"2. capture end to end, {count:,} msgs / 150 authors, all stored",
            real,
            "msg/s",
            "bare bot, on_message no-op",
            bare,
            "cost <= 25% over bare (>= 0.80x)",
            real >= bare / 1.25,
        ),
        Figure(
            "2. (split) real bot, no recording open",
            idle,
            "msg/s",
            "bare bot",
            bare,
            "-",
            None,
        ),
        Figure(
            "2. (split) real bot recording",
            real,
            "msg/s",
            "real bot, no recording",
            idle,
            "-",
            None,
        ),
    ]
