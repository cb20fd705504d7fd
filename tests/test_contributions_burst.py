"""150 delegates register in one burst under Discord's limits (tests/discord_limits.py), through the
real bot: every interaction acknowledged, every number given once, every document announced exactly
once, also when the bot is stopped in the middle of announcing and started again.

The per-channel bucket is 5 writes per 1 s here instead of Discord's 5 s, to keep the suite quick:
the mechanics (429s, discord.py's waits, the batching they cause) are the same. The bench runs the
real 5 s window (``python -m bench --only 4``).
"""

from __future__ import annotations

import re

import pytest
from test_contributions_concurrency import simultaneous
from test_contributions_support import announced_numbers, answer, make_meeting

from cogs.agenda import _post
from storage.contributions import ContributionsRepo
from tests.discord_limits import Limits, install

MEMBERS = 150
NUMBER = re.compile(r"Registered \*\*(CWG-COP-\S+)\*\*")


async def _burst(world, meeting_number: int):
    # Under the limits the bot works for seconds (discord.py waits for the buckets): settle that long.
    world.env.settle_timeout = 120.0
    members = [
        world.guild.add_member(world.env.create_user(f"burst{i}"), roles=[world.participant_role])
        for i in range(MEMBERS)
    ]
    results = []
    async with simultaneous(world.env):
        for i, member in enumerate(members):
            results.append(
                await member.slash(
                    world.general,
                    "contribution register",
                    title=f"Contribution {i} on age assurance",
                    source=f"Country {i}",
                    meeting=meeting_number,
                )
            )
    return results


def _numbers(results) -> list[str]:
    numbers = []
    for r in results:
        found = NUMBER.search(answer(r))
        assert found, answer(r)
        numbers.append(found.group(1))
    return numbers


EXPECTED = sorted(f"CWG-COP-19/{n}" for n in range(2, MEMBERS + 2))  # document 1 is the agenda


async def test_a_burst_of_150_registrations_under_discords_limits(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    with install(Limits(per_channel=5, window=1.0)) as limits:
        results = await _burst(world, 19)
        await world.env.settle()

    assert limits.expired == [], "interactions answered after Discord's 3 s deadline"
    assert len(limits.first_answer) == MEMBERS  # every interaction was acknowledged
    assert sorted(_numbers(results)) == EXPECTED  # every number given once, none skipped
    assert sorted(announced_numbers(world.contributions)) == EXPECTED  # each announced exactly once
    assert limits.writes[world.contributions.id] <= 15  # batched: not one post per document
    docs = await ContributionsRepo(db).for_meeting(meeting.id)
    assert all(d.announcement_message_id for d in docs)
    assert await db.fetchval("SELECT COUNT(*) FROM outbox WHERE state <> 'sent'") == 0


@pytest.mark.parametrize("crash", [False, True], ids=["stopped", "crashed"])
async def test_a_stop_in_the_middle_of_announcing_loses_and_repeats_nothing(world, db, harness, crash):
    """The third announcement reaches Discord but its answer never reaches the bot (as if the process
    stopped right then); the bot is restarted: the announcement is found in the channel, not posted
    again, and the rest is posted."""
    await make_meeting(db, world.guild.id, 19)
    channel_id = world.contributions.id
    with install(Limits(per_channel=5, window=1.0)) as limits:
        limits.stall = lambda channel, n: channel == channel_id and n == 3
        results = await _burst(world, 19)
        await world.env.settle()
        assert limits.stalled == [channel_id]
        numbers = _numbers(results)  # every receipt came: none waited for an announcement
        before = announced_numbers(world.contributions)
        assert len(before) < MEMBERS, "the stop came after everything was announced"
        unsent = await db.fetchval("SELECT COUNT(*) FROM outbox WHERE state <> 'sent'")
        assert unsent > 0
        limits.stall = None
        bot = await harness.restart(crash=crash)
        await world.env.settle()

    assert limits.expired == []
    assert sorted(numbers) == EXPECTED
    assert sorted(announced_numbers(world.contributions)) == EXPECTED  # nothing lost, nothing twice
    assert await bot.db.fetchval("SELECT COUNT(*) FROM outbox WHERE state <> 'sent'") == 0


async def test_a_burst_refreshes_the_agenda_post_a_few_times_not_once_per_document(world, db, monkeypatch):
    renders = []
    real_render = _post.render

    def counted(*args, **kwargs):
        renders.append(1)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(_post, "render", counted)
    await make_meeting(db, world.guild.id, 19)
    for command in ("agenda template", "agenda post"):
        await world.chair.slash(world.general, command, meeting=19)
    post = [m for m in world.agenda.history() if m.embeds]
    assert post, "the agenda was not posted"
    renders.clear()
    with install(Limits(per_channel=5, window=1.0)) as limits:
        results = await _burst(world, 19)
        await world.env.settle()
    assert sorted(_numbers(results)) == EXPECTED
    shown = " ".join(e.description or "" for m in world.agenda.history() for e in m.embeds)
    assert "19/151" in shown and "19/2" in shown  # the post ends up listing every document
    # At once after the first registration, then at most every REFRESH_INTERVAL: a few edits of each
    # message of the post, where one refresh per registration would be 150 of each.
    assert limits.writes[world.agenda.id] <= 4 * len(post)
    assert len(renders) <= 4  # the post is rebuilt a few times (150 without the pacing)
