"""storage.agenda and the meeting additions, on a real migrated SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import stored_meeting

from storage.agenda import AgendaConflict, AgendaRepo, TemplateEntry
from storage.meetings import MeetingNumberTaken, MeetingsRepo
from storage.timeutil import utcnow

GUILD = 77


async def new_meeting(db, number: int = 19):
    return await stored_meeting(db, guild_id=GUILD, number=number, starts_at=utcnow() + timedelta(days=30))


async def positions(db, meeting_id: int):
    """{parent_id: [positions in order]} straight from the table."""
    rows = await db.fetchall(
        "SELECT parent_id, position FROM agenda_items WHERE meeting_id = ? ORDER BY parent_id, position", (meeting_id,)
    )
    out: dict = {}
    for r in rows:
        out.setdefault(r["parent_id"], []).append(r["position"])
    return out


def consecutive(tree) -> bool:
    return all(ps == list(range(1, len(ps) + 1)) for ps in tree.values())


async def outline(repo: AgendaRepo, meeting_id: int):
    return [(i.number, i.title) for i in await repo.items(meeting_id)]


async def test_add_inserts_at_a_position_and_keeps_numbers_consecutive(db):
    m = await new_meeting(db)
    repo = AgendaRepo(db)
    a = await repo.add(m.id, title="A")
    await repo.add(m.id, title="C")
    await repo.add(m.id, title="B", position=2)
    await repo.add(m.id, title="A1", parent_id=a.id)
    await repo.add(m.id, title="A0", parent_id=a.id, position=1)
    assert await outline(repo, m.id) == [("1", "A"), ("1.1", "A0"), ("1.2", "A1"), ("2", "B"), ("3", "C")]
    assert consecutive(await positions(db, m.id))


async def test_move_and_remove_keep_positions_consecutive(db):
    m = await new_meeting(db)
    repo = AgendaRepo(db)
    await repo.fill(
        m.id,
        [
            TemplateEntry("Opening"),
            TemplateEntry("Contributions", children=(TemplateEntry("Theme A"), TemplateEntry("Theme B"))),
            TemplateEntry("AOB"),
            TemplateEntry("Closing"),
        ],
    )
    items = {i.title: i for i in await repo.items(m.id)}
    await repo.move(items["Closing"].id, parent_id=None, position=1)
    await repo.move(items["Theme B"].id, parent_id=None, position=2)  # promoted
    await repo.move(items["AOB"].id, parent_id=items["Contributions"].id, position=1)  # demoted
    assert await outline(repo, m.id) == [
        ("1", "Closing"),
        ("2", "Theme B"),
        ("3", "Opening"),
        ("4", "Contributions"),
        ("4.1", "AOB"),
        ("4.2", "Theme A"),
    ]
    assert consecutive(await positions(db, m.id))
    await repo.remove(items["Opening"].id)
    await repo.remove(items["AOB"].id)
    assert await outline(repo, m.id) == [("1", "Closing"), ("2", "Theme B"), ("3", "Contributions"), ("3.1", "Theme A")]
    assert consecutive(await positions(db, m.id))


async def test_removing_a_parent_removes_its_sub_items(db):
    m = await new_meeting(db)
    repo = AgendaRepo(db)
    await repo.fill(m.id, [TemplateEntry("P", children=(TemplateEntry("c1"), TemplateEntry("c2"))), TemplateEntry("Q")])
    parent = (await repo.items(m.id))[0]
    await repo.remove(parent.id)
    assert await outline(repo, m.id) == [("1", "Q")]
    assert await db.fetchval("SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?", (m.id,)) == 1


async def test_tree_rules_are_enforced_in_storage_too(db):
    m = await new_meeting(db)
    other = await new_meeting(db, 20)
    repo = AgendaRepo(db)
    await repo.fill(m.id, [TemplateEntry("P", children=(TemplateEntry("c"),)), TemplateEntry("Q")])
    p, c, q = await repo.items(m.id)
    foreign = await repo.add(other.id, title="elsewhere")
    before = await db.fetchall("SELECT * FROM agenda_items ORDER BY id")
    with pytest.raises(AgendaConflict):
        await repo.add(m.id, title="grandchild", parent_id=c.id)
    with pytest.raises(AgendaConflict):
        await repo.move(p.id, parent_id=q.id, position=1)  # P has a sub-item
    with pytest.raises(AgendaConflict):
        await repo.move(q.id, parent_id=foreign.id, position=1)  # another meeting's item
    with pytest.raises(AgendaConflict):
        await repo.move(q.id, parent_id=q.id, position=1)
    with pytest.raises(AgendaConflict):
        await repo.fill(m.id, [TemplateEntry("again")])
    assert [tuple(r) for r in await db.fetchall("SELECT * FROM agenda_items ORDER BY id")] == [tuple(r) for r in before]


async def test_fill_replace_starts_again(db):
    m = await new_meeting(db)
    repo = AgendaRepo(db)
    await repo.fill(m.id, [TemplateEntry("old")])
    assert await repo.fill(m.id, [TemplateEntry("new 1"), TemplateEntry("new 2")], replace=True) == 2
    assert await outline(repo, m.id) == [("1", "new 1"), ("2", "new 2")]


async def test_publications_keep_every_revision_with_its_items(db):
    m = await new_meeting(db)
    repo = AgendaRepo(db)
    await repo.fill(m.id, [TemplateEntry("Opening"), TemplateEntry("Closing")])
    items = await repo.items(m.id)
    first = await repo.publish(
        m.id, revision=0, channel_id=5, message_ids=[100], note=None, body="v0", items=items, posted_by=1
    )
    await repo.add(m.id, title="AOB", position=2)
    second = await repo.publish(
        m.id,
        revision=1,
        channel_id=5,
        message_ids=[100, 101],
        note="AOB added",
        body="v1",
        items=await repo.items(m.id),
        posted_by=2,
    )
    assert [(r.revision, r.note, r.body) for r in await repo.revisions(m.id)] == [
        (0, None, "v0"),
        (1, "AOB added", "v1"),
    ]
    assert [i.title for i in first.items] == ["Opening", "Closing"]
    assert [(i.number, i.title) for i in second.items] == [("1", "Opening"), ("2", "AOB"), ("3", "Closing")]
    post = await repo.post(m.id)
    assert (post.channel_id, post.message_ids, post.revision) == (5, (100, 101), 1)
    with pytest.raises(AgendaConflict):  # a revision number is never skipped nor repeated
        await repo.publish(m.id, revision=1, channel_id=5, message_ids=[1], note=None, body="", items=[], posted_by=1)
    await repo.set_messages(m.id, 6, [200], rendered="abc")
    post = await repo.post(m.id)
    assert (post.channel_id, post.message_ids, post.revision, post.rendered) == (6, (200,), 1, "abc")
    assert await repo.posted_meetings() == [m.id]
    assert (await repo.latest_revision(m.id)).revision == 1


async def test_a_taken_number_is_reported_as_such(db):
    await new_meeting(db, 19)
    with pytest.raises(MeetingNumberTaken):
        await new_meeting(db, 19)
    m20 = await new_meeting(db, 20)
    with pytest.raises(MeetingNumberTaken):
        await MeetingsRepo(db).update(m20.id, number=19)


async def test_bookkeeping_does_not_bump_the_sequence_but_changes_do(db):
    m = await new_meeting(db)
    repo = MeetingsRepo(db)
    assert (await repo.update(m.id, event_id=123)).sequence == 0
    assert (await repo.update(m.id, venue="Geneva")).sequence == 1


async def test_problems_are_told_once_until_cleared(db):
    repo = MeetingsRepo(db)
    assert await repo.note_problem(GUILD, "scheduled_events") is True
    assert await repo.note_problem(GUILD, "scheduled_events") is False
    assert await repo.note_problem(GUILD + 1, "scheduled_events") is True
    await repo.clear_problem(GUILD, "scheduled_events")
    assert await repo.note_problem(GUILD, "scheduled_events") is True
