"""Every refused input gets a clear ephemeral answer, and the database (and the channel) stay unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from test_contributions_support import (
    PDF,
    STANDARD_AGENDA,
    add_agenda,
    ephemeral_answer,
    make_meeting,
    snapshot,
)

from cogs.contributions import _rules
from storage.contributions import ContributionsRepo, NewContribution
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import MeetingsRepo
from storage.timeutil import utcnow

Setup = Callable[[Any, Any], Awaitable[None]]


@dataclass
class Case:
    id: str
    actor: str
    command: str
    options: dict[str, Any]
    says: str
    setup: Setup | None = None


async def cancel_19(world, db) -> None:
    meeting = await MeetingsRepo(db).by_number(world.guild.id, 19)
    await MeetingsRepo(db).update(meeting.id, status="cancelled", cancel_reason="Moved online")


async def past_meeting_18(world, db) -> None:
    await make_meeting(db, world.guild.id, 18, starts_in=timedelta(days=-30))


async def past_meeting_18_with_document(world, db) -> None:
    meeting = await make_meeting(db, world.guild.id, 18, starts_in=timedelta(days=-30))
    await ContributionsRepo(db).register(
        NewContribution(
            meeting_id=meeting.id,
            kind="contribution",
            title="Old",
            source="Ghana",
            submitter_id=world.delegate.id,
            received_at=utcnow() - timedelta(days=40),
        )
    )


async def one_mb_limit(world, db) -> None:
    await GuildSettingsRepo(db).update(world.guild.id, max_file_mb=1)


async def no_contributions_channel(world, db) -> None:
    await GuildSettingsRepo(db).update(world.guild.id, contributions_channel_id=None)


async def withdraw_19_2(world, db) -> None:
    doc = await ContributionsRepo(db).by_number(world.guild.id, 19, "contribution", 2)
    await ContributionsRepo(db).change(doc.id, actor_id=world.delegate.id, decide=_rules.withdraw(None))


AGENDA_IS_19_1 = (
    "CWG-COP-19/1 is the agenda of the 19th meeting: document 1 of every meeting is its agenda, and "
    "contributions are numbered from CWG-COP-19/2. Read the agenda with `/agenda show meeting:19` or "
    "download it with `/agenda export meeting:19`."
)
REGISTER = "contribution register"
OK = {"title": "A new document", "source": "Kenya"}

CASES = [
    # -- registering ----------------------------------------------------------------------------
    Case("empty title", "delegate2", REGISTER, {**OK, "title": "   "}, "The title is empty"),
    Case("long title", "delegate2", REGISTER, {**OK, "title": "t" * 201}, "keep it to 200 characters"),
    Case("empty source", "delegate2", REGISTER, {**OK, "source": " "}, "The source is empty"),
    Case("long source", "delegate2", REGISTER, {**OK, "source": "s" * 101}, "keep it to 100 characters"),
    Case("long abstract", "delegate2", REGISTER, {**OK, "abstract": "a" * 1001}, "abstract is too long"),
    Case("unknown meeting", "delegate2", REGISTER, {**OK, "meeting": 99}, "no 99th meeting"),
    Case("unknown agenda item", "delegate2", REGISTER, {**OK, "agenda_item": "9"}, "no agenda item `9`"),
    Case("ftp link", "delegate2", REGISTER, {**OK, "link": "ftp://example.org/a.pdf"}, "http:// or https://"),
    Case("not a link", "delegate2", REGISTER, {**OK, "link": "see the ITU site"}, "http:// or https://"),
    Case("script link", "delegate2", REGISTER, {**OK, "link": "javascript:alert(1)"}, "http:// or https://"),
    Case("file type", "delegate2", REGISTER, {**OK, "file": ("setup.exe", b"MZ")}, "is a .exe file"),
    Case("empty file", "delegate2", REGISTER, {**OK, "file": ("empty.pdf", b"")}, "is empty"),
    Case(
        "file too large",
        "delegate2",
        REGISTER,
        {**OK, "file": ("big.pdf", b"%" * (1024 * 1024 + 1))},
        "accepts files up to 1 MB",
        setup=one_mb_limit,
    ),
    Case(
        "file without a channel to keep it",
        "delegate2",
        REGISTER,
        {**OK, "file": ("a.pdf", PDF)},
        "none is set up",
        setup=no_contributions_channel,
    ),
    Case("cancelled meeting", "delegate2", REGISTER, {**OK, "meeting": 19}, "was cancelled", setup=cancel_19),
    Case("ended meeting", "delegate2", REGISTER, {**OK, "meeting": 18}, "has ended", setup=past_meeting_18),
    Case("not a participant", "outsider", REGISTER, OK, "for meeting participants"),
    # -- managing -------------------------------------------------------------------------------
    Case("revise another's", "delegate2", "contribution revise", {"number": "19/2", "title": "Mine"}, "Only the"),
    Case("revise nothing", "delegate", "contribution revise", {"number": "19/2"}, "Nothing to revise"),
    Case(
        "revise to the same title",
        "delegate",
        "contribution revise",
        {"number": "19/2", "title": "Age assurance"},
        "Nothing to revise",
    ),
    Case("revise with a bad link", "delegate", "contribution revise", {"number": "19/2", "link": "x"}, "http://"),
    Case(
        "revise with a bad file",
        "delegate",
        "contribution revise",
        {"number": "19/2", "file": ("a.zipx", b"1")},
        "is a .zipx file",
    ),
    Case(
        "revise after the meeting",
        "delegate",
        "contribution revise",
        {"number": "18/2", "title": "Too late"},
        "has ended",
        setup=past_meeting_18_with_document,
    ),
    Case(
        "revise a withdrawn document",
        "delegate",
        "contribution revise",
        {"number": "19/2", "title": "Back"},
        "was withdrawn",
        setup=withdraw_19_2,
    ),
    Case("withdraw another's", "delegate2", "contribution withdraw", {"number": "19/2"}, "Only the"),
    Case("withdraw twice", "delegate", "contribution withdraw", {"number": "19/2"}, "already withdrawn", withdraw_19_2),
    Case(
        "overlong reason",
        "delegate",
        "contribution withdraw",
        {"number": "19/2", "reason": "r" * 501},
        "keep it to 500",
    ),
    Case("accept as a delegate", "delegate", "contribution accept", {"number": "19/2"}, "for the meeting organisers"),
    Case("reject as a delegate", "delegate", "contribution reject", {"number": "19/2"}, "for the meeting organisers"),
    Case(
        "assign as a delegate",
        "delegate",
        "contribution assign",
        {"number": "19/2", "agenda_item": "4.2"},
        "for the meeting organisers",
    ),
    Case(
        "assign to an unknown item",
        "chair",
        "contribution assign",
        {"number": "19/2", "agenda_item": "7.3"},
        "no agenda item `7.3`",
    ),
    Case(
        "assign to the same item",
        "chair",
        "contribution assign",
        {"number": "19/2", "agenda_item": "4.1"},
        "already under agenda item 4.1",
    ),
    Case("accept twice", "chair", "contribution accept", {"number": "19/2"}, "already accepted", setup=None),
    Case("accept a withdrawn one", "chair", "contribution accept", {"number": "19/2"}, "withdrawn", withdraw_19_2),
    Case("unknown number", "chair", "contribution accept", {"number": "19/9"}, "no document CWG-COP-19/9"),
    # -- document 1 is the meeting's agenda, not a contribution ------------------------------------
    Case("show the agenda's number", "outsider", "contribution show", {"number": "19/1"}, AGENDA_IS_19_1),
    Case("accept the agenda's number", "chair", "contribution accept", {"number": "CWG-COP-19/1"}, AGENDA_IS_19_1),
    Case("revise the agenda's number", "delegate", "contribution revise", {"number": "19/1", "title": "X"}, "/agenda"),
    Case("/1 of an unknown meeting", "outsider", "contribution show", {"number": "42/1"}, "no document CWG-COP-42/1"),
    Case("not a number", "chair", "contribution reject", {"number": "hello"}, "not a document number"),
    Case("show unknown number", "outsider", "contribution show", {"number": "CWG-COP-19/INF/4"}, "no document"),
    Case("list an unknown item", "outsider", "contribution list", {"agenda_item": "12"}, "no agenda item `12`"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_refused_inputs_change_nothing(world, db, case: Case):
    meeting = await make_meeting(db, world.guild.id, 19)
    await add_agenda(db, meeting.id, STANDARD_AGENDA)
    r = await world.delegate.slash(world.general, REGISTER, title="Age assurance", source="Ghana", agenda_item="4.1")
    assert "Registered **CWG-COP-19/2**" in ephemeral_answer(r)  # the first contribution: /1 is the agenda
    if case.id == "accept twice":
        await world.chair.slash(world.general, "contribution accept", number="19/2")
    if case.setup is not None:
        await case.setup(world, db)
    before = await snapshot(db)
    channel_before = [m.id for m in world.contributions.history()]

    r = await getattr(world, case.actor).slash(world.general, case.command, **case.options)

    assert case.says in ephemeral_answer(r)
    assert await snapshot(db) == before
    assert [m.id for m in world.contributions.history()] == channel_before


async def test_no_upcoming_meeting_and_none_chosen(world, db):
    await make_meeting(db, world.guild.id, 18, starts_in=timedelta(days=-30))
    r = await world.delegate.slash(world.general, REGISTER, **OK)
    assert "There is no upcoming meeting" in ephemeral_answer(r)
    assert await db.fetchval("SELECT COUNT(*) FROM contributions") == 0


async def test_same_title_and_source_asks_first_and_cancel_stores_nothing(world, db):
    await make_meeting(db, world.guild.id, 19)
    await world.delegate.slash(world.general, REGISTER, title="Age assurance", source="Ghana")
    before = await snapshot(db)
    r = await world.delegate2.slash(world.general, REGISTER, title="  AGE  assurance ", source="ghana")
    prompt = r.response
    assert prompt.ephemeral
    assert "already has **CWG-COP-19/2** “Age assurance” from Ghana" in prompt.content
    assert await snapshot(db) == before

    click = await world.delegate2.click(prompt, label="Cancel")
    assert click.response.content == "Cancelled: nothing was registered."
    assert await snapshot(db) == before


async def test_register_anyway_makes_a_second_document(world, db):
    await make_meeting(db, world.guild.id, 19)
    await world.delegate.slash(world.general, REGISTER, title="Age assurance", source="Ghana")
    r = await world.delegate.slash(world.general, REGISTER, title="Age assurance", source="Ghana")
    click = await world.delegate.click(r.response, label="Register anyway")
    assert "Registered **CWG-COP-19/3**" in ephemeral_answer(click)
    assert await db.fetchval("SELECT COUNT(*) FROM contributions") == 2


async def test_register_anyway_rechecks_the_meeting(world, db):
    """The question may stay open for minutes: a meeting cancelled meanwhile takes nothing."""
    await make_meeting(db, world.guild.id, 19)
    await world.delegate.slash(world.general, REGISTER, title="Age assurance", source="Ghana")
    r = await world.delegate.slash(world.general, REGISTER, title="Age assurance", source="Ghana")
    await cancel_19(world, db)
    before = await snapshot(db)
    click = await world.delegate.click(r.response, label="Register anyway")
    assert "was cancelled" in ephemeral_answer(click)
    assert await snapshot(db) == before
