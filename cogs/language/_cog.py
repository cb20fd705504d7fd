"""/language set|show|clear: the language the bot answers a member in, in this server.

Doors: any member, about themselves only; the answer is ephemeral. The choice is stored per member
and server (``member_languages``), cleared by ``/language clear`` and by ``/log forget``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from cogs.core import i18n
from cogs.core.interactions import reply
from cogs.language._text import _
from storage.guild_settings import GuildSettingsRepo
from storage.languages import LanguagesRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

# Each language named in its own script; Discord shows choice names as they are (never translated).
LANGUAGE_CHOICES = [Choice(name=i18n.NATIVE_NAMES[code], value=code) for code in i18n.LANGUAGES]


def language_name(code: str) -> str:
    return i18n.NATIVE_NAMES.get(code, code)


class LanguageCog(commands.Cog, name="Language"):
    group = app_commands.Group(name="language", description="The language the bot answers you in", guild_only=True)

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = LanguagesRepo(bot.db)
        self.settings = GuildSettingsRepo(bot.db)

    @group.command(name="set", description="Choose the language the bot answers you in (Arabic is only here)")
    @app_commands.describe(language="One of ITU's six languages")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language_set(self, interaction: discord.Interaction, language: Choice[str]) -> None:
        assert interaction.guild_id is not None
        await self.repo.set_choice(interaction.guild_id, interaction.user.id, language.value, now=utcnow())
        with i18n.locale(language.value):  # the answer is already in the new language
            await reply(
                interaction,
                _(
                    "From now on I answer you in {language} in this server. `{command}` goes back to "
                    "your Discord language.",
                    language=language_name(language.value),
                    command=i18n.command("language clear"),
                ),
            )

    @group.command(name="show", description="Which language the bot answers you in, and why")
    async def language_show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        choice = await self.repo.member_choice(interaction.guild_id, interaction.user.id)
        name = language_name(i18n.current())
        if choice is not None:
            text = _(
                "I answer you in {language}: your choice (`{command}`).",
                language=name,
                command=i18n.command("language set"),
            )
        elif i18n.from_discord_locale(str(interaction.locale)) is not None:
            text = _("I answer you in {language}: the language of your Discord app.", language=name)
        else:
            text = _("I answer you in {language}: this server's language.", language=name)
        settings = await self.settings.get(interaction.guild_id)
        servers = i18n.format_list([language_name(c) for c in i18n.stored_languages(settings.languages)])
        text += "\n" + _("Public posts in this server are in: {languages}.", languages=servers)
        await reply(interaction, text)

    @group.command(name="clear", description="Forget your choice: answers follow your Discord language again")
    async def language_clear(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        if not await self.repo.clear_choice(interaction.guild_id, interaction.user.id):
            await reply(interaction, _("You had not chosen a language; nothing to clear."))
            return
        _choice, languages = await self.repo.for_interaction(interaction.guild_id, interaction.user.id)
        fallback = i18n.resolve(None, str(interaction.locale), i18n.stored_languages(languages))
        with i18n.locale(fallback):
            await reply(
                interaction,
                _(
                    "Your choice is cleared: I answer you in {language} again, the language of your Discord "
                    "app or of this server.",
                    language=language_name(fallback),
                ),
            )
