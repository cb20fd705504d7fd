"""Figure 4: commands under load. 150 delegates issue the same command at the same instant, through
simcord, to the real bot; each one's handling time runs from that instant to the end of the bot's
handling of their interaction (discord.py's ``CommandTree._call``: the reply and everything the
command does are inside). The median and the 99th percentile over a few such bursts are compared with
a bare command that only replies (``/ping``, from the benchmark-only ``bench.bare_extension``) in the
same bot.

The database holds some history: 30 past meetings with their agendas and 20 documents each, and the
upcoming meetings 31, 32 and 33, each with its published agenda and 20 documents. Each round is one
burst of each command: ``/ping``, ``/contribution register`` (round n registers 150 documents for
meeting 30 + n: numbering in a transaction, the announcement post, the receipt, and the agenda post
refreshed by the listeners the command starts), then ``/contribution list`` and ``/agenda show`` of
meeting 31, which holds 170 documents from the first round on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import Figure, median, percentile
from bench.sim import isolated, real_bot
from bot import EXTENSIONS
from storage.contributions import ContributionsRepo, NewContribution
from storage.meetings import MeetingsRepo
from storage.timeutil import to_db, utcnow

HISTORY = 30
DOCUMENTS = 20
AGENDA = [
    "Opening of the meeting",
    "Adoption of the agenda",
    "Approval of the report of the previous meeting",
    "Updates from the secretariat",
    "Consideration of contributions",
    "Results of the youth online consultation",
    "Dates of the next meeting",
    "Any other business",
    "Closing",
]
COMMANDS = ("ping", "contribution register", "contribution list", "agenda show")


@contextlib.contextmanager
def simultaneous(env):
    """Interactions sent inside the block reach the bot together: each member's call returns once its
    interaction is emitted (simcord normally lets the bot finish first); settle afterwards."""

    async def emit_only(**_: object) -> None:
        return None

    env._settle_internal = emit_only
    try:
        yield
    finally:
        del env._settle_internal


async def _history(bot, guild_id: int, chair_id: int, upcoming: int) -> list[int]:
    """30 past meetings (agenda, 20 documents each), then ``upcoming`` meetings (31, 32...) with 20
    documents each; the ids of the upcoming ones."""
    meetings, documents = MeetingsRepo(bot.db), ContributionsRepo(bot.db)
    now = utcnow()
    ahead = []
    for n in range(1, HISTORY + 1 + upcoming):
        past = n <= HISTORY
        starts = now - timedelta(days=180 * (HISTORY + 1 - n)) if past else now + timedelta(days=30 + n - HISTORY)
        meeting = await meetings.create(
            guild_id=guild_id,
            number=n,
            title=f"{n}th meeting of CWG-COP",
            starts_at=starts,
            ends_at=starts + timedelta(hours=7),
            timezone="Europe/Zurich",
            created_by=chair_id,
        )
        if not past:
            ahead.append(meeting.id)
        if past:
            async with bot.db.transaction() as tx:
                for position, title in enumerate(AGENDA, start=1):
                    await tx.execute(
                        "INSERT INTO agenda_items (meeting_id, parent_id, position, title, created_at) "
                        "VALUES (?, NULL, ?, ?, ?)",
                        (meeting.id, position, title, to_db(now)),
                    )
        for d in range(DOCUMENTS):
            await documents.register(
                NewContribution(
                    meeting_id=meeting.id,
                    kind="contribution",
                    title=f"Contribution from Country {d} on the online safety of children",
                    source=f"Country {d}",
                    submitter_id=chair_id,
                    received_at=starts - timedelta(days=30 - d),
                )
            )
    return ahead


async def _listeners_done() -> None:
    """Wait for the event listeners the burst started (e.g. the agenda post refreshed after each
    registration). simcord's settle would wait for them too, but it inspects every pending task each
    time one wakes up: with hundreds of them queued on one lock, that bookkeeping grows quadratically."""
    while pending := [t for t in asyncio.all_tasks() if t.get_name().startswith("discord.py: on_") and not t.done()]:
        await asyncio.wait(pending)


def _options(command: str, member_index: int, round_no: int) -> dict[str, object]:
    if command == "contribution register":
        return {
            "title": f"Contribution from Country {member_index} on age assurance ({round_no})",
            "source": f"Country {member_index}",
            # Each burst registers for its own meeting (31, 32, ...): the one the others read, 31,
            # holds the same 170 documents in every round.
            "meeting": HISTORY + 1 + round_no,
            "agenda_item": "5",  # Consideration of contributions: the post lists it there
        }
    if command in ("contribution list", "agenda show"):
        return {"meeting": HISTORY + 1}
    return {}


def _answer(result) -> str:
    message = result.followups[-1] if result.followups else result.response
    if message is None:
        return ""
    return message.content or (message.embeds[0].title if message.embeds else "")


async def measure(tmp: Path, rounds: int, members: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {c: [] for c in COMMANDS}
    async with real_bot(
        Path(tempfile.mkdtemp(dir=tmp)) / "bot.sqlite3",
        delegates=members,
        extensions=(*EXTENSIONS, "bench.bare_extension"),
    ) as (server, bot):
        env = server.env
        upcoming = await _history(bot, server.guild.id, server.chair.id, rounds)
        for number in range(HISTORY + 1, HISTORY + 1 + rounds):
            for command in ("agenda template", "agenda post"):
                result = await server.chair.slash(server.agenda, command, meeting=number)
                assert result.response is not None or result.followups, command
        published = await bot.db.fetchval("SELECT COUNT(*) FROM agenda_posts")
        assert published == rounds, f"{published} agendas published of {rounds}"

        finished: dict[int, float] = {}
        all_done = asyncio.Event()
        expected = 0
        original = bot.tree._call

        async def timed(interaction) -> None:
            try:
                await original(interaction)
            finally:
                finished[interaction.id] = time.perf_counter()
                if len(finished) == expected:
                    all_done.set()

        bot.tree._call = timed
        count = "SELECT COUNT(*) FROM contributions WHERE meeting_id IN (SELECT value FROM json_each(?))"
        before = await bot.db.fetchval(count, (json.dumps(upcoming),))
        for round_no in range(rounds):
            for command in COMMANDS:
                finished.clear()
                all_done.clear()
                expected = len(server.delegates)
                results = []
                with simultaneous(env):
                    for i, member in enumerate(server.delegates):
                        results.append(await member.slash(server.general, command, **_options(command, i, round_no)))
                released = time.perf_counter()  # every interaction has arrived: the burst starts now
                # Wait for the bot alone; simcord's settle (which inspects every pending task each time
                # one wakes up) runs only afterwards, so that its bookkeeping is not counted as the bot's.
                await asyncio.wait_for(all_done.wait(), timeout=300)
                await _listeners_done()
                await env.settle()
                answers = [_answer(r) for r in results]
                wanted = {
                    "ping": "pong",
                    "contribution register": "Registered",
                    "contribution list": "",
                    "agenda show": "",
                }[command]
                wrong = [a for a in answers if wanted not in a or "went wrong" in a]
                if wrong or len(finished) != len(results):
                    raise AssertionError(f"/{command}: {len(wrong)} unexpected answers, e.g. {wrong[:1]}")
                times[command].extend(t - released for t in finished.values())
        after = await bot.db.fetchval(count, (json.dumps(upcoming),))
        registered = rounds * members if "contribution register" in COMMANDS else 0
        assert after - before == registered, f"{after - before} registrations stored of {registered}"
    return times


async def run(quick: bool = False) -> list[Figure]:
    rounds = 1 if quick else 3
    members = 150
    with tempfile.TemporaryDirectory() as tmp:
        times = await isolated(lambda: measure(Path(tmp), rounds, members))
    bare = times["ping"]
    bare_p99, bare_med = percentile(bare, 99), median(bare)
    figures = []
    for command in COMMANDS[1:]:
        p99, med = percentile(times[command], 99), median(times[command])
        figures.append(
            Figure(
                f"4. /{command}, {members} at once: p99 (median {med * 1000:,.0f} ms, bare {bare_med * 1000:,.0f} ms)",
                p99,
                "s",
                "bare /ping p99",
                bare_p99,
                "p99 <= 3x bare",
                p99 <= 3 * bare_p99,
            )
        )
    return figures
