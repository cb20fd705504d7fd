"""Several members register at the same instant, through the real bot: distinct, consecutive numbers."""

from __future__ import annotations

import contextlib
import re

import pytest
from test_contributions_support import announced_numbers, answer, make_meeting, post_agenda_with_button

from cogs.contributions import _cog
from storage.contributions import ContributionsRepo


@contextlib.asynccontextmanager
async def simultaneous(env):
    """Interactions sent inside the block reach the bot together: each actor call returns as soon as
    its event is emitted (simcord normally lets the bot finish first), then the bot handles them all
    at once when the block ends."""

    async def emit_only(**_: object) -> None:
        return None

    env._settle_internal = emit_only
    try:
        yield
    finally:
        del env._settle_internal
    await env.settle()


@pytest.fixture
def in_flight(monkeypatch):
    """How many registrations the bot was processing at the same time, at most."""
    seen = {"now": 0, "max": 0}
    original = _cog.ContributionsCog._submit

    async def counting(self, *args, **kwargs):
        seen["now"] += 1
        seen["max"] = max(seen["max"], seen["now"])
        try:
            return await original(self, *args, **kwargs)
        finally:
            seen["now"] -= 1

    monkeypatch.setattr(_cog.ContributionsCog, "_submit", counting)
    return seen


NUMBER = re.compile(r"Registered \*\*(CWG-COP-19/(?:INF/)?\d+)\*\*")


async def test_members_registering_at_once_get_distinct_consecutive_numbers(world, db, in_flight):
    meeting = await make_meeting(db, world.guild.id, 19)
    members = [world.delegate, world.delegate2, world.chair, world.secretary] * 3
    results = []
    async with simultaneous(world.env):
        for i, member in enumerate(members):
            kind = "information" if i % 4 == 3 else "contribution"
            results.append(
                await member.slash(
                    world.general, "contribution register", title=f"Document {i}", source=member.name, kind=kind
                )
            )

    assert in_flight["max"] > 1, "the registrations were not handled concurrently"
    numbers = [NUMBER.search(answer(r)).group(1) for r in results]
    # 9 contributions: /2 to /10 (document 1 is the agenda); 3 information documents: INF/1 to INF/3
    assert sorted(n for n in numbers if "/INF/" not in n) == sorted(f"CWG-COP-19/{n}" for n in range(2, 11))
    assert sorted(n for n in numbers if "/INF/" in n) == sorted(f"CWG-COP-19/INF/{n}" for n in range(1, 4))
    # each receipt names the document its sender registered
    docs = {d.base_number: d for d in await ContributionsRepo(db).for_meeting(meeting.id)}
    for i, (member, number) in enumerate(zip(members, numbers, strict=True)):
        assert (docs[number].title, docs[number].submitter_id) == (f"Document {i}", member.id)
    assert sorted(announced_numbers(world.contributions)) == sorted(numbers)


async def test_form_submissions_at_once(world, db, in_flight):
    meeting = await make_meeting(db, world.guild.id, 19)
    post = await post_agenda_with_button(world, meeting.id)
    members = [world.delegate, world.delegate2, world.chair, world.secretary]
    forms = [await m.click(post, label="Register a contribution") for m in members]
    results = []
    async with simultaneous(world.env):
        for i, (member, form) in enumerate(zip(members, forms, strict=True)):
            results.append(await member.submit_modal(form, {"title": f"Form {i}", "source": "Somewhere"}))
    assert in_flight["max"] > 1
    numbers = sorted(NUMBER.search(answer(r)).group(1) for r in results)
    assert numbers == [f"CWG-COP-19/{n}" for n in range(2, 6)]  # 1 is the agenda
