"""The README's invite is enough: the bot's role gets exactly the README's permissions integer and the
main journeys work; without any one of them, the organiser is told which one and where to switch it on.

simcord models today's Discord here (tests/discord_today.py): pins need Pin Messages, the bot's own
scheduled events need only Create Events. The README is read as an admin reads it.
"""

from __future__ import annotations

import re
import textwrap
from datetime import timedelta
from pathlib import Path

import discord
import pytest
from simcord.backend.ops import DEFAULT_EVERYONE_PERMISSIONS
from test_contributions_support import PDF
from test_reminders_helpers import (  # noqa: F401 (no_job_errors is an autouse fixture)
    announce,
    contents,
    ledger,
    new_meeting,
    no_job_errors,
    wait_until,
)

from cogs.core import permissions
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import MeetingsRepo
from storage.timeutil import utcnow

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_integer() -> int:
    text = README.read_text(encoding="utf-8")
    values = set(re.findall(r"permissions=(\d+)", text)) | set(re.findall(r"permissions integer `(\d+)`", text))
    assert len(values) == 1, f"the README gives several permission integers: {values}"
    return int(values.pop())


def texts(result) -> str:
    return "\n".join(m.content or "" for m in [result.response, *result.followups] if m is not None)


def files_of(result) -> list:
    return [a for m in [result.response, *result.followups] if m is not None for a in m.attachments]


def bot_role(world):
    guild = world.env.backend.get_guild(world.guild.id)
    return next(r for r in guild.roles.values() if r.managed)


async def give_bot_exactly(world, value: int) -> None:
    """The bot's role has ``value`` and nothing else reaches the bot: @everyone grants nothing (the
    people get Discord's default member permissions through a role of their own)."""
    backend = world.env.backend
    guild = backend.get_guild(world.guild.id)
    members = backend.create_role(guild.id, "Members", permissions=DEFAULT_EVERYONE_PERMISSIONS)
    for user_id in list(guild.members):
        if user_id != backend.bot_user.id:
            backend.add_member_role(guild.id, user_id, members.id)
    backend.edit_role(guild.id, guild.id, {"permissions": 0})
    backend.edit_role(guild.id, bot_role(world).id, {"permissions": value})
    await world.env.settle()
    assert backend.compute_permissions(guild.id, backend.bot_user.id, None) == value
    assert world.guild.me.guild_permissions.value == value, "the bot sees the same"


@pytest.fixture
async def invited(world):
    await give_bot_exactly(world, readme_integer())
    return world


def day_in(days: int) -> str:
    return (utcnow() + timedelta(days=days)).strftime("%Y-%m-%d")


# -- the README and the declared needs ---------------------------------------------------------


def test_the_readme_invite_is_the_declared_needs():
    text = README.read_text(encoding="utf-8")
    assert readme_integer() == permissions.invite_value()
    assert textwrap.indent(permissions.readme_table(), "   ") in text, "regenerate the README's invite table"
    perms = discord.Permissions(readme_integer())
    assert perms.pin_messages and perms.create_events
    assert not perms.manage_messages and not perms.manage_events and not perms.administrator
    # Every permission in the integer is in the table and the other way round.
    labelled = discord.Permissions(**dict.fromkeys(permissions.LABELS, True))
    assert perms.value & ~labelled.value == 0, "a permission the README's table does not name"
    granted = {label for name, label in permissions.LABELS.items() if getattr(perms, name)}
    assert granted == set(permissions.invite_labels())
    assert perms.value == discord.Permissions(**{n.permission: True for _, n in permissions.all_needs()}).value


def test_mention_everyone_is_needed_only_for_a_role_that_cannot_be_mentioned():
    nothing = discord.Permissions.none()
    assert "mention_everyone" not in {n.permission for n in permissions.missing("reminders", nothing)}
    assert "mention_everyone" in {
        n.permission for n in permissions.missing("reminders", nothing, role_mentionable=False)
    }


# -- the journeys, with exactly the README's permissions ---------------------------------------


async def test_with_exactly_the_readme_permissions_every_journey_works(invited, harness, db):
    world = invited
    chair = world.chair

    # /setup accepts the channels and reports nothing missing.
    r = await world.admin.slash(
        world.general,
        "setup channels",
        agenda=world.agenda,
        contributions=world.contributions,
        reminders=world.reminders,
        meeting=world.meeting,
    )
    assert "Channels saved" in texts(r), texts(r)
    r = await world.admin.slash(world.general, "setup show")
    fields = {f.name: f.value for f in r.response.embeds[0].fields}
    assert fields["Permissions"].startswith("Nothing missing"), fields

    # A meeting, mirrored as a scheduled event.
    r = await chair.slash(world.general, "meeting create", number=19, start=f"{day_in(40)} 10:00", end="17:30")
    assert "The 19th meeting is scheduled" in texts(r) and "lack" not in texts(r), texts(r)
    meeting = await MeetingsRepo(db).by_number(world.guild.id, 19)
    events = world.env.backend.get_guild(world.guild.id).scheduled_events
    assert meeting.event_id in events
    r = await chair.slash(world.general, "meeting edit", meeting=19, venue="ITU headquarters, Geneva")
    assert "lack" not in texts(r)
    assert events[meeting.event_id].entity_metadata["location"] == "ITU headquarters, Geneva"

    # The agenda, published and pinned.
    await chair.slash(world.general, "agenda template", meeting=19)
    r = await chair.slash(world.general, "agenda post", meeting=19)
    assert f"is published and pinned in <#{world.agenda.id}>" in texts(r), texts(r)
    (post,) = world.agenda.pinned_messages()
    assert post.author.id == world.bot.user.id

    # A registration with its file, announced with the file in the contributions channel.
    r = await world.delegate.slash(
        world.general,
        "contribution register",
        title="Age assurance",
        source="Ghana",
        agenda_item="5",
        source_type="member_state",
        file=("ghana.pdf", PDF),
    )
    assert "Registered **CWG-COP-19/2**" in texts(r), texts(r)
    (kept,) = world.contributions.last_message.attachments
    assert await kept.read() == PDF

    # Recording, and the backfill of what was said while the bot was down (history).
    r = await chair.slash(world.meeting, "meeting start", meeting=19)
    assert any("recorded for the chair's report" in m.content for m in world.meeting.history())
    marker = await world.delegate.send(world.meeting, "#agreed to welcome CWG-COP-19/2")
    await world.env.settle()
    await world.bot.unload_extension("cogs.capture")
    missed = await world.delegate.send(world.meeting, "said while the bot was down")
    await harness.restart()
    db = world.bot.db  # the restarted bot's connection to the same file
    stored = {r[0] for r in await db.fetchall("SELECT content FROM messages")}
    assert {"#agreed to welcome CWG-COP-19/2", "said while the bot was down"} <= stored
    acknowledged = world.env.backend.get_message(world.meeting.id, marker.id)
    assert acknowledged.reactions, "the marker is acknowledged with a reaction"
    assert missed.id in {r[0] for r in await db.fetchall("SELECT message_id FROM messages")}
    await world.chair.slash(world.meeting, "meeting end", meeting=19)

    # The report and the record, with their files.
    r = await chair.slash(world.general, "report meeting", meeting=19)
    assert [a.filename for a in files_of(r)] == ["cwg-cop-19-report.md"]
    r = await chair.slash(world.general, "log export", meeting=19, format="txt")
    assert "said while the bot was down" in (await files_of(r)[0].read()).decode()

    # A channel reminder that mentions the participant role, and a reminder by direct message.
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1m")
    soon = await new_meeting(world, number=20, starts_in=timedelta(seconds=62))
    await world.delegate.slash(world.general, "remind me", meeting="20", offsets="1m")
    await announce(world, soon)

    def delivered() -> bool:
        return any("20th meeting" in c for c in contents(world.reminders)) and bool(
            contents(world.delegate.user.dm_channel)
        )

    await wait_until(world.env, delivered)
    (reminder,) = [m for m in world.reminders.history() if "20th meeting" in m.content]
    assert [role.id for role in reminder.role_mentions] == [world.participant_role.id]
    (dm,) = contents(world.delegate.user.dm_channel)
    assert "20th meeting of the CWG-COP" in dm
    assert {row[3] for row in await ledger(db, soon.id) if row[0] in ("channel", "personal")} == {"sent"}


# -- without any one of them, the organiser is told which ----------------------------------------


INVITE = [name for name in permissions.LABELS if getattr(discord.Permissions(permissions.invite_value()), name)]


@pytest.mark.parametrize("removed", INVITE)
async def test_without_one_permission_the_organiser_is_told_which_and_where(invited, removed):
    world = invited
    perms = discord.Permissions(readme_integer())
    setattr(perms, removed, False)
    world.env.backend.edit_role(world.guild.id, bot_role(world).id, {"permissions": perms.value})
    # The participant role cannot be mentioned by anyone: only then does Mention Everyone matter.
    world.env.backend.edit_role(world.guild.id, world.participant_role.id, {"mentionable": False})
    await world.env.settle()
    label = permissions.LABELS[removed]
    places = [place for place, n in permissions.all_needs() if n.permission == removed]

    # /setup show names it, per place, with the switch to turn on.
    r = await world.admin.slash(world.general, "setup show")
    fields = {f.name: f.value for f in r.response.embeds[0].fields}
    for place in places:
        title = (
            f"Missing in the {permissions.PLACES[place]}" if place != permissions.SERVER else "Missing on the server"
        )
        assert f"**{label}**" in fields[title], fields
        assert f"→ **TestBot** → allow **{label}**" in fields[title].split("Fix: ")[1]

    # /setup channels refuses the channels that lack it, naming it.
    channel_places = [p for p in places if p != permissions.SERVER]
    if channel_places:
        chosen = {p: getattr(world, p) for p in channel_places}
        r = await world.admin.slash(world.general, "setup channels", **chosen)
        assert "Nothing was changed" in texts(r) and f"I lack **{label}**" in texts(r), texts(r)

    # The commands that need it say so instead of claiming they worked.
    r = await world.chair.slash(world.general, "meeting create", number=19, start=f"{day_in(40)} 10:00", end="17:30")
    assert "The 19th meeting is scheduled" in texts(r)
    assert (f"**{label}**" in texts(r)) == (removed == "create_events"), texts(r)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    if removed == "pin_messages":
        assert "is published in" in texts(r) and "pinned in" not in texts(r)
        assert "It is **not pinned**: I lack the **Pin Messages** permission" in texts(r)
        assert world.agenda.pinned_messages() == []
    elif permissions.AGENDA in places:
        assert "Nothing was published" in texts(r) and f"**{label}**" in texts(r), texts(r)
        assert world.agenda.history() == []
    else:
        assert "is published and pinned" in texts(r), texts(r)


async def test_a_refused_pin_is_never_claimed(invited):
    """Discord refuses for another reason (the channel is full of pins): the reply says what to do."""
    world = invited
    await world.chair.slash(world.general, "meeting create", number=19, start=f"{day_in(40)} 10:00", end="17:30")
    await world.chair.slash(world.general, "agenda template", meeting=19)
    world.env.inject_error(
        "PUT", "/channels/*/messages/pins/*", status=400, code=30003, message="Maximum number of pins reached (250)"
    )
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert f"is published in <#{world.agenda.id}>." in texts(r) and "pinned in" not in texts(r), texts(r)
    assert "It is **not pinned**" in texts(r) and "Unpin some old ones" in texts(r)
    assert world.agenda.pinned_messages() == [] and len(world.agenda.history()) == 1

    # Once there is room (the fault was for one call), posting again pins it and makes no new revision.
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "no new revision" in texts(r) and "refreshed the post" in texts(r) and "and pinned it" in texts(r)
    assert len(world.agenda.pinned_messages()) == 1


async def test_setup_show_says_when_a_configured_channel_is_gone(invited):
    world = invited
    await GuildSettingsRepo(world.bot.db).update(world.guild.id, agenda_channel_id=123456789)
    r = await world.admin.slash(world.general, "setup show")
    fields = {f.name: f.value for f in r.response.embeds[0].fields}
    assert "<#123456789> no longer exists" in fields["Missing in the agenda channel"]
    assert "`/setup channels agenda:`" in fields["Missing in the agenda channel"]
    assert "Permissions" not in fields
