"""What a member may see: the one answer every autocomplete and read command shares.

discord.py runs a command's checks for the command, never for its autocomplete, so an autocomplete
must itself return only what its caller could read with the matching read command (see
``docs/entry-points.md``). Organisers read the draft agenda; everyone else reads the agenda as last
published (``/agenda show``), or nothing before the first publication.
"""

from __future__ import annotations

import discord

from cogs.core.checks import member_is_organiser
from storage.agenda import AgendaRepo
from storage.database import Database
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import AgendaItem, Meeting, MeetingsRepo


async def is_organiser(db: Database, interaction: discord.Interaction) -> bool:
    """The organiser check for places that answer instead of refusing (autocomplete)."""
    if interaction.guild_id is None:
        return False
    return member_is_organiser(interaction.user, await GuildSettingsRepo(db).get(interaction.guild_id))


async def readable_agenda(db: Database, interaction: discord.Interaction, meeting: Meeting) -> list[AgendaItem]:
    """The items this member may read: the draft for organisers, else the published revision (or none)."""
    if meeting.guild_id != interaction.guild_id:
        return []
    if await is_organiser(db, interaction):
        return await MeetingsRepo(db).agenda(meeting.id)
    latest = await AgendaRepo(db).latest_revision(meeting.id)
    return [] if latest is None else list(latest.items)


async def published_item(db: Database, meeting_id: int, item_id: int | None) -> AgendaItem | None:
    """The item as the published agenda numbers and titles it; None if it is not published (yet)."""
    if item_id is None:
        return None
    latest = await AgendaRepo(db).latest_revision(meeting_id)
    return next((i for i in latest.items if i.id == item_id), None) if latest else None
