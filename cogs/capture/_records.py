"""/minutes and /log: reading, exporting, purging and forgetting the chat record (organisers only)."""

from __future__ import annotations

import asyncio
import io
import logging
import tempfile
import zipfile
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, BinaryIO

import discord
from discord import app_commands
from discord.ext import commands

from cogs.capture import _text
from cogs.capture._export import minutes_for, render_minutes, write_transcript
from cogs.capture._names import names_for_meeting
from cogs.capture._render import minutes_discord
from cogs.capture._rules import Names
from cogs.capture._text import _
from cogs.core import i18n
from cogs.core.checks import ensure_organiser, organiser_only
from cogs.core.errors import UserError
from cogs.core.house_style import file_name
from cogs.core.i18n import command
from cogs.core.interactions import SafeView, reply
from cogs.core.meeting_choice import meeting_autocomplete, resolve_meeting
from cogs.core.timefmt import discord_ts
from cogs.language._cog import LANGUAGE_CHOICES
from storage.contributions import ContributionsRepo
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot
    from cogs.capture._cog import CaptureCog

log = logging.getLogger(__name__)

TRANSCRIPT_CHOICES = [
    app_commands.Choice(name="HTML page (readable in any browser)", value="html"),
    app_commands.Choice(name="Markdown (.md)", value="md"),
    app_commands.Choice(name="Plain text (.txt)", value="txt"),
    app_commands.Choice(name="JSON (for tools)", value="json"),
]
MINUTES_CHOICES = [
    app_commands.Choice(name="Markdown (.md)", value="md"),
    app_commands.Choice(name="HTML page", value="html"),
]
SPOOL_BYTES = 2 * 1024 * 1024  # exports larger than this go to a temporary file, not memory


class Confirm(SafeView):
    """Two buttons for a destructive action; only the organiser who asked can press them."""

    def __init__(
        self, asked: discord.Interaction, label: str, action: Callable[[], Awaitable[str]], *, timeout: float = 300
    ) -> None:
        super().__init__(timeout=timeout)
        self.asked = asked
        self.owner_id = asked.user.id
        self.action = action
        confirm = discord.ui.Button(label=label, style=discord.ButtonStyle.danger)
        cancel = discord.ui.Button(label=_(_text.CANCEL_LABEL), style=discord.ButtonStyle.secondary)
        confirm.callback = self._confirm
        cancel.callback = self._cancel
        self.add_item(confirm)
        self.add_item(cancel)

    async def _check(self, interaction: discord.Interaction) -> None:
        await ensure_organiser(interaction, _(_text.THIS_BUTTON))
        if interaction.user.id != self.owner_id:
            raise UserError(_(_text.NOT_ASKER))

    async def _confirm(self, interaction: discord.Interaction) -> None:
        await self._check(interaction)
        self.stop()
        await interaction.response.defer()
        text = await self.action()
        await interaction.edit_original_response(content=text, view=None)

    async def on_timeout(self) -> None:
        try:
            await self.asked.edit_original_response(content=_(_text.TIMED_OUT), view=None)
        except discord.HTTPException:
            log.debug("Could not mark a confirmation as timed out", exc_info=True)

    async def _cancel(self, interaction: discord.Interaction) -> None:
        await self._check(interaction)
        self.stop()
        await interaction.response.edit_message(content=_(_text.CANCELLED_ACTION), view=None)


def _file_name(meeting: Meeting, what: str, ext: str, group_code: str = "CWG-COP") -> str:
    """``cwg-cop-19-minutes.md``: the house rule for file names (cogs/core/house_style.file_name)."""
    return file_name(group_code, meeting.number, what, ext=ext)


class RecordsCog(commands.Cog):
    minutes_group = app_commands.Group(
        name="minutes", description="Minutes derived from the meeting chat (organisers)", guild_only=True
    )
    log_group = app_commands.Group(
        name="log", description="The meeting chat record: export, purge, forget (organisers)", guild_only=True
    )

    def __init__(self, bot: MeetingBot, capture: CaptureCog) -> None:
        self.bot = bot
        self.capture = capture
        self.store = capture.store
        self.meetings = MeetingsRepo(bot.db)
        self.contributions = ContributionsRepo(bot.db)
        self.settings_repo = GuildSettingsRepo(bot.db)

    # -- helpers ---------------------------------------------------------------------------------------
    async def _names(self, interaction: discord.Interaction, meeting: Meeting, *, everywhere: bool = False) -> Names:
        """Names as the exports show them; the interaction is deferred first if Discord must be asked."""

        async def defer() -> None:
            if not interaction.response.is_done():
                await interaction.response.defer(ephemeral=True, thinking=True)

        return await names_for_meeting(self.bot, self.store, meeting, everywhere=everywhere, before_lookups=defer)

    async def _group_code(self, guild_id: int) -> str:
        return (await self.settings_repo.get(guild_id)).group_code

    async def _require_log(self, meeting: Meeting) -> None:
        name = _text.meeting_name(meeting.number)
        purge = await self.store.purge_info(meeting.id)
        if purge is not None:
            raise UserError(
                _(
                    _text.LOG_PURGED,
                    meeting=name,
                    date=discord_ts(purge.purged_at, "D"),
                    command=command("minutes export"),
                )
            )
        if not await self.store.has_log(meeting.id):
            raise UserError(_(_text.NO_LOG, meeting=name))

    async def _send_file(
        self, interaction: discord.Interaction, data: BinaryIO, filename: str, content: tuple[str, str]
    ) -> None:
        """Upload ``data``; zip it if it is over the server's upload limit (``content``: plain, zipped)."""
        data.seek(0, io.SEEK_END)
        size = data.tell()
        data.seek(0)
        limit = interaction.guild.filesize_limit if interaction.guild else 10 * 1024 * 1024
        zipped = False
        if size > limit:
            packed = await asyncio.to_thread(_zip, data, filename)  # compressing is CPU work: off the loop
            data.close()
            data, filename, zipped = packed, filename + ".zip", True
            data.seek(0, io.SEEK_END)
            if data.tell() > limit:
                data.close()
                raise UserError(_(_text.EXPORT_TOO_BIG, size=f"{size / 1048576:.1f} MB"))
            data.seek(0)
        try:
            await reply(interaction, content[zipped], file=discord.File(data, filename=filename))
        finally:
            data.close()

    # =============================================================================================
    # /minutes

    @minutes_group.command(name="show", description="Show the minutes of a meeting, derived from its chat")
    @app_commands.describe(meeting="The meeting (default: the one under way, or the next one)")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def minutes_show(self, interaction: discord.Interaction, meeting: int | None = None) -> None:
        chosen = await resolve_meeting(interaction, meeting, default_next=True)
        assert interaction.guild_id is not None
        await self.capture.writer.flush()
        minutes = await minutes_for(
            self.store,
            self.meetings,
            self.contributions,
            chosen,
            group_code=await self._group_code(interaction.guild_id),
            names=await self._names(interaction, chosen),
        )
        recording = any(r.meeting_id == chosen.id for r in self.capture.open.values())
        title = _(
            _text.MINUTES_TITLE_RECORDING if recording else _text.MINUTES_TITLE,
            meeting=_text.meeting_name(chosen.number),
        )
        embed = discord.Embed(title=title[:256], description=minutes_discord(minutes), colour=discord.Colour.blurple())
        embed.set_footer(text=_(_text.MINUTES_FOOTER, command=command("minutes export")))
        await reply(interaction, embed=embed)

    @minutes_group.command(name="export", description="The minutes of a meeting as a file (Markdown or HTML)")
    @app_commands.describe(
        meeting="The meeting",
        format="File format (default Markdown)",
        language="Language of the file's text (default: the server's first language)",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(format=MINUTES_CHOICES, language=LANGUAGE_CHOICES)
    @organiser_only()
    async def minutes_export(
        self, interaction: discord.Interaction, meeting: int, format: str = "md", language: str | None = None
    ) -> None:
        chosen = await resolve_meeting(interaction, meeting)
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.capture.writer.flush()
        settings = await self.settings_repo.get(interaction.guild_id)
        group_code = settings.group_code
        names = await self._names(interaction, chosen)
        # The file in the language asked for (else the server's first); the reply in the member's.
        with i18n.locale(language or settings.language_list[0]):
            minutes = await minutes_for(
                self.store, self.meetings, self.contributions, chosen, group_code=group_code, names=names
            )
            data = io.BytesIO(render_minutes(minutes, format).encode())
        name = _text.meeting_name(chosen.number)
        content = (
            _(_text.MINUTES_READY, meeting=name, fmt=format),
            _(_text.MINUTES_READY_ZIPPED, meeting=name, fmt=format),
        )
        await self._send_file(interaction, data, _file_name(chosen, "minutes", format, group_code), content)

    # =============================================================================================
    # /log

    @log_group.command(name="export", description="The full chat transcript of a meeting as a file")
    @app_commands.describe(
        meeting="The meeting",
        format="File format (default HTML)",
        language="Language of the file's headings and labels (default: the server's first language)",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(format=TRANSCRIPT_CHOICES, language=LANGUAGE_CHOICES)
    @organiser_only()
    async def log_export(
        self, interaction: discord.Interaction, meeting: int, format: str = "html", language: str | None = None
    ) -> None:
        chosen = await resolve_meeting(interaction, meeting)
        assert interaction.guild_id is not None
        await self._require_log(chosen)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.capture.writer.flush()
        settings = await self.settings_repo.get(interaction.guild_id)
        names = await self._names(interaction, chosen, everywhere=True)
        data = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by _send_file)
        try:
            # The file's words in the language asked for (else the server's first); members' words as said.
            with i18n.locale(language or settings.language_list[0]):
                await write_transcript(
                    self.store, chosen, group_code=settings.group_code, fmt=format, names=names, out=data
                )
        except BaseException:
            data.close()
            raise
        stats = await self.store.stats(chosen.id)
        name = _text.meeting_name(chosen.number)
        content = (
            _(_text.TRANSCRIPT_READY, meeting=name, lines=stats.lines, fmt=format),
            _(_text.TRANSCRIPT_READY_ZIPPED, meeting=name, lines=stats.lines, fmt=format),
        )
        await self._send_file(interaction, data, _file_name(chosen, "chat", format, settings.group_code), content)

    @log_group.command(name="purge", description="Delete a meeting's raw chat log for good (the minutes are kept)")
    @app_commands.describe(meeting="The meeting whose chat log to delete")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def log_purge(self, interaction: discord.Interaction, meeting: int) -> None:
        chosen = await resolve_meeting(interaction, meeting)
        assert interaction.guild_id is not None
        name = _text.meeting_name(chosen.number)
        await self._require_log(chosen)
        if any(r.meeting_id == chosen.id for r in self.capture.open.values()):
            raise UserError(_(_text.STILL_RECORDING_PURGE, meeting=name, command=command("meeting end")))
        stats = await self.store.stats(chosen.id)
        user_id = interaction.user.id

        async def purge() -> str:
            result = await self.capture.purge(chosen.id, by=user_id, reason="manual")
            if result is None:
                return _(_text.PURGE_GONE, meeting=name)
            items = len((await self.store.snapshot(chosen.id)).items)
            log.info("Organiser %s purged the chat log of meeting %s", user_id, chosen.id)
            return _(_text.PURGE_DONE, meeting=name, lines=result.lines, items=items)

        text = _(_text.PURGE_CONFIRM, meeting=name, lines=stats.lines, deleted=stats.deleted, removed=stats.removed)
        await reply(interaction, text, view=Confirm(interaction, _(_text.PURGE_LABEL), purge))

    @log_group.command(name="forget", description="Remove a member's words from every chat log of this server")
    @app_commands.describe(member="The member whose lines to remove (they may have left the server)")
    @organiser_only()
    async def log_forget(self, interaction: discord.Interaction, member: discord.User) -> None:
        assert interaction.guild_id is not None
        if member.bot:
            raise UserError(_(_text.FORGET_BOT))
        guild_id, by = interaction.guild_id, interaction.user.id
        label = f"{member.display_name} ({member.mention})"
        lines = await self.store.lines_by(guild_id, member.id)

        async def forget() -> str:
            key = (guild_id, member.id)
            already = key in self.capture.forgotten
            self.capture.forgotten.add(key)  # stop capturing them at once
            try:
                await self.capture.writer.flush()  # their queued lines are written, then removed below
                result = await self.store.forget(guild_id, member.id, by=by, now=utcnow())
            except BaseException:
                if not already:  # the database is the truth: not forgotten there, so not here either
                    self.capture.forgotten.discard(key)
                raise
            log.info("Organiser %s had member %s forgotten (%d lines)", by, member.id, result.lines)
            return _(
                _text.FORGET_DONE,
                member=label,
                lines=result.lines,
                items=result.minutes_items,
                command=command("log remember"),
            )

        await reply(
            interaction,
            _(_text.FORGET_CONFIRM, member=label, lines=lines),
            view=Confirm(interaction, _(_text.FORGET_LABEL), forget),
        )

    @log_group.command(name="remember", description="Record a forgotten member again from now on")
    @app_commands.describe(member="The member to record again")
    @organiser_only()
    async def log_remember(self, interaction: discord.Interaction, member: discord.User) -> None:
        assert interaction.guild_id is not None
        label = f"{member.display_name} ({member.mention})"
        if not await self.store.remember(interaction.guild_id, member.id, from_id=interaction.id):
            raise UserError(_(_text.REMEMBER_NOT, member=label))
        self.capture.forgotten.discard((interaction.guild_id, member.id))
        await reply(interaction, _(_text.REMEMBER_DONE, member=label))


def _zip(data: BinaryIO, filename: str) -> BinaryIO:
    """``data`` as ``filename`` inside a zip archive (spooled to disk when large)."""
    packed = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
    with (
        zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(filename, "w") as target,
    ):
        while chunk := data.read(1 << 20):
            target.write(chunk)
    return packed
