"""Answering interactions safely: one error path, ephemeral replies, no pings from user text."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from cogs.core import i18n
from cogs.core.errors import UserError

T = i18n.translator("core")
_, _n = T.gettext, T.ngettext

log = logging.getLogger(__name__)

# Whatever a user typed, a message built from it never pings @everyone, @here or a role.
# Messages that must ping (a reminder to the participant role) pass their own allowed_mentions.
SAFE_MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=False, replied_user=False)
# Members may be mentioned (e.g. "submitted by @alice") but never everyone or roles.
USER_MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=True, replied_user=False)

UNEXPECTED = i18n.N_(
    "Something went wrong on my side and nothing was changed. The error has been logged for the "
    "bot's maintainers; please try again in a moment."
)


class OrganiserRequired(app_commands.CheckFailure):
    """Raised by the organiser check; its text is shown to the user."""


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    ephemeral: bool = True,
    embed: discord.Embed | None = None,
    embeds: list[discord.Embed] | None = None,
    file: discord.File | None = None,
    files: list[discord.File] | None = None,
    view: discord.ui.View | None = None,
    allowed_mentions: discord.AllowedMentions = SAFE_MENTIONS,
) -> None:
    """Answer the interaction, whether or not it was already answered or deferred."""
    kwargs: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": allowed_mentions}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    if embeds is not None:
        kwargs["embeds"] = embeds
    if file is not None:
        kwargs["file"] = file
    if files is not None:
        kwargs["files"] = files
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def user_message(error: BaseException) -> str | None:
    """The text to show for an expected failure, or None if it is unexpected (a bug)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UserError):
            return str(current)
        if isinstance(current, OrganiserRequired):
            return str(current)
        if isinstance(current, app_commands.NoPrivateMessage):
            return _("This command works in the CWG-COP server, not in direct messages.")
        if isinstance(current, app_commands.MissingPermissions):
            names = _permission_names(current.missing_permissions)
            return _n(
                "You need the {permissions} permission for this command.",
                "You need the {permissions} permission for this command.",
                len(current.missing_permissions),
                permissions=names,
            )
        if isinstance(current, app_commands.BotMissingPermissions):
            names = _permission_names(current.missing_permissions)
            return _n(
                "I need the {permissions} permission here; ask a server admin to grant it.",
                "I need the {permissions} permission here; ask a server admin to grant it.",
                len(current.missing_permissions),
                permissions=names,
            )
        if isinstance(current, app_commands.CommandOnCooldown):
            seconds = round(current.retry_after)
            return _n(
                "Slow down a little: try again in {n} seconds.",
                "Slow down a little: try again in {n} seconds.",
                seconds,
                n=seconds,
            )
        if isinstance(current, app_commands.TransformerError):
            return _(
                "`{value}` is not a valid value here; pick one from the list or check the format.",
                value=current.value,
            )
        if isinstance(current, discord.Forbidden):
            return _(
                "Discord refused: I am missing a permission there. `{command}` lists what I lack in each "
                "channel and the one setting a server admin must change.",
                command=i18n.command("setup show"),
            )
        current = getattr(current, "original", None) or current.__cause__
    return None


def _permission_names(names: list[str]) -> str:
    """Discord's permission attributes as words (``Manage Guild``); a list in the reader's language."""
    words = [p.replace("_", " ").title() for p in names]
    return ", ".join(words) if i18n.current() == i18n.SOURCE else i18n.format_list(words)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one place an interaction failure is turned into an answer. Never raises."""
    text = user_message(error)
    if text is None:
        command = interaction.command.qualified_name if interaction.command else interaction.data
        log.error("Unexpected error in interaction %s", command, exc_info=error)
        text = _(UNEXPECTED)
    try:
        await reply(interaction, text, ephemeral=True)
    except discord.HTTPException:
        log.warning("Could not tell the user about an error (interaction expired?)", exc_info=True)


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def guarded(func: F) -> F:
    """For component and modal callbacks (incl. DynamicItem): errors get the same answer as commands.

    The interaction is found among the arguments, so it works for ``(self, interaction)`` and
    ``(self, interaction, button)`` alike.
    """

    @functools.wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return await func(*args, **kwargs)
        except Exception as error:
            interaction = next((a for a in args if isinstance(a, discord.Interaction)), None)
            if interaction is None:
                raise
            await report_error(interaction, error)
            return None

    return wrapper  # type: ignore[return-value]


class SafeView(discord.ui.View):
    """A View whose failures are answered like command failures."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await report_error(interaction, error)


class SafeModal(discord.ui.Modal):
    """A Modal whose failures are answered like command failures."""

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error)
