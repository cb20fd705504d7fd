"""A recorded meeting driven through the real bot: notices, capture, edits, deletions, threads, markers."""

from __future__ import annotations

import json
from datetime import timedelta

from test_capture_support import (
    NOTICE,
    answer,
    contents,
    eventually,
    job_ran,
    make_meeting,
    make_thread,
    reactions,
    rows,
    start_recording,
)

from storage.capture import CaptureStore


async def test_start_posts_the_notice_and_end_posts_another(world, db) -> None:
    meeting = await make_meeting(world)
    result = await start_recording(world)
    assert result.ephemeral
    notice = world.meeting.last_message
    assert notice.author.id == world.bot.user.id
    assert NOTICE in notice.content and "[off]" in notice.content and "DATA.md" in notice.content
    (recording,) = await CaptureStore(db).open_recordings()
    assert recording.start_message_id == notice.id and recording.started_by == world.chair.id

    await world.delegate.send(world.meeting, "Good morning")
    ended = await world.chair.slash(world.meeting, "meeting end")
    assert "1 lines are in the record" in answer(ended)
    assert "Recording ended" in world.meeting.last_message.content
    stored = await rows(db, meeting.id)
    assert [r["is_notice"] for r in stored] == [1, 0, 1]  # the bot's own notices are kept, marked
    await world.delegate.send(world.meeting, "after the end")
    assert "after the end" not in await contents(db, meeting.id)


async def test_meeting_choice_is_offered_by_autocomplete(world, db) -> None:
    await make_meeting(world, 19)
    choices = await world.chair.autocomplete(world.meeting, "meeting start", "meeting", "19")
    assert [c["value"] for c in choices] == [19] and choices[0]["name"].startswith("19th meeting")


async def test_non_organisers_cannot_start_or_end(world, db) -> None:
    await make_meeting(world)
    refused = await world.delegate.slash(world.meeting, "meeting start", meeting=19)
    assert "for the meeting organisers" in answer(refused) and refused.ephemeral
    assert await CaptureStore(db).open_recordings() == []
    assert world.meeting.last_message is None
    await start_recording(world)
    refused = await world.delegate.slash(world.meeting, "meeting end")
    assert "for the meeting organisers" in answer(refused)
    assert len(await CaptureStore(db).open_recordings()) == 1


async def test_start_refuses_clearly_and_changes_nothing(world, db) -> None:
    await make_meeting(world, 19)
    await make_meeting(world, 20)
    await start_recording(world, 19)
    again = await world.chair.slash(world.meeting, "meeting start", meeting=19)
    assert "already being recorded" in answer(again)
    busy = await world.chair.slash(world.meeting, "meeting start", meeting=20)
    assert "already recording another meeting (the 19th meeting)" in answer(busy)
    unknown = await world.chair.slash(world.meeting, "meeting start", meeting=42)
    assert "There is no 42nd meeting" in answer(unknown)
    assert len(await CaptureStore(db).open_recordings()) == 1


async def test_the_chat_is_captured_with_what_matters_and_nothing_else(world, db, simcord_env) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    first = await world.delegate.send(world.meeting, "Ghana supports the draft")
    await world.secretary.send(world.meeting, "Noted", reply_to=first)
    await world.delegate2.send(world.meeting, "[off] between us: I am late")
    await world.delegate2.send(world.meeting, "Here is our paper", attachments=[("paper.pdf", b"%PDF-1.7 test")])
    other_bot = world.guild.add_member(simcord_env.create_user("otherbot", bot=True))
    await other_bot.send(world.meeting, "I am another bot")
    await world.guild.create_webhook(world.meeting, "Feed").send("a webhook post", username="Some service")
    await world.delegate.send_dm("a direct message to the bot")
    await world.delegate.send(world.general, "chat in another channel")

    stored = [r for r in await rows(db, meeting.id) if not r["is_notice"]]
    assert [(r["author_name"], r["content"]) for r in stored] == [
        ("Delegate of Ghana", "Ghana supports the draft"),
        ("secretary", "Noted"),
        ("delegate2", "Here is our paper"),
    ]
    assert stored[1]["reply_to"] == first.id and stored[0]["author_id"] == world.delegate.id
    (attachment,) = json.loads(stored[2]["attachments"])
    assert attachment["name"] == "paper.pdf" and attachment["size"] == 13 and attachment["url"].startswith("https://")
    assert stored[0]["created_at"] and stored[0]["channel_id"] == world.meeting.id and stored[0]["thread_id"] is None


async def test_threads_under_the_meeting_channel_are_captured(world, db, simcord_env) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    starter = await world.delegate.send(world.meeting, "Comments on item 5 in a thread please")
    thread = make_thread(simcord_env, world, starter)
    await simcord_env.settle()
    await world.delegate2.send(thread, "Our comment on item 5")
    stored = {r["content"]: r for r in await rows(db, meeting.id)}
    line = stored["Our comment on item 5"]
    assert line["thread_id"] == thread.id and line["channel_id"] == world.meeting.id
    assert await CaptureStore(db).thread_names(meeting.id) == {thread.id: "Item 5 comments"}


async def test_edits_keep_every_version_and_deletions_leave_a_tombstone(world, db, simcord_env) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    edited = await world.delegate.send(world.meeting, "We propose 10 days")
    await world.delegate.edit(edited, "We propose 12 days")
    await world.delegate.edit(edited, "We propose 12 calendar days")
    gone = await world.delegate.send(world.meeting, "Something I regret")
    await world.delegate.edit(gone, "Something I regret, edited")
    await world.delegate.delete(gone)
    withdrawn = await world.delegate2.send(world.meeting, "A remark")
    await world.delegate2.edit(withdrawn, "[off] A remark")  # taken off the record afterwards
    bulk = [await world.delegate2.send(world.meeting, f"spam {i}") for i in range(3)]
    simcord_env.backend.bulk_delete_messages(world.meeting.id, [m.id for m in bulk])  # a moderator's bulk delete
    await simcord_env.settle()

    by_id = {r["message_id"]: r for r in await rows(db, meeting.id)}
    assert by_id[edited.id]["content"] == "We propose 12 calendar days" and by_id[edited.id]["edited_at"]
    versions = await db.fetchall(
        "SELECT content FROM message_versions WHERE message_id = ? ORDER BY version", (edited.id,)
    )
    assert [v[0] for v in versions] == ["We propose 10 days", "We propose 12 days", "We propose 12 calendar days"]
    for message in (gone, withdrawn, *bulk):
        assert by_id[message.id]["content"] == "" and by_id[message.id]["deleted_at"], message.content
    assert await db.fetchval("SELECT COUNT(*) FROM message_versions WHERE message_id = ?", (gone.id,)) == 0
    # Deletion is honoured after the recording ended too.
    await world.chair.slash(world.meeting, "meeting end")
    await world.delegate.delete(edited)
    assert (await rows(db, meeting.id))[1]["content"] == ""


async def test_markers_are_acknowledged_with_reactions_and_undo_is_for_organisers(world, db) -> None:
    await make_meeting(world)
    await start_recording(world)
    topic = await world.chair.send(world.meeting, "#topic 5 Contributions")
    info = await world.delegate.send(world.meeting, "#info Ghana presented its paper")
    plain = await world.delegate.send(world.meeting, "just a remark")
    refused = await world.delegate.send(world.meeting, "#undo")
    undo = await world.secretary.send(world.meeting, "#undo")
    empty = await world.delegate.send(world.meeting, "#info")
    assert reactions(world.meeting, topic.id) == ["✅"]
    assert reactions(world.meeting, info.id) == ["✅"]
    assert reactions(world.meeting, plain.id) == []
    assert reactions(world.meeting, refused.id) == ["🚫"]
    assert reactions(world.meeting, undo.id) == ["✅"]
    assert reactions(world.meeting, empty.id) == []
    # No message was posted to acknowledge anything.
    assert world.meeting.last_message.id == empty.id

    shown = await world.chair.slash(world.meeting, "minutes show", meeting=19)
    text = shown.response.embeds[0].description
    assert "5 Contributions" in text and "Ghana presented" not in text  # the secretary's #undo removed it


async def test_the_record_starts_and_ends_by_itself_at_the_scheduled_times(world, db, simcord_env) -> None:
    meeting = await make_meeting(world, starts_in=timedelta(seconds=0.3), duration=timedelta(seconds=1.5))
    world.bot.dispatch("meeting_created", meeting)  # as the meetings feature does after creating it
    store = CaptureStore(db)

    async def recording() -> bool:
        return bool(await store.open_recordings())

    await eventually(simcord_env, recording)
    (started,) = await store.open_recordings()
    # (the reminders feature posts "starting now" beside the notice)
    assert started.started_by is None and any(NOTICE in m.content for m in world.meeting.history())
    ended = job_ran(world.bot, f"capture:end:{meeting.id}")
    await world.delegate.send(world.meeting, "said during the meeting")
    await eventually(simcord_env, ended)
    assert await store.open_recordings() == []
    assert any("at the meeting's scheduled end" in m.content for m in world.meeting.history())
    assert "said during the meeting" in await contents(db, meeting.id)


async def test_a_hand_started_recording_is_not_doubled_nor_cut_at_the_scheduled_times(world, db, simcord_env) -> None:
    meeting = await make_meeting(world, starts_in=timedelta(seconds=0.3), duration=timedelta(seconds=0.3))
    ended = job_ran(world.bot, f"capture:end:{meeting.id}")  # (starting schedules the recording's stop at once)
    await start_recording(world)  # the chair starts early
    world.bot.dispatch("meeting_created", meeting)
    await eventually(simcord_env, ended)
    assert world.bot.scheduler.get_job(f"capture:start:{meeting.id}") is None  # nothing to start meanwhile
    recordings = await CaptureStore(db).recordings_for(meeting.id)
    assert len(recordings) == 1 and recordings[0].is_open  # no second start, no automatic end
    notices = [r for r in await rows(db, meeting.id) if r["is_notice"]]
    assert len(notices) == 1
    assert world.bot.scheduler.get_job(f"capture:guard:{meeting.id}") is not None  # the safety net remains


async def test_a_record_ended_by_hand_before_the_start_is_not_restarted_by_the_schedule(world, db, simcord_env) -> None:
    meeting = await make_meeting(world, starts_in=timedelta(seconds=0.3), duration=timedelta(seconds=5))
    started = job_ran(world.bot, f"capture:start:{meeting.id}")  # (starting schedules it at once)
    await start_recording(world)  # a test run before the meeting...
    await world.chair.slash(world.meeting, "meeting end")  # ...ended by hand
    world.bot.dispatch("meeting_created", meeting)
    await eventually(simcord_env, started)
    assert await CaptureStore(db).open_recordings() == []
    assert len(await CaptureStore(db).recordings_for(meeting.id)) == 1


async def test_a_restart_mid_meeting_loses_nothing_and_stores_nothing_twice(world, db, harness, simcord_env) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    kept = await world.delegate.send(world.meeting, "before the restart")
    to_edit = await world.delegate.send(world.meeting, "draft wording")
    to_delete = await world.delegate2.send(world.meeting, "to be deleted while the bot is down")
    starter = await world.chair.send(world.meeting, "#topic 5 Thread for comments")
    thread = make_thread(simcord_env, world, starter)
    await simcord_env.settle()
    await world.delegate.send(thread, "thread line before")

    # The bot goes down: the capture is unloaded (it flushes what it holds) and hears nothing.
    await world.bot.unload_extension("cogs.capture")
    await world.delegate.send(world.meeting, "said while the bot was down")
    await world.delegate2.send(thread, "thread line while down")
    await world.secretary.send(world.meeting, "#agreed while the bot was down")
    await world.delegate.send(world.meeting, "[off] still off the record")
    await world.delegate.edit(to_edit, "final wording")
    await world.delegate2.delete(to_delete)

    await harness.restart()
    await world.delegate.send(world.meeting, "after the restart")

    stored = await rows(db, meeting.id)
    texts = [r["content"] for r in stored if not r["is_notice"]]
    assert len(texts) == len(set(r["message_id"] for r in stored if not r["is_notice"]))
    for expected in (
        "before the restart",
        "final wording",
        "thread line before",
        "said while the bot was down",
        "thread line while down",
        "#agreed while the bot was down",
        "after the restart",
    ):
        assert texts.count(expected) == 1, expected
    assert "still off the record" not in " ".join(texts)
    by_id = {r["message_id"]: r for r in stored}
    assert by_id[to_delete.id]["deleted_at"] and by_id[to_delete.id]["content"] == ""
    versions = await db.fetchall("SELECT content FROM message_versions WHERE message_id = ?", (to_edit.id,))
    assert sorted(v[0] for v in versions) == ["draft wording", "final wording"]
    assert by_id[kept.id]["content"] == "before the restart"
    # The missed marker was acknowledged after the backfill.
    agreed = next(r for r in stored if r["content"] == "#agreed while the bot was down")
    assert reactions(world.meeting, agreed["message_id"]) == ["✅"]

    # A second restart changes nothing.
    before = await db.fetchval("SELECT COUNT(*) FROM messages")
    await harness.restart()
    assert await db.fetchval("SELECT COUNT(*) FROM messages") == before


async def test_recording_needs_a_channel_and_a_visible_notice(world, db) -> None:
    from storage.guild_settings import GuildSettingsRepo

    await make_meeting(world)
    await GuildSettingsRepo(db).update(world.guild.id, meeting_channel_id=None)
    refused = await world.chair.slash(world.general, "meeting start", meeting=19)
    assert "/setup channels meeting:" in answer(refused)
    assert await CaptureStore(db).open_recordings() == []


async def test_privacy_status_tells_a_member_what_is_kept(world, db) -> None:
    await make_meeting(world)
    await start_recording(world)
    await world.delegate.send(world.meeting, "one line")
    status = await world.delegate.slash(world.general, "privacy status")
    assert status.ephemeral
    text = answer(status)
    assert "1 of your lines are kept" in text and f"<#{world.meeting.id}>" in text and "[off]" in text


async def test_open_recordings_survive_a_restart(world, db, harness) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    await harness.restart()
    await world.delegate.send(world.meeting, "still recorded")
    assert "still recorded" in await contents(db, meeting.id)


async def test_an_off_line_edited_back_on_the_record_during_the_recording_is_kept(world, db) -> None:
    """As the catch-up after a restart would keep it: both paths agree (found by the record model)."""
    meeting = await make_meeting(world)
    await start_recording(world)
    line = await world.delegate.send(world.meeting, "[off] a private remark")
    await world.delegate.edit(line, "On the record after all")
    assert await contents(db, meeting.id) == ["On the record after all"]
    assert await db.fetchval("SELECT COUNT(*) FROM message_versions") == 0  # the [off] text was never kept
