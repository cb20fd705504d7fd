"""storage.capture on a real, migrated SQLite file: order of writes, versions, tombstones, purge, forget."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from cogs.capture._export import snapshot_of
from cogs.capture._rules import Names, parse_items
from cogs.capture._writer import CaptureWriter
from storage.capture import CaptureStore, Delete, DeleteThread, Edit, NewLine, ThreadName
from storage.meetings import MeetingsRepo
from storage.timeutil import to_db, utcnow

GUILD = 555
T0 = datetime(2027, 1, 26, 9, 0, tzinfo=UTC)


async def _meeting(db, number: int = 19, *, guild: int = GUILD):
    now = utcnow()
    return await MeetingsRepo(db).create(
        guild_id=guild,
        number=number,
        title=f"Meeting {number}",
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=7),
        timezone="Europe/Zurich",
        created_by=1,
    )


def line(mid: int, meeting_id: int, content: str, *, author: int = 10, name: str = "Ghana", minute: int = 0, **kw):
    values = {
        "message_id": mid,
        "meeting_id": meeting_id,
        "recording_id": None,
        "channel_id": 100,
        "thread_id": None,
        "author_id": author,
        "author_name": name,
        "content": content,
        "created_at": to_db(T0 + timedelta(minutes=minute)),
        "reply_to": None,
        "attachments": None,
        "is_notice": 0,
        "by_organiser": 0,
    }
    values.update(kw)
    return NewLine(**values)


async def _rows(db, meeting_id: int) -> dict[int, dict]:
    rows = await db.fetchall("SELECT * FROM messages WHERE meeting_id = ? ORDER BY message_id", (meeting_id,))
    return {r["message_id"]: dict(r) for r in rows}


async def _versions(db, message_id: int) -> list[tuple[int, str]]:
    rows = await db.fetchall(
        "SELECT version, content FROM message_versions WHERE message_id = ? ORDER BY version", (message_id,)
    )
    return [(r[0], r[1]) for r in rows]


async def test_a_batch_applies_inserts_edits_and_deletes_in_event_order(db) -> None:
    meeting = await _meeting(db)
    store = CaptureStore(db)
    at = to_db(T0)
    await store.apply(
        [
            line(1, meeting.id, "first"),
            Edit(1, "first, corrected", at, None),  # edit of a line still in the same batch
            line(2, meeting.id, "second", attachments=json.dumps([{"name": "a.pdf", "size": 1, "url": "u"}])),
            Edit(1, "first, corrected again", at, None),
            Delete((2,), at),
            line(2, meeting.id, "second"),  # a late duplicate (backfill) cannot resurrect it
            line(3, meeting.id, "third"),
            Edit(3, "third", at, None),  # no change: no version
        ]
    )
    rows = await _rows(db, meeting.id)
    assert rows[1]["content"] == "first, corrected again" and rows[1]["edited_at"] == at
    assert await _versions(db, 1) == [(0, "first"), (1, "first, corrected"), (2, "first, corrected again")]
    assert rows[2]["content"] == "" and rows[2]["deleted_at"] == at and rows[2]["attachments"] is None
    assert rows[3]["edited_at"] is None and await _versions(db, 3) == []


async def test_deleting_drops_versions_and_edits_of_deleted_lines_are_ignored(db) -> None:
    meeting = await _meeting(db)
    store = CaptureStore(db)
    at = to_db(T0)
    await store.apply([line(1, meeting.id, "v0"), Edit(1, "v1", at, None)])
    await store.apply([Delete((1,), at), Edit(1, "v2 after deletion", at, None)])
    assert (await _rows(db, meeting.id))[1]["content"] == ""
    assert await _versions(db, 1) == []


async def test_a_deleted_thread_takes_its_lines_with_it(db) -> None:
    meeting = await _meeting(db)
    store = CaptureStore(db)
    await store.apply(
        [
            ThreadName(900, meeting.id, 100, "Item 5"),
            line(1, meeting.id, "main"),
            line(2, meeting.id, "in thread", thread_id=900),
            DeleteThread(900, to_db(T0)),
        ]
    )
    rows = await _rows(db, meeting.id)
    assert rows[1]["content"] == "main" and rows[2]["content"] == "" and rows[2]["deleted_at"]
    assert await store.thread_names(meeting.id) == {}  # its name (user text) goes with it
    assert await db.fetchval("SELECT COUNT(*) FROM recorded_threads WHERE name != ''") == 0


async def test_the_writer_never_blocks_and_writes_everything_in_order(db) -> None:
    meeting = await _meeting(db)
    written = []
    writer = CaptureWriter(CaptureStore(db), on_written=written.extend, max_batch=500)
    for i in range(1, 2001):
        writer.submit(line(i, meeting.id, f"line {i}"))
        if i % 7 == 0:
            writer.submit(Edit(i, f"line {i} edited", to_db(T0), None))
        if i % 11 == 0:
            writer.submit(Delete((i,), to_db(T0)))
    assert writer.pending > 0  # submit() returned without writing
    await writer.flush()
    assert writer.pending == 0
    rows = await _rows(db, meeting.id)
    assert len(rows) == 2000
    assert rows[14]["content"] == "line 14 edited"
    assert rows[77]["content"] == ""  # edited, then deleted
    assert rows[22]["deleted_at"] is not None
    assert sum(isinstance(op, NewLine) for op in written) == 2000


async def test_the_writer_isolates_a_line_that_cannot_be_written(db) -> None:
    meeting = await _meeting(db)
    writer = CaptureWriter(CaptureStore(db), retry_delay=0.01)
    writer.submit(line(1, meeting.id, "good"))
    writer.submit(line(2, 999_999, "meeting does not exist"))  # foreign key failure
    writer.submit(line(3, meeting.id, "good too"))
    await writer.flush()
    assert sorted(await _rows(db, meeting.id)) == [1, 3]
    assert writer.dropped == 1


async def test_recordings_open_and_close_once_and_one_per_channel(db) -> None:
    store = CaptureStore(db)
    m19, m20 = await _meeting(db, 19), await _meeting(db, 20)
    notice = line(50, m19.id, "🔴 recording", author=1, name="Bot", is_notice=1)
    rec = await store.start_recording(meeting_id=m19.id, channel_id=100, started_at=T0, started_by=None, notice=notice)
    assert rec is not None and rec.is_open and not rec.started_by_hand and rec.start_message_id == 50
    again = notice._replace(message_id=51, meeting_id=m20.id)
    busy = await store.start_recording(meeting_id=m20.id, channel_id=100, started_at=T0, started_by=1, notice=again)
    assert busy is None
    assert (await _rows(db, m19.id))[50]["recording_id"] == rec.id
    end = line(60, m19.id, "⏹️ ended", author=1, name="Bot", is_notice=1)
    closed = await store.end_recording(rec.id, ended_at=T0, ended_by=7, notice=end)
    assert closed is not None and not closed.is_open and closed.end_message_id == 60
    assert await store.end_recording(rec.id, ended_at=T0, ended_by=7, notice=None) is None
    assert await store.open_recordings() == []


async def test_transcript_puts_thread_lines_after_their_starter(db) -> None:
    meeting = await _meeting(db)
    store = CaptureStore(db)
    await store.apply(
        [
            line(10, meeting.id, "opening", minute=0),
            line(20, meeting.id, "starter of a thread", minute=1),
            line(30, meeting.id, "main line after", minute=2),
            line(25, meeting.id, "reply in thread", minute=3, thread_id=20, reply_to=20),
            line(40, meeting.id, "main again", minute=4),
            line(35, meeting.id, "in a thread without stored starter", minute=5, thread_id=999),
        ]
    )
    rows = [r async for r in store.transcript(meeting.id)]
    assert [r.message_id for r in rows] == [10, 20, 25, 30, 40, 35]
    assert rows[2].reply_author_name == "Ghana"


async def test_purge_keeps_the_minutes_and_deletes_the_raw_log_in_one_go(db) -> None:
    meeting = await _meeting(db)
    store = CaptureStore(db)
    await store.apply(
        [
            line(1, meeting.id, "#topic budget", author=1, name="Madam Chair", by_organiser=1),
            line(2, meeting.id, "#agreed to adopt", minute=1),
            line(3, meeting.id, "#action <@10> send the text", author=1, name="Madam Chair", minute=2),
            line(4, meeting.id, "plain talk", minute=3),
            Edit(4, "plain talk, edited", to_db(T0), None),
        ]
    )
    names = Names(known={10: "Ghana"})
    purge = await store.purge(
        meeting.id,
        now=T0,
        purged_by=1,
        reason="manual",
        build=lambda lines, speakers: snapshot_of(parse_items(lines), speakers, names),
    )
    assert purge is not None and purge.lines == 4 and purge.reason == "manual"
    assert await db.fetchval("SELECT COUNT(*) FROM messages WHERE meeting_id = ?", (meeting.id,)) == 0
    assert await db.fetchval("SELECT COUNT(*) FROM message_versions") == 0
    snapshot = await store.snapshot(meeting.id)
    assert [(i.kind, i.text) for i in snapshot.items] == [
        ("topic", "budget"),
        ("agreed", "to adopt"),
        ("action", "send the text"),
    ]
    assert snapshot.items[2].assignees == ((10, "Ghana"),)
    assert {(p.name, p.lines) for p in snapshot.people} == {("Madam Chair", 2), ("Ghana", 2)}
    assert await store.purge(meeting.id, now=T0, purged_by=1, reason="manual", build=lambda *a: None) is None


async def test_purge_refuses_while_recording(db) -> None:
    meeting = await _meeting(db)
    store = CaptureStore(db)
    notice = line(50, meeting.id, "🔴", is_notice=1)
    await store.start_recording(meeting_id=meeting.id, channel_id=100, started_at=T0, started_by=None, notice=notice)
    assert await store.purge(meeting.id, now=T0, purged_by=1, reason="manual", build=lambda *a: None) is None
    assert await store.retention_candidates() == []


async def test_forget_removes_words_everywhere_in_the_guild_only(db) -> None:
    store = CaptureStore(db)
    here, other_guild = await _meeting(db, 19), await _meeting(db, 19, guild=777)
    await store.apply(
        [
            line(1, here.id, "secret words", author=10),
            Edit(1, "secret words, edited", to_db(T0), None),
            line(2, here.id, "chair line", author=1, name="Madam Chair"),
            line(3, other_guild.id, "elsewhere", author=10),
        ]
    )
    result = await store.forget(GUILD, 10, by=1, now=T0)
    assert result.lines == 1
    row = (await _rows(db, here.id))[1]
    assert (row["content"], row["author_name"], row["author_id"], row["forgotten"]) == ("", "", 0, 1)
    assert await _versions(db, 1) == []
    assert (await _rows(db, other_guild.id))[3]["content"] == "elsewhere"
    assert await store.forgotten() == {(GUILD, 10)}
    assert await store.lines_by(GUILD, 10) == 0
    assert await store.remember(GUILD, 10, from_id=99) and not await store.remember(GUILD, 10, from_id=100)


async def test_forget_reaches_the_minutes_kept_after_a_purge(db) -> None:
    store = CaptureStore(db)
    meeting = await _meeting(db)
    await store.apply(
        [
            line(1, meeting.id, "#agreed my own outcome", author=10),
            line(2, meeting.id, "#action <@10> <@11> write the text", author=1, name="Madam Chair"),
        ]
    )
    names = Names(known={10: "Ghana", 11: "Kenya"})
    await store.purge(
        meeting.id,
        now=T0,
        purged_by=None,
        reason="retention",
        build=lambda lines, speakers: snapshot_of(parse_items(lines), speakers, names),
    )
    await store.forget(GUILD, 10, by=1, now=T0)
    snapshot = await store.snapshot(meeting.id)
    assert [(i.kind, i.assignees) for i in snapshot.items] == [("action", ((None, "[removed]"), (11, "Kenya")))]
    assert [p.name for p in snapshot.people] == ["Madam Chair"]


async def test_youth_pseudonyms_are_stable_and_rename_stored_lines(db) -> None:
    store = CaptureStore(db)
    meeting = await _meeting(db)
    await store.apply([line(1, meeting.id, "hello", author=10, name="Real Name")])
    first = await store.set_youth(GUILD, 10, active=True, now=T0)
    second = await store.set_youth(GUILD, 11, active=True, now=T0)
    assert (first, second) == (1, 2)
    await store.rename_author(GUILD, 10, "Participant 1")
    assert (await _rows(db, meeting.id))[1]["author_name"] == "Participant 1"
    assert await store.set_youth(GUILD, 10, active=False, now=T0) == 1
    assert await store.youth() == {(GUILD, 11): 2}
    assert await store.set_youth(GUILD, 10, active=True, now=T0) == 1  # the same number again
    assert await store.set_youth(GUILD, 12, active=False, now=T0) is None


@pytest.mark.parametrize("count", [20_000])
async def test_a_large_burst_is_written_in_a_few_transactions(db, count: int) -> None:
    meeting = await _meeting(db)
    store = CaptureStore(db)
    calls = []
    original = store.apply

    async def counting(ops):
        calls.append(len(ops))
        await original(ops)

    store.apply = counting  # type: ignore[method-assign]
    writer = CaptureWriter(store)
    for i in range(count):
        writer.submit(line(i + 1, meeting.id, f"burst {i}"))
        if i % 5000 == 0:
            await asyncio.sleep(0)  # events keep arriving while a batch is being written
    await writer.flush()
    assert sum(calls) == count and len(calls) <= 10
    assert await db.fetchval("SELECT COUNT(*) FROM messages") == count


async def test_a_cancelled_writer_loses_nothing(db) -> None:
    meeting = await _meeting(db)
    writer = CaptureWriter(CaptureStore(db))
    for i in range(1, 101):
        writer.submit(line(i, meeting.id, f"line {i}"))
    await asyncio.sleep(0)  # the drain task has taken its batch
    writer._task.cancel()  # e.g. the event loop shutting down under it
    await writer.flush()
    assert len(await _rows(db, meeting.id)) == 100


async def test_the_privacy_registers_are_read_per_guild(db) -> None:
    store = CaptureStore(db)
    await store.set_youth(GUILD, 10, active=True, now=T0)
    await store.set_youth(GUILD, 11, active=True, now=T0)
    await store.set_youth(GUILD, 11, active=False, now=T0)
    await store.set_youth(777, 12, active=True, now=T0)
    await store.forget(GUILD, 20, by=1, now=T0)
    await store.forget(777, 21, by=1, now=T0)
    assert await store.youth_in(GUILD) == {10: 1} and await store.youth_in(777) == {12: 1}
    assert await store.forgotten_in(GUILD) == frozenset({20}) and await store.forgotten_in(1) == frozenset()


async def test_mention_texts_are_the_live_lines_that_may_name_someone(db) -> None:
    store = CaptureStore(db)
    meeting = await _meeting(db)
    await store.apply(
        [
            line(1, meeting.id, "#action <@5> write", minute=1),
            line(2, meeting.id, "thanks <@6>", minute=2),
            line(3, meeting.id, "cc <@7>", minute=3),
            Edit(3, "cc nobody", to_db(T0 + timedelta(minutes=4)), None),
            line(4, meeting.id, "#info gone <@8>", minute=5),
            Delete((4,), to_db(T0 + timedelta(minutes=6))),
            line(5, meeting.id, "#info no mention", minute=7),
            line(6, meeting.id, "#info <@9> bot notice", minute=8, is_notice=1),
            line(7, meeting.id, "#info said by <@10>", author=30, minute=9),
        ]
    )
    await store.forget(GUILD, 30, by=1, now=T0)
    assert await store.mention_texts(meeting.id, markers_only=True) == ["#action <@5> write"]
    assert await store.mention_texts(meeting.id, markers_only=False) == ["#action <@5> write", "thanks <@6>", "cc <@7>"]


async def test_no_write_path_adds_to_a_purged_meeting_or_a_forgotten_member(db) -> None:
    """The guard is in the store: live capture, backfill and thread events all go through it."""
    store = CaptureStore(db)
    purged = await _meeting(db, 19)
    live = await _meeting(db, 20)
    await store.apply([line(1, purged.id, "said"), ThreadName(900, purged.id, 100, "Thread A", 10)])
    assert (
        await store.purge(
            purged.id, now=T0, purged_by=1, reason="manual", build=lambda m, s: snapshot_of([], [], Names())
        )
        is not None
    )
    await store.apply(
        [line(1, purged.id, "said"), line(2, purged.id, "more"), ThreadName(900, purged.id, 100, "A", 10)]
    )
    assert await _rows(db, purged.id) == {} and await store.thread_names(purged.id) == {}
    assert await store.recordings_since(T0 - timedelta(days=3650)) == []

    await store.forget(GUILD, 10, by=1, now=T0)
    await store.apply([line(50, live.id, "while forgotten"), ThreadName(901, live.id, 100, "Their thread", 10)])
    assert await _rows(db, live.id) == {} and await store.thread_names(live.id) == {}
    assert await store.remember(GUILD, 10, from_id=100)
    await store.apply([line(60, live.id, "said before the remember, read by a backfill"), line(150, live.id, "after")])
    assert [r["content"] for r in (await _rows(db, live.id)).values()] == ["after"]
