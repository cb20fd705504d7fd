"""Who may do what: the one organiser check, used by every organiser-only command and button."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from cogs.core.errors import organiser_only_text
from cogs.core.interactions import OrganiserRequired
from storage.guild_settings import GuildSettings, GuildSettingsRepo

if TYPE_CHECKING:
    from bot import MeetingBot


def member_is_organiser(member: discord.abc.User, settings: GuildSettings) -> bool:
    """Chair or secretariat role, or Manage Server."""
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    return any(role.id in settings.organiser_role_ids for role in member.roles)


def member_is_participant(member: discord.abc.User, settings: GuildSettings) -> bool:
    """Organisers, holders of the participant role, or everyone when no participant role is set."""
    if not isinstance(member, discord.Member):
        return False
    if member_is_organiser(member, settings) or settings.participant_role_id is None:
        return True
    return any(role.id == settings.participant_role_id for role in member.roles)


async def guild_settings(interaction: discord.Interaction) -> GuildSettings:
    bot: MeetingBot = interaction.client  # type: ignore[assignment]
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return await GuildSettingsRepo(bot.db).get(interaction.guild_id)


async def ensure_organiser(interaction: discord.Interaction, what: str | None = None) -> GuildSettings:
    """Return the guild settings, or refuse with a clear message. Use in buttons and modals too."""
    settings = await guild_settings(interaction)
    if not member_is_organiser(interaction.user, settings):
        # ``what`` (e.g. "Changing the calendar feed's address") comes translated from its feature.
        raise OrganiserRequired(organiser_only_text(what))
    return settings


def organiser_only() -> object:
    """Decorator for app commands: checked on the server side, whatever Discord shows."""

    async def predicate(interaction: discord.Interaction) -> bool:
        await ensure_organiser(interaction)
        return True

    return app_commands.check(predicate)
