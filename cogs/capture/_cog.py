"""Capture: the Discord side of the meeting chat record.

- ``/meeting start`` and ``/meeting end`` (added to the meetings feature's ``/meeting`` group), and
  the scheduler jobs that start and end a recording at the meeting's times;
- the listeners that put messages, edits and deletions into the record, through the batched writer;
- the backfill that, after a start-up or a reconnection, reads the channel history and catches up;
- ``/privacy``: youth pseudonyms, and what the record holds about you.

``on_message`` reads only memory (open recordings by channel, youth pseudonyms, forgotten members,
organiser roles) and hands a row to the writer: it never waits for the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from apscheduler.jobstores.base import JobLookupError
from apscheduler.triggers.cron import CronTrigger
from discord import app_commands
from discord.ext import commands

from cogs.attendance._cog import present_button
from cogs.capture import _rules, _text
from cogs.capture._export import agenda_refs, snapshot_of
from cogs.capture._names import names_for_meeting
from cogs.capture._rules import acknowledgement, is_capturable, is_off_record, pseudonym, shown_pseudonym
from cogs.capture._text import _, _n
from cogs.capture._writer import CaptureWriter
from cogs.core.checks import member_is_organiser, organiser_only
from cogs.core.errors import UserError
from cogs.core.events import RECORDING_ENDED, RECORDING_STARTED
from cogs.core.i18n import SOURCE, command, format_list, locale, multilingual, option
from cogs.core.interactions import SAFE_MENTIONS, reply
from cogs.core.meeting_choice import meeting_autocomplete, resolve_meeting
from cogs.core.timefmt import discord_ts
from cogs.meetings._rules import ChairMember, chair_fields
from storage.capture import (
    CaptureStore,
    Delete,
    DeleteThread,
    Edit,
    NewLine,
    Op,
    Recording,
    RenameThread,
    ThreadName,
    attachments_json,
    content_hash,
)
from storage.guild_settings import GuildSettings, GuildSettingsRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import to_db, utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

MEETINGS_EXTENSION = "cogs.meetings"
PLAIN_TYPES = (discord.MessageType.default, discord.MessageType.reply)
RECENTLY_DELETED = 10_000  # message ids remembered so that a late backfill cannot resurrect them
RETENTION_JOB = "capture:retention"


def _job_id(kind: str, meeting_id: int) -> str:
    return f"capture:{kind}:{meeting_id}"


def present_view(meeting_id: int, languages: Sequence[str] = ()) -> discord.ui.View:
    """The start notice's "I am present" button, in the server's languages (a public post).

    The attendance feature handles the press, after a restart too.
    """
    view = discord.ui.View(timeout=None)
    view.add_item(present_button(meeting_id, languages))
    return view


def _files(message: discord.Message) -> str | None:
    return attachments_json((a.filename, a.size, a.url) for a in message.attachments)


class CaptureCog(commands.Cog):
    privacy_group = app_commands.Group(
        name="privacy", description="Your privacy in the meeting chat record", guild_only=True
    )
    youth_group = app_commands.Group(
        name="youth", description="Youth participants appear as 'Participant N' in exports", parent=privacy_group
    )

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.store = CaptureStore(bot.db)
        self.meetings = MeetingsRepo(bot.db)
        self.settings_repo = GuildSettingsRepo(bot.db)
        self.writer = CaptureWriter(self.store, on_written=self._after_write)
        # In-memory indexes (the database is the truth; they are loaded in cog_load and written after it).
        # Exports read youth and forgotten members from the database (cogs.capture._names).
        self.open: dict[int, Recording] = {}  # channel id → its open recording
        self.recorded_channels: set[int] = set()
        self.known_threads: set[int] = set()
        self.youth: dict[tuple[int, int], int] = {}  # (guild, user) → pseudonym number
        self.forgotten: set[tuple[int, int]] = set()
        self.settings: dict[int, GuildSettings] = {}
        self._acks: dict[int, tuple[int, str]] = {}  # message id → (channel to react in, emoji)
        self._deleted: OrderedDict[int, None] = OrderedDict()
        self._tasks: set[asyncio.Task] = set()
        self._backfill_task: asyncio.Task | None = None
        self._meeting_group: app_commands.Group | None = None
        self._own_group = False
        self._meeting_commands = [
            app_commands.Command(
                name="start",
                description="Start recording the meeting chat now (organisers)",
                callback=self.meeting_start,
            ),
            app_commands.Command(
                name="end", description="Stop recording the meeting chat (organisers)", callback=self.meeting_end
            ),
        ]

    # =============================================================================================
    # Life cycle

    async def cog_load(self) -> None:
        for recording in await self.store.open_recordings():
            self.open[recording.channel_id] = recording
        self.recorded_channels, self.known_threads = await self.store.recorded_channels()
        self.youth = await self.store.youth()
        self.forgotten = await self.store.forgotten()
        await self._schedule_all()
        deferred = MEETINGS_EXTENSION in getattr(self.bot, "extension_names", ()) and (
            MEETINGS_EXTENSION not in self.bot.extensions
        )
        if not deferred:
            self._attach_meeting_commands()
        self._backfill_task = self._spawn(self._startup(attach_late=deferred))
        log.info("Capture loaded: %d open recording(s)", len(self.open))

    async def cog_unload(self) -> None:
        self._detach_meeting_commands()
        for job in self.bot.scheduler.get_jobs():
            if job.id.startswith("capture:"):
                job.remove()
        if self._backfill_task is not None and not self._backfill_task.done():
            self._backfill_task.cancel()
        await self.writer.flush()

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _startup(self, *, attach_late: bool) -> None:
        await self.bot.wait_until_ready()
        if attach_late:
            self._attach_meeting_commands()
            await self.bot.sync_commands_if_changed()
        for guild in self.bot.guilds:
            await self._load_settings(guild.id)
        await self._backfill()
        try:
            await self._retention_job()  # logs past their retention are purged at start-up too
        except Exception:
            log.exception("The start-up retention pass failed")

    async def _load_settings(self, guild_id: int) -> GuildSettings:
        settings = await self.settings_repo.get(guild_id)
        self.settings[guild_id] = settings
        return settings

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        # A new gateway session (not the first: the start-up task covers that) may have missed events.
        if self._backfill_task is None or self._backfill_task.done():
            self._backfill_task = self._spawn(self._backfill())

    @commands.Cog.listener()
    async def on_resumed(self) -> None:
        if self._backfill_task is None or self._backfill_task.done():
            self._backfill_task = self._spawn(self._backfill())

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._load_settings(guild.id)

    @commands.Cog.listener()
    async def on_guild_settings_changed(self, settings: GuildSettings) -> None:
        self.settings[settings.guild_id] = settings

    # -- /meeting start|end live in the meetings feature's group ------------------------------------
    def _attach_meeting_commands(self) -> None:
        existing = self.bot.tree.get_command("meeting")
        if isinstance(existing, app_commands.Group):
            group, self._own_group = existing, False
        else:
            group = app_commands.Group(
                name="meeting", description="Meetings: start and end the chat record", guild_only=True
            )
            self._own_group = True
        for meeting_command in self._meeting_commands:
            try:
                group.add_command(meeting_command)
            except app_commands.CommandAlreadyRegistered:
                log.error(
                    "/meeting %s already exists (meetings feature?); the capture's is not added", meeting_command.name
                )
        if self._own_group:
            self.bot.tree.add_command(group)
        self._meeting_group = group

    def _detach_meeting_commands(self) -> None:
        group = self._meeting_group
        if group is None:
            return
        if self._own_group:
            if self.bot.tree.get_command("meeting") is group:
                self.bot.tree.remove_command("meeting")
        else:
            for meeting_command in self._meeting_commands:
                if group.get_command(meeting_command.name) is meeting_command:
                    group.remove_command(meeting_command.name)
        self._meeting_group = None

    # =============================================================================================
    # Capture (no database reads, no awaits on I/O)

    def _recording_for(self, channel: discord.abc.Messageable) -> tuple[Recording | None, int | None]:
        """The open recording a channel belongs to, and the thread id if it is a thread under it."""
        if isinstance(channel, discord.Thread):
            return self.open.get(channel.parent_id), channel.id
        return self.open.get(getattr(channel, "id", 0)), None

    def _is_organiser(self, author: discord.abc.User, guild_id: int) -> bool:
        return member_is_organiser(author, self.settings.get(guild_id) or GuildSettings(guild_id=guild_id))

    def line_for(self, message: discord.Message, recording: Recording, thread_id: int | None) -> NewLine | None:
        """The row to store for a message, or None if it must not be kept."""
        guild = message.guild
        if guild is None:
            return None
        author = message.author
        if not is_capturable(
            author_is_bot=author.bot or message.webhook_id is not None,  # webhooks are bots too
            is_dm=False,
            is_plain_message=message.type in PLAIN_TYPES,
            content=message.content,
            has_files=bool(message.attachments),
        ):
            return None
        key = (guild.id, author.id)
        if key in self.forgotten:
            return None
        number = self.youth.get(key)
        reference = message.reference
        return NewLine(
            message_id=message.id,
            meeting_id=recording.meeting_id,
            recording_id=recording.id,
            channel_id=recording.channel_id,
            thread_id=thread_id,
            author_id=author.id,
            author_name=pseudonym(number) if number is not None else author.display_name,
            content=message.content,
            created_at=to_db(message.created_at),
            reply_to=reference.message_id
            if reference is not None and message.type is discord.MessageType.reply
            else None,
            attachments=_files(message),
            is_notice=0,
            by_organiser=int(self._is_organiser(author, guild.id)),
        )

    def _queue(
        self,
        line: NewLine,
        message: discord.Message,
        thread: discord.abc.Messageable | None,
        *,
        acknowledge: bool = True,
    ) -> None:
        if line.message_id in self._deleted:
            return
        if thread is not None and line.thread_id is not None and line.thread_id not in self.known_threads:
            self.known_threads.add(line.thread_id)
            name = getattr(thread, "name", None) or "Thread"
            owner = getattr(thread, "owner_id", None)
            self.writer.submit(ThreadName(line.thread_id, line.meeting_id, line.channel_id, name, owner))
        emoji = acknowledgement(line.content, by_organiser=bool(line.by_organiser)) if acknowledge else None
        if emoji is not None:
            self._acks[line.message_id] = (message.channel.id, emoji)
        self.writer.submit(line)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is None:
            return  # direct messages are never recorded
        recording, thread_id = self._recording_for(message.channel)
        if recording is None:
            return
        line = self.line_for(message, recording, thread_id)
        if line is not None:
            self._queue(line, message, message.channel if thread_id else None)

    def _followed(self, channel_id: int, channel: object | None = None) -> bool:
        """Whether lines of this channel may be in the record (edits and deletions are applied there)."""
        if channel_id in self.recorded_channels or channel_id in self.known_threads:
            return True
        parent = getattr(channel, "parent_id", None)
        return parent is not None and parent in self.recorded_channels

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        if payload.guild_id is None or "content" not in payload.data:
            return
        message = payload.message
        if not self._followed(payload.channel_id, message.channel):
            return
        at = to_db(message.edited_at or utcnow())
        if is_off_record(message.content):
            # Taking a line off the record after the fact: it goes like a deleted one.
            self.writer.submit(Delete((payload.message_id,), at))
            return
        recording, thread_id = self._recording_for(message.channel)
        if recording is not None and payload.message_id > (recording.start_message_id or 0):
            # An [off] line edited back on the record during its recording is kept, as the catch-up
            # after a restart would keep it (it cannot tell it from a missed line). For a line
            # already stored this insert does nothing (same message id).
            line = self.line_for(message, recording, thread_id)
            if line is not None:
                self._queue(line, message, message.channel if thread_id else None, acknowledge=False)
        self.writer.submit(Edit(payload.message_id, message.content, at, _files(message)))

    def _remember_deleted(self, ids: Sequence[int]) -> None:
        for message_id in ids:
            self._deleted[message_id] = None
            self._acks.pop(message_id, None)
        while len(self._deleted) > RECENTLY_DELETED:
            self._deleted.popitem(last=False)

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        if payload.guild_id is None or not self._followed(payload.channel_id, self.bot.get_channel(payload.channel_id)):
            return
        self._remember_deleted([payload.message_id])
        self.writer.submit(Delete((payload.message_id,), to_db(utcnow())))

    @commands.Cog.listener()
    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        if payload.guild_id is None or not self._followed(payload.channel_id, self.bot.get_channel(payload.channel_id)):
            return
        ids = sorted(payload.message_ids)
        self._remember_deleted(ids)
        self.writer.submit(Delete(tuple(ids), to_db(utcnow())))

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        if payload.thread_id in self.known_threads or payload.parent_id in self.recorded_channels:
            self.writer.submit(DeleteThread(payload.thread_id, to_db(utcnow())))

    @commands.Cog.listener()
    async def on_raw_thread_update(self, payload: discord.RawThreadUpdateEvent) -> None:
        """A recorded thread renamed: the record keeps its latest name."""
        name = payload.data.get("name")
        if payload.thread_id in self.known_threads and isinstance(name, str) and name:
            self.writer.submit(RenameThread(payload.thread_id, name))

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        recording = self.open.get(channel.id)
        if recording is not None:
            log.warning("Recorded channel %s was deleted; ending recording %s", channel.id, recording.id)
            await self._end(recording, by=None, post=False)

    # -- after a batch is written: acknowledge markers with a reaction ------------------------------
    def _after_write(self, ops: Sequence[Op]) -> None:
        if not self._acks:
            return
        for op in ops:
            if type(op) is NewLine:
                ack = self._acks.pop(op.message_id, None)
                if ack is not None:
                    self._spawn(self._react(ack[0], op.message_id, ack[1]))

    async def _react(self, channel_id: int, message_id: int, emoji: str) -> None:
        try:
            await self.bot.get_partial_messageable(channel_id).get_partial_message(message_id).add_reaction(emoji)
        except discord.HTTPException as exc:
            log.info("Could not acknowledge marker %s in %s: %s", message_id, channel_id, exc)

    # =============================================================================================
    # Recording periods

    def _notice_line(self, message: discord.Message, meeting_id: int, channel_id: int) -> NewLine:
        me = message.author
        return NewLine(
            message_id=message.id,
            meeting_id=meeting_id,
            recording_id=None,
            channel_id=channel_id,
            thread_id=None,
            author_id=me.id,
            author_name=me.display_name,
            content=message.content,
            created_at=to_db(message.created_at),
            reply_to=None,
            attachments=None,
            is_notice=1,
            by_organiser=0,
        )

    async def _channel_of(self, meeting: Meeting) -> int:
        if meeting.channel_id:
            return meeting.channel_id
        settings = self.settings.get(meeting.guild_id) or await self._load_settings(meeting.guild_id)
        if settings.meeting_channel_id:
            return settings.meeting_channel_id
        raise UserError(
            _(
                _text.NO_CHANNEL,
                meeting=_text.meeting_name(meeting.number),
                command=command("setup channels", "meeting"),
            )
        )

    async def _check_can_start(self, meeting: Meeting) -> int:
        name = _text.meeting_name(meeting.number)
        if meeting.cancelled:
            raise UserError(_(_text.CANCELLED, meeting=name))
        purge = await self.store.purge_info(meeting.id)
        if purge is not None:
            raise UserError(_(_text.PURGED, meeting=name, date=discord_ts(purge.purged_at, "D")))
        mine = next((r for r in self.open.values() if r.meeting_id == meeting.id), None)
        if mine is not None:
            raise UserError(
                _(_text.ALREADY, meeting=name, channel=mine.channel_id, since=discord_ts(mine.started_at, "t"))
            )
        channel_id = await self._channel_of(meeting)
        busy = self.open.get(channel_id)
        if busy is not None:
            other = await self.meetings.get(busy.meeting_id)
            if other is None:
                raise UserError(_(_text.CHANNEL_BUSY_UNKNOWN, channel=channel_id))
            raise UserError(_(_text.CHANNEL_BUSY, channel=channel_id, other=_text.meeting_name(other.number)))
        return channel_id

    async def _start(self, meeting: Meeting, channel_id: int, *, by: int | None) -> Recording:
        """Post the notice, then open the recording. No notice, no recording.

        Lines said between the notice and the moment the recording is open in memory (the database
        may be slow) are read back from the channel's history, from the notice on: every line after
        the notice is kept.
        """
        channel = self.bot.get_channel(channel_id)
        settings = await self._load_settings(meeting.guild_id)  # fresh organiser roles for this recording
        languages = settings.language_list
        text = multilingual(
            languages, lambda: _text.start_notice(meeting.number, settings.retention_days), what="start notice"
        )
        if not isinstance(channel, discord.abc.Messageable):
            raise UserError(_(_text.NOTICE_FAILED, channel=channel_id))
        try:
            notice = await channel.send(text, allowed_mentions=SAFE_MENTIONS, view=present_view(meeting.id, languages))
        except discord.HTTPException:
            raise UserError(_(_text.NOTICE_FAILED, channel=channel_id)) from None
        recording = await self.store.start_recording(
            meeting_id=meeting.id,
            channel_id=channel_id,
            started_at=utcnow(),
            started_by=by,
            notice=self._notice_line(notice, meeting.id, channel_id),
        )
        if recording is None:  # someone else started one meanwhile
            with contextlib.suppress(discord.HTTPException):
                await notice.delete()
            raise UserError(_(_text.ALREADY_NOW, meeting=_text.meeting_name(meeting.number), channel=channel_id))
        self.open[channel_id] = recording
        self.recorded_channels.add(channel_id)
        self._schedule(meeting, utcnow(), recording=recording)  # its automatic stop, whoever started it
        self.bot.dispatch(RECORDING_STARTED, meeting.id, channel_id)
        log.info("Recording %s of meeting %s started in %s (by %s)", recording.id, meeting.id, channel_id, by)
        try:
            await self._reconcile(recording)  # what was said between the notice and now
        except Exception:
            log.exception("Reading back the first lines of recording %s failed", recording.id)
        return recording

    async def _end(
        self,
        recording: Recording,
        *,
        by: int | None,
        guard: bool = False,
        post: bool = True,
        cancelled: bool = False,
    ) -> Recording | None:
        """Stop capturing at once, post the end notice, close the recording.

        None if this recording is not open here (another path is ending it, or it ended already).
        """
        current = self.open.get(recording.channel_id)
        if current is None or current.id != recording.id:
            return None
        del self.open[recording.channel_id]
        self.bot.dispatch(RECORDING_ENDED, recording.meeting_id, recording.channel_id)
        meeting = await self.meetings.get(recording.meeting_id)
        line = None
        channel = self.bot.get_channel(recording.channel_id)
        if post and meeting is not None and isinstance(channel, discord.abc.Messageable):
            settings = self.settings.get(meeting.guild_id) or await self._load_settings(meeting.guild_id)
            languages = settings.language_list
            number = meeting.number
            try:
                notice = await channel.send(
                    multilingual(
                        languages,
                        lambda: _text.end_notice(number, by_hand=by is not None, guard=guard, cancelled=cancelled),
                        what="end notice",
                    ),
                    allowed_mentions=SAFE_MENTIONS,
                )
            except discord.HTTPException:
                log.warning("Could not post the end notice of recording %s", recording.id, exc_info=True)
            else:
                line = self._notice_line(notice, recording.meeting_id, recording.channel_id)
        ended = await self.store.end_recording(recording.id, ended_at=utcnow(), ended_by=by, notice=line)
        log.info("Recording %s ended (by %s)", recording.id, by)
        return ended

    # -- scheduler: the database is the truth, jobs are an index --------------------------------------
    async def _schedule_all(self) -> None:
        """Rebuild every job from the database: meetings to come, and the stop of every open recording."""
        now = utcnow()
        open_by_meeting = {r.meeting_id: r for r in self.open.values()}
        for meeting in await self.meetings.in_window(now - timedelta(days=30), now + timedelta(days=3650)):
            if meeting.id not in open_by_meeting:
                self._schedule(meeting, now)
        for meeting_id, recording in open_by_meeting.items():  # whatever the meeting's dates or state
            meeting = await self.meetings.get(meeting_id)
            if meeting is not None:
                self._schedule(meeting, now, recording=recording)
        self.bot.scheduler.add_job(
            self._retention_job,
            CronTrigger(hour=3, minute=17, timezone="UTC"),
            id=RETENTION_JOB,
            replace_existing=True,
        )

    def _schedule(self, meeting: Meeting, now: datetime, *, recording: Recording | None = None) -> None:
        """The meeting's jobs. With its open ``recording``: that recording's end and guard are always
        scheduled (at once if their time is past, or if the meeting was cancelled)."""
        scheduler = self.bot.scheduler

        def put(kind: str, when: datetime, *args: object) -> None:
            scheduler.add_job(
                self._job_start if kind == "start" else self._job_end,
                "date",
                run_date=max(when, now),
                args=[meeting.id, *args],
                id=_job_id(kind, meeting.id),
                replace_existing=True,
            )

        def drop(kind: str) -> None:
            with contextlib.suppress(JobLookupError):
                scheduler.remove_job(_job_id(kind, meeting.id))

        if recording is None and not meeting.cancelled and now < meeting.ends_at:
            put("start", meeting.starts_at)
        else:
            drop("start")  # (with a recording under way there is nothing to start)
        if recording is not None:
            put("end", now if meeting.cancelled else meeting.ends_at, False)
            put("guard", _rules.guard_time(ends_at=meeting.ends_at, started_at=recording.started_at), True)
            return
        guard_at = _rules.guard_time(ends_at=meeting.ends_at)
        if now < meeting.ends_at:
            put("end", meeting.ends_at, False)
        if now < guard_at:
            put("guard", guard_at, True)

    def _open_for(self, meeting_id: int) -> Recording | None:
        return next((r for r in self.open.values() if r.meeting_id == meeting_id), None)

    @commands.Cog.listener()
    async def on_meeting_created(self, meeting: Meeting) -> None:
        self._schedule(meeting, utcnow(), recording=self._open_for(meeting.id))

    @commands.Cog.listener()
    async def on_meeting_changed(self, before: Meeting, after: Meeting) -> None:
        self._schedule(after, utcnow(), recording=self._open_for(after.id))

    @commands.Cog.listener()
    async def on_meeting_cancelled(self, meeting: Meeting) -> None:
        """A cancelled meeting is not recorded: a recording under way ends, with its end notice."""
        recording = self._open_for(meeting.id)
        self._schedule(meeting, utcnow(), recording=recording)
        if recording is not None:
            await self._end(recording, by=None, cancelled=True)

    async def _job_start(self, meeting_id: int) -> None:
        meeting = await self.meetings.get(meeting_id)
        if meeting is None:
            return
        now = utcnow()
        recordings = await self.store.recordings_for(meeting_id)
        purged = await self.store.purge_info(meeting_id) is not None
        if not _rules.should_auto_start(
            cancelled=meeting.cancelled,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            now=now,
            has_recording=bool(recordings),
            purged=purged,
        ):
            return
        try:
            channel_id = await self._check_can_start(meeting)
            await self._start(meeting, channel_id, by=None)
        except UserError as exc:
            log.warning("Meeting %s was not recorded at its start: %s", meeting_id, exc)

    async def _job_end(self, meeting_id: int, guard: bool) -> None:
        meeting = await self.meetings.get(meeting_id)
        recording = self._open_for(meeting_id)
        if meeting is None or recording is None:
            return
        if meeting.cancelled:
            await self._end(recording, by=None, cancelled=True)
        elif _rules.should_auto_end(
            started_by_hand=recording.started_by_hand,
            ends_at=meeting.ends_at,
            started_at=recording.started_at,
            now=utcnow(),
        ):
            await self._end(recording, by=None, guard=guard and recording.started_by_hand)

    # -- retention ---------------------------------------------------------------------------------------
    async def _retention_job(self) -> None:
        now = utcnow()
        fresh: dict[int, GuildSettings] = {}  # the database is the truth: read each guild's setting once
        for candidate in await self.store.retention_candidates():
            settings = fresh.get(candidate.guild_id) or await self._load_settings(candidate.guild_id)
            fresh[candidate.guild_id] = settings
            if not _rules.retention_due(ends_at=candidate.ends_at, now=now, retention_days=settings.retention_days):
                continue
            result = await self.purge(candidate.meeting_id, by=None, reason="retention")
            if result is not None:
                log.info(
                    "Purged the chat log of meeting %s (retention %d days)",
                    candidate.meeting_id,
                    settings.retention_days,
                )

    async def purge(self, meeting_id: int, *, by: int | None, reason: str):
        """Snapshot the minutes and delete the raw log (one transaction)."""
        await self.writer.flush()
        meeting = await self.meetings.get(meeting_id)
        if meeting is None:
            return None  # a meeting's log goes with it
        agenda = await agenda_refs(self.meetings, meeting_id)
        # Names as /minutes shows them now: the snapshot keeps each assignee's name for good.
        names = await names_for_meeting(self.bot, self.store, meeting)

        def build(lines, speakers):
            # Stored data is in one language (English), whoever pressed the button: documents translate
            # the stored words ("[removed]", a pseudonym) when they show them.
            with locale(SOURCE):
                return snapshot_of(_rules.parse_items(lines, agenda), speakers, names)

        return await self.store.purge(meeting_id, now=utcnow(), purged_by=by, reason=reason, build=build)

    # =============================================================================================
    # The backfill: catch up with what happened while the bot was away

    async def _backfill(self) -> None:
        await self.writer.flush()
        try:
            recordings = await self.store.recordings_since(utcnow() - _rules.BACKFILL_LOOKBACK)
        except Exception:
            log.exception("Could not read the recordings to backfill")
            return
        for recording in recordings:
            try:
                await self._reconcile(recording)
            except Exception:
                log.exception("Backfill of recording %s failed", recording.id)

    async def _reconcile(self, recording: Recording) -> None:
        channel = self.bot.get_channel(recording.channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(recording.channel_id)
            except discord.HTTPException:
                log.warning("Recorded channel %s is gone; no backfill", recording.channel_id)
                return
        targets: list[tuple[discord.abc.Messageable, int | None]] = [(channel, None)]  # type: ignore[list-item]
        seen = set()
        for thread in getattr(channel, "threads", []):
            targets.append((thread, thread.id))
            seen.add(thread.id)
        for thread_id in await self.store.thread_ids(recording.meeting_id):
            if thread_id in seen:
                continue
            thread = self.bot.get_channel(thread_id)
            if thread is None:  # not in the cache: archived, or deleted while the bot was away
                try:
                    thread = await self.bot.fetch_channel(thread_id)
                except discord.NotFound:
                    self.writer.submit(DeleteThread(thread_id, to_db(utcnow())))  # it took its lines with it
                    continue
                except discord.HTTPException:
                    log.warning("Could not read thread %s for the backfill", thread_id)
                    continue
            if isinstance(thread, discord.Thread):
                seen.add(thread_id)
                targets.append((thread, thread_id))
        for messageable, thread_id in targets:
            if thread_id is not None and thread_id in self.known_threads:
                # A rename while the bot was away (the same rule as a live rename applies).
                self.writer.submit(RenameThread(thread_id, getattr(messageable, "name", "") or "Thread"))
        added = changed = removed = 0
        for messageable, thread_id in targets:
            a, c, r = await self._reconcile_one(recording, messageable, thread_id)
            added, changed, removed = added + a, changed + c, removed + r
        await self.writer.flush()
        if added or changed or removed:
            log.info(
                "Backfill of recording %s: %d missed lines added, %d edits, %d deletions",
                recording.id,
                added,
                changed,
                removed,
            )

    async def _reconcile_one(
        self, recording: Recording, messageable: discord.abc.Messageable, thread_id: int | None
    ) -> tuple[int, int, int]:
        stored = {s.message_id: s for s in await self.store.stored_lines(recording.id, recording.channel_id, thread_id)}
        after = discord.Object(
            recording.start_message_id - 1
            if recording.start_message_id
            else discord.utils.time_snowflake(recording.started_at)
        )
        before = None
        if recording.end_message_id:
            before = discord.Object(recording.end_message_id + 1)
        elif recording.ended_at is not None:
            before = discord.Object(discord.utils.time_snowflake(recording.ended_at, high=True))
        ops: list[Op] = []
        added = changed = 0
        now = to_db(utcnow())
        try:
            async for message in messageable.history(limit=None, after=after, before=before, oldest_first=True):
                known = stored.pop(message.id, None)
                if known is not None:
                    if not known.deleted and content_hash(message.content) != known.content_hash:
                        at = to_db(message.edited_at or utcnow())
                        if is_off_record(message.content):
                            ops.append(Delete((message.id,), at))
                        else:
                            ops.append(Edit(message.id, message.content, at, _files(message)))
                        changed += 1
                    continue
                line = self.line_for(message, recording, thread_id)
                if line is not None and message.id not in self._deleted:
                    self.writer.submit_many(ops)  # keep the order of events
                    ops = []
                    self._queue(line, message, messageable if thread_id else None)
                    added += 1
        except discord.HTTPException as exc:
            log.warning("Could not read the history of %s for the backfill: %s", getattr(messageable, "id", "?"), exc)
            self.writer.submit_many(ops)
            return added, changed, 0
        gone = tuple(s.message_id for s in stored.values() if not s.deleted)
        if gone:
            ops.append(Delete(gone, now))
        self.writer.submit_many(ops)
        return added, changed, len(gone)

    # =============================================================================================
    # /meeting start, /meeting end

    @app_commands.describe(
        meeting="The meeting to record (default: the one under way, or the next one)",
        chair="The member who chairs (named in the minutes and reports)",
        chair_name="The chair as documents name them, e.g. 'Ms Jane Doe (United Kingdom), Chair of the CWG-COP'",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def meeting_start(
        self,
        interaction: discord.Interaction,
        meeting: int | None = None,
        chair: discord.Member | None = None,
        chair_name: str | None = None,
    ) -> None:
        chosen = await resolve_meeting(interaction, meeting, default_next=True)
        chosen_chair = None
        if chair is not None:
            key = (chosen.guild_id, chair.id)
            chosen_chair = ChairMember(
                id=chair.id,
                display_name=chair.display_name,
                is_bot=chair.bot,
                youth=key in self.youth,
                forgotten=key in self.forgotten,
            )
        chair_changes = chair_fields(chosen_chair, chair_name)  # checked before anything is written
        channel_id = await self._check_can_start(chosen)
        await interaction.response.defer(ephemeral=True, thinking=True)
        if chair_changes:
            chosen = await self.meetings.update(chosen.id, **chair_changes)
        await self._start(chosen, channel_id, by=interaction.user.id)
        text = _(
            _text.STARTED,
            meeting=_text.meeting_name(chosen.number),
            channel=channel_id,
            command=command("meeting end"),
        )
        if chosen.chair_name:
            text += " " + _(_text.CHAIR_NAMED, chair=chosen.chair_name)
        await reply(interaction, text)

    @app_commands.describe(meeting="The meeting whose recording to stop (default: the one recorded here)")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def meeting_end(self, interaction: discord.Interaction, meeting: int | None = None) -> None:
        assert interaction.guild_id is not None
        if meeting is not None:
            chosen = await resolve_meeting(interaction, meeting)
            recording = next((r for r in self.open.values() if r.meeting_id == chosen.id), None)
            if recording is None:
                raise UserError(_(_text.NOT_RECORDING, meeting=_text.meeting_name(chosen.number)))
        else:
            recording, _thread = self._recording_for(interaction.channel) if interaction.channel else (None, None)
            if recording is None:
                mine = [r for r in self.open.values() if self._guild_of_channel(r.channel_id) == interaction.guild_id]
                if not mine:
                    raise UserError(_(_text.NOTHING_RECORDING))
                if len(mine) > 1:
                    raise UserError(_(_text.WHICH_RECORDING, option=option("meeting")))
                recording = mine[0]
            chosen = await self.meetings.get(recording.meeting_id)
            assert chosen is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._end(recording, by=interaction.user.id)
        await self.writer.flush()
        stats = await self.store.stats(recording.meeting_id)
        await reply(
            interaction,
            _n(
                "Recording of the {meeting} ended: {lines} lines are in the record. `{command}` lists the minutes "
                "so far.",
                "Recording of the {meeting} ended: {lines} lines are in the record. `{command}` lists the minutes "
                "so far.",
                stats.lines,
                meeting=_text.meeting_name(chosen.number),
                lines=stats.lines,
                command=command("minutes show"),
            ),
        )

    def _guild_of_channel(self, channel_id: int) -> int | None:
        channel = self.bot.get_channel(channel_id)
        guild = getattr(channel, "guild", None)
        return guild.id if guild else None

    # =============================================================================================
    # /privacy

    @youth_group.command(name="on", description="Appear as 'Participant N' in chat exports and minutes")
    async def youth_on(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        key = (interaction.guild_id, interaction.user.id)
        if key in self.youth:
            await reply(interaction, _(_text.YOUTH_ALREADY, pseudonym=shown_pseudonym(self.youth[key])))
            return
        number = await self.store.set_youth(*key, active=True, now=utcnow())
        assert number is not None
        self.youth[key] = number
        await self.writer.flush()  # lines queued under the real name are rewritten too
        await self.store.rename_author(*key, pseudonym(number))
        await reply(interaction, _(_text.YOUTH_ON, pseudonym=shown_pseudonym(number)))

    @youth_group.command(name="off", description="Appear under your display name again from now on")
    async def youth_off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        key = (interaction.guild_id, interaction.user.id)
        if key not in self.youth:
            await reply(interaction, _(_text.YOUTH_NOT))
            return
        await self.store.set_youth(*key, active=False, now=utcnow())  # the database first: exports read it
        number = self.youth.pop(key)
        await reply(interaction, _(_text.YOUTH_OFF, pseudonym=shown_pseudonym(number)))

    @privacy_group.command(name="status", description="What the chat record holds about you, and your choices")
    async def privacy_status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        key = (interaction.guild_id, interaction.user.id)
        settings = self.settings.get(interaction.guild_id) or await self._load_settings(interaction.guild_id)
        lines = await self.store.lines_by(*key)
        if key in self.youth:
            youth = _(
                _text.STATUS_YOUTH, pseudonym=shown_pseudonym(self.youth[key]), command=command("privacy youth off")
            )
        else:
            youth = _(_text.STATUS_NAMED, command=command("privacy youth on"))
        here = [cid for cid in self.open if self._guild_of_channel(cid) == interaction.guild_id]
        recording = (
            _(_text.STATUS_RECORDING, channels=format_list([f"<#{cid}>" for cid in here], style="unit"))
            if here
            else _(_text.NOTHING_RECORDING)
        )
        counted = _n(
            "{n} of your lines are kept in meeting chat logs.",
            "{n} of your lines are kept in meeting chat logs.",
            lines,
            n=lines,
        )
        head = [_(_text.STATUS_TITLE), counted]
        if key in self.forgotten:
            head.append(_(_text.STATUS_FORGOTTEN))
        text = "\n".join(
            (*head, youth, recording, "", _(_text.STATUS_PROMISES), _text.promises(settings.retention_days))
        )
        await reply(interaction, text)
