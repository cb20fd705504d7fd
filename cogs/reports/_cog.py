"""/report: a thin Discord adapter over storage.reports, the capture feature's minutes and the rules.

``/report meeting`` and ``/report period`` (organisers only) read the database, fold the rows into
figures (``_rules``), word them (``_text``) and lay them out (``_render``): an embed to read at once
and files to keep. The chart is drawn in a worker thread, after the interaction is deferred.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from cogs.capture._export import minutes_for
from cogs.capture._rules import Names, pseudonym
from cogs.core.checks import organiser_only
from cogs.core.interactions import reply
from cogs.core.meeting_choice import meeting_autocomplete, resolve_meeting
from cogs.core.timefmt import GENEVA
from cogs.reports import _chart, _rules, _text
from cogs.reports._render import to_html, to_markdown
from cogs.reports._rules import MeetingFigures, MeetingRef, YouthScrubber
from storage.capture import CaptureStore
from storage.contributions import ContributionsRepo
from storage.guild_settings import GuildSettings, GuildSettingsRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.reports import ReportsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

COLOUR = discord.Colour.from_rgb(11, 92, 173)  # ITU blue
EMPTY_COLOUR = discord.Colour.dark_grey()
MENTION = re.compile(r"<@!?(\d+)>")
MAX_LOOKUPS = 50  # members looked up per meeting, at most


class ReportContext:
    """What a report of one guild needs to know about people: pseudonyms, names, the chair role."""

    def __init__(
        self, guild: discord.Guild | None, names: Names, scrub: YouthScrubber, chair_role: str | None, group_code: str
    ) -> None:
        self.guild = guild
        self.names = names
        self.scrub = scrub
        self.chair_role = chair_role
        self.group_code = group_code


async def date_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    bot: MeetingBot = interaction.client  # type: ignore[assignment]
    if interaction.guild_id is None:
        return []
    settings = await GuildSettingsRepo(bot.db).get(interaction.guild_id)
    meetings = [_ref(m, None) for m in await MeetingsRepo(bot.db).list(interaction.guild_id)]
    today = utcnow().astimezone(ZoneInfo(settings.timezone)).date()
    return [
        app_commands.Choice(name=label[:100], value=value)
        for label, value in _rules.date_choices(meetings, settings.timezone, current, today)
    ]


def _ref(meeting: Meeting, scrub: YouthScrubber | None) -> MeetingRef:
    clean = scrub or YouthScrubber()
    return MeetingRef(
        number=meeting.number,
        title=clean(meeting.title) or "",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        cancelled=meeting.cancelled,
        cancel_reason=clean(meeting.cancel_reason),
        chair=clean(meeting.chair_name),
    )


def _file(data: str | bytes, name: str) -> discord.File:
    return discord.File(io.BytesIO(data.encode() if isinstance(data, str) else data), filename=name)


class ReportsCog(commands.Cog, name="Reports"):
    # No default_permissions: Discord would then hide /report from the chair and secretariat roles
    # until an admin allowed them in Server Settings > Integrations. The organiser check below is
    # the real gate (server side), as for /minutes and /log.
    group = app_commands.Group(
        name="report", description="Reports for the Chair's report to Council (organisers)", guild_only=True
    )

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = ReportsRepo(bot.db)
        self.meetings = MeetingsRepo(bot.db)
        self.contributions = ContributionsRepo(bot.db)
        self.capture = CaptureStore(bot.db)
        self.settings_repo = GuildSettingsRepo(bot.db)

    # -- building blocks -------------------------------------------------------------------------------
    async def _context(self, guild: discord.Guild | None, settings: GuildSettings) -> ReportContext:
        """Names as the capture feature shows them (pseudonyms, forgotten members), read from the database."""
        guild_id = settings.guild_id
        youth = {uid: n for (gid, uid), n in (await self.capture.youth()).items() if gid == guild_id}
        forgotten = frozenset(uid for gid, uid in await self.capture.forgotten() if gid == guild_id)

        def member(user_id: int) -> str | None:
            found = guild.get_member(user_id) if guild else None
            return found.display_name if found else None

        def role(role_id: int) -> str | None:
            found = guild.get_role(role_id) if guild else None
            return found.name if found else None

        def channel(channel_id: int) -> str | None:
            found = guild.get_channel_or_thread(channel_id) if guild else None
            return found.name if found else None

        # Every name a youth participant goes by here, so that a name typed by hand is caught too. The
        # member list is not cached (no members intent): ask Discord, for these few people only.
        found = await asyncio.gather(*(self._person(guild, user_id) for user_id in youth))
        known = {
            user_id: [person.display_name, person.name, person.global_name, getattr(person, "nick", None)]
            for user_id, person in zip(youth, found, strict=True)
            if person is not None
        }
        scrub = YouthScrubber(_rules.youth_names(known, {uid: pseudonym(n) for uid, n in youth.items()}))
        names = Names(timezone=GENEVA, youth=youth, forgotten=forgotten, lookup=member, role=role, channel=channel)
        chair_role = role(settings.chair_role_id) if settings.chair_role_id else None
        return ReportContext(guild, names, scrub, chair_role, settings.group_code)

    async def _person(self, guild: discord.Guild | None, user_id: int) -> discord.abc.User | None:
        person = (guild.get_member(user_id) if guild else None) or self.bot.get_user(user_id)
        if person is not None and isinstance(person, discord.Member):
            return person
        try:
            if guild is not None:
                return await guild.fetch_member(user_id)
        except discord.HTTPException:
            pass  # left the server: their user name is still worth catching
        try:
            return person or await self.bot.fetch_user(user_id)
        except discord.HTTPException:
            log.warning("Could not look up youth participant %s to hide their name", user_id)
            return None

    async def _mentioned(self, guild: discord.Guild | None, meeting: Meeting, names: Names) -> Names:
        """Names with the display names of members mentioned in the minutes who did not speak.

        The member list is not cached (no members intent), so "#action <@id> ..." for someone who never
        wrote in the chat would otherwise read "unknown member". Youth and forgotten members are left to
        ``Names`` (pseudonym, "[removed]"): they are never looked up.
        """
        mentioned = {
            int(m) for line in await self.capture.marker_lines(meeting.id) for m in MENTION.findall(line.content)
        }
        wanted = sorted(
            mentioned - set(names.youth) - names.forgotten - set(await self.capture.author_names(meeting.id))
        )
        wanted = [uid for uid in wanted if names.lookup(uid) is None][:MAX_LOOKUPS]
        if not wanted:
            return names
        found = await asyncio.gather(*(self._person(guild, uid) for uid in wanted))
        known = {uid: person.display_name for uid, person in zip(wanted, found, strict=True) if person is not None}
        return dataclasses.replace(names, known={**names.known, **known})

    async def figures(self, meeting: Meeting, ctx: ReportContext) -> MeetingFigures:
        """Every figure and outcome of one meeting, from the database."""
        names = await self._mentioned(ctx.guild, meeting, ctx.names)
        minutes = await minutes_for(
            self.capture, self.meetings, self.contributions, meeting, group_code=ctx.group_code, names=names
        )
        record = await self.repo.chat_record(meeting.id)
        people = await self.repo.people(meeting.id)
        counts, busiest = [], []
        if record.purged_at is None and people:
            counts = await self.repo.messages_between(meeting.id, _rules.topic_bounds(minutes.sections))
            busiest = await self.repo.messages_per_minute(meeting.id)
        chat = _rules.chat_from(
            record, people, sections=minutes.sections, topic_counts=counts, busiest=busiest, scrub=ctx.scrub
        )
        agreed, actions = _rules.outcomes_from(minutes.agreed, minutes.actions, ctx.scrub)
        documents = _rules.documents_from(await self.repo.document_counts(meeting.id))
        return _rules.meeting_figures(_ref(meeting, ctx.scrub), documents, chat, people, agreed, actions)

    # =============================================================================================
    # /report meeting

    @group.command(
        name="meeting", description="A one-page report on a meeting: documents, participants, chat, outcomes"
    )
    @app_commands.describe(meeting="The meeting to report on")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def report_meeting(self, interaction: discord.Interaction, meeting: int) -> None:
        chosen = await resolve_meeting(interaction, meeting)
        assert interaction.guild_id is not None
        if chosen.cancelled:
            await reply(interaction, _text.cancelled_meeting(_ref(chosen, None)))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = await self.settings_repo.get(interaction.guild_id)
        ctx = await self._context(interaction.guild, settings)
        figures = await self.figures(chosen, ctx)
        now = utcnow()
        document = _text.meeting_document(
            figures, group_code=ctx.group_code, chair_role=ctx.chair_role, generated_at=now, now=now
        )
        title, description, fields = _text.meeting_embed(
            figures, group_code=ctx.group_code, chair_role=ctx.chair_role, now=now
        )
        embed = discord.Embed(title=title, description=description, colour=COLOUR)
        for name, value in fields:
            embed.add_field(name=name, value=value, inline=False)
        embed.set_footer(text=_text.EMBED_FOOTER)
        name = _rules.file_stem(ctx.group_code, f"{chosen.number}-report") + ".md"
        log.info("Organiser %s generated the report on meeting %s", interaction.user.id, chosen.id)
        await reply(interaction, embed=embed, file=_file(to_markdown(document), name))

    # =============================================================================================
    # /report period

    @group.command(name="period", description="A report across the meetings of a period, with a growth table and chart")
    @app_commands.rename(first="from", last="to")
    @app_commands.describe(
        first="First day of the period, YYYY-MM-DD (in the server's time zone)",
        last="Last day of the period, YYYY-MM-DD (included)",
    )
    @app_commands.autocomplete(first=date_autocomplete, last=date_autocomplete)
    @organiser_only()
    async def report_period(self, interaction: discord.Interaction, first: str, last: str) -> None:
        assert interaction.guild_id is not None
        settings = await self.settings_repo.get(interaction.guild_id)
        period = _rules.parse_period(first, last, settings.timezone)  # refused before anything else
        await interaction.response.defer(ephemeral=True, thinking=True)
        ctx = await self._context(interaction.guild, settings)
        stored = {m.number: m for m in await self.meetings.list(interaction.guild_id)}
        held, cancelled = _rules.select_meetings((_ref(m, ctx.scrub) for m in stored.values()), period)
        if not held:
            embed = discord.Embed(
                title=_text.period_title(period, ctx.group_code)[:256],
                description=_text.no_meetings(period, cancelled, ctx.group_code),
                colour=EMPTY_COLOUR,
            )
            await reply(interaction, embed=embed)
            return
        figures = [await self.figures(stored[m.number], ctx) for m in held]
        report = _rules.period_report(period, figures, cancelled, generated_at=utcnow())
        stem = _rules.file_stem(ctx.group_code, f"report-{period.first.isoformat()}-to-{period.last.isoformat()}")
        chart_name = stem + ".png"
        png = await asyncio.to_thread(_chart.draw, _text.chart_data(report, ctx.group_code))
        document = _text.period_document(
            report, group_code=ctx.group_code, chart_file=chart_name, now=report.generated_at
        )
        markdown, html = to_markdown(document), to_html(document, png)
        title, description = _text.period_embed(report, group_code=ctx.group_code)
        embed = discord.Embed(title=title, description=description, colour=COLOUR)
        embed.set_image(url=f"attachment://{chart_name}")
        embed.set_footer(text=_text.EMBED_FOOTER)
        log.info(
            "Organiser %s generated the report for %s..%s (%d meetings)",
            interaction.user.id,
            period.first,
            period.last,
            len(figures),
        )
        await reply(
            interaction,
            embed=embed,
            files=[_file(markdown, stem + ".md"), _file(png, chart_name), _file(html, stem + ".html")],
        )
