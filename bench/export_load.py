"""Figure 7: commands during a 100,000-line ``/log export``. While the chair's ``/log export`` of a
100,000-message meeting runs in the real bot (simcord), delegates keep issuing commands: bursts of
10 at the same instant, cycling through ``/contribution list``, ``/agenda show`` and
``/contribution register``, one burst after the other, until the export has been sent. Each
command's handling time runs from the burst's instant to the end of the bot's handling of the
interaction (as in figure 4). The export is run five times; before each, three of the same bursts
run with nothing else going on, and the p99 of the bursts during the exports is compared with the
p99 of those. (Interleaved because simcord's own bookkeeping grows as a run goes on, each pending
view and task making its settling slower: bursts measured after all the exports were slowed by the
harness, up to 1.8 s, not by the bot.)

Target: no worse than 1.5x. An export that holds the database (the single connection's lock) while
it renders makes every command, and the capture writer, wait behind it (issue 11, defect 5).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.commands import _answer, _history, _listeners_done, simultaneous
from bench.common import Figure, median, percentile
from bench.export import build
from bench.sim import isolated, real_bot

LINES = 100_000
EXPORT_MEETING = 99
BURST = 10
EXPORTS = 5  # rounds: bursts alone, then an export with bursts until it is sent
ALONE_PER_ROUND = 3
COMMANDS = ("contribution list", "agenda show", "contribution register")
READ_MEETING = 31  # the upcoming meeting: its published agenda and 20 documents


def _options(command: str, member: int, burst: int) -> dict[str, object]:
    if command == "contribution register":
        return {"title": f"Contribution {burst}-{member} on age assurance", "source": f"Country {member}"}
    return {"meeting": READ_MEETING}


async def measure(tmp: Path, lines: int) -> tuple[list[float], list[float], float, int]:
    path = Path(tmp) / "bot.sqlite3"
    ids = await build(path, (lines,))  # the 100,000-line meeting, written with plain sqlite3 first
    async with real_bot(path, delegates=BURST) as (server, bot):
        env = server.env
        await bot.db.execute(
            "UPDATE meetings SET guild_id = ?, number = ? WHERE id = ?", (server.guild.id, EXPORT_MEETING, ids[lines])
        )
        await _history(bot, server.guild.id, server.chair.id, 1)
        for command in ("agenda template", "agenda post"):
            await server.chair.slash(server.agenda, command, meeting=READ_MEETING)

        finished: dict[int, float] = {}
        progress = asyncio.Event()  # set whenever an interaction has been handled
        original = bot.tree._call

        async def timed(interaction) -> None:
            try:
                await original(interaction)
            finally:
                finished[interaction.id] = time.perf_counter()
                progress.set()

        bot.tree._call = timed
        burst_no = 0

        async def one_burst() -> list[float]:
            nonlocal burst_no
            command = COMMANDS[burst_no % len(COMMANDS)]
            burst_no += 1
            with simultaneous(env):
                results = [
                    await m.slash(server.general, command, **_options(command, i, burst_no))
                    for i, m in enumerate(server.delegates)
                ]
            released = time.perf_counter()
            ids_ = [int(r._interaction.id) for r in results]
            while not all(i in finished for i in ids_):
                progress.clear()
                await progress.wait()
            out = [finished[i] - released for i in ids_]
            # Not simcord's settle: it would wait for the export too. The listeners the burst started
            # (the agenda post refreshed after a registration) finish before the next burst.
            await _listeners_done()
            wrong = [a for a in (_answer(r) for r in results) if "went wrong" in a]
            if wrong:
                raise AssertionError(f"/{command}: {wrong[:1]}")
            return out

        # EXPORTS rounds: a few bursts with nothing else running, then an export with bursts back to
        # back until its interaction is handled. Interleaved, so that both sides are measured in the
        # same state of the bot and of simcord (whose own bookkeeping grows as views and tasks pile up).
        during: list[float] = []
        alone: list[float] = []
        export_times: list[float] = []
        for _ in range(EXPORTS):
            for _ in range(ALONE_PER_ROUND):
                alone += await one_burst()
            await env.settle()
            with simultaneous(env):
                export = await server.chair.slash(server.general, "log export", meeting=EXPORT_MEETING, format="md")
            started = time.perf_counter()
            export_id = int(export._interaction.id)
            while export_id not in finished:
                during += await one_burst()
            export_times.append(finished[export_id] - started)
            await _listeners_done()
            await env.settle()
            sent = export.followups[-1] if export.followups else export.response
            assert sent is not None and sent.attachments, "the export sent no file"
        export_time = median(export_times)
        bursts = len(during) // BURST
    return during, alone, export_time, bursts


async def run(quick: bool = False) -> list[Figure]:
    lines = 30_000 if quick else LINES
    with tempfile.TemporaryDirectory() as tmp:
        during, alone, export_time, bursts = await isolated(lambda: measure(Path(tmp), lines))
    p99, base = percentile(during, 99), percentile(alone, 99)
    return [
        Figure(
            f"7. commands during a {lines:,}-line /log export: p99 ({bursts} bursts of {BURST}, "
            f"median {median(during) * 1000:,.0f} ms; {EXPORTS} exports, median {export_time:,.1f} s)",
            p99,
            "s",
            "same bursts alone p99",
            base,
            "<= 1.5x alone",
            p99 <= 1.5 * base,
        )
    ]
