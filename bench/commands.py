"""Figure 4: commands under load. 150 delegates issue the same command at the same instant, through
simcord, to the real bot; each one's handling time runs from that instant to the end of the bot's
handling of their interaction (discord.py's ``CommandTree._call``: the reply and everything the
command does are inside). The median and the 99th percentile over a few such bursts are compared with
a bare command that only replies (``/ping``, from the benchmark-only ``bench.bare_extension``) in the
same bot.

The database holds some history: 30 past meetings with their agendas and 20 documents each, and the
meeting the commands are about (31, opening in 30 days) with its published agenda and 20 documents.
``/contribution register`` is the full path: numbering in a transaction, the announcement post, the
receipt, and the agenda post refreshed with the new document (listeners started by the command).
"""

from __future__ import annotations

import asyncio
import contextlib
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


async def _history(bot, guild_id: int, chair_id: int) -> int:
    """30 past meetings (agenda, 20 documents each), and meeting 31 with 20 documents; its id."""
    meetings, documents = MeetingsRepo(bot.db), ContributionsRepo(bot.db)
    now = utcnow()
    target = 0
    for n in range(1, HISTORY + 2):
        starts = now + (timedelta(days=30) if n == HISTORY + 1 else -timedelta(days=180 * (HISTORY + 1 - n)))
        meeting = await meetings.create(
            guild_id=guild_id,
            number=n,
            title=f"{n}th meeting of CWG-COP",
            starts_at=starts,
            ends_at=starts + timedelta(hours=7),
            timezone="Europe/Zurich",
            created_by=chair_id,
        )
        target = meeting.id
        if n <= HISTORY:
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
    return target


def _options(command: str, member_index: int, round_no: int) -> dict[str, object]:
    if command == "contribution register":
        return {
            "title": f"Contribution from Country {member_index} on age assurance ({round_no})",
            "source": f"Country {member_index}",
            "meeting": HISTORY + 1,
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
        meeting_id = await _history(bot, server.guild.id, server.chair.id)
        for command in ("agenda template", "agenda post"):
            result = await server.chair.slash(server.agenda, command, meeting=HISTORY + 1)
            assert "31st meeting" in _answer(result) or result.followups or result.response, command
        assert server.agenda.last_message is not None, "the agenda was not published"

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
        before = await ContributionsRepo(bot.db).for_meeting(meeting_id)
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
        after = await ContributionsRepo(bot.db).for_meeting(meeting_id)
        registered = rounds * members if "contribution register" in COMMANDS else 0
        assert len(after) - len(before) == registered, "some registrations were lost"
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
