"""/setup: a thin Discord adapter over storage.guild_settings and the rules in _rules.py."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.core import i18n, permissions
from cogs.core.errors import UserError
from cogs.core.events import GUILD_SETTINGS_CHANGED
from cogs.core.interactions import reply
from cogs.core.timefmt import zone_choices
from cogs.language._cog import LANGUAGE_CHOICES
from cogs.setup import _rules
from cogs.setup._text import (
    _,
    _n,
    group_names_text,
    language_label,
    languages_text,
    not_set,
    options_list,
    place_name,
)
from storage.guild_settings import GuildSettings, GuildSettingsRepo

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

CHANNEL_FIELDS = {
    permissions.AGENDA: "agenda_channel_id",
    permissions.CONTRIBUTIONS: "contributions_channel_id",
    permissions.REMINDERS: "reminders_channel_id",
    permissions.MEETING: "meeting_channel_id",
}


def participant_mentionable(guild: discord.Guild, settings: GuildSettings) -> bool:
    """Whether reminders can mention the participant role without Mention Everyone."""
    role = guild.get_role(settings.participant_role_id) if settings.participant_role_id else None
    return role is None or role.mentionable


def permission_problems(guild: discord.Guild, settings: GuildSettings) -> dict[str, str]:
    """Per place (channel role or server), what the bot lacks there now and the line to change."""
    me = guild.me
    name = permissions.role_name(guild)
    mentionable = participant_mentionable(guild, settings)
    out: dict[str, str] = {}
    for place, field in CHANNEL_FIELDS.items():
        channel_id = getattr(settings, field)
        if not channel_id:
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            out[place] = _(
                "The {place} <#{channel_id}> no longer exists (or I cannot see it at all). "
                "Fix: choose one with `{command}`.",
                place=place_name(place),
                channel_id=channel_id,
                command=i18n.command("setup channels", place),
            )
            continue
        lacking = permissions.missing(place, channel.permissions_for(me), role_mentionable=mentionable)
        if lacking:
            out[place] = permissions.problem(channel.mention, lacking, name, place)
    lacking = permissions.missing(permissions.SERVER, me.guild_permissions)
    if lacking:
        out[permissions.SERVER] = permissions.problem("", lacking, name)
    return out


class SetupCog(commands.Cog):
    setup_group = app_commands.Group(
        name="setup",
        description="Configure the bot for this server (Manage Server only)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = GuildSettingsRepo(bot.db)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Server-side, whatever an admin allowed in Discord's Integrations settings."""
        member = interaction.user
        if not isinstance(member, discord.Member) or not member.guild_permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    async def _save(self, interaction: discord.Interaction, **changes: object) -> GuildSettings:
        assert interaction.guild_id is not None
        settings = await self.repo.update(interaction.guild_id, **changes)
        log.info("Guild %s settings changed: %s", interaction.guild_id, ", ".join(sorted(changes)))
        self.bot.dispatch(GUILD_SETTINGS_CHANGED, settings)
        return settings

    # -- /setup roles -------------------------------------------------------------------------
    @setup_group.command(name="roles", description="Which roles are the chair, the secretariat and the participants")
    @app_commands.describe(
        chair="The chair and vice-chairs: organisers of meetings",
        secretariat="ITU secretariat staff: organisers too",
        participant="All participants: mentioned in meeting reminders",
    )
    async def roles(
        self,
        interaction: discord.Interaction,
        chair: discord.Role | None = None,
        secretariat: discord.Role | None = None,
        participant: discord.Role | None = None,
    ) -> None:
        changes = {
            f"{name}_role_id": role.id
            for name, role in (("chair", chair), ("secretariat", secretariat), ("participant", participant))
            if role is not None
        }
        if not changes:
            raise UserError(
                _("Give at least one role: {options}.", options=options_list("chair", "secretariat", "participant"))
            )
        for role in (chair, secretariat, participant):
            if role is not None and (role.is_default() or role.managed):
                raise UserError(
                    _(
                        "{role} cannot be used: choose a normal role, not @everyone or a bot's own role.",
                        role=role.name,
                    )
                )
        settings = await self._save(interaction, **changes)
        await reply(interaction, _("Roles saved.") + "\n" + self._roles_text(settings))

    # -- /setup channels ----------------------------------------------------------------------
    @setup_group.command(name="channels", description="Where agendas, documents, reminders and the meeting chat go")
    @app_commands.describe(
        agenda="Where agendas are posted and pinned",
        contributions="Where registered documents are announced",
        reminders="Where meeting and deadline reminders are posted",
        meeting="The default meeting chat channel (recorded during meetings)",
    )
    async def channels(
        self,
        interaction: discord.Interaction,
        agenda: discord.TextChannel | None = None,
        contributions: discord.TextChannel | None = None,
        reminders: discord.TextChannel | None = None,
        meeting: discord.TextChannel | None = None,
    ) -> None:
        chosen = {"agenda": agenda, "contributions": contributions, "reminders": reminders, "meeting": meeting}
        chosen = {k: v for k, v in chosen.items() if v is not None}
        if not chosen:
            raise UserError(
                _(
                    "Give at least one channel: {options}.",
                    options=options_list("agenda", "contributions", "reminders", "meeting"),
                )
            )
        guild = interaction.guild
        assert guild is not None
        current = await self.repo.get(guild.id)
        mentionable = participant_mentionable(guild, current)
        name = permissions.role_name(guild)
        problems = []
        for place, channel in chosen.items():
            lacking = permissions.missing(place, channel.permissions_for(guild.me), role_mentionable=mentionable)
            if lacking:
                problems.append(permissions.problem(channel.mention, lacking, name, place))
        if problems:
            raise UserError(_("Nothing was changed.") + "\n" + "\n".join(problems))
        settings = await self._save(interaction, **{f"{k}_channel_id": v.id for k, v in chosen.items()})
        await reply(interaction, _("Channels saved.") + "\n" + self._channels_text(settings))

    # -- /setup options -----------------------------------------------------------------------
    @setup_group.command(name="options", description="Time zone, document numbering, deadlines, reminders, retention")
    @app_commands.describe(
        timezone="IANA time zone for meeting times (default Europe/Zurich, Geneva time)",
        group_code="Prefix of document numbers, e.g. CWG-COP gives CWG-COP-19/3",
        reminder_offsets="When channel reminders go out before a meeting, e.g. 7d,1d,1h,10m",
        contribution_deadline_days="Contributions are late after this many days before the opening (default 12)",
        posting_deadline_days="All documents should be posted this many days before the opening (default 7)",
        retention_days="Chat logs older than this are purged automatically (default 365)",
        max_file_mb="Largest contribution file accepted, in MB (default 25)",
        allowed_file_types="File types accepted for contributions, e.g. pdf,docx,pptx",
        languages="Languages of public posts, in order, e.g. fr,en (ar, zh, en, fr, ru, es; default en)",
    )
    async def options(
        self,
        interaction: discord.Interaction,
        timezone: str | None = None,
        group_code: str | None = None,
        reminder_offsets: str | None = None,
        contribution_deadline_days: app_commands.Range[int, 0, 365] | None = None,
        posting_deadline_days: app_commands.Range[int, 0, 365] | None = None,
        retention_days: app_commands.Range[int, 1, 36500] | None = None,
        max_file_mb: app_commands.Range[int, 1, 500] | None = None,
        allowed_file_types: str | None = None,
        languages: str | None = None,
    ) -> None:
        changes: dict[str, object] = {}
        # Validate everything first: one bad value changes nothing.
        if timezone is not None:
            changes["timezone"] = _rules.clean_timezone(timezone)
        if group_code is not None:
            changes["group_code"] = _rules.clean_group_code(group_code)
        if reminder_offsets is not None:
            changes["reminder_offsets"] = _rules.clean_offsets(reminder_offsets)
        if contribution_deadline_days is not None:
            changes["contribution_deadline_days"] = _rules.clean_days(
                "contribution_deadline_days", contribution_deadline_days, 0, 365
            )
        if posting_deadline_days is not None:
            changes["posting_deadline_days"] = _rules.clean_days("posting_deadline_days", posting_deadline_days, 0, 365)
        if retention_days is not None:
            changes["retention_days"] = _rules.clean_days("retention_days", retention_days, 1, 36500)
        if max_file_mb is not None:
            changes["max_file_mb"] = max_file_mb
        if allowed_file_types is not None:
            changes["allowed_file_types"] = _rules.clean_file_types(allowed_file_types)
        if languages is not None:
            changes["languages"] = _rules.clean_languages(languages)
        if not changes:
            raise UserError(
                _("Give at least one option to change; `{command}` lists them all.", command=i18n.command("setup show"))
            )
        settings = await self._save(interaction, **changes)
        await reply(interaction, _("Options saved.") + "\n" + self._options_text(settings))

    @options.autocomplete("timezone")
    async def _timezone_autocomplete(self, interaction: discord.Interaction, current: str):
        return [app_commands.Choice(name=z, value=z) for z in zone_choices(current)]

    # -- /setup group-name -------------------------------------------------------------------
    @setup_group.command(name="group-name", description="The group's official name in one language (used by documents)")
    @app_commands.describe(
        language="The language of this name",
        name="The official name, without the code (leave out to clear it)",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def group_name(
        self, interaction: discord.Interaction, language: app_commands.Choice[str], name: str | None = None
    ) -> None:
        assert interaction.guild_id is not None
        current = await self.repo.get(interaction.guild_id)
        code = language.value
        cleaned = None if name is None else _rules.clean_group_name(name, current.group_code)  # refused: no change
        if cleaned is None and current.group_name_in(code) is None:
            await reply(
                interaction,
                _("No name was set in {language}: nothing changed.", language=language_label(code))
                + "\n"
                + group_names_text(current.group_code, current.group_name_map),
            )
            return
        settings = await self.repo.set_group_name(interaction.guild_id, code, cleaned)
        log.info(
            "Guild %s settings changed: group name in %s %s",
            interaction.guild_id,
            code,
            "set" if cleaned else "cleared",
        )
        self.bot.dispatch(GUILD_SETTINGS_CHANGED, settings)
        said = (
            _("The group's name in {language} is saved.", language=language_label(code))
            if cleaned
            else _("The group's name in {language} is cleared.", language=language_label(code))
        )
        await reply(interaction, said + "\n" + group_names_text(settings.group_code, settings.group_name_map))

    # -- /setup show --------------------------------------------------------------------------
    @setup_group.command(name="show", description="Show this server's whole configuration")
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        settings = await self.repo.get(interaction.guild_id)
        embed = discord.Embed(
            title=_("{code} bot configuration", code=settings.group_code), colour=discord.Colour.blurple()
        )
        embed.add_field(name=_("Roles"), value=self._roles_text(settings), inline=False)
        embed.add_field(name=_("Channels"), value=self._channels_text(settings), inline=False)
        embed.add_field(name=_("Options"), value=self._options_text(settings), inline=False)
        embed.add_field(
            # i18n: embed field name (256)
            name=_("The group's name in each language"),
            value=group_names_text(settings.group_code, settings.group_name_map)[:1024],
            inline=False,
        )
        assert interaction.guild is not None
        problems = permission_problems(interaction.guild, settings)
        for place, text in problems.items():
            title = (
                _("Missing on the server")
                if place == permissions.SERVER
                else _("Missing in the {place}", place=place_name(place))
            )
            embed.add_field(name=title, value=text[:1024], inline=False)
        if not problems:
            embed.add_field(
                name=_("Permissions"),
                value=_("Nothing missing: I have what I need in every channel set up, and on the server."),
                inline=False,
            )
        await reply(interaction, embed=embed)

    # -- text ---------------------------------------------------------------------------------
    @staticmethod
    def _roles_text(s: GuildSettings) -> str:
        def role(rid: int | None) -> str:
            return f"<@&{rid}>" if rid else not_set()

        return "\n".join(
            (
                _("Chair: {role}", role=role(s.chair_role_id)),
                _("Secretariat: {role}", role=role(s.secretariat_role_id)),
                _("Participants: {role}", role=role(s.participant_role_id)),
            )
        )

    @staticmethod
    def _channels_text(s: GuildSettings) -> str:
        def chan(cid: int | None) -> str:
            return f"<#{cid}>" if cid else not_set()

        return "\n".join(
            (
                _("Agenda: {channel}", channel=chan(s.agenda_channel_id)),
                _("Contributions: {channel}", channel=chan(s.contributions_channel_id)),
                _("Reminders: {channel}", channel=chan(s.reminders_channel_id)),
                _("Meeting chat: {channel}", channel=chan(s.meeting_channel_id)),
            )
        )

    @staticmethod
    def _options_text(s: GuildSettings) -> str:
        days = s.contribution_deadline_days
        posting = s.posting_deadline_days
        return "\n".join(
            (
                _("Time zone: `{zone}`", zone=s.timezone),
                _("Group code: `{code}`", code=s.group_code),
                _("Reminder offsets: `{offsets}`", offsets=s.reminder_offsets),
                _n(
                    "Contribution deadline: {n} day before the opening",
                    "Contribution deadline: {n} days before the opening",
                    days,
                    n=days,
                ),
                _n(
                    "Posting deadline: {n} day before the opening",
                    "Posting deadline: {n} days before the opening",
                    posting,
                    n=posting,
                ),
                _n("Chat-log retention: {n} day", "Chat-log retention: {n} days", s.retention_days, n=s.retention_days),
                _(
                    "Contribution files: up to {mb} MB, types `{types}`",
                    mb=s.max_file_mb,
                    types=s.allowed_file_types,
                ),
                _("Languages of public posts: {languages}", languages=languages_text(s.language_list)),
            )
        )
