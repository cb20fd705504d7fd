"""Choosing a meeting: the one autocomplete and resolver every `meeting:` option uses.

The option's value is the meeting *number* (unique in a guild), so a user who types `19` instead of
picking from the list still gets the 19th meeting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from cogs.core import i18n
from cogs.core.errors import UserError
from cogs.core.timefmt import ordinal
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

_ = i18n.translator("core").gettext


def meeting_name(number: int) -> str:
    """``19th meeting`` / ``19e réunion`` / ``19.ª reunión`` / ``19-е собрание`` / ``第19次会议`` / ``الاجتماع 19``."""
    return _("{ordinal} meeting", ordinal=ordinal(number))


def meeting_label(meeting: Meeting) -> str:
    """``19th meeting · 26 Jan 2027`` (+ ``· cancelled``), in the meeting's own zone, in the current language."""
    from zoneinfo import ZoneInfo

    local = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
    day = f"{local.day} {local:%b %Y}" if i18n.current() == i18n.SOURCE else i18n.format_date(local.date(), "medium")
    if meeting.cancelled:
        # i18n: autocomplete choice (100)
        return _("{meeting} · {date} · cancelled", meeting=meeting_name(meeting.number), date=day)
    # i18n: autocomplete choice (100)
    return _("{meeting} · {date}", meeting=meeting_name(meeting.number), date=day)


async def meeting_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
    """The guild's meetings by number and date, upcoming first."""
    bot: MeetingBot = interaction.client  # type: ignore[assignment]
    if interaction.guild_id is None:
        return []
    meetings = await MeetingsRepo(bot.db).upcoming_first(interaction.guild_id, utcnow())
    text = current.strip().lower()
    choices = []
    for meeting in meetings:
        label = meeting_label(meeting)
        if text.isdigit():  # a number typed: that meeting number (19 → 19, 1 → 1, 10-19 ...)
            if not str(meeting.number).startswith(text):
                continue
        elif text and text not in label.lower() and text not in meeting.title.lower():
            continue
        choices.append(app_commands.Choice(name=label[:100], value=meeting.number))
        if len(choices) == 25:
            break
    return choices


async def resolve_meeting(
    interaction: discord.Interaction, number: int | None, *, default_next: bool = False
) -> Meeting:
    """The guild's meeting with that number; with ``default_next``, None means the next meeting."""
    bot: MeetingBot = interaction.client  # type: ignore[assignment]
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    repo = MeetingsRepo(bot.db)
    if number is None:
        if default_next:
            meeting = await repo.next_meeting(interaction.guild_id, utcnow())
            if meeting is None:
                raise UserError(_("There is no upcoming meeting. Pick a meeting from the list."))
            return meeting
        raise UserError(_("Choose a meeting from the list."))
    meeting = await repo.by_number(interaction.guild_id, number)
    if meeting is None:
        raise UserError(
            _(
                "There is no {meeting} in this server. Pick one from the list "
                "(organisers create meetings with `{command}`).",
                meeting=meeting_name(number),
                command=i18n.command("meeting create"),
            )
        )
    return meeting
