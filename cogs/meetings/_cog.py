"""/meeting: a thin Discord adapter over storage.meetings and the rules in _rules.py.

After each committed change the cog dispatches ``meeting_created`` / ``meeting_changed`` /
``meeting_cancelled`` (cogs/core/events.py) so that the agenda post, reminders and the rest follow,
and mirrors the meeting as a Discord Guild Scheduled Event.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.core import i18n, permissions
from cogs.core.checks import guild_settings, organiser_only
from cogs.core.errors import UserError
from cogs.core.events import MEETING_CANCELLED, MEETING_CHANGED, MEETING_CREATED
from cogs.core.i18n_discord import multilingual_embed
from cogs.core.interactions import SAFE_MENTIONS, reply
from cogs.core.meeting_choice import meeting_autocomplete, resolve_meeting
from cogs.core.safe_text import inline
from cogs.core.timefmt import zone_choices
from cogs.language._cog import LANGUAGE_CHOICES
from cogs.meetings import _ics, _rules, _text
from cogs.meetings._text import _, _n, meeting_name
from storage.agenda import AgendaRepo
from storage.capture import CaptureStore
from storage.guild_settings import GuildSettings, GuildSettingsRepo
from storage.meetings import Meeting, MeetingNumberTaken, MeetingsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

EVENTS_TOPIC = "scheduled_events"
COLOUR = discord.Colour.blurple()
CANCELLED_COLOUR = discord.Colour.dark_grey()


async def zone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=z, value=z) for z in zone_choices(current)]


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


class MeetingsCog(commands.Cog):
    meeting_group = app_commands.Group(
        name="meeting", description="CWG-COP meetings: schedule, change, cancel, list, calendar", guild_only=True
    )

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = MeetingsRepo(bot.db)
        self.agenda = AgendaRepo(bot.db)
        self._reconcile: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        # The database is the truth: mirror any upcoming meeting whose event was never created
        # (the process stopped between the commit and the Discord call). Needs the gateway, so later.
        self._reconcile = asyncio.create_task(self._mirror_missing_events())

    async def cog_unload(self) -> None:
        if self._reconcile is not None:
            self._reconcile.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reconcile

    # -- /meeting create ------------------------------------------------------------------------
    @meeting_group.command(name="create", description="Schedule a numbered meeting (organisers)")
    @app_commands.describe(
        number="The meeting's number in the series, e.g. 19 for the 19th meeting",
        start="Start date and time, YYYY-MM-DD HH:MM (ITU's 10.00 works too), in the time zone below",
        end="End time HH:MM on the same day, or YYYY-MM-DD HH:MM",
        timezone="Time zone of start and end (default: the server's, Europe/Zurich = Geneva time)",
        title="Title (default: '19th meeting of the CWG-COP')",
        venue="Where it takes place, e.g. 'ITU headquarters, Geneva' (optional)",
        link="Link to join online, starting with https:// (optional)",
        channel="The meeting chat channel (default: the server's meeting channel)",
        chair="The member who chairs (named in the minutes and reports)",
        chair_name="The chair as documents name them, e.g. 'Ms Jane Doe (United Kingdom), Chair of the CWG-COP'",
    )
    @app_commands.autocomplete(timezone=zone_autocomplete)
    @organiser_only()
    async def create(
        self,
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1, 9999],
        start: str,
        end: str,
        timezone: str | None = None,
        title: str | None = None,
        venue: str | None = None,
        link: str | None = None,
        channel: discord.TextChannel | None = None,
        chair: discord.Member | None = None,
        chair_name: str | None = None,
    ) -> None:
        settings = await guild_settings(interaction)
        guild_id = settings.guild_id
        if chair_name is not None and chair_name.strip() == _rules.CLEAR:
            chair_name = None
        # Validate everything before writing anything.
        tz_name = _rules.clean_zone(timezone, settings.timezone)
        times = _rules.read_times(start, end, tz_name, utcnow())
        clean_title = _rules.clean_title(title) if title is not None else default_title(number, settings)
        clean_venue = _rules.clean_venue(venue)
        clean_link = _rules.clean_link(link)
        chair_fields = await chair_changes(self.bot.db, guild_id, chair, chair_name)
        if await self.repo.by_number(guild_id, number) is not None:
            raise UserError(_number_taken(number))
        channel_id = channel.id if channel is not None else settings.meeting_channel_id

        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            meeting = await self.repo.create(
                guild_id=guild_id,
                number=number,
                title=clean_title,
                starts_at=times.starts_at,
                ends_at=times.ends_at,
                timezone=times.timezone,
                venue=clean_venue,
                link=clean_link,
                channel_id=channel_id,
                created_by=interaction.user.id,
                **chair_fields,  # type: ignore[arg-type]
            )
        except MeetingNumberTaken:
            raise UserError(_number_taken(number)) from None
        log.info("Meeting %s (number %s) created in guild %s", meeting.id, number, guild_id)
        self.bot.dispatch(MEETING_CREATED, meeting)

        notice = await self.mirror(meeting, tell=True, languages=settings.language_list)
        meeting = await self._reload(meeting)
        text = _text.created(meeting)
        if notice:
            text += "\n\n" + notice
        await reply(interaction, text, embed=await self.card(meeting))

    # -- /meeting edit --------------------------------------------------------------------------
    @meeting_group.command(name="edit", description="Change a meeting: times, title, venue, link... (organisers)")
    @app_commands.describe(
        meeting="The meeting to change",
        start="New start YYYY-MM-DD HH:MM (the length stays the same unless you give an end)",
        end="New end: HH:MM on the start's day, or YYYY-MM-DD HH:MM",
        timezone="Time zone of the new start/end (default: the meeting's)",
        number="New number in the series (only before documents are registered)",
        title="New title ('-' restores the default title)",
        venue="New venue ('-' removes it)",
        link="New link to join online, https://... ('-' removes it)",
        channel="New meeting chat channel",
        reinstate="Hold a cancelled meeting after all (give new times if needed)",
        chair="The member who chairs (named in the minutes and reports)",
        chair_name="The chair as documents name them ('-' removes the chair)",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete, timezone=zone_autocomplete)
    @organiser_only()
    async def edit(
        self,
        interaction: discord.Interaction,
        meeting: int,
        start: str | None = None,
        end: str | None = None,
        timezone: str | None = None,
        number: app_commands.Range[int, 1, 9999] | None = None,
        title: str | None = None,
        venue: str | None = None,
        link: str | None = None,
        channel: discord.TextChannel | None = None,
        reinstate: bool = False,
        chair: discord.Member | None = None,
        chair_name: str | None = None,
    ) -> None:
        settings = await guild_settings(interaction)
        before = await resolve_meeting(interaction, meeting)
        now = utcnow()
        if before.cancelled and not reinstate:
            raise UserError(
                _(
                    "The {meeting} is cancelled. To hold it after all, use "
                    "`{command}{number} {option}:True` (with new times if needed).",
                    meeting=meeting_name(before.number),
                    command=i18n.command("meeting edit", "meeting"),
                    number=before.number,
                    option=i18n.option("reinstate"),
                )
            )
        if reinstate and not before.cancelled:
            raise UserError(
                _(
                    "The {meeting} is not cancelled; there is nothing to reinstate.",
                    meeting=meeting_name(before.number),
                )
            )

        proposed: dict[str, object] = {}
        times = _rules.read_new_times(before, start, end, timezone, now)
        if times is not None:
            proposed.update(starts_at=times.starts_at, ends_at=times.ends_at, timezone=times.timezone)
        if reinstate:
            starts_at = times.starts_at if times else before.starts_at
            if starts_at <= now:
                raise UserError(
                    _(
                        "To reinstate this meeting, give a new start in the future (`{option}:`).",
                        option=i18n.option("start"),
                    )
                )
            proposed.update(status="scheduled", cancel_reason=None)
        if number is not None and number != before.number:
            if await self.repo.by_number(before.guild_id, number) is not None:
                raise UserError(_number_taken(number))
            documents = await self.repo.documents_count(before.id)
            if documents:
                raise UserError(
                    _n(
                        "The {meeting} already has {n} registered document "
                        "numbered {prefix}/…; its number can no longer change.",
                        "The {meeting} already has {n} registered documents "
                        "numbered {prefix}/…; its number can no longer change.",
                        documents,
                        n=documents,
                        meeting=meeting_name(before.number),
                        prefix=f"{settings.group_code}-{before.number}",
                    )
                )
            proposed["number"] = number
            if title is None and before.title == default_title(before.number, settings):
                proposed["title"] = default_title(number, settings)
        if title is not None:
            new_number = number if number is not None else before.number
            proposed["title"] = (
                default_title(new_number, settings) if title.strip() == _rules.CLEAR else _rules.clean_title(title)
            )
        if venue is not None:
            proposed["venue"] = None if venue.strip() == _rules.CLEAR else _rules.clean_venue(venue)
        if link is not None:
            proposed["link"] = None if link.strip() == _rules.CLEAR else _rules.clean_link(link)
        if channel is not None:
            proposed["channel_id"] = channel.id
        proposed.update(await chair_changes(self.bot.db, before.guild_id, chair, chair_name))
        changes = _rules.changed_fields(before, proposed)
        if not changes:
            raise UserError(
                _("Nothing to change: give at least one new value (start, end, title, venue, link, channel, chair...).")
            )

        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            after = await self.repo.update(before.id, **changes)
        except MeetingNumberTaken:
            raise UserError(_number_taken(number or before.number)) from None
        log.info("Meeting %s changed: %s", before.id, ", ".join(sorted(changes)))
        self.bot.dispatch(MEETING_CHANGED, before, after)

        notice = await self.mirror(after, tell=True, languages=settings.language_list)
        after = await self._reload(after)
        text = _("Saved. The {meeting} is updated everywhere it is shown.", meeting=meeting_name(after.number)) + "\n"
        order = list(_text.FIELD_NAMES)
        shown = sorted((f for f in changes if f in _text.FIELD_NAMES), key=order.index)
        text += _text.change_lines(before, after, shown)
        if notice:
            text += "\n\n" + notice
        await reply(interaction, text, embed=await self.card(after))

    # -- /meeting cancel ------------------------------------------------------------------------
    @meeting_group.command(name="cancel", description="Cancel a meeting and announce it (organisers)")
    @app_commands.describe(meeting="The meeting to cancel", reason="Why (shown in the announcement)")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def cancel(self, interaction: discord.Interaction, meeting: int, reason: str | None = None) -> None:
        settings = await guild_settings(interaction)
        before = await resolve_meeting(interaction, meeting)
        if before.cancelled:
            raise UserError(_("The {meeting} is already cancelled.", meeting=meeting_name(before.number)))
        if before.has_ended(utcnow()):
            raise UserError(
                _(
                    "The {meeting} has already taken place; it cannot be cancelled.",
                    meeting=meeting_name(before.number),
                )
            )
        clean_reason = _rules.clean_reason(reason)

        await interaction.response.defer(ephemeral=True, thinking=True)
        after = await self.repo.update(before.id, status="cancelled", cancel_reason=clean_reason)
        log.info("Meeting %s cancelled", after.id)
        self.bot.dispatch(MEETING_CANCELLED, after)

        notice = await self.mirror(after, tell=True, languages=settings.language_list)
        # A public post: in the server's language(s), the first leading, within one message.
        announcement = i18n.multilingual(
            settings.language_list, lambda: _text.cancellation(after), what="cancellation announcement"
        )
        announced, failed = [], []
        channel_ids = dict.fromkeys(c for c in (settings.agenda_channel_id, after.channel_id) if c)
        for channel_id in channel_ids:
            channel = interaction.guild.get_channel(channel_id) if interaction.guild else None
            if not isinstance(channel, discord.abc.Messageable):
                continue
            try:
                await channel.send(announcement, allowed_mentions=SAFE_MENTIONS)
                announced.append(f"<#{channel_id}>")
            except discord.HTTPException:
                log.warning("Could not announce the cancellation in channel %s", channel_id, exc_info=True)
                failed.append(f"<#{channel_id}>")
        text = _("The {meeting} is cancelled.", meeting=meeting_name(after.number))
        if announced:
            text += " " + _("Announced in {channels}; the agenda post shows it.", channels=i18n.format_list(announced))
        else:
            text += " " + _(
                "No agenda or meeting channel is set up, so I announced it nowhere; please tell participants."
            )
        if failed:
            text += "\n" + _(
                "I could not post in {channels}: `{command}` lists the permission I lack there "
                "and the setting to change.",
                channels=i18n.format_list(failed),
                command=i18n.command("setup show"),
            )
        if notice:
            text += "\n\n" + notice
        await reply(interaction, text, embed=await self.card(after))

    # -- /meeting list, show, ics (anyone) ------------------------------------------------------
    @meeting_group.command(name="list", description="The meetings of this server, upcoming first")
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        now = utcnow()
        meetings = await self.repo.upcoming_first(interaction.guild_id, now)
        if not meetings:
            raise UserError(
                _(
                    "No meeting is scheduled yet. Organisers create one with `{command}`.",
                    command=i18n.command("meeting create"),
                )
            )
        entries, size, left = [], 0, 0
        for meeting in meetings:
            entry = _text.list_entry(meeting, now)
            if size + len(entry) + 2 > 3800:
                left += 1
                continue
            entries.append(entry)
            size += len(entry) + 2
        description = "\n\n".join(entries)
        if left:
            description += "\n\n" + _n("… and {n} earlier meeting.", "… and {n} earlier meetings.", left, n=left)
        embed = discord.Embed(title=_(_text.LIST_TITLE), description=description, colour=COLOUR)
        embed.set_footer(text=_(_text.LIST_FOOTER))
        await reply(interaction, embed=embed)

    @meeting_group.command(name="show", description="When and where a meeting takes place")
    @app_commands.describe(meeting="The meeting", share="Post it in this channel for everyone (default: only you)")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    async def show(self, interaction: discord.Interaction, meeting: int | None = None, share: bool = False) -> None:
        found = await resolve_meeting(interaction, meeting, default_next=True)
        if share:  # a public post: in the server's language(s), not the member's
            settings = await guild_settings(interaction)
            await reply(interaction, embed=await self.card(found, settings.language_list), ephemeral=False)
            return
        await reply(interaction, embed=await self.card(found), ephemeral=True)

    @meeting_group.command(name="ics", description="A calendar file (.ics) for a meeting")
    @app_commands.describe(
        meeting="The meeting",
        language="Language of the file's text (default: the server's first language)",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    async def ics(
        self, interaction: discord.Interaction, meeting: int | None = None, language: str | None = None
    ) -> None:
        settings = await guild_settings(interaction)
        found = await resolve_meeting(interaction, meeting, default_next=True)
        # A document: its text in the language asked for, else the server's first language.
        with i18n.locale(language or settings.language_list[0]):
            data = _ics.meeting_ics(found, utcnow(), settings.group_code)
        file = discord.File(io.BytesIO(data), filename=_ics.ics_filename(found, settings.group_code))
        text = _(_text.ICS_FILE, meeting=meeting_name(found.number))
        if found.cancelled:
            text = _(_text.ICS_CANCELLED, meeting=meeting_name(found.number))
        await reply(interaction, text, file=file)

    # -- the meeting card -----------------------------------------------------------------------
    async def card(self, meeting: Meeting, languages: tuple[str, ...] | None = None) -> discord.Embed:
        """The meeting card: in the current language, or (a public post) in each of ``languages``."""
        post = await self.agenda.post(meeting.id)

        def build() -> discord.Embed:
            agenda = None
            if post is not None and post.message_ids:
                rev = f" (Rev.{post.revision})" if post.revision else ""
                url = jump_url(meeting.guild_id, post.channel_id, post.message_ids[0])
                agenda = _(
                    "[Posted in {channel}{revision}]({url})", channel=f"<#{post.channel_id}>", revision=rev, url=url
                )
            title = inline(meeting.title)
            embed = discord.Embed(
                title=_("{title} (cancelled)", title=title) if meeting.cancelled else title,
                description=_text.details(meeting, agenda=agenda),
                colour=CANCELLED_COLOUR if meeting.cancelled else COLOUR,
            )
            footer = _("{meeting} · times show in your own time zone", meeting=meeting_name(meeting.number))
            embed.set_footer(text=footer)
            return embed

        if not languages:
            return build()
        embed = multilingual_embed(languages, build, what="meeting card")
        with i18n.locale(languages[0]):
            embed.title = build().title  # the meeting's own title, once (the first language's)
        return embed

    async def _reload(self, meeting: Meeting) -> Meeting:
        return await self.repo.get(meeting.id) or meeting

    # -- the Discord scheduled event mirror -----------------------------------------------------
    async def mirror(self, meeting: Meeting, *, tell: bool, languages: tuple[str, ...] | None = None) -> str | None:
        """Create, update or cancel the event that mirrors the meeting.

        Never fails the meeting: a missing permission or a refusal by Discord becomes a notice for the
        organiser (the permission one only once per server, until it is fixed). The event is public: its
        text is in the server's ``languages`` (read from the settings when not given).
        """
        guild = self.bot.get_guild(meeting.guild_id)
        if guild is None:
            return None
        now = utcnow()
        try:
            event = await self._event(guild, meeting.event_id)
            if meeting.cancelled:
                if event is not None and event.status is discord.EventStatus.scheduled:
                    await event.cancel(reason="Meeting cancelled")
                elif event is not None and event.status is discord.EventStatus.active:
                    await event.end(reason="Meeting cancelled")
                return None
            if meeting.has_ended(now):
                return None
            if permissions.missing(permissions.SERVER, guild.me.guild_permissions):
                return await self._events_problem(guild, tell=tell)
            if languages is None:
                languages = (await GuildSettingsRepo(self.bot.db).get(meeting.guild_id)).language_list
            fields = _rules.event_fields(meeting, languages)
            if event is not None and event.status in (discord.EventStatus.scheduled, discord.EventStatus.active):
                changes: dict[str, object] = {
                    "name": fields.name,
                    "description": fields.description,
                    "end_time": fields.end,
                    "location": fields.location,
                    "entity_type": discord.EntityType.external,
                }
                if event.status is discord.EventStatus.scheduled:
                    changes["start_time"] = fields.start
                await event.edit(**changes, reason="Meeting changed")
            elif not meeting.has_started(now):  # Discord takes no start in the past
                event = await guild.create_scheduled_event(
                    name=fields.name,
                    start_time=fields.start,
                    end_time=fields.end,
                    entity_type=discord.EntityType.external,
                    privacy_level=discord.PrivacyLevel.guild_only,
                    location=fields.location,
                    description=fields.description,
                    reason=f"Meeting {meeting.number}",  # the audit log (for maintainers): English
                )
                await self.repo.update(meeting.id, event_id=event.id)
            await self.repo.clear_problem(meeting.guild_id, EVENTS_TOPIC)
            return None
        except discord.Forbidden:
            return await self._events_problem(guild, tell=tell)
        except discord.HTTPException as exc:
            log.warning("Discord refused the scheduled event of meeting %s: %s %s", meeting.id, exc.status, exc.text)
            return _(_text.EVENT_REFUSED, error=f"{exc.status} {exc.text}".strip()) if tell else None

    @staticmethod
    async def _event(guild: discord.Guild, event_id: int | None) -> discord.ScheduledEvent | None:
        if event_id is None:
            return None
        event = guild.get_scheduled_event(event_id)
        if event is not None:
            return event
        try:
            return await guild.fetch_scheduled_event(event_id)
        except discord.NotFound:
            return None  # deleted by someone in Discord: a new one will be created

    async def _events_problem(self, guild: discord.Guild, *, tell: bool) -> str | None:
        log.warning("Cannot mirror meetings as scheduled events in guild %s: Create Events is missing", guild.id)
        if tell and await self.repo.note_problem(guild.id, EVENTS_TOPIC):
            lacking = permissions.NEEDS[permissions.SERVER]
            return _(
                _text.EVENT_PERMISSION,
                fix=permissions.fix_line("", lacking, permissions.role_name(guild)),
                command=i18n.command("setup show"),
            )
        return None

    async def _mirror_missing_events(self) -> None:
        try:
            await self.bot.wait_until_ready()
            now = utcnow()
            for meeting in await self.repo.in_window(now, now + timedelta(days=5 * 366)):
                if meeting.event_id is None and self.bot.get_guild(meeting.guild_id) is not None:
                    await self.mirror(meeting, tell=False)
        except asyncio.CancelledError:
            raise
        except Exception:  # a start-up courtesy: never let it take the cog down
            log.exception("Could not mirror the upcoming meetings as scheduled events")


async def chair_changes(
    db, guild_id: int, member: discord.Member | discord.User | None, written: str | None
) -> dict[str, object]:
    """The chair columns from the ``chair:``/``chair_name:`` options (shared with ``/meeting start``)."""
    chosen = None
    if member is not None:
        store = CaptureStore(db)
        youth = await store.youth_status(guild_id, member.id)
        chosen = _rules.ChairMember(
            id=member.id,
            display_name=member.display_name,
            is_bot=member.bot,
            youth=bool(youth and youth[1]),
            forgotten=await store.is_forgotten(guild_id, member.id),
        )
    return _rules.chair_fields(chosen, written)


def _number_taken(number: int) -> str:
    return _(
        "There is already a {meeting} in this server. Choose another number, or change that "
        "meeting with `{command}{number}`.",
        meeting=meeting_name(number),
        command=i18n.command("meeting edit", "meeting"),
        number=number,
    )


def default_title(number: int, settings: GuildSettings) -> str:
    """``19th meeting of the CWG-COP``, stored as the title: in the server's first language (it is public)."""
    with i18n.locale(settings.language_list[0]):
        return _rules.default_title(number, settings.group_code)
