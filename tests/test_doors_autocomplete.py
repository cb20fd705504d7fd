"""Defect 3 of issue 11: an autocomplete shows only what its caller could read with the read command.

discord.py runs a command's checks for the command, never for its autocomplete; these tests type
into every item/number picker as a delegate and as an outsider, through the real bot (simcord).
"""

from __future__ import annotations

from test_agenda_bot import create

from storage.contributions import ContributionsRepo, NewContribution
from storage.timeutil import utcnow

SECRET = "Secret draft item on a sensitive case"
ORGANISER_ITEM_PICKERS = [
    ("agenda edit", "item"),
    ("agenda remove", "item"),
    ("agenda move", "item"),
    ("agenda add", "after"),
]


def names(choices) -> str:
    return " | ".join(c["name"] for c in choices)


async def test_the_draft_agenda_never_reaches_a_non_organiser_through_a_picker(world):
    await create(world, 19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Opening")
    await world.chair.slash(world.general, "agenda add", meeting=19, title=SECRET)

    for member in (world.delegate, world.outsider):
        for command, option in ORGANISER_ITEM_PICKERS:
            assert await member.autocomplete(world.general, command, option, "", meeting=19) == [], command
            assert await member.autocomplete(world.general, command, option, "secret", meeting=19) == []
        for command in ("contribution register", "contribution list"):
            offered = await member.autocomplete(world.general, command, "agenda_item", "", meeting=19)
            assert offered == [], (command, offered)  # nothing is published yet
        # the matching read command reveals nothing either
        r = await member.slash(world.general, "agenda show", meeting=19)
        assert SECRET not in r.response.content
        assert "has not been published yet" in r.response.content

    # the chair still picks from the draft
    chair = await world.chair.autocomplete(world.general, "agenda edit", "item", "", meeting=19)
    assert SECRET in names(chair)
    chair = await world.chair.autocomplete(world.general, "contribution register", "agenda_item", "", meeting=19)
    assert SECRET in names(chair)


async def test_after_publication_a_delegate_picks_from_the_published_agenda_only(world):
    await create(world, 19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Opening")
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Adoption of the agenda")
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title=SECRET)  # not published
    await world.chair.slash(world.general, "agenda edit", meeting=19, item="2", title="Renamed in the draft")

    shown = await world.delegate.slash(world.general, "agenda show", meeting=19)
    read = " ".join(e.description or "" for e in shown.response.embeds)
    assert "Adoption of the agenda" in read and SECRET not in read and "Renamed" not in read

    for command in ("contribution register", "contribution list"):
        offered = await world.delegate.autocomplete(world.general, command, "agenda_item", "", meeting=19)
        assert offered == [
            {"name": "1 Opening", "value": "1"},
            {"name": "2 Adoption of the agenda", "value": "2"},
        ], command
    for command, option in ORGANISER_ITEM_PICKERS:
        assert await world.delegate.autocomplete(world.general, command, option, "", meeting=19) == []
    assert r is not None


async def test_organiser_only_document_pickers_offer_a_delegate_nothing(world):
    meeting = await create(world, 19)
    await ContributionsRepo(world.bot.db).register(
        NewContribution(
            meeting_id=meeting.id,
            kind="contribution",
            title="Someone else's",
            source="Norway",
            submitter_id=1,
            received_at=utcnow(),
        )
    )
    await world.chair.slash(world.general, "agenda add", meeting=19, title=SECRET)
    for command in ("contribution accept", "contribution reject", "contribution assign"):
        assert await world.delegate.autocomplete(world.general, command, "number", "") == [], command
        assert await world.outsider.autocomplete(world.general, command, "number", "") == [], command
        assert len(await world.chair.autocomplete(world.general, command, "number", "")) == 1, command
    for member in (world.delegate, world.outsider):
        offered = await member.autocomplete(world.general, "contribution assign", "agenda_item", "", number="19/2")
        assert offered == []
    chair = await world.chair.autocomplete(world.general, "contribution assign", "agenda_item", "", number="19/2")
    assert SECRET in names(chair)
    # what /contribution show reads is public: the picker offers it to anyone
    assert len(await world.outsider.autocomplete(world.general, "contribution show", "number", "")) == 1


async def test_delegation_names_in_use_are_offered_to_organisers_only(world):
    await world.delegate2.slash(world.general, "delegation set", name="Youth Forum of Somewhere", type="organisation")
    for member in (world.delegate, world.outsider):
        offered = await member.autocomplete(world.general, "delegation set", "name", "youth", type="organisation")
        assert offered == [], offered
        states = await member.autocomplete(world.general, "delegation set", "name", "ghan")
        assert "Ghana" in [c["value"] for c in states]  # the Member States are public
    chair = await world.chair.autocomplete(world.general, "delegation set", "name", "youth", type="organisation")
    assert [c["value"] for c in chair] == ["Youth Forum of Somewhere"]


async def test_a_document_under_a_draft_item_does_not_publish_the_draft(world):
    """A delegate refers to the agenda as published; a document an organiser puts under a draft item
    is announced without the draft's title."""
    await create(world, 19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Opening")
    await world.chair.slash(world.general, "agenda post", meeting=19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title=SECRET)  # item 2, not published
    refused = await world.delegate.slash(
        world.general, "contribution register", title="Ours", source="Ghana", agenda_item="2"
    )
    assert "no agenda item `2`" in refused.response.content and SECRET not in refused.response.content
    assert "Its items are 1;" in refused.response.content or "Its items are 1 " in refused.response.content
    await world.delegate.slash(world.general, "contribution register", title="Ours", source="Ghana")
    await world.chair.slash(world.general, "contribution assign", number="19/2", agenda_item="2")
    announcement = world.contributions.last_message.embeds[0]
    fields = {f.name: f.value for f in announcement.fields}
    assert fields["Agenda item"] == "not on the published agenda yet", fields
    shown = await world.delegate.slash(world.general, "contribution show", number="19/2")
    fields = {f.name: f.value for f in shown.response.embeds[0].fields}
    assert fields["Agenda item"] == "not on the published agenda yet"
    assert all(SECRET not in (value or "") for value in fields.values())  # the history too
    told = world.delegate.user.dm_channel.last_message.content  # the submitter is told where it went
    assert "not on the published agenda yet" in told and SECRET not in told
    listed = await world.delegate.slash(world.general, "contribution list", meeting=19)
    assert "item 2" not in listed.response.embeds[0].description  # the draft's numbering stays with organisers
    chair = await world.chair.slash(world.general, "contribution show", number="19/2")
    assert any(SECRET in (f.value or "") for f in chair.response.embeds[0].fields)  # organisers read the draft
