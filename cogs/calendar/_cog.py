"""The calendar feed's Discord side, and the owner of its web server.

The cog starts the web server when it loads (if WEB_PORT is set) and stops it when it is removed,
which MeetingBot.close does for every cog: so the server lives exactly as long as the bot, on the
same event loop. Its two commands join the groups of other features (/meeting feed and
/setup calendar rotate) when the cog loads, and leave them when it unloads.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.calendar import _rules, _text
from cogs.calendar._web import BindError, FeedServer, ServedFeed
from cogs.core import i18n
from cogs.core.checks import ensure_organiser, guild_settings
from cogs.core.interactions import reply
from config.settings import ConfigError
from storage.calendar import CalendarFeed, CalendarRepo
from storage.guild_settings import GuildSettingsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

COG_NAME = "Calendar"


class CalendarCog(commands.Cog, name=COG_NAME):
    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = CalendarRepo(bot.db)
        self.server: FeedServer | None = None
        # guild id → (the feed's inputs, its bytes, its ETag): an unchanged feed is not rebuilt.
        self._built: dict[int, tuple[object, bytes, str]] = {}
        self._attached: list[tuple[app_commands.Group, str]] = []

    async def cog_load(self) -> None:
        self._attach_commands()
        settings = self.bot.settings
        if settings.web_port is None:
            log.info("Calendar feed server off (WEB_PORT is not set)")
            return
        server = FeedServer(host=settings.web_host, port=settings.web_port, feeds=self.serve, healthy=self.healthy)
        try:
            await server.start()
        except BindError as exc:
            self._detach_commands()
            raise ConfigError(str(exc)) from None  # bot.py: one line, exit status 2
        self.server = server

    async def cog_unload(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None
        self._detach_commands()

    # -- joining the /meeting and /setup groups --------------------------------------------------
    def _attach_commands(self) -> None:
        meeting = self.bot.tree.get_command("meeting")
        if isinstance(meeting, app_commands.Group):
            meeting.add_command(
                app_commands.Command(name="feed", description=_text.FEED_DESCRIPTION, callback=feed_command)
            )
            self._attached.append((meeting, "feed"))
        else:
            log.warning("No /meeting group: /meeting feed is not available")
        setup = self.bot.tree.get_command("setup")
        if isinstance(setup, app_commands.Group):
            calendar = app_commands.Group(name="calendar", description=_text.CALENDAR_GROUP_DESCRIPTION)
            calendar.add_command(
                app_commands.Command(name="rotate", description=_text.ROTATE_DESCRIPTION, callback=rotate_command)
            )
            setup.add_command(calendar)
            self._attached.append((setup, "calendar"))
        else:
            log.warning("No /setup group: /setup calendar rotate is not available")

    def _detach_commands(self) -> None:
        for group, name in self._attached:
            group.remove_command(name)
        self._attached.clear()

    # -- the feed --------------------------------------------------------------------------------
    async def ensure_feed(self, guild_id: int) -> CalendarFeed:
        feed = await self.repo.get(guild_id)
        if feed is None:
            secret = _rules.new_secret()
            feed = await self.repo.ensure(guild_id, secret, _rules.secret_hash(secret), utcnow())
        return feed

    async def rotate(self, guild_id: int) -> CalendarFeed:
        secret = _rules.new_secret()
        feed = await self.repo.rotate(guild_id, secret, _rules.secret_hash(secret), utcnow())
        self._built.pop(guild_id, None)
        return feed

    def links(self, feed: CalendarFeed) -> tuple[str, str] | None:
        """(https link, webcal link), or None while the web server is off."""
        if self.server is None:
            return None
        base = self.bot.settings.public_base_url or self.server.local_base_url
        url = _rules.feed_url(base, feed.secret)
        return url, _rules.webcal_url(url)

    async def serve(self, secret: str) -> ServedFeed | None:
        """The web server's question: the feed of the server whose secret this is, or None."""
        found = await self.repo.by_secret_hash(_rules.secret_hash(secret))
        if found is None or not _rules.secret_matches(secret, found[0].secret):
            return None
        feed, group_code = found
        # A document: the feed's words are in the server's first language.
        language = (await GuildSettingsRepo(self.bot.db).get(feed.guild_id)).language_list[0]
        now = utcnow()
        entries = tuple(
            _rules.FeedEntry(
                meeting=row.meeting,
                agenda_url=(
                    _rules.jump_url(feed.guild_id, row.agenda_channel_id, row.agenda_message_id)
                    if row.agenda_channel_id and row.agenda_message_id
                    else None
                ),
                channel_url=_rules.jump_url(feed.guild_id, row.meeting.channel_id) if row.meeting.channel_id else None,
                channel_name=self._channel_name(row.meeting.channel_id),
            )
            for row in await self.repo.meetings(feed.guild_id, now - _rules.PAST_WINDOW)
        )
        key = (language, group_code, entries)
        built = self._built.get(feed.guild_id)
        if built is not None and built[0] == key:
            body, etag = built[1], built[2]
        else:
            with i18n.locale(language):
                body = _rules.build_feed(_rules.calendar_name(group_code), entries)
            etag = _rules.etag_of(body)
            self._built[feed.guild_id] = (key, body, etag)
        if feed.etag != etag or feed.changed_at is None:
            feed = await self.repo.note_served(feed.guild_id, etag, _rules.next_changed_at(feed.changed_at, now))
        assert feed.changed_at is not None
        return ServedFeed(body=body, etag=etag, last_modified=feed.changed_at)

    def _channel_name(self, channel_id: int | None) -> str | None:
        channel = self.bot.get_channel(channel_id) if channel_id else None
        return getattr(channel, "name", None)

    async def healthy(self) -> bool:
        try:
            await self.bot.db.fetchval("SELECT 1")
        except Exception:
            log.exception("Health check: the database does not answer")
            return False
        return True


# Plain functions (not methods): they are attached to other features' groups at load time.
async def feed_command(interaction: discord.Interaction) -> None:
    """/meeting feed: anyone in the server."""
    await guild_settings(interaction)  # refuses direct messages
    cog = _cog(interaction)
    if cog.server is None:
        await reply(interaction, _text.off())
        return
    assert interaction.guild_id is not None
    feed = await cog.ensure_feed(interaction.guild_id)
    links = cog.links(feed)
    assert links is not None
    url, webcal = links
    await reply(interaction, _text.feed(url, webcal, local_only=cog.bot.settings.public_base_url is None))


async def rotate_command(interaction: discord.Interaction) -> None:
    """/setup calendar rotate: organisers, checked here whatever Discord shows."""
    await ensure_organiser(interaction, _text._(_text.ROTATE_WHAT))
    cog = _cog(interaction)
    assert interaction.guild_id is not None
    feed = await cog.rotate(interaction.guild_id)
    log.info("Calendar feed address of guild %s rotated by %s", interaction.guild_id, interaction.user.id)
    links = cog.links(feed)
    url, webcal = links if links is not None else ("", "")
    await reply(interaction, _text.rotated(url, webcal, server_on=links is not None))


def _cog(interaction: discord.Interaction) -> CalendarCog:
    cog = interaction.client.get_cog(COG_NAME)  # type: ignore[attr-defined]
    assert isinstance(cog, CalendarCog)
    return cog
