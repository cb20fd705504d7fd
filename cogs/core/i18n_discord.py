"""Languages, the Discord side: localised slash commands, and the language of every interaction.

- :class:`CommandTranslator` is discord.py's ``app_commands.Translator``: command, group, option
  and choice names and descriptions come from ``cogs/core/locales/commands/<lang>.po``, with the
  kind of string (``command_name``, ``parameter_description`` ...) as the msgctxt.
- :func:`install_interaction_locale` sets the language (:mod:`cogs.core.i18n`) for every
  interaction (commands, autocompletes, buttons, selects, modals, DynamicItems) before any
  feature code runs: it wraps discord.py's INTERACTION_CREATE parser, the one place all of them
  pass, reads the member's choice and the server's languages, and lets discord.py dispatch the
  interaction inside a task that carries the language (tasks copy the context they start in).
- :func:`multilingual_embed`: a public embed carrying the server's languages, within Discord's limits.
"""

from __future__ import annotations

import asyncio
import gettext as _gettext
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from cogs.core import i18n
from storage.languages import LanguagesRepo

if TYPE_CHECKING:
    from storage.database import Database

log = logging.getLogger(__name__)

COMMANDS_DIR = i18n.COGS / "core" / "locales" / "commands"

# Discord's client locales → our catalogs. zh-TW is left untranslated (Discord shows English):
# our Chinese is Simplified, and Traditional needs its own careful translation.
DISCORD_LOCALES: dict[discord.Locale, str] = {
    discord.Locale.french: "fr",
    discord.Locale.russian: "ru",
    discord.Locale.spain_spanish: "es",
    discord.Locale.latin_american_spanish: "es",
    discord.Locale.chinese: "zh",  # zh-CN
}

# Discord's limits per kind of command string.
LIMITS = {
    "command_name": 32,
    "group_name": 32,
    "parameter_name": 32,
    "command_description": 100,
    "group_description": 100,
    "parameter_description": 100,
    "choice_name": 100,
}
NAME_KINDS = frozenset({"command_name", "group_name", "parameter_name"})


class CommandTranslator(app_commands.Translator):
    """Slash commands localised from the commands catalogs (read at start-up with Babel)."""

    def __init__(self, directory: Path = COMMANDS_DIR) -> None:
        self.directory = directory
        self.catalogs: dict[str, _gettext.GNUTranslations] = {}

    async def load(self) -> None:
        self.catalogs = {
            code: i18n.load_po(self.directory / f"{code}.po")
            for code in i18n.TRANSLATED
            if (self.directory / f"{code}.po").exists()
        }

    def lookup(self, text: str, kind: str, language: str) -> str | None:
        catalog = self.catalogs.get(language)
        if catalog is None:
            return None
        found = catalog.pgettext(kind, text)
        if found == text:
            return None  # untranslated (or fuzzy): Discord shows the English
        limit = LIMITS.get(kind)
        if limit is not None and len(found) > limit:
            log.warning("Translation of %s %r into %s is too long; English kept", kind, text, language)
            return None
        return found

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        language = DISCORD_LOCALES.get(locale)
        if language is None:
            return None
        return self.lookup(string.message, context.location.name, language)


# ---------------------------------------------------------------------------------------------
# The language of each interaction


async def interaction_language(db: Database, data: dict[str, Any]) -> str:
    """Member's choice, else the client's locale, else the server's first language."""
    guild_id = int(data["guild_id"]) if data.get("guild_id") else None
    user = (data.get("member") or {}).get("user") or data.get("user") or {}
    user_id = int(user.get("id", 0))
    choice, languages = await LanguagesRepo(db).for_interaction(guild_id, user_id)
    return i18n.resolve(choice, data.get("locale"), i18n.stored_languages(languages))


def install_interaction_locale(client: discord.Client, db: Database) -> None:
    """Every interaction is dispatched with its language set (see the module docstring)."""
    state = client._connection  # discord.py has no public hook before dispatch
    original = state.parsers["INTERACTION_CREATE"]
    if getattr(original, "_cwgcop_locale", False):
        return
    pending: set[asyncio.Task] = set()

    async def dispatch(data: dict[str, Any]) -> None:
        try:
            language = await interaction_language(db, data)
        except Exception:
            log.exception("Could not read the language for an interaction; using the client's")
            language = i18n.from_discord_locale(data.get("locale")) or i18n.SOURCE
        i18n.set_current(language)  # this task's context; discord.py's tasks started below copy it
        original(data)

    def parse(data: dict[str, Any]) -> None:
        task = asyncio.get_running_loop().create_task(dispatch(data), name="interaction-language")
        pending.add(task)
        task.add_done_callback(pending.discard)

    parse._cwgcop_locale = True  # type: ignore[attr-defined]
    state.parsers["INTERACTION_CREATE"] = parse


# ---------------------------------------------------------------------------------------------
# Public embeds in the server's language(s)

EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024


def _embed_size(embed: discord.Embed) -> int:
    return len(embed)


def multilingual_embed(
    languages: Sequence[str], build: Callable[[], discord.Embed], *, what: str = "post"
) -> discord.Embed:
    """One embed carrying each language (the first leads), within Discord's embed limits.

    ``build`` is called once per language inside ``with locale(...)``. The first language's embed
    is the base; each further language adds its title and description below, then its fields.
    When that would pass a limit, the trailing languages are left out and the log says so.
    """
    codes = [c for c in dict.fromkeys(languages) if c in i18n.LANGUAGES] or [i18n.SOURCE]
    built: list[discord.Embed] = []
    for code in codes:
        with i18n.locale(code):
            built.append(build())
    base = built[0]
    kept = 1
    for other in built[1:]:
        candidate = base.copy()
        title = " / ".join(t for t in (candidate.title, other.title) if t)
        description = "\n\n".join(d for d in (candidate.description, other.description) if d)
        if len(title) > EMBED_TITLE:
            title = candidate.title or ""
            description = "\n\n".join(d for d in (candidate.description, f"**{other.title}**", other.description) if d)
        fields = [*candidate.fields, *other.fields]
        if len(description) > EMBED_DESCRIPTION or len(fields) > EMBED_FIELDS:
            break
        candidate.title = title or None
        candidate.description = description or None
        for field in other.fields:
            candidate.add_field(name=field.name, value=field.value, inline=field.inline)
        if _embed_size(candidate) > EMBED_TOTAL:
            break
        base = candidate
        kept += 1
    if kept < len(built):
        log.warning(
            "The %s embed is too large for %d languages; posted in %s only", what, len(built), ", ".join(codes[:kept])
        )
    return base
