"""storage.reports on a real, migrated SQLite file: rows written through the real repositories, every
answer compared with what the rows say (plain SQL) or with what was written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cogs.capture._export import snapshot_of
from cogs.capture._rules import Names, parse_items
from storage.capture import CaptureStore, Delete, NewLine
from storage.contributions import Change, ContributionsRepo, NewContribution
from storage.meetings import MeetingsRepo
from storage.reports import DocumentCount, PersonActivity, ReportsRepo
from storage.timeutil import to_db, utcnow

GUILD, OTHER_GUILD = 555, 777
T0 = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)
LIVE = "is_notice = 0 AND deleted_at IS NULL AND forgotten = 0"


async def _meeting(db, number: int = 19, *, guild: int = GUILD):
    return await MeetingsRepo(db).create(
        guild_id=guild,
        number=number,
        title=f"Meeting {number}",
        starts_at=T0,
        ends_at=T0 + timedelta(hours=7),
        timezone="Europe/Zurich",
        created_by=1,
    )


def line(mid: int, meeting_id: int, author: int, *, seconds: float = 0, thread: int | None = None, notice: int = 0):
    return NewLine(
        message_id=mid,
        meeting_id=meeting_id,
        recording_id=None,
        channel_id=100,
        thread_id=thread,
        author_id=author,
        author_name=f"Person {author}",
        content=f"line {mid}",
        created_at=to_db(T0 + timedelta(seconds=seconds)),
        reply_to=None,
        attachments=None,
        is_notice=notice,
        by_organiser=0,
    )


async def test_documents_are_grouped_as_stored(db) -> None:
    meeting = await _meeting(db)
    other = await _meeting(db, 20)
    repo = ContributionsRepo(db)

    async def add(title: str, *, kind="contribution", source_type="member_state", late=False, then=None, on=meeting):
        doc = await repo.register(
            NewContribution(
                meeting_id=on.id,
                kind=kind,
                title=title,
                source="S",
                submitter_id=1,
                received_at=utcnow(),
                status="late" if late else "submitted",
                is_late=late,
                source_type=source_type,
            )
        )
        if then:
            await repo.change(doc.id, actor_id=1, decide=lambda _c: Change(then, {"status": then}))

    await add("a")
    await add("b")
    await add("c", late=True, then="accepted")
    await add("d", source_type=None, then="withdrawn")
    await add("e", kind="information", source_type="secretariat")
    await add("f", on=other)
    counts = await ReportsRepo(db).document_counts(meeting.id)
    assert counts == [
        DocumentCount("contribution", "accepted", True, "member_state", 1),
        DocumentCount("contribution", "submitted", False, "member_state", 2),
        DocumentCount("contribution", "withdrawn", False, "other", 1),
        DocumentCount("information", "submitted", False, "secretariat", 1),
    ]
    total = await db.fetchval("SELECT COUNT(*) FROM contributions WHERE meeting_id = ?", (meeting.id,))
    assert sum(c.count for c in counts) == total == 5


async def test_people_messages_and_the_record_follow_deletions_forgets_and_youth(db) -> None:
    meeting = await _meeting(db)
    elsewhere = await _meeting(db, 1, guild=OTHER_GUILD)
    store = CaptureStore(db)
    await store.apply(
        [
            line(1, meeting.id, 10, notice=1),  # the bot's notice
            line(2, meeting.id, 11, seconds=1),
            line(3, meeting.id, 11, seconds=2, thread=900),
            line(4, meeting.id, 12, seconds=61, thread=900),  # only in a thread
            line(5, meeting.id, 13, seconds=62),  # a youth participant
            line(6, meeting.id, 14, seconds=63),  # deleted: their only line
            line(7, meeting.id, 15, seconds=64),  # forgotten below
            line(8, meeting.id, 15, seconds=65, thread=900),
            line(9, meeting.id, 16, seconds=66),  # a youth participant of another server only
            line(10, elsewhere.id, 11, seconds=5),
        ]
    )
    await store.apply([Delete((6,), to_db(T0))])
    await store.set_youth(GUILD, 13, active=True, now=T0)
    await store.set_youth(OTHER_GUILD, 16, active=True, now=T0)
    await store.forget(GUILD, 15, by=1, now=T0)
    repo = ReportsRepo(db)

    people = await repo.people(meeting.id)
    assert people == [
        PersonActivity(11, 2, 1, False),
        PersonActivity(12, 1, 0, False),
        PersonActivity(13, 1, 1, True),
        PersonActivity(16, 1, 1, False),
    ]
    live = await db.fetchval(f"SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND {LIVE}", (meeting.id,))
    assert sum(p.messages for p in people) == live == 5
    record = await repo.chat_record(meeting.id)
    assert (record.recordings, record.recording_open, record.purged_at, record.deleted, record.removed) == (
        0,
        False,
        None,
        1,
        2,
    )

    # Messages between topic bounds: [.., 1 s), [1 s, 62 s), [62 s, ..).
    counts = await repo.messages_between(meeting.id, [T0 + timedelta(seconds=1), T0 + timedelta(seconds=62)])
    assert counts == [0, 3, 2] and sum(counts) == live
    assert await repo.messages_between(meeting.id, []) == [live]
    # The busiest minutes: 09:00 has lines 2 and 3, 09:01 has lines 4, 5 and 9.
    assert await repo.messages_per_minute(meeting.id) == [
        (T0 + timedelta(minutes=1), 3),
        (T0, 2),
    ]
    assert await repo.messages_per_minute(meeting.id, limit=1) == [(T0 + timedelta(minutes=1), 3)]


async def test_after_a_purge_the_minutes_kept_stand_in_for_the_log(db) -> None:
    meeting = await _meeting(db)
    store = CaptureStore(db)
    await store.apply([line(1, meeting.id, 11), line(2, meeting.id, 11, seconds=1), line(3, meeting.id, 13)])
    await store.set_youth(GUILD, 13, active=True, now=T0)
    names = Names()
    purge = await store.purge(
        meeting.id,
        now=T0,
        purged_by=1,
        reason="manual",
        build=lambda lines, speakers: snapshot_of(parse_items(lines), speakers, names),
    )
    assert purge is not None
    repo = ReportsRepo(db)
    assert await repo.people(meeting.id) == [PersonActivity(11, 2, None, False), PersonActivity(13, 1, None, True)]
    kept = await db.fetchall("SELECT author_id, lines FROM minutes_people WHERE meeting_id = ?", (meeting.id,))
    assert sorted(tuple(r) for r in kept) == [(11, 2), (13, 1)]
    record = await repo.chat_record(meeting.id)
    assert record.purged_at == T0 and (record.deleted, record.removed) == (0, 0)
    assert await repo.messages_between(meeting.id, []) == [0]  # the raw lines are gone
