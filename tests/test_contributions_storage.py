"""storage.contributions on a real migrated SQLite file: numbering, versions, history, atomicity."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest
from test_contributions_support import add_agenda, make_meeting, snapshot

from cogs.contributions import _rules
from cogs.core.errors import UserError
from storage.contributions import (
    AGENDA_SEQ,
    ContributionsRepo,
    DuplicateContribution,
    NewContribution,
    agenda_number,
    first_seq,
    is_agenda,
)
from storage.database import Database
from storage.guild_settings import GuildSettingsRepo
from storage.timeutil import utcnow

GUILD = 4242


def new(meeting_id: int, title: str, *, kind: str = "contribution", source: str = "Ghana", **more) -> NewContribution:
    return NewContribution(
        meeting_id=meeting_id,
        kind=kind,
        title=title,
        source=source,
        submitter_id=100,
        received_at=utcnow(),
        **more,
    )


def test_document_1_is_the_agenda_so_contributions_start_at_2():
    assert (AGENDA_SEQ, first_seq("contribution"), first_seq("information")) == (1, 2, 1)
    assert agenda_number("CWG-COP", 19) == "CWG-COP-19/1"
    assert is_agenda("contribution", 1)
    assert not is_agenda("contribution", 2)
    assert not is_agenda("information", 1)  # CWG-COP-19/INF/1 is an information document


async def test_the_first_contribution_is_2_and_the_first_information_document_inf_1(db):
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD, 19)
    inf = await repo.register(new(m.id, "Secretariat update", kind="information", source="Secretariat"))
    first = await repo.register(new(m.id, "A"))
    assert (first.seq, first.number) == (2, "CWG-COP-19/2")
    assert (inf.seq, inf.number) == (1, "CWG-COP-19/INF/1")
    assert await repo.by_number(GUILD, 19, "contribution", 1) is None  # no contribution takes the agenda's number


async def test_numbers_are_per_meeting_and_kind_and_never_reused(db):
    repo = ContributionsRepo(db)
    m19 = await make_meeting(db, GUILD, 19)
    m20 = await make_meeting(db, GUILD, 20, starts_in=timedelta(days=200))
    a = await repo.register(new(m19.id, "A"))
    b = await repo.register(new(m19.id, "B"))
    inf = await repo.register(new(m19.id, "Secretariat update", kind="information", source="Secretariat"))
    other = await repo.register(new(m20.id, "Elsewhere"))
    assert [a.number, b.number, inf.number, other.number] == [
        "CWG-COP-19/2",
        "CWG-COP-19/3",
        "CWG-COP-19/INF/1",
        "CWG-COP-20/2",
    ]
    await repo.change(b.id, actor_id=100, decide=_rules.withdraw("merged into /2"))
    c = await repo.register(new(m19.id, "C"))
    assert c.number == "CWG-COP-19/4"  # the withdrawn /3 keeps its number
    assert [d.number for d in await repo.for_meeting(m19.id)] == [
        "CWG-COP-19/2",
        "CWG-COP-19/3",
        "CWG-COP-19/4",
        "CWG-COP-19/INF/1",
    ]
    assert (await repo.get(b.id)).status == "withdrawn"


async def test_a_meeting_that_already_used_1_continues_after_its_highest_number(db):
    """A database written before contributions started at 2 may hold a contribution /1: it keeps its
    number, and the series goes on from the highest one, gapless, never back to an unused low number."""
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD, 19)
    now = "2027-01-01T00:00:00.000000+00:00"
    await db.execute(
        "INSERT INTO contributions (meeting_id, kind, seq, title, source, submitter_id, received_at, updated_at) "
        "VALUES (?, 'contribution', 1, 'Old', 'Ghana', 100, ?, ?)",
        (m.id, now, now),
    )
    assert (await repo.register(new(m.id, "A"))).number == "CWG-COP-19/2"
    assert (await repo.register(new(m.id, "B"))).number == "CWG-COP-19/3"


async def test_group_code_comes_from_the_guild_settings(db):
    await GuildSettingsRepo(db).update(GUILD, group_code="CWG-CHILD")
    m = await make_meeting(db, GUILD, 7)
    c = await ContributionsRepo(db).register(new(m.id, "A"))
    assert c.number == "CWG-CHILD-7/2"


async def test_registration_writes_version_zero_and_its_event(db):
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD)
    c = await repo.register(
        new(m.id, "A", file_name="a.pdf", file_size=3, file_sha256="f" * 64, status="late", is_late=True),
        detail="received after the deadline",
    )
    assert (c.status, c.is_late, c.revision) == ("late", True, 0)
    [version] = await repo.revisions(c.id)
    assert (version.revision, version.title, version.file_name, version.created_by) == (0, "A", "a.pdf", 100)
    [event] = await repo.events(c.id)
    assert (event.action, event.actor_id, event.detail) == ("registered", 100, "received after the deadline")


async def test_duplicate_title_and_source_is_refused_and_stores_nothing(db):
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD)
    first = await repo.register(new(m.id, "Age  assurance", source="Côte d'Ivoire"))
    before = await snapshot(db)
    with pytest.raises(DuplicateContribution) as caught:
        await repo.register(new(m.id, "age assurance", source="CÔTE D'IVOIRE"))
    assert caught.value.existing.id == first.id
    assert await snapshot(db) == before
    second = await repo.register(new(m.id, "age assurance", source="CÔTE D'IVOIRE"), allow_duplicate=True)
    assert (first.seq, second.seq) == (2, 3)


async def test_a_refused_decision_writes_nothing(db):
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD)
    c = await repo.register(new(m.id, "A"))
    await repo.change(c.id, actor_id=1, decide=_rules.accept(None))
    before = await snapshot(db)
    with pytest.raises(UserError, match="already accepted"):
        await repo.change(c.id, actor_id=1, decide=_rules.accept(None))
    assert await snapshot(db) == before


async def test_revisions_keep_every_version_and_the_file_links(db):
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD)
    c = await repo.register(new(m.id, "A", file_name="a.pdf", file_size=3, file_sha256="a" * 64))
    await repo.record_post(c.id, 0, channel_id=5, message_id=6, file_message_url="https://discord.com/channels/1/5/6")
    _, rev1 = await repo.change(
        c.id, actor_id=200, decide=_rules.revise(title="A, revised", file=_rules.NewFile("b.pdf", 4, "b" * 64))
    )
    assert rev1.number == "CWG-COP-19/2(Rev.1)"
    assert rev1.base_number == "CWG-COP-19/2"
    assert rev1.file_message_url is None  # until the new file is re-posted
    await repo.record_post(c.id, 1, channel_id=5, message_id=9, file_message_url="https://discord.com/channels/1/5/9")
    versions = await repo.revisions(c.id)
    assert [(v.revision, v.title, v.file_name, v.file_message_url, v.created_by) for v in versions] == [
        (0, "A", "a.pdf", "https://discord.com/channels/1/5/6", 100),
        (1, "A, revised", "b.pdf", "https://discord.com/channels/1/5/9", 200),
    ]
    current = await repo.get(c.id)
    assert (current.announcement_message_id, current.file_message_url) == (9, "https://discord.com/channels/1/5/9")
    assert [e.action for e in await repo.events(c.id)] == ["registered", "revised"]


async def test_search_filters(db):
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD)
    items = await add_agenda(db, m.id, [("Contributions", ["Age assurance"])])
    await repo.register(new(m.id, "A", source="Côte d'Ivoire", agenda_item_id=items["1.1"]))
    b = await repo.register(new(m.id, "B", source="Ghana"))
    await repo.register(new(m.id, "C", source="ECPAT International", status="late", is_late=True))
    assert [c.title for c in await repo.search(m.id, source="côte")] == ["A"]
    assert [c.title for c in await repo.search(m.id, agenda_item_ids=(items["1"], items["1.1"]))] == ["A"]
    assert [c.title for c in await repo.search(m.id, status="late")] == ["C"]
    assert [c.title for c in await repo.search(m.id, agenda_item_ids=())] == []
    assert await repo.sources(m.id) == ["Côte d'Ivoire", "ECPAT International", "Ghana"]
    assert (await repo.by_number(GUILD, 19, "contribution", 3)).id == b.id  # A is /2, B /3
    assert await repo.by_number(GUILD + 1, 19, "contribution", 3) is None


async def test_count_by_source_type_leaves_out_withdrawn(db):
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD)
    await repo.register(new(m.id, "A", source_type="member_state"))
    await repo.register(new(m.id, "B", source_type="youth"))
    c = await repo.register(new(m.id, "C", source_type="youth"))
    await repo.register(new(m.id, "D"))
    await repo.change(c.id, actor_id=1, decide=_rules.withdraw(None))
    assert await repo.count_by_source_type(m.id) == {"member_state": 1, "other": 1, "youth": 1}


# -- concurrency ------------------------------------------------------------------------------


def assert_gapless(numbers: list[int], *, start: int) -> None:
    assert sorted(numbers) == list(range(start, start + len(numbers))), numbers


async def test_simultaneous_registrations_get_distinct_consecutive_numbers(db):
    repo = ContributionsRepo(db)
    m = await make_meeting(db, GUILD)
    kinds = ["contribution", "information"] * 20
    made = await asyncio.gather(*(repo.register(new(m.id, f"Doc {i}", kind=k)) for i, k in enumerate(kinds)))
    assert_gapless([c.seq for c in made if c.kind == "contribution"], start=2)  # 2..21: 1 is the agenda
    assert_gapless([c.seq for c in made if c.kind == "information"], start=1)  # INF/1..INF/20
    assert await db.fetchval("SELECT COUNT(*) FROM contribution_events") == 40


async def test_two_processes_on_the_same_file_never_share_a_number(db, db_path):
    """BEGIN IMMEDIATE, not only the in-process lock, keeps MAX(seq)+1 safe: a second connection
    (as a second bot process or `bot.py` maintenance would open) registers at the same time."""
    other = await Database.open(db_path)
    try:
        m = await make_meeting(db, GUILD)
        repos = [ContributionsRepo(db), ContributionsRepo(other)]
        made = await asyncio.gather(*(repos[i % 2].register(new(m.id, f"Doc {i}")) for i in range(30)))
    finally:
        await other.close()
    assert_gapless([c.seq for c in made], start=2)


async def test_the_gather_really_interleaves(db):
    """Control for the tests above: the same gather with a naive read-then-insert collides."""
    m = await make_meeting(db, GUILD)
    template = new(m.id, "x")

    async def naive(i: int) -> None:
        seq = await db.fetchval("SELECT IFNULL(MAX(seq), 0) + 1 FROM contributions WHERE meeting_id = ?", (m.id,))
        await asyncio.sleep(0)
        t = replace(template, title=f"Doc {i}")
        await db.execute(
            "INSERT INTO contributions (meeting_id, kind, seq, title, source, submitter_id, received_at, updated_at) "
            "VALUES (?, 'contribution', ?, ?, ?, ?, ?, ?)",
            (m.id, seq, t.title, t.source, t.submitter_id, "2027-01-01T00:00:00.000000+00:00", "x"),
        )

    outcomes = await asyncio.gather(*(naive(i) for i in range(10)), return_exceptions=True)
    assert any(isinstance(o, sqlite3.IntegrityError) for o in outcomes)
