"""The agenda post's "Register a contribution" button and its form, before and after a restart."""

from __future__ import annotations

from datetime import timedelta

from test_contributions_support import (
    STANDARD_AGENDA,
    add_agenda,
    ephemeral_answer,
    make_meeting,
    post_agenda_with_button,
    snapshot,
)

from storage.contributions import ContributionsRepo
from storage.meetings import MeetingsRepo

BUTTON = "Register a contribution"


def form_fields(shown) -> dict[str, dict]:
    """custom_id → the text input, from the modal the user sees."""
    out = {}
    for row in shown.modal["components"]:
        for component in row.get("components", []):
            out[component["custom_id"]] = component
    return out


async def test_button_opens_the_form_and_registers(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    items = await add_agenda(db, meeting.id, STANDARD_AGENDA)
    post = await post_agenda_with_button(world, meeting.id)

    shown = await world.delegate.click(post, label=BUTTON)
    assert shown.modal["title"] == "Register a document: 19th meeting"
    fields = form_fields(shown)
    assert list(fields) == ["title", "source", "agenda_item", "abstract"]
    assert fields["title"]["required"] and fields["title"]["max_length"] == 200
    assert fields["source"]["max_length"] == 100
    assert not fields["agenda_item"]["required"]
    assert "4.1" in fields["agenda_item"]["placeholder"]

    r = await world.delegate.submit_modal(
        shown,
        {
            "title": "Digital literacy in schools",
            "source": "Kenya",
            "agenda_item": "item 4.2",
            "abstract": "Two findings.\n\nAnd a proposal.",
        },
    )
    text = ephemeral_answer(r)
    assert "Registered **CWG-COP-19/2**: “Digital literacy in schools”" in text
    doc = await ContributionsRepo(db).by_number(world.guild.id, 19, "contribution", 2)
    assert (doc.source, doc.agenda_item_id, doc.abstract) == ("Kenya", items["4.2"], "Two findings.\n\nAnd a proposal.")
    assert doc.kind == "contribution" and doc.submitter_id == world.delegate.id
    assert world.contributions.last_message.embeds[0].title == "CWG-COP-19/2 · Digital literacy in schools"


async def test_button_still_works_after_a_restart(world, db, harness):
    meeting = await make_meeting(db, world.guild.id, 19)
    post = await post_agenda_with_button(world, meeting.id)
    await world.delegate.submit_modal(
        await world.delegate.click(post, label=BUTTON), {"title": "Before", "source": "Ghana"}
    )

    await harness.restart()

    shown = await world.delegate2.click(post, label=BUTTON)
    assert shown.modal is not None
    r = await world.delegate2.submit_modal(shown, {"title": "After the restart", "source": "Brazil"})
    assert "Registered **CWG-COP-19/3**" in ephemeral_answer(r)
    docs = await ContributionsRepo(harness.env.bot.db).for_meeting(meeting.id)
    assert [d.title for d in docs] == ["Before", "After the restart"]


async def test_button_refuses_outsiders_and_closed_meetings_before_the_form(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    post = await post_agenda_with_button(world, meeting.id)

    r = await world.outsider.click(post, label=BUTTON)
    assert r.modal is None
    assert "for meeting participants" in ephemeral_answer(r)

    await MeetingsRepo(db).update(meeting.id, status="cancelled")
    r = await world.delegate.click(post, label=BUTTON)
    assert r.modal is None
    assert "was cancelled" in ephemeral_answer(r)
    assert await db.fetchval("SELECT COUNT(*) FROM contributions") == 0


async def test_button_of_a_finished_meeting(world, db):
    meeting = await make_meeting(db, world.guild.id, 18, starts_in=timedelta(days=-10))
    post = await post_agenda_with_button(world, meeting.id)
    r = await world.delegate.click(post, label=BUTTON)
    assert r.modal is None
    assert "has ended" in ephemeral_answer(r)


async def test_a_refused_form_comes_back_filled_in(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    items = await add_agenda(db, meeting.id, STANDARD_AGENDA)
    post = await post_agenda_with_button(world, meeting.id)
    before = await snapshot(db)

    shown = await world.delegate.click(post, label=BUTTON)
    r = await world.delegate.submit_modal(
        shown, {"title": "Safety by design", "source": "ECPAT", "agenda_item": "6.1", "abstract": "Long thought."}
    )
    assert "no agenda item `6.1`" in r.response.content
    assert "Edit the form" in r.response.content
    assert r.response.ephemeral
    assert await snapshot(db) == before

    again = await world.delegate.click(r.response, label="Edit the form")
    fields = form_fields(again)
    assert fields["title"]["value"] == "Safety by design"
    assert fields["source"]["value"] == "ECPAT"
    assert fields["agenda_item"]["value"] == "6.1"
    assert fields["abstract"]["value"] == "Long thought."
    r = await world.delegate.submit_modal(
        again, {"title": "Safety by design", "source": "ECPAT", "agenda_item": "4.1", "abstract": "Long thought."}
    )
    assert "Registered **CWG-COP-19/2**" in ephemeral_answer(r)
    doc = await ContributionsRepo(db).by_number(world.guild.id, 19, "contribution", 2)
    assert doc.agenda_item_id == items["4.1"]


async def test_the_form_asks_before_duplicating(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    post = await post_agenda_with_button(world, meeting.id)
    await world.delegate.slash(world.general, "contribution register", title="Age assurance", source="Ghana")
    before = await snapshot(db)

    shown = await world.delegate2.click(post, label=BUTTON)
    r = await world.delegate2.submit_modal(shown, {"title": "Age Assurance", "source": "Ghana"})
    assert "already has **CWG-COP-19/2**" in r.response.content
    assert await snapshot(db) == before
    click = await world.delegate2.click(r.response, label="Register anyway")
    assert "Registered **CWG-COP-19/3**" in ephemeral_answer(click)


async def test_a_form_opened_before_a_restart_still_registers(world, db, harness):
    meeting = await make_meeting(db, world.guild.id, 19)
    items = await add_agenda(db, meeting.id, STANDARD_AGENDA)
    post = await post_agenda_with_button(world, meeting.id)
    shown = await world.delegate.click(post, label=BUTTON)

    await harness.restart()  # the delegate is still typing

    r = await world.delegate.submit_modal(
        shown, {"title": "Typed across a restart", "source": "Ghana", "agenda_item": "4.1", "abstract": "Kept."}
    )
    assert "Registered **CWG-COP-19/2**: “Typed across a restart”" in ephemeral_answer(r)
    doc = await ContributionsRepo(harness.env.bot.db).by_number(world.guild.id, 19, "contribution", 2)
    assert (doc.source, doc.agenda_item_id, doc.abstract) == ("Ghana", items["4.1"], "Kept.")


async def test_a_form_is_handled_once(world, db):
    """The open form's own handler and the restart fallback never both register it."""
    meeting = await make_meeting(db, world.guild.id, 19)
    post = await post_agenda_with_button(world, meeting.id)
    shown = await world.delegate.click(post, label=BUTTON)
    r = await world.delegate.submit_modal(shown, {"title": "Once", "source": "Ghana"})
    text = ephemeral_answer(r)
    assert text.startswith("Registered **CWG-COP-19/2**")
    assert "already has" not in text
    assert r.followups == []  # one answer: nobody else answered the same submission
    assert await db.fetchval("SELECT COUNT(*) FROM contributions") == 1
