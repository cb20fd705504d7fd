"""Reading the documents: pages, the full record, pickers (autocomplete), exports, announcements."""

from __future__ import annotations

from datetime import timedelta

from test_contributions_support import (
    PDF,
    STANDARD_AGENDA,
    add_agenda,
    ephemeral_answer,
    make_meeting,
    snapshot,
)

from storage.contributions import ContributionsRepo, NewContribution
from storage.guild_settings import GuildSettingsRepo
from storage.timeutil import utcnow


async def register_many(db, meeting_id: int, count: int, *, submitter_id: int = 1) -> None:
    repo = ContributionsRepo(db)
    for i in range(1, count + 1):
        await repo.register(
            NewContribution(
                meeting_id=meeting_id,
                kind="contribution",
                title=f"Document {i}",
                source=f"Source {i}",
                submitter_id=submitter_id,
                received_at=utcnow(),
            )
        )


def numbers_on(embed) -> list[str]:
    return [line.split("**")[1] for line in embed.description.splitlines() if line.startswith("**")]


async def test_list_pages_with_buttons(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    await register_many(db, meeting.id, 23)
    r = await world.delegate.slash(world.general, "contribution list", meeting=19)
    page = r.response.embeds[0]
    assert page.footer.text == "Page 1 of 3 · 23 documents · CWG-COP-19/1 is the agenda (/agenda show)"
    assert numbers_on(page) == [f"CWG-COP-19/{n}" for n in range(2, 12)]  # the first contribution is /2

    nxt = await world.delegate.click(r.response, label="Next ▶")
    assert nxt.response is not None
    message = world.general.history(viewer=world.delegate)[-1]
    assert message.embeds[0].footer.text == "Page 2 of 3 · 23 documents · CWG-COP-19/1 is the agenda (/agenda show)"
    assert numbers_on(message.embeds[0]) == [f"CWG-COP-19/{n}" for n in range(12, 22)]
    await world.delegate.click(message, label="Next ▶")
    message = world.general.history(viewer=world.delegate)[-1]
    assert numbers_on(message.embeds[0]) == ["CWG-COP-19/22", "CWG-COP-19/23", "CWG-COP-19/24"]
    buttons = {c["label"]: c for row in message.components for c in row.to_dict()["components"]}
    assert buttons["Next ▶"]["disabled"] is True
    assert buttons["◀ Previous"]["disabled"] is False


async def test_list_filters_by_source_and_status(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    await register_many(db, meeting.id, 12)
    r = await world.delegate.slash(world.general, "contribution list", source="source 1")
    page = r.response.embeds[0]
    # Source 1, Source 10, Source 11, Source 12: documents /2, /11, /12, /13 (contributions start at /2)
    assert numbers_on(page) == ["CWG-COP-19/2", "CWG-COP-19/11", "CWG-COP-19/12", "CWG-COP-19/13"]
    assert (
        page.footer.text
        == "4 documents · Filtered: source contains “source 1” · CWG-COP-19/1 is the agenda (/agenda show)"
    )
    r = await world.delegate.slash(world.general, "contribution list", status="late")
    assert "No document of the 19th meeting matches those filters." in r.response.embeds[0].description


async def test_list_without_documents_or_meetings(world, db):
    r = await world.delegate.slash(world.general, "contribution list")
    assert "no meetings yet" in ephemeral_answer(r)
    await make_meeting(db, world.guild.id, 18, starts_in=timedelta(days=-20))
    r = await world.delegate.slash(world.general, "contribution list")  # the latest meeting, when none is ahead
    assert r.response.embeds[0].title == "Documents of the 18th meeting"
    assert "No documents are registered for the 18th meeting yet." in r.response.embeds[0].description


async def test_number_picker_values_are_unambiguous_and_typed_numbers_resolve(world, db):
    m18 = await make_meeting(db, world.guild.id, 18, starts_in=timedelta(days=-200))
    m19 = await make_meeting(db, world.guild.id, 19)
    m20 = await make_meeting(db, world.guild.id, 20, starts_in=timedelta(days=200))
    m17 = await make_meeting(db, world.guild.id, 17, starts_in=timedelta(days=-400))
    for m in (m17, m18, m19, m20):
        await register_many(db, m.id, 3 if m is not m20 else 1)
    await world.secretary.slash(
        world.general, "contribution register", title="Secretariat update", source="ITU", kind="information"
    )
    choices = await world.outsider.autocomplete(world.general, "contribution show", "number", "")
    values = [c["value"] for c in choices]
    # the next meeting first, then later ones, then the past (latest first)
    assert values[:4] == ["CWG-COP-19/2", "CWG-COP-19/3", "CWG-COP-19/4", "CWG-COP-19/INF/1"]
    assert values[4:] == [
        "CWG-COP-20/2",
        *(f"CWG-COP-18/{n}" for n in (2, 3, 4)),
        *(f"CWG-COP-17/{n}" for n in (2, 3, 4)),
    ]
    assert len(set(values)) == len(values)
    assert choices[3]["name"] == "CWG-COP-19/INF/1 · Submitted · Secretariat update"
    choices = await world.outsider.autocomplete(world.general, "contribution show", "number", "18/2")
    assert [c["value"] for c in choices] == ["CWG-COP-18/2"]
    choices = await world.outsider.autocomplete(world.general, "contribution show", "number", "secretariat")
    assert [c["value"] for c in choices] == ["CWG-COP-19/INF/1"]

    for typed in ("CWG-COP-19/INF/1", "19/inf/1", "cwg-cop-19/INF/1(Rev.3)"):
        r = await world.outsider.slash(world.general, "contribution show", number=typed)
        assert r.response.embeds[0].title == "CWG-COP-19/INF/1 · Secretariat update", typed


async def test_revise_and_withdraw_pickers_offer_a_delegate_only_their_own(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    await register_many(db, meeting.id, 2, submitter_id=world.delegate2.id)
    await world.delegate.slash(world.general, "contribution register", title="Mine", source="Ghana")
    for command in ("contribution revise", "contribution withdraw"):
        mine = await world.delegate.autocomplete(world.general, command, "number", "")
        assert [c["value"] for c in mine] == ["CWG-COP-19/4"], command  # after delegate2's /2 and /3
        everything = await world.chair.autocomplete(world.general, command, "number", "")
        assert len(everything) == 3
    shown = await world.delegate.autocomplete(world.general, "contribution show", "number", "")
    assert len(shown) == 3


async def test_agenda_item_and_source_pickers(world, db):
    m19 = await make_meeting(db, world.guild.id, 19)
    m20 = await make_meeting(db, world.guild.id, 20, starts_in=timedelta(days=200))
    await add_agenda(db, m19.id, STANDARD_AGENDA, published=False)
    await add_agenda(db, m20.id, [("Opening", []), ("Youth consultation results", [])], published=False)
    await register_many(db, m19.id, 2)
    # a delegate picks from the published agenda only (issue 11, defect 3)
    assert await world.delegate.autocomplete(world.general, "contribution register", "agenda_item", "") == []
    for number in (19, 20):
        await world.chair.slash(world.general, "agenda post", meeting=number)

    default = await world.delegate.autocomplete(world.general, "contribution register", "agenda_item", "")
    assert [c["value"] for c in default] == ["1", "2", "3", "4", "4.1", "4.2", "5"]  # the next meeting
    assert default[4]["name"] == "4.1 Age assurance"
    for_20 = await world.delegate.autocomplete(
        world.general, "contribution register", "agenda_item", "youth", meeting=20
    )
    assert for_20 == [{"name": "2 Youth consultation results", "value": "2"}]

    assign = await world.chair.autocomplete(world.general, "contribution assign", "agenda_item", "educ", number="19/2")
    assert [c["value"] for c in assign] == ["4.2", "none"]

    sources = await world.delegate.autocomplete(world.general, "contribution list", "source", "2")
    assert [c["value"] for c in sources] == ["Source 2"]


async def test_organisers_revising_or_withdrawing_tell_the_submitter(world, db):
    await make_meeting(db, world.guild.id, 19)
    await world.delegate.slash(world.general, "contribution register", title="Ours", source="Ghana")
    r = await world.secretary.slash(world.general, "contribution revise", number="19/2", link="https://example.org/a")
    assert "told by direct message" in ephemeral_answer(r)
    assert "it is now **CWG-COP-19/2(Rev.1)**" in world.delegate.user.dm_channel.last_message.content
    r = await world.chair.slash(world.general, "contribution withdraw", number="19/2", reason="At the author's request")
    assert "told by direct message" in ephemeral_answer(r)
    assert "was **withdrawn**" in world.delegate.user.dm_channel.last_message.content
    # the submitter acting on their own document is not messaged about it
    await world.delegate.slash(world.general, "contribution register", title="Second", source="Ghana")
    dms = len(world.delegate.user.dm_channel.history())
    await world.delegate.slash(world.general, "contribution withdraw", number="19/3")
    assert len(world.delegate.user.dm_channel.history()) == dms


async def test_submitter_out_of_reach(world, db, simcord_env):
    await make_meeting(db, world.guild.id, 19)
    await world.delegate.slash(world.general, "contribution register", title="Ours", source="Ghana")
    await GuildSettingsRepo(db).update(world.guild.id, contributions_channel_id=None)
    dm = world.delegate.user.dm_channel
    simcord_env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007, message="closed")
    r = await world.chair.slash(world.general, "contribution accept", number="19/2")
    text = ephemeral_answer(r)
    assert "is accepted" in text and "could not reach the submitter" in text


async def test_a_failed_announcement_is_reported_and_the_document_kept(world, db, simcord_env):
    await make_meeting(db, world.guild.id, 19)
    simcord_env.inject_error("POST", f"/channels/{world.contributions.id}/messages", status=500)
    r = await world.delegate.slash(
        world.general, "contribution register", title="Ours", source="Ghana", file=("a.pdf", PDF)
    )
    text = ephemeral_answer(r)
    assert "Registered **CWG-COP-19/2**" in text
    assert "could not post the announcement" in text
    assert "attach it again with `/contribution revise`" in text
    doc = await ContributionsRepo(db).by_number(world.guild.id, 19, "contribution", 2)
    assert doc.file_message_url is None and doc.announcement_message_id is None
    r = await world.delegate.slash(
        world.general, "contribution revise", number="19/2", file=("a-again.pdf", PDF + b"x")
    )
    assert "Announced here" in ephemeral_answer(r)
    assert (await ContributionsRepo(db).get(doc.id)).file_message_url is not None


async def test_registration_without_a_contributions_channel(world, db):
    await make_meeting(db, world.guild.id, 19)
    await GuildSettingsRepo(db).update(world.guild.id, contributions_channel_id=None)
    r = await world.delegate.slash(world.general, "contribution register", title="Ours", source="Ghana")
    text = ephemeral_answer(r)
    assert "Registered **CWG-COP-19/2**" in text and "no contributions channel is set up" in text


async def test_export_of_a_meeting_without_documents(world, db):
    await make_meeting(db, world.guild.id, 19)
    before = await snapshot(db)
    r = await world.outsider.slash(world.general, "contribution export", format="md")
    assert "(0 documents, in number order)" in r.response.content
    assert b"No documents registered." in await r.response.attachments[0].read()
    assert await snapshot(db) == before


async def test_long_titles_make_shorter_pages(world, db):
    meeting = await make_meeting(db, world.guild.id, 19)
    repo = ContributionsRepo(db)
    for i in range(12):
        await repo.register(
            NewContribution(
                meeting_id=meeting.id,
                kind="contribution",
                title=f"{i} " + "*_" * 99,
                source="~|" * 50,
                submitter_id=1,
                received_at=utcnow(),
            )
        )
    r = await world.delegate.slash(world.general, "contribution list")
    first = r.response.embeds[0]
    assert len(first.description) <= 4096
    shown = len(numbers_on(first))
    assert 1 <= shown < 10
    assert first.footer.text.startswith("Page 1 of ")
