"""/setup through the real bot: every setting round-trips; bad values change nothing."""

from __future__ import annotations

import discord
import pytest

from storage.guild_settings import GuildSettings, GuildSettingsRepo
from tests.conftest import build_world


@pytest.fixture
async def fresh(simcord_env):
    """A server where nobody has run /setup yet."""
    return build_world(simcord_env)


async def stored(world) -> GuildSettings:
    return await GuildSettingsRepo(world.bot.db).get(world.guild.id)


async def test_roles_round_trip(fresh):
    w = fresh
    r = await w.admin.slash(
        w.general, "setup roles", chair=w.chair_role, secretariat=w.secretariat_role, participant=w.participant_role
    )
    assert r.ephemeral
    assert "Roles saved" in r.response.content
    assert f"Chair: <@&{w.chair_role.id}>" in r.response.content
    s = await stored(w)
    assert (s.chair_role_id, s.secretariat_role_id, s.participant_role_id) == (
        w.chair_role.id,
        w.secretariat_role.id,
        w.participant_role.id,
    )
    # Changing one role keeps the others.
    await w.admin.slash(w.general, "setup roles", chair=w.participant_role)
    s = await stored(w)
    assert s.chair_role_id == w.participant_role.id and s.secretariat_role_id == w.secretariat_role.id


async def test_roles_refuse_everyone_and_empty_calls(fresh):
    w = fresh
    r = await w.admin.slash(w.general, "setup roles", chair=w.guild.default_role)
    assert r.ephemeral and "cannot be used" in r.response.content
    r = await w.admin.slash(w.general, "setup roles")
    assert "Give at least one role" in r.response.content
    assert await stored(w) == GuildSettings(guild_id=w.guild.id)


async def test_channels_round_trip_and_show(fresh):
    w = fresh
    r = await w.admin.slash(
        w.general,
        "setup channels",
        agenda=w.agenda,
        contributions=w.contributions,
        reminders=w.reminders,
        meeting=w.meeting,
    )
    assert "Channels saved" in r.response.content
    s = await stored(w)
    assert (s.agenda_channel_id, s.contributions_channel_id, s.reminders_channel_id, s.meeting_channel_id) == (
        w.agenda.id,
        w.contributions.id,
        w.reminders.id,
        w.meeting.id,
    )
    r = await w.admin.slash(w.general, "setup show")
    assert r.ephemeral
    embed = r.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert f"Agenda: <#{w.agenda.id}>" in fields["Channels"]
    assert f"Meeting chat: <#{w.meeting.id}>" in fields["Channels"]
    assert "Time zone: `Europe/Zurich`" in fields["Options"]
    assert "Reminder offsets: `7d,1d,1h,10m`" in fields["Options"]
    assert "Chair: not set" in fields["Roles"]


async def test_a_channel_the_bot_cannot_post_in_is_refused(fresh):
    w = fresh
    closed = w.guild.create_text_channel(
        "closed", overwrites={w.bot.user: discord.PermissionOverwrite(send_messages=False)}
    )
    r = await w.admin.slash(w.general, "setup channels", agenda=w.agenda, reminders=closed)
    assert r.ephemeral
    assert "Nothing was changed" in r.response.content
    assert f"<#{closed.id}> (reminders channel): I lack **Send Messages**" in r.response.content
    assert (await stored(w)).agenda_channel_id is None, "the good channel was not saved either"


async def test_options_round_trip(fresh):
    w = fresh
    r = await w.admin.slash(
        w.general,
        "setup options",
        timezone="America/New_York",
        group_code="cwg-cop",
        reminder_offsets="1h,1d",
        contribution_deadline_days=10,
        posting_deadline_days=5,
        retention_days=90,
        max_file_mb=10,
        allowed_file_types=".PDF, docx,pdf",
    )
    assert "Options saved" in r.response.content
    s = await stored(w)
    assert s.timezone == "America/New_York"
    assert s.group_code == "CWG-COP"
    assert s.reminder_offsets == "1d,1h"
    assert (s.contribution_deadline_days, s.posting_deadline_days, s.retention_days, s.max_file_mb) == (10, 5, 90, 10)
    assert s.allowed_file_types == "pdf,docx"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timezone": "Geneva"}, "not a time zone I know"),
        ({"reminder_offsets": "tomorrow"}, "not a reminder offset"),
        ({"group_code": "cwg cop!"}, "not a group code"),
        ({"allowed_file_types": "p d f"}, "not a list of file types"),
        ({"timezone": "Europe/Zurich", "reminder_offsets": "1h,soon"}, "not a reminder offset"),
        ({}, "Give at least one option"),
    ],
)
async def test_bad_options_change_nothing(fresh, options, message):
    w = fresh
    r = await w.admin.slash(w.general, "setup options", **options)
    assert r.ephemeral
    assert message in r.response.content
    assert await stored(w) == GuildSettings(guild_id=w.guild.id)


async def test_timezone_is_autocompleted(fresh):
    w = fresh
    choices = await w.admin.autocomplete(w.general, "setup options", "timezone", "")
    assert choices[0]["value"] == "Europe/Zurich"
    choices = await w.admin.autocomplete(w.general, "setup options", "timezone", "manil")
    assert {"name": "Asia/Manila", "value": "Asia/Manila"} in [{k: c[k] for k in ("name", "value")} for c in choices]


async def test_setup_is_hidden_from_members_without_manage_server(fresh):
    w = fresh
    assert "setup show" in w.admin.available_commands(w.general)
    for member in (w.chair, w.delegate, w.outsider):
        assert not [c for c in member.available_commands(w.general) if c.startswith("setup")]


async def test_setup_is_refused_on_the_server_side_even_if_discord_shows_it(fresh):
    w = fresh
    commands = await w.bot.tree.fetch_commands()
    setup = next(c for c in commands if c.name == "setup")
    w.guild.set_command_permissions(setup, {w.chair_role: True})  # an admin allowed the chair role
    r = await w.chair.slash(w.general, "setup options", timezone="Asia/Manila")
    assert r.ephemeral
    assert "You need the Manage Guild permission" in r.response.content
    assert (await stored(w)).timezone == "Europe/Zurich"
