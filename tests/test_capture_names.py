"""Who the exports name: members mentioned who never spoke are looked up (the bot has no members intent).

The bot's member cache is empty in practice (``guild.get_member`` finds no one), so a mention of
someone who never wrote in the chat must be asked of Discord; youth participants and forgotten
members never are (they show as their pseudonym and "[removed]").
"""

from __future__ import annotations

import json
import sqlite3

import discord
import pytest
from test_capture_support import answer, exported, make_meeting, start_recording

from cogs.capture._names import MAX_LOOKUPS
from storage.capture import CaptureStore

FAKE_IDS = [900_000_000_000_000_000 + n for n in range(MAX_LOOKUPS + 10)]  # no such users


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids the bot asks Discord for (``guild.fetch_member``), in order; the real call still runs."""
    calls: list[int] = []
    original = discord.Guild.fetch_member

    async def spy(self: discord.Guild, member_id: int, /) -> discord.Member:
        calls.append(member_id)
        return await original(self, member_id)

    monkeypatch.setattr(discord.Guild, "fetch_member", spy)
    return calls


async def _people(world, simcord_env):
    """A youth participant (with a nickname) and a forgotten member, set up through the real commands."""
    amira = world.guild.add_member(simcord_env.create_user("amira"), roles=[world.participant_role], nick="Amira K")
    await simcord_env.settle()
    assert "**Participant 1**" in answer(await amira.slash(world.general, "privacy youth on"))
    asked = await world.chair.slash(world.general, "log forget", member=world.outsider)
    await world.chair.click(asked.response, label="Remove their lines")
    assert await CaptureStore(world.bot.db).forgotten_in(world.guild.id) == {world.outsider.id}
    return amira


async def test_an_action_for_a_member_who_never_spoke_names_them(world, db, simcord_env, fetched) -> None:
    amira = await _people(world, simcord_env)
    await make_meeting(world)
    await start_recording(world)
    chat = world.meeting
    await world.chair.send(chat, "#topic Youth survey")
    # None of these four ever writes in the chat.
    await world.chair.send(chat, f"#action <@{world.delegate2.id}> send the youth survey")
    await world.chair.send(chat, f"#action <@{world.delegate.id}> circulate the Ghana text")  # a server nickname
    await world.chair.send(chat, f"#action <@{amira.id}> summarise the youth views")
    await world.chair.send(chat, f"#action <@{world.outsider.id}> check the figures")
    await world.chair.send(chat, f"#info thanks to <@!{world.secretary.id}> for the notes")
    assert world.bot.get_guild(world.guild.id).get_member(world.delegate2.id) is None  # not cached: no intent

    result = await world.chair.slash(world.general, "minutes export", meeting=19, format="md")
    _, md = await exported(result)
    for part in (
        "### delegate2\n- send the youth survey",
        "### Delegate of Ghana\n- circulate the Ghana text",
        "### Participant 1\n- summarise the youth views",
        "### [removed]\n- check the figures",
        "thanks to @secretary for the notes",
    ):
        assert part in md, part
    assert "unknown member" not in md
    assert "amira" not in md.lower() and "Amira K" not in md and "outsider" not in md

    # The embed says the same (the lookups take a moment: the answer comes after a deferral).
    shown = await world.chair.slash(world.meeting, "minutes show", meeting=19)
    assert shown.ephemeral
    text = (shown.followups[-1] if shown.followups else shown.response).embeds[0].description
    assert "• delegate2: send the youth survey" in text and "• Participant 1: summarise the youth views" in text
    assert "• [removed]: check the figures" in text and "unknown member" not in text

    # Youth participants and forgotten members are never asked of Discord.
    assert world.delegate2.id in fetched and world.delegate.id in fetched
    assert amira.id not in fetched and world.outsider.id not in fetched


async def test_the_transcript_names_members_mentioned_anywhere(world, db, simcord_env, fetched) -> None:
    amira = await _people(world, simcord_env)
    await make_meeting(world)
    await start_recording(world)
    chat = world.meeting
    await world.chair.send(chat, f"Welcome <@{world.delegate2.id}> and <@{amira.id}>, and <@{world.outsider.id}>")
    note = await world.chair.send(chat, f"cc <@{world.secretary.id}>")
    await world.chair.edit(note, "cc the secretariat")  # the earlier version is shown in the transcript
    await world.chair.slash(chat, "meeting end")

    for fmt in ("txt", "json"):
        _, text = await exported(await world.chair.slash(world.general, "log export", meeting=19, format=fmt))
        if fmt == "json":
            text = json.dumps(json.loads(text), ensure_ascii=False)
        assert "Welcome @delegate2 and @Participant 1, and @[removed]" in text, fmt
        assert "cc @secretary" in text and "unknown member" not in text, fmt
        assert "amira" not in text.lower() and "outsider" not in text, fmt
    assert amira.id not in fetched and world.outsider.id not in fetched


async def test_lookups_are_bounded_and_failures_read_unknown_member(world, db, fetched) -> None:
    await make_meeting(world)
    await start_recording(world)
    await world.chair.send(world.meeting, f"#action <@{world.delegate2.id}> reply to all of them")
    await world.chair.send(world.meeting, "#info mentions " + " ".join(f"<@{i}>" for i in FAKE_IDS))

    _, md = await exported(await world.chair.slash(world.general, "minutes export", meeting=19, format="md"))
    assert "### delegate2\n- reply to all of them" in md
    assert "mentions @unknown member @unknown member" in md  # Discord does not know them: the export still comes
    # At most MAX_LOOKUPS, each once, in the order mentioned.
    assert fetched == [world.delegate2.id, *FAKE_IDS[: MAX_LOOKUPS - 1]]


async def test_the_minutes_kept_after_a_purge_name_a_member_who_never_spoke(world, db) -> None:
    meeting = await make_meeting(world)
    await start_recording(world)
    await world.chair.send(world.meeting, f"#action <@{world.delegate2.id}> send the youth survey")
    await world.chair.slash(world.meeting, "meeting end")
    asked = await world.chair.slash(world.general, "log purge", meeting=19)
    await world.chair.click(asked.response, label="Purge the log")
    assert "Purged the chat log of the 19th meeting" in asked.response.content

    (stored,) = await db.fetchall("SELECT assignees FROM minutes_items WHERE meeting_id = ?", (meeting.id,))
    assert json.loads(stored["assignees"]) == [{"id": world.delegate2.id, "name": "delegate2"}]
    _, md = await exported(await world.chair.slash(world.general, "minutes export", meeting=19, format="md"))
    assert "The raw chat log was purged on" in md and "### delegate2\n- send the youth survey" in md


async def test_a_forget_the_database_refused_does_not_stop_recording_them(world, db, monkeypatch) -> None:
    """The capture cog's in-memory gate follows the database, the truth the exports read."""
    await make_meeting(world)
    await start_recording(world)

    async def refused(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(CaptureStore, "forget", refused)
    asked = await world.chair.slash(world.general, "log forget", member=world.delegate)
    failed = await world.chair.click(asked.response, label="Remove their lines")
    assert "Something went wrong" in answer(failed)
    world.env.errors  # noqa: B018 (acknowledge the error simcord captured: it was expected here)
    assert not await CaptureStore(db).is_forgotten(world.guild.id, world.delegate.id)

    await world.delegate.send(world.meeting, "still on the record")
    _, text = await exported(await world.chair.slash(world.general, "log export", meeting=19, format="txt"))
    assert "Delegate of Ghana: still on the record" in text
