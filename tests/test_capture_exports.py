"""Minutes and transcripts read back as users get them; purge, forget, youth pseudonyms, retention."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from test_capture_support import answer, contents, exported, make_meeting, make_thread, rows, start_recording

from storage.capture import CaptureStore
from storage.guild_settings import GuildSettingsRepo
from storage.timeutil import utcnow


async def _agenda(db, meeting_id: int) -> dict[str, int]:
    """Agenda items 1..5 and 5.1, written as the agenda feature would (plain SQL on the real file)."""
    now = utcnow().isoformat()
    ids: dict[str, int] = {}
    for position, title in enumerate(
        ["Opening", "Adoption of the agenda", "Report", "Updates", "Consideration of contributions"], start=1
    ):
        ids[str(position)] = await db.execute(
            "INSERT INTO agenda_items (meeting_id, parent_id, position, title, created_at) VALUES (?, NULL, ?, ?, ?)",
            (meeting_id, position, title, now),
        )
    ids["5.1"] = await db.execute(
        "INSERT INTO agenda_items (meeting_id, parent_id, position, title, created_at) VALUES (?, ?, 1, ?, ?)",
        (meeting_id, ids["5"], "Youth consultation", now),
    )
    await db.execute(
        "INSERT INTO contributions (meeting_id, kind, seq, title, source, agenda_item_id, submitter_id, received_at, "
        "updated_at) VALUES (?, 'contribution', 3, 'Contribution from Ghana', 'Ghana', ?, 1, ?, ?)",
        (meeting_id, ids["5"], now, now),
    )
    return ids


async def _recorded_meeting(world, db, simcord_env):
    """A short meeting with every kind of line, recorded through the bot."""
    meeting = await make_meeting(world)
    await _agenda(db, meeting.id)
    await start_recording(world)
    chat = world.meeting
    await world.chair.send(chat, "Good morning, welcome to the 19th meeting")
    await world.chair.send(chat, "#topic 5")
    hello = await world.delegate.send(chat, "#info Ghana presented CWG-COP-19/3 <script>alert('x')</script>")
    await world.delegate2.send(chat, f"I agree with <@{world.delegate.id}>", reply_to=hello)
    fixed = await world.chair.send(chat, "#agred to welcome CWG-COP-19/3")  # a typo, fixed below
    await world.chair.edit(fixed, "#agreed to welcome CWG-COP-19/3")
    await world.chair.send(chat, f"#action <@{world.delegate.id}> circulate a revised text")
    await world.chair.send(chat, "#action Secretariat: post the documents")
    await world.chair.send(chat, "#action everyone to read the report")
    regret = await world.delegate2.send(chat, "an unfortunate remark")
    await world.delegate2.delete(regret)
    starter = await world.chair.send(chat, "Side discussion in a thread")
    thread = make_thread(simcord_env, world, starter, "Side discussion")
    await simcord_env.settle()
    await world.delegate.send(thread, "#link https://www.itu.int/cop")
    await world.chair.send(chat, "#topic 5.1")
    await world.delegate2.send(chat, "#info the youth consultation had 300 answers")
    await world.chair.slash(chat, "meeting end")
    return meeting, regret


async def test_minutes_show_and_export_read_back(world, db, simcord_env) -> None:
    await _recorded_meeting(world, db, simcord_env)
    shown = await world.chair.slash(world.meeting, "minutes show", meeting=19)
    assert shown.ephemeral
    embed = shown.response.embeds[0]
    assert embed.title == "Minutes of the 19th meeting"
    assert "**5 Consideration of contributions**" in embed.description
    assert "CWG-COP-19/3 (Contribution from Ghana)" in embed.description

    result = await world.chair.slash(world.meeting, "minutes export", meeting=19, format="md")
    assert result.ephemeral
    name, md = await exported(result)
    assert name == "cwg-cop-19-minutes.md"
    for part in (
        "# Minutes of the 19th meeting of the CWG-COP",
        "**Chair:** Ms Chair",
        "### 5 Consideration of contributions",
        "Documents: CWG-COP-19/3 (Contribution from Ghana)",
        "**Info**: Ghana presented CWG-COP-19/3 \\<script\\>",
        "## Agreed outcomes\n\n1. to welcome CWG-COP-19/3 (Madam Chair, ",  # the corrected marker counts
        "### 5.1 Youth consultation",
        "**Link**: https://www.itu.int/cop (Delegate of Ghana",  # said in the thread
        "## Action items by person\n\n### Delegate of Ghana\n- circulate a revised text",
        "### Secretariat\n- post the documents",
        "### Unassigned\n- everyone to read the report",
        "| Madam Chair | 8 |",
    ):
        assert part in md, part
    assert "#agred" not in md and "unfortunate" not in md

    result = await world.chair.slash(world.meeting, "minutes export", meeting=19, format="html")
    name, html = await exported(result)
    assert name == "cwg-cop-19-minutes.html"
    assert html.startswith("<!DOCTYPE html>") and "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://www.itu.int/cop"' in html


@pytest.mark.parametrize("fmt", ["html", "md", "txt", "json"])
async def test_every_transcript_format_reads_back(world, db, simcord_env, fmt: str) -> None:
    _meeting, regret = await _recorded_meeting(world, db, simcord_env)
    result = await world.chair.slash(world.meeting, "log export", meeting=19, format=fmt)
    assert result.ephemeral and "chat transcript of the 19th meeting" in answer(result)
    name, text = await exported(result)
    assert name == f"cwg-cop-19-chat.{fmt}"
    assert "Good morning, welcome to the 19th meeting" in text
    assert "[deleted]" in text and "unfortunate remark" not in text
    assert "#agred to welcome" in text  # the original of an edited line is kept and shown
    assert "Side discussion" in text and "I agree with @Delegate of Ghana" in text
    if fmt == "html":
        assert "<script>alert" not in text and "&lt;script&gt;" in text
        assert '<section class="thread">' in text and "(edited" in text
    if fmt == "json":
        data = json.loads(text)
        thread = next(e for e in data["entries"] if e["type"] == "thread")
        assert thread["name"] == "Side discussion"
        assert [m["text"] for m in thread["messages"]] == ["#link https://www.itu.int/cop"]
        deleted = next(e for e in data["entries"] if e["id"] == str(regret.id))
        assert deleted["deleted"] is True and deleted["text"] == "[deleted]"
    if fmt == "txt":
        assert "(edited " in text and "original (" in text


async def test_exports_and_minutes_are_for_organisers_only(world, db, simcord_env) -> None:
    await _recorded_meeting(world, db, simcord_env)
    for command, options in (
        ("log export", {"meeting": 19, "format": "txt"}),
        ("minutes export", {"meeting": 19, "format": "md"}),
        ("minutes show", {"meeting": 19}),
        ("log purge", {"meeting": 19}),
        ("log forget", {"member": world.delegate2}),
    ):
        refused = await world.delegate.slash(world.general, command, **options)
        assert refused.ephemeral and "for the meeting organisers" in answer(refused), command
        assert not (refused.response and refused.response.attachments)
    assert await CaptureStore(db).has_log((await CaptureStore(db).recordings_for(1))[0].meeting_id)
    assert await CaptureStore(db).forgotten() == set()


async def test_purge_asks_first_then_keeps_the_minutes(world, db, simcord_env) -> None:
    meeting, _ = await _recorded_meeting(world, db, simcord_env)
    asked = await world.chair.slash(world.general, "log purge", meeting=19)
    assert "cannot be undone" in asked.response.content and asked.ephemeral
    cancelled = await world.chair.click(asked.response, label="Cancel")
    assert cancelled.acknowledged
    assert await CaptureStore(db).has_log(meeting.id)

    asked = await world.chair.slash(world.general, "log purge", meeting=19)
    await world.chair.click(asked.response, label="Purge the log")
    assert "Purged the chat log of the 19th meeting" in asked.response.content
    assert await db.fetchval("SELECT COUNT(*) FROM messages WHERE meeting_id = ?", (meeting.id,)) == 0
    purge = await CaptureStore(db).purge_info(meeting.id)
    assert purge is not None and purge.purged_by == world.chair.id and purge.reason == "manual"

    refused = await world.chair.slash(world.general, "log export", meeting=19, format="txt")
    assert "was purged" in answer(refused)
    _, md = await exported(await world.chair.slash(world.general, "minutes export", meeting=19, format="md"))
    assert "The raw chat log was purged on" in md
    assert "1. to welcome CWG-COP-19/3" in md and "### Delegate of Ghana\n- circulate a revised text" in md
    assert "| Madam Chair | 8 |" in md
    again = await world.chair.slash(world.meeting, "meeting start", meeting=19)
    assert "was purged" in answer(again)


async def test_an_unanswered_confirmation_changes_nothing(world, db, simcord_env) -> None:
    meeting, _ = await _recorded_meeting(world, db, simcord_env)
    asked = await world.chair.slash(world.general, "log purge", meeting=19)
    await simcord_env.advance_time(301)
    assert "nothing was changed" in asked.response.content and not asked.response.components
    assert await CaptureStore(db).has_log(meeting.id)


async def test_purge_is_refused_while_recording(world, db) -> None:
    await make_meeting(world)
    await start_recording(world)
    await world.delegate.send(world.meeting, "a line")
    refused = await world.chair.slash(world.general, "log purge", meeting=19)
    assert "still being recorded" in answer(refused)


async def test_forget_removes_a_members_words_everywhere_and_stops_recording_them(world, db, simcord_env) -> None:
    meeting, _ = await _recorded_meeting(world, db, simcord_env)
    asked = await world.chair.slash(world.general, "log forget", member=world.delegate)
    assert "cannot be undone" in asked.response.content
    await world.chair.click(asked.response, label="Remove their lines")
    assert "Removed Delegate of Ghana" in asked.response.content

    mine = [r for r in await rows(db, meeting.id) if r["forgotten"]]
    assert len(mine) == 2 and all(r["content"] == "" and r["author_id"] == 0 for r in mine)
    assert await CaptureStore(db).forgotten() == {(world.guild.id, world.delegate.id)}
    _, text = await exported(await world.chair.slash(world.general, "log export", meeting=19, format="txt"))
    assert "Ghana presented" not in text and "[removed]: [removed]" in text
    assert "Delegate of Ghana" not in text  # nor as a name, nor in mentions
    _, md = await exported(await world.chair.slash(world.general, "minutes export", meeting=19, format="md"))
    assert "Ghana presented" not in md and "### [removed]" in md

    await start_recording(world)  # a new recording (the previous one ended)
    await world.delegate.send(world.meeting, "I am not recorded any more")
    assert "I am not recorded any more" not in await contents(db, meeting.id)
    remembered = await world.chair.slash(world.general, "log remember", member=world.delegate)
    assert "The bot records Delegate of Ghana" in answer(remembered)
    await world.delegate.send(world.meeting, "recorded again")
    assert "recorded again" in await contents(db, meeting.id)


async def test_youth_participants_appear_under_a_stable_pseudonym(world, db, simcord_env) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    await world.delegate2.send(world.meeting, "said before opting in")
    turned_on = await world.delegate2.slash(world.general, "privacy youth on")
    assert turned_on.ephemeral and "**Participant 1**" in answer(turned_on)
    await world.delegate2.send(world.meeting, "#info the youth view")
    await world.chair.send(world.meeting, f"#action <@{world.delegate2.id}> summarise the youth views")
    await world.chair.send(world.meeting, f"thank you <@{world.delegate2.id}>")

    names = {r["author_name"] for r in await rows(db, meeting.id) if r["author_id"] == world.delegate2.id}
    assert names == {"Participant 1"}  # the stored record holds the pseudonym, not the name
    for fmt in ("txt", "json", "html", "md"):
        _, text = await exported(await world.chair.slash(world.general, "log export", meeting=19, format=fmt))
        assert "delegate2" not in text and str(world.delegate2.id) not in text, fmt
        assert "Participant 1" in text and "thank you @Participant 1" in text, fmt
    _, md = await exported(await world.chair.slash(world.general, "minutes export", meeting=19, format="md"))
    assert "### Participant 1\n- summarise the youth views" in md and "delegate2" not in md

    assert "Participant 1" in answer(await world.delegate2.slash(world.general, "privacy youth on"))
    off = await world.delegate2.slash(world.general, "privacy youth off")
    assert "no longer a youth participant" in answer(off)
    await world.delegate2.send(world.meeting, "said after opting out")
    stored = {r["content"]: r["author_name"] for r in await rows(db, meeting.id)}
    assert stored["said after opting out"] == "delegate2" and stored["said before opting in"] == "Participant 1"
    again = await world.delegate2.slash(world.general, "privacy youth on")
    assert "**Participant 1**" in answer(again)  # the same pseudonym for good


async def test_old_logs_are_purged_automatically_after_the_retention_period(world, db) -> None:
    old = await make_meeting(world, 17, starts_in=-timedelta(days=3), duration=timedelta(hours=7))
    recent = await make_meeting(world, 18, starts_in=-timedelta(hours=30), duration=timedelta(hours=7))
    for number in (17, 18):
        await start_recording(world, number)
        await world.chair.send(world.meeting, f"#agreed outcome of meeting {number}")
        await world.chair.slash(world.meeting, "meeting end", meeting=number)
    await GuildSettingsRepo(db).update(world.guild.id, retention_days=2)
    assert world.bot.scheduler.get_job("capture:retention") is not None  # the daily job

    await world.bot.get_cog("CaptureCog")._retention_job()  # what the daily job runs

    assert not await CaptureStore(db).has_log(old.id) and await CaptureStore(db).has_log(recent.id)
    purge = await CaptureStore(db).purge_info(old.id)
    assert purge is not None and purge.reason == "retention" and purge.purged_by is None
    _, md = await exported(await world.chair.slash(world.general, "minutes export", meeting=17, format="md"))
    assert "outcome of meeting 17" in md


async def test_export_of_a_meeting_without_a_log_says_so(world, db) -> None:
    await make_meeting(world)
    refused = await world.chair.slash(world.general, "log export", meeting=19, format="html")
    assert "never recorded" in answer(refused)
    shown = await world.chair.slash(world.general, "minutes show", meeting=19)
    assert "No minutes markers yet" in shown.response.embeds[0].description


async def test_an_export_over_the_upload_limit_is_zipped_whole(world, db, simcord_env, monkeypatch) -> None:
    """Over the server's upload limit the transcript is sent zipped (compressed off the event loop), whole."""
    import io
    import zipfile

    import discord

    await _recorded_meeting(world, db, simcord_env)
    _name, plain = await exported(await world.chair.slash(world.general, "log export", meeting=19, format="txt"))
    monkeypatch.setattr(discord.Guild, "filesize_limit", property(lambda self: len(plain.encode()) - 1))
    result = await world.chair.slash(world.general, "log export", meeting=19, format="txt")
    message = result.followups[-1] if result.followups else result.response
    (attachment,) = message.attachments
    assert attachment.filename.endswith(".txt.zip") and "zipped" in answer(result)
    with zipfile.ZipFile(io.BytesIO(await attachment.read())) as archive:
        (inner,) = archive.namelist()
        assert inner == attachment.filename.removesuffix(".zip")
        unpacked = archive.read(inner).decode()

    def body(text: str) -> list[str]:  # the export's time in the header may have moved on by a minute
        return [line for line in text.splitlines() if "xported" not in line]

    assert body(unpacked) == body(plain) and len(body(plain)) > 10
