"""Attendance by delegation: /delegation, the "I am present" button, /meeting attendance.

Doors (who may pass, what they see):
- ``/delegation set|show|clear`` without ``member:``: any member, about themselves.
- ``/delegation set|show|clear member:``, ``/delegation list|role|unrole``, ``/meeting attendance``:
  organisers only (checked here, on the server side).
- the ``name:`` autocomplete: Member State names (public); for organisers, also the delegation names
  already used in the server (no member names).
- the "I am present" button (on the recording's start notice): any member, while the meeting is
  recorded; the answer is ephemeral and only about them.
- ``on_message``: notes, once per member and meeting, that a member spoke in a recorded channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from cogs.attendance import _rules, _text
from cogs.attendance._summary import attendance_of
from cogs.attendance._text import _
from cogs.core import i18n
from cogs.core.checks import ensure_organiser, member_is_organiser
from cogs.core.custom_ids import PRESENT, PRESENT_TEMPLATE
from cogs.core.errors import UserError
from cogs.core.i18n import multilingual
from cogs.core.interactions import guarded, reply
from cogs.core.meeting_choice import meeting_autocomplete, resolve_meeting
from cogs.core.visibility import is_organiser
from storage.attendance import AttendanceRepo
from storage.capture import CaptureStore
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import MeetingsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

TYPE_CHOICES = [Choice(name=_text.type_label(k), value=k) for k in _rules.DELEGATION_TYPES]


def present_button(meeting_id: int, languages: Sequence[str] = ()) -> discord.ui.Button:
    """The button drawn on a recording's start notice (handled by :class:`PresentButton`).

    ``languages``: the server's languages (a public post); the label carries each that fits in 80
    characters, the first leading. Without them, the current language.
    """
    label = multilingual(languages, lambda: str(_text.PRESENT_LABEL), limit=80, separator=" / ", what="button")
    return discord.ui.Button(
        label=label if languages else str(_text.PRESENT_LABEL),
        emoji="✋",
        style=discord.ButtonStyle.success,
        custom_id=PRESENT.format(meeting_id=meeting_id),
    )


class PresentButton(discord.ui.DynamicItem[discord.ui.Button], template=PRESENT_TEMPLATE):
    """Persistent: the meeting id is in the custom_id, so a press works after a restart."""

    def __init__(self, meeting_id: int) -> None:
        super().__init__(present_button(meeting_id))
        self.meeting_id = meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any
    ) -> PresentButton:
        return cls(int(match["meeting_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog(AttendanceCog.__cog_name__)
        if not isinstance(cog, AttendanceCog):
            raise UserError(_(_text.UNAVAILABLE))
        await cog.press(interaction, self.meeting_id)


async def name_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    """Member States when the type is Member State (or not chosen yet), then names used in the server."""
    if interaction.guild_id is None:
        return []
    bot: MeetingBot = interaction.client  # type: ignore[assignment]
    kind = getattr(interaction.namespace, "type", None)
    names: list[str] = []
    if kind in (None, _rules.MEMBER_STATE):
        names.extend(_rules.state_choices(current))
    # Which delegations are in the server is for organisers (/delegation list, /meeting attendance);
    # the command's checks do not run for autocomplete, so decide here (docs/entry-points.md).
    if kind != _rules.MEMBER_STATE and await is_organiser(bot.db, interaction):
        typed = _rules.fold(current)
        used = await AttendanceRepo(bot.db).names_in_use(interaction.guild_id, kind)
        names.extend(n for n in used if typed in _rules.fold(n) and n not in names)
    return [Choice(name=n[:100], value=n[:100]) for n in names[:25]]


def _name(member: discord.abc.User) -> str:
    return discord.utils.escape_markdown(member.display_name)


class AttendanceCog(commands.Cog, name="Attendance"):
    delegation = app_commands.Group(
        name="delegation", description="Whom you represent: counted in meeting attendance", guild_only=True
    )

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = AttendanceRepo(bot.db)
        self.meetings = MeetingsRepo(bot.db)
        self.settings = GuildSettingsRepo(bot.db)
        self.recorded: dict[int, int] = {}  # channel id → meeting id, while its recording is open
        self.seen: set[tuple[int, int]] = set()  # (meeting id, user id) noted as having spoken
        self._tasks: set[asyncio.Task] = set()
        self._attendance_command = app_commands.Command(
            name="attendance",
            description="Who attended a meeting, by delegation (organisers)",
            callback=self.meeting_attendance,
        )
        self._group: app_commands.Group | None = None

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PresentButton)
        for recording in await CaptureStore(self.bot.db).open_recordings():
            self.recorded[recording.channel_id] = recording.meeting_id
        group = self.bot.tree.get_command("meeting")
        if isinstance(group, app_commands.Group):
            group.add_command(self._attendance_command)
            self._group = group
        else:
            log.error("/meeting is missing (meetings feature not loaded?); /meeting attendance is not added")

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PresentButton)
        if self._group is not None and self._group.get_command("attendance") is self._attendance_command:
            self._group.remove_command("attendance")
        if self._tasks:  # presence notes under way are written before the database closes
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- presence ----------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_recording_started(self, meeting_id: int, channel_id: int) -> None:
        self.recorded[channel_id] = meeting_id

    @commands.Cog.listener()
    async def on_recording_ended(self, meeting_id: int, channel_id: int) -> None:
        if self.recorded.get(channel_id) == meeting_id:
            del self.recorded[channel_id]

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Note, once per member and meeting, that a member spoke (a dictionary look-up per line)."""
        if message.guild is None or message.author.bot or message.webhook_id is not None:
            return
        channel_id = getattr(message.channel, "parent_id", None) or message.channel.id
        meeting_id = self.recorded.get(channel_id) or self.recorded.get(message.channel.id)
        if meeting_id is None or (meeting_id, message.author.id) in self.seen:
            return
        self.seen.add((meeting_id, message.author.id))
        task = asyncio.create_task(self._note_spoke(message.guild.id, meeting_id, message.author))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _note_spoke(self, guild_id: int, meeting_id: int, member: discord.abc.User) -> None:
        try:
            if await self.repo.is_forgotten(guild_id, member.id):
                return
            await self.repo.mark_present(
                meeting_id,
                member.id,
                name=member.display_name,
                pressed=False,
                spoke=True,
                role=await self._role_of(guild_id, member),
                now=utcnow(),
            )
        except Exception:
            self.seen.discard((meeting_id, member.id))  # the log itself still counts them
            log.exception("Could not note that a member spoke in meeting %s", meeting_id)

    async def _role_of(self, guild_id: int, member: discord.abc.User):
        roles = getattr(member, "roles", None)
        if not roles:
            return None
        mapped = await self.repo.role_delegations(guild_id)
        found = _rules.role_for([(r.role_id, r.name, r.type) for r in mapped], [r.id for r in roles])
        return next((r for r in mapped if found and (r.name, r.type) == found), None)

    async def press(self, interaction: discord.Interaction, meeting_id: int) -> None:
        assert interaction.guild_id is not None
        meeting = await self.meetings.get(meeting_id)
        if meeting is None or meeting.guild_id != interaction.guild_id:
            raise UserError(_(_text.UNAVAILABLE))
        name = _text.meeting_name(meeting.number)
        if meeting_id not in self.recorded.values():
            raise UserError(_(_text.NOT_RECORDING, meeting=name))
        user = interaction.user
        if await self.repo.is_forgotten(interaction.guild_id, user.id):
            raise UserError(_(_text.FORGOTTEN, command=i18n.command("log remember")))
        new = await self.repo.mark_present(
            meeting_id,
            user.id,
            name=user.display_name,
            pressed=True,
            spoke=False,
            role=await self._role_of(interaction.guild_id, user),
            now=utcnow(),
        )
        stated = await self.repo.delegation(interaction.guild_id, user.id)
        role = None if stated else await self._role_of(interaction.guild_id, user)
        line = _text.delegation_line(
            stated.name if stated else role.name if role else None,
            stated.type if stated else role.type if role else None,
        )
        text = _text.YOU_PRESENT if new else _text.ALREADY_PRESENT
        await reply(interaction, _(text, meeting=name, delegation=line))

    # -- /delegation -------------------------------------------------------------------------------
    async def _target(self, interaction: discord.Interaction, member: discord.Member | None) -> discord.abc.User:
        if member is None or member.id == interaction.user.id:
            return interaction.user
        settings = await self.settings.get(interaction.guild_id or 0)
        if not member_is_organiser(interaction.user, settings):
            raise UserError(_(_text.OTHERS_ORGANISERS, option=i18n.option("member")))
        return member

    @delegation.command(name="set", description="State whom you represent (organisers: for anyone)")
    @app_commands.describe(
        name="Your Member State (pick from the list), Sector Member, organisation ...",
        type="What kind of delegation it is",
        member="Organisers only: the member whose delegation to set",
    )
    @app_commands.choices(type=TYPE_CHOICES)
    @app_commands.autocomplete(name=name_autocomplete)
    async def delegation_set(
        self,
        interaction: discord.Interaction,
        name: str,
        type: Choice[str],
        member: discord.Member | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        target = await self._target(interaction, member)
        existing = await self.repo.names_in_use(interaction.guild_id, type.value)
        clean, kind = _rules.delegation(name, type.value, existing)
        await self.repo.set_delegation(
            interaction.guild_id, target.id, clean, kind, by=interaction.user.id, now=utcnow()
        )
        label = _text.type_label(kind)
        shown = discord.utils.escape_markdown(clean)
        if target.id == interaction.user.id:
            await reply(interaction, _(_text.SET_SELF, name=shown, type=label))
        else:
            await reply(interaction, _(_text.SET_OTHER, member=target.mention, name=shown, type=label))

    @delegation.command(name="show", description="Your delegation (organisers: anyone's)")
    @app_commands.describe(member="Organisers only: the member whose delegation to show")
    async def delegation_show(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        assert interaction.guild_id is not None
        target = await self._target(interaction, member)
        stated = await self.repo.delegation(interaction.guild_id, target.id)
        mine = target.id == interaction.user.id
        if stated is not None:
            by = _(_text.SET_BY_ORGANISER) if stated.set_by != target.id else ""
            text = _text.SHOW_SELF if mine else _text.SHOW_OTHER
            await reply(
                interaction,
                _(
                    text,
                    member=target.mention,
                    name=discord.utils.escape_markdown(stated.name),
                    type=_text.type_label(stated.type),
                    by=by,
                ),
            )
            return
        role = await self._role_of(interaction.guild_id, target)
        hint = (
            _(
                _text.ROLE_HINT,
                role=f"<@&{role.role_id}>",
                name=discord.utils.escape_markdown(role.name),
                type=_text.type_label(role.type),
            )
            if role
            else ""
        )
        await reply(
            interaction,
            _(
                _text.NONE_SELF if mine else _text.NONE_OTHER,
                member=target.mention,
                role=hint,
                command=i18n.command("delegation set", "name", "type"),
            ),
        )

    @delegation.command(name="clear", description="Clear your stated delegation (organisers: anyone's)")
    @app_commands.describe(member="Organisers only: the member whose delegation to clear")
    async def delegation_clear(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        assert interaction.guild_id is not None
        target = await self._target(interaction, member)
        if not await self.repo.clear_delegation(interaction.guild_id, target.id):
            await reply(interaction, _(_text.NOTHING_TO_CLEAR))
            return
        mine = target.id == interaction.user.id
        await reply(interaction, _(_text.CLEARED_SELF) if mine else _(_text.CLEARED_OTHER, member=target.mention))

    @delegation.command(name="list", description="Every stated delegation and mapped role (organisers)")
    async def delegation_list(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await ensure_organiser(interaction)
        youth = await CaptureStore(self.bot.db).youth()
        grouped: dict[tuple[str, str], list[str]] = {}
        for d in await self.repo.delegations(interaction.guild_id):
            number = youth.get((interaction.guild_id, d.user_id))
            who = _text.participant(number) if number is not None else f"<@{d.user_id}>"
            grouped.setdefault((d.type, discord.utils.escape_markdown(d.name)), []).append(who)
        entries = [(kind, name, members) for (kind, name), members in grouped.items()]
        roles = [
            (r.role_id, discord.utils.escape_markdown(r.name), r.type)
            for r in await self.repo.role_delegations(interaction.guild_id)
        ]
        await reply(interaction, _text.delegation_list(entries, roles))

    @delegation.command(name="role", description="Let a server role stand for a delegation (organisers)")
    @app_commands.describe(
        role="The role (e.g. one held by a country's delegates)", name="The delegation it stands for", type="What kind"
    )
    @app_commands.choices(type=TYPE_CHOICES)
    @app_commands.autocomplete(name=name_autocomplete)
    async def delegation_role(
        self,
        interaction: discord.Interaction,
        role: discord.Role,
        name: str,
        type: Choice[str],
    ) -> None:
        assert interaction.guild_id is not None
        await ensure_organiser(interaction)
        if role.is_default():
            raise UserError(_(_text.ROLE_EVERYONE))
        existing = await self.repo.names_in_use(interaction.guild_id, type.value)
        clean, kind = _rules.delegation(name, type.value, existing)
        await self.repo.map_role(interaction.guild_id, role.id, clean, kind, by=interaction.user.id, now=utcnow())
        await reply(
            interaction,
            _(
                _text.ROLE_MAPPED,
                role=role.mention,
                name=discord.utils.escape_markdown(clean),
                type=_text.type_label(kind),
            ),
        )

    @delegation.command(name="unrole", description="A role no longer stands for a delegation (organisers)")
    @app_commands.describe(role="The role")
    async def delegation_unrole(self, interaction: discord.Interaction, role: discord.Role) -> None:
        assert interaction.guild_id is not None
        await ensure_organiser(interaction)
        done = await self.repo.unmap_role(interaction.guild_id, role.id)
        await reply(interaction, _(_text.ROLE_UNMAPPED if done else _text.ROLE_NOT_MAPPED, role=role.mention))

    # -- /meeting attendance -----------------------------------------------------------------------
    @app_commands.describe(meeting="The meeting (default: the one under way, or the next one)")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    async def meeting_attendance(self, interaction: discord.Interaction, meeting: int | None = None) -> None:
        assert interaction.guild_id is not None
        await ensure_organiser(interaction)
        chosen = await resolve_meeting(interaction, meeting, default_next=True)
        attendance, anonymous = await attendance_of(
            self.repo, chosen.guild_id, chosen.id, display=discord.utils.escape_markdown
        )
        await reply(interaction, _text.attendance_report(chosen.number, attendance, anonymous=anonymous))
