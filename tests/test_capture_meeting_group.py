"""/meeting start|end join the meetings feature's /meeting group, whichever extension loads first.

The meetings feature is built on another branch; a stand-in extension with its own ``/meeting``
group (and a ``create`` subcommand) is written to a temporary folder and loaded by name.
"""

from __future__ import annotations

import importlib
import textwrap

import pytest
from test_capture_support import answer, make_meeting

from bot import MeetingBot
from storage.capture import CaptureStore

STAND_IN = textwrap.dedent(
    """
    import discord
    from discord import app_commands
    from discord.ext import commands


    class StandInMeetings(commands.Cog):
        meeting = app_commands.Group(name="meeting", description="Meetings", guild_only=True)

        @meeting.command(name="create", description="Create a meeting")
        async def create(self, interaction: discord.Interaction) -> None:
            await interaction.response.send_message("created", ephemeral=True)


    async def setup(bot):
        await bot.add_cog(StandInMeetings())
    """
)


@pytest.fixture
def stand_in(tmp_path, monkeypatch) -> str:
    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / "standin_meetings.py").write_text(STAND_IN)
    monkeypatch.syspath_prepend(str(folder))
    # The module as it is now (unloading an extension drops its modules, a later load imports them anew).
    capture_cog = importlib.import_module("cogs.capture._cog")
    monkeypatch.setattr(capture_cog, "MEETINGS_EXTENSION", "standin_meetings")
    return "standin_meetings"


@pytest.fixture(params=["meetings first", "capture first"])
def simcord_bot(request, settings, db, stand_in) -> MeetingBot:
    order = ("cogs.setup", stand_in, "cogs.capture")
    if request.param == "capture first":
        order = ("cogs.setup", "cogs.capture", stand_in)
    return MeetingBot(settings, db, extensions=order)


async def test_start_and_end_live_in_the_meetings_group(world, db) -> None:
    group = world.bot.tree.get_command("meeting")
    assert sorted(c.name for c in group.commands) == ["create", "end", "start"]
    assert answer(await world.chair.slash(world.general, "meeting create")) == "created"

    await make_meeting(world)
    started = await world.chair.slash(world.meeting, "meeting start", meeting=19)
    assert "Recording the 19th meeting" in answer(started)
    ended = await world.chair.slash(world.meeting, "meeting end")
    assert "Recording of the 19th meeting ended" in answer(ended)
    assert (await CaptureStore(db).recordings_for(1))[0].ended_by == world.chair.id

    await world.bot.unload_extension("cogs.capture")
    assert [c.name for c in world.bot.tree.get_command("meeting").commands] == ["create"]
