"""Issue 11: the promises of the chat record under attack (a slow database, restarts, purges, forgets,
cancellations, thread renames and deletions), each through the real bot and the real SQLite file."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from test_capture_support import answer, contents, exported, make_meeting, make_thread, rows, start_recording

from cogs.capture import _rules
from storage.capture import CaptureStore
from storage.timeutil import to_db, utcnow


def capture_cog(world):
    return world.bot.get_cog("CaptureCog")


async def transcript(world, number: int = 19) -> dict:
    """The JSON transcript, read as an organiser reads it."""
    result = await world.chair.slash(world.general, "log export", meeting=number, format="json")
    _, text = await exported(result)
    return json.loads(text)


def said(document: dict) -> list[str]:
    """Every text of the transcript, thread lines included, in order."""
    out = []
    for entry in document["entries"]:
        if entry["type"] == "thread":
            out += [m["text"] for m in entry["messages"]]
        elif entry["type"] == "message":
            out.append(entry["text"])
    return out


async def purge(world, number: int = 19):
    asked = await world.chair.slash(world.general, "log purge", meeting=number)
    await world.chair.click(asked.response, label="Purge the log")
    return asked


async def forget(world, member):
    asked = await world.chair.slash(world.general, "log forget", member=member)
    await world.chair.click(asked.response, label="Remove their lines")
    return asked


# -- 1. the first lines of a meeting ------------------------------------------------------------------


async def test_a_line_said_while_the_database_opens_the_recording_is_kept(world, db, simcord_env) -> None:
    """A member speaks as the notice appears, while the recording's row is still being written."""
    meeting = await make_meeting(world)
    cog = capture_cog(world)
    heard = asyncio.Event()

    async def member_line_seen(message) -> None:
        if message.content == "said as the notice appeared":
            heard.set()

    world.bot.add_listener(member_line_seen, "on_message")
    original = cog.store.start_recording

    async def slow_start(**kwargs):
        # The notice is posted; before the database has opened the recording, a member speaks.
        simcord_env.backend.create_message(world.meeting.id, world.delegate.id, "said as the notice appeared")
        await heard.wait()  # the bot has heard the line (and, before the fix, dropped it)
        return await original(**kwargs)

    cog.store.start_recording = slow_start
    try:
        await start_recording(world)
    finally:
        cog.store.start_recording = original
        world.bot.remove_listener(member_line_seen, "on_message")
    await world.delegate.send(world.meeting, "said after")
    assert await contents(db, meeting.id) == ["said as the notice appeared", "said after"]


# -- 2. a purge is never undone -------------------------------------------------------------------------


async def test_a_restart_after_a_purge_does_not_bring_the_log_back(world, db, harness, simcord_env) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    await world.delegate.send(world.meeting, "PURGED-LINE-7f3a")
    starter = await world.delegate.send(world.meeting, "a thread starter")
    thread = make_thread(simcord_env, world, starter, "PURGED-THREAD-7f3a")
    await simcord_env.settle()
    await world.delegate2.send(thread, "PURGED-IN-THREAD-7f3a")
    await world.chair.slash(world.meeting, "meeting end")
    done = await purge(world)
    assert "Purged" in done.response.content or "purged" in done.response.content
    assert await rows(db, meeting.id) == []

    await harness.restart()  # the start-up catch-up reads recordings that ended in the last 24 hours
    simcord_env.bot.dispatch("resumed")  # and so does a gateway reconnect
    await simcord_env.settle()
    await world.delegate.edit(starter, "an edit of an old message")  # the live listeners
    await world.delegate2.send(thread, "a line in the thread after the purge")
    assert await rows(db, meeting.id) == []
    assert await db.fetchval("SELECT COUNT(*) FROM recorded_threads") == 0
    again = await world.chair.slash(world.general, "log purge", meeting=19)
    assert "was purged on" in answer(again)  # refused because it is purged, not because it came back


async def test_lines_said_while_forgotten_never_come_back_even_after_remember(world, db, harness) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    await world.delegate.send(world.meeting, "FORGOTTEN-BEFORE-7f3a")
    await forget(world, world.delegate)
    await world.delegate.send(world.meeting, "FORGOTTEN-WHILE-7f3a")
    await world.bot.unload_extension("cogs.capture")  # the bot goes down...
    await world.delegate.send(world.meeting, "FORGOTTEN-WHILE-DOWN-7f3a")
    await harness.restart()  # ...and catches up: still forgotten, nothing added
    remembered = await world.chair.slash(world.general, "log remember", member=world.delegate)
    assert "again from now on" in answer(remembered)
    await world.delegate.send(world.meeting, "recorded again")
    await harness.restart()  # a catch-up after the remember reads the whole channel again
    texts = await contents(db, meeting.id)
    assert texts == ["", "recorded again"]  # the removed line stays removed; nothing said while forgotten
    document = await transcript(world)
    assert not [t for t in said(document) if "7f3a" in t]


# -- 6. every open recording stops by itself ---------------------------------------------------------------


async def test_a_recording_started_by_hand_for_a_past_meeting_has_its_automatic_stop(world, db, harness) -> None:
    meeting = await make_meeting(world, starts_in=-timedelta(days=2), duration=timedelta(hours=3))
    await start_recording(world)
    (recording,) = await CaptureStore(db).open_recordings()
    expected = recording.started_at + _rules.FORGOTTEN_RECORDING_GUARD
    assert _rules.guard_time(ends_at=meeting.ends_at, started_at=recording.started_at) == expected
    job = world.bot.scheduler.get_job(f"capture:guard:{meeting.id}")
    assert job is not None and job.next_run_time == expected
    bot = await harness.restart()  # rebuilt from the database, at the same time (not at once)
    job = bot.scheduler.get_job(f"capture:guard:{meeting.id}")
    assert job is not None and job.next_run_time == expected
    assert len(await CaptureStore(db).open_recordings()) == 1


async def test_the_guard_stops_a_forgotten_recording_with_its_notice(world, db) -> None:
    meeting = await make_meeting(world, starts_in=-timedelta(days=2), duration=timedelta(hours=3))
    await start_recording(world)
    cog = capture_cog(world)
    (recording,) = await CaptureStore(db).open_recordings()
    # The guard's time has come (the job re-reads the rule against the clock: move the start back).
    await db.execute(
        "UPDATE recordings SET started_at = ? WHERE id = ?",
        (to_db(utcnow() - timedelta(hours=7)), recording.id),
    )
    cog.open[recording.channel_id] = (await CaptureStore(db).open_recordings())[0]
    await cog._job_end(meeting.id, True)
    assert await CaptureStore(db).open_recordings() == []
    assert "some hours after the scheduled end" in world.meeting.last_message.content


# -- 7. cancelling a meeting ends its recording ---------------------------------------------------------------


async def test_cancelling_a_recorded_meeting_ends_the_recording_with_its_notice(world, db) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    await world.delegate.send(world.meeting, "before the cancellation")
    cancelled = await world.chair.slash(world.general, "meeting cancel", meeting=19, reason="no quorum")
    assert "is cancelled" in answer(cancelled)
    assert await CaptureStore(db).open_recordings() == []
    notices = [m.content for m in world.meeting.history() if m.author.id == world.bot.user.id]
    assert any("Recording ended" in n and "cancelled" in n for n in notices), notices
    await world.delegate.send(world.meeting, "after the cancellation")
    assert await contents(db, meeting.id) == ["before the cancellation"]
    assert [r["is_notice"] for r in await rows(db, meeting.id)] == [1, 0, 1]


# -- 8. thread names ------------------------------------------------------------------------------------------


async def test_thread_renames_are_followed_and_deleted_threads_leave_no_title(world, db, simcord_env) -> None:
    await make_meeting(world)
    await start_recording(world)
    first = await world.delegate.send(world.meeting, "first starter")
    renamed = make_thread(simcord_env, world, first, "Old name")
    second = await world.delegate2.send(world.meeting, "second starter")
    deleted = make_thread(simcord_env, world, second, "SECRET-THREAD-TITLE-7f3a")
    await simcord_env.settle()
    await world.delegate.send(renamed, "in the renamed thread")
    await world.delegate2.send(deleted, "in the deleted thread")
    simcord_env.backend.edit_channel(renamed.id, {"name": "New name"})
    await simcord_env.settle()
    simcord_env.backend.delete_channel(deleted.id)
    await simcord_env.settle()
    await world.chair.slash(world.meeting, "meeting end")

    document = await transcript(world)
    names = {e["id"]: e["name"] for e in document["entries"] if e["type"] == "thread"}
    assert names[str(renamed.id)] == "New name"
    assert names[str(deleted.id)] == "Thread"  # no title; its lines are tombstones
    raw = json.dumps(document)
    assert "SECRET-THREAD-TITLE-7f3a" not in raw and "Old name" not in raw


async def test_forget_removes_the_names_of_threads_the_member_created(world, db, simcord_env) -> None:
    await make_meeting(world)
    await start_recording(world)
    starter = await world.delegate.send(world.meeting, "let us discuss in a thread")
    theirs = make_thread(simcord_env, world, starter, "Named after a child 7f3a")  # the delegate creates it
    theirs_id = theirs.id
    await simcord_env.settle()
    await world.chair.send(theirs, "a line in their thread")
    other_start = await world.delegate2.send(world.meeting, "another")
    other = make_thread(simcord_env, world, other_start, "Kept thread name")
    await simcord_env.settle()
    await world.delegate2.send(other, "their thread")
    await world.chair.slash(world.meeting, "meeting end")
    await forget(world, world.delegate)

    document = await transcript(world)
    names = {e["id"]: e["name"] for e in document["entries"] if e["type"] == "thread"}
    assert names[str(theirs_id)] == "Thread" and names[str(other.id)] == "Kept thread name"
    assert "7f3a" not in json.dumps(document)
    assert await db.fetchval("SELECT COUNT(*) FROM recorded_threads WHERE name LIKE '%7f3a%'") == 0


# -- 12. no purged or forgotten text left in the file ---------------------------------------------------------


async def test_purged_and_forgotten_text_is_not_left_in_the_database_file(world, db, db_path, simcord_env) -> None:
    await make_meeting(world, 19)
    await make_meeting(world, 20, starts_in=timedelta(days=60))
    await start_recording(world, 19)
    for i in range(30):  # enough to fill pages, so that deleted cells sit in free space
        await world.delegate2.send(world.meeting, f"PURGEDSECRET-{i:03d} " + "x" * 200)
    await world.chair.slash(world.meeting, "meeting end")
    await start_recording(world, 20)
    for i in range(30):
        line = await world.delegate.send(world.meeting, f"FORGOTTENSECRET-{i:03d} " + "y" * 200)
    await world.delegate.edit(line, "FORGOTTENSECRET-EDITED " + "z" * 200)
    await world.chair.slash(world.meeting, "meeting end")
    await purge(world, 19)
    await forget(world, world.delegate)
    left = await db.fetchall(
        "SELECT meeting_id, author_id, content, is_notice FROM messages WHERE instr(content, 'SECRET-') > 0"
    )
    assert [tuple(r) for r in left] == []

    await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    assert b"PURGEDSECRET" not in data
    assert b"FORGOTTENSECRET" not in data


async def test_a_thread_renamed_or_deleted_while_the_bot_was_away_is_caught_up(world, db, harness, simcord_env) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    first = await world.delegate.send(world.meeting, "first starter")
    renamed = make_thread(simcord_env, world, first, "Before")
    second = await world.delegate2.send(world.meeting, "second starter")
    deleted = make_thread(simcord_env, world, second, "GONE-WHILE-DOWN-7f3a")
    await simcord_env.settle()
    await world.delegate.send(renamed, "in the renamed thread")
    await world.delegate2.send(deleted, "DELETED-LINE-7f3a")
    await world.bot.unload_extension("cogs.capture")  # the bot goes down
    simcord_env.backend.edit_channel(renamed.id, {"name": "After"})
    simcord_env.backend.delete_channel(deleted.id)
    await simcord_env.settle()
    await harness.restart()
    assert await CaptureStore(db).thread_names(meeting.id) == {renamed.id: "After"}
    assert "DELETED-LINE-7f3a" not in await contents(db, meeting.id)
