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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from cogs.attendance._rules import contributing
from cogs.attendance._summary import attendance_of
from cogs.capture._export import minutes_for
from cogs.capture._names import names_for_meeting, youth_aliases
from cogs.capture._rules import pseudonym
from cogs.core import i18n
from cogs.core.checks import organiser_only
from cogs.core.interactions import reply
from cogs.core.meeting_choice import meeting_autocomplete, resolve_meeting
from cogs.core.timefmt import GENEVA
from cogs.language._cog import LANGUAGE_CHOICES
from cogs.reports import _chart, _rules, _text
from cogs.reports._render import to_html, to_markdown
from cogs.reports._rules import MeetingFigures, MeetingRef, YouthScrubber
from cogs.reports._text import _
from storage.attendance import AttendanceRepo
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


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What a report of one guild needs besides each meeting's names (capture's ``names_for_meeting``)."""

    scrub: YouthScrubber  # every name a youth participant goes by here → their pseudonym
    chair_role: str | None
    group_code: str
    group_names: Mapping[str, str]  # language → the group's official name there (/setup group-name)


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


def document_language(choice: app_commands.Choice[str] | None, settings: GuildSettings) -> str:
    """The report files' language: the ``language:`` option, else the server's first language."""
    return choice.value if choice is not None else settings.language_list[0]


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
        """The youth scrubber (every name a youth participant goes by here) and the chair role's name."""
        youth = await self.capture.youth_in(settings.guild_id)
        aliases = await youth_aliases(self.bot, guild, youth)
        scrub = YouthScrubber(_rules.youth_names(aliases, {uid: pseudonym(n) for uid, n in youth.items()}))
        role = guild.get_role(settings.chair_role_id) if guild and settings.chair_role_id else None
        return ReportContext(scrub, role.name if role else None, settings.group_code, settings.group_name_map)

    async def figures(self, meeting: Meeting, ctx: ReportContext) -> MeetingFigures:
        """Every figure and outcome of one meeting, from the database."""
        names = await names_for_meeting(self.bot, self.capture, meeting, timezone=GENEVA)
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
        figures = _rules.meeting_figures(_ref(meeting, ctx.scrub), documents, chat, people, agreed, actions)
        delegations = AttendanceRepo(self.bot.db)
        attendance, _anonymous = await attendance_of(delegations, meeting.guild_id, meeting.id)
        counted = [
            (c.source, c.source_type)
            for c in await self.contributions.for_meeting(meeting.id)
            if c.status in _rules.COUNTED_STATUSES
        ]
        contributed = contributing(counted, await delegations.known_delegations(meeting.guild_id))
        return dataclasses.replace(
            figures, attendance=attendance if attendance.people else None, contributed=tuple(contributed)
        )

    # =============================================================================================
    # /report meeting

    @group.command(
        name="meeting", description="A one-page report on a meeting: documents, participants, chat, outcomes"
    )
    @app_commands.describe(
        meeting="The meeting to report on",
        language="Language of the report files (default: the server's first language)",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @organiser_only()
    async def report_meeting(
        self, interaction: discord.Interaction, meeting: int, language: app_commands.Choice[str] | None = None
    ) -> None:
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
        with i18n.locale(document_language(language, settings)):  # the file: the chosen language
            document = _text.meeting_document(
                figures,
                group_code=ctx.group_code,
                group_names=ctx.group_names,
                chair_role=ctx.chair_role,
                generated_at=now,
                now=now,
            )
            markdown = to_markdown(document)
        title, description, fields = _text.meeting_embed(
            figures, group_code=ctx.group_code, chair_role=ctx.chair_role, now=now
        )
        embed = discord.Embed(title=title, description=description, colour=COLOUR)
        for name, value in fields:
            embed.add_field(name=name, value=value, inline=False)
        embed.set_footer(text=_(_text.EMBED_FOOTER))
        name = _rules.file_stem(ctx.group_code, f"{chosen.number}-report") + ".md"
        log.info("Organiser %s generated the report on meeting %s", interaction.user.id, chosen.id)
        await reply(interaction, embed=embed, file=_file(markdown, name))

    # =============================================================================================
    # /report period

    @group.command(name="period", description="A report across the meetings of a period, with a growth table and chart")
    @app_commands.rename(first="from", last="to")
    @app_commands.describe(
        first="First day of the period, YYYY-MM-DD (in the server's time zone)",
        last="Last day of the period, YYYY-MM-DD (included)",
        language="Language of the report files (default: the server's first language)",
    )
    @app_commands.autocomplete(first=date_autocomplete, last=date_autocomplete)
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @organiser_only()
    async def report_period(
        self,
        interaction: discord.Interaction,
        first: str,
        last: str,
        language: app_commands.Choice[str] | None = None,
    ) -> None:
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
        with i18n.locale(document_language(language, settings)):  # the files: the chosen language
            chart = _text.chart_data(report, ctx.group_code)
            document = _text.period_document(
                report,
                group_code=ctx.group_code,
                group_names=ctx.group_names,
                chart_file=chart_name,
                now=report.generated_at,
            )
            markdown = to_markdown(document)
        png = await asyncio.to_thread(_chart.draw, chart)  # for Discord and the .png file
        svg = await asyncio.to_thread(_chart.draw_svg, chart)  # inlined in the HTML: sharp on paper
        html = to_html(document, svg)
        title, description = _text.period_embed(report, group_code=ctx.group_code, group_names=ctx.group_names)
        embed = discord.Embed(title=title, description=description, colour=COLOUR)
        embed.set_image(url=f"attachment://{chart_name}")
        embed.set_footer(text=_(_text.EMBED_FOOTER))
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
