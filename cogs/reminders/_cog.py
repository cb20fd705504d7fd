"""/remind and the reminder jobs: a thin Discord adapter over storage.reminders and _rules.

The database is the truth. APScheduler holds one date job per reminder row (id ``reminders:<id>``)
due within the next few hours, rebuilt from the database when the cog loads and topped up by an
hourly sweep; a job re-reads its row and claims each delivery (pending → sending, committed) before
sending it, so a double fire, a reconnect or a restart never sends anything twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs.core import i18n
from cogs.core.checks import organiser_only
from cogs.core.custom_ids import REMIND_ME, REMIND_ME_TEMPLATE
from cogs.core.errors import UserError
from cogs.core.interactions import SAFE_MENTIONS, guarded, reply
from cogs.core.meeting_choice import meeting_autocomplete, resolve_meeting
from cogs.core.timefmt import format_offsets, parse_offsets
from cogs.reminders import _rules, _text
from cogs.reminders._text import _
from storage.agenda import AgendaRepo
from storage.guild_settings import GuildSettings, GuildSettingsRepo
from storage.languages import LanguagesRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.reminders import Delivery, Reminder, RemindersRepo, ScheduleEntry
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

JOB_PREFIX = "reminders:"
SWEEP_JOB = "reminders-sweep"
# Jobs exist only for reminders due within HORIZON; the sweep (every SWEEP_EVERY, well inside the
# horizon) adds the next ones. The scheduler stays small however many reminders are stored.
HORIZON = timedelta(hours=6)
SWEEP_EVERY = timedelta(hours=1)
UNLOAD_GRACE = timedelta(seconds=10)
ALL = "all"
DM_CONCURRENCY = 10  # personal reminders sent at once
DM_PER_SECOND = 20  # and started per second (Discord: 50 requests per second in all, 2 per new DM)
_ALL_WORDS = frozenset({"all", "every", "every meeting", "all meetings", "*"})


def _job_id(reminder_id: int) -> str:
    return f"{JOB_PREFIX}{reminder_id}"


def _role_mentions(role_id: int | None) -> discord.AllowedMentions:
    """A reminder may ping the participant role, and nothing else."""
    if role_id is None:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(everyone=False, users=False, replied_user=False, roles=[discord.Object(role_id)])


def _lead(languages: Sequence[str]) -> str:
    """The server's first language (the one a post leads with, and a direct message falls back to)."""
    return next((c for c in languages if c in i18n.LANGUAGES), i18n.SOURCE)


def _user_mentions(user_ids: Iterable[int]) -> discord.AllowedMentions:
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(u) for u in user_ids]
    )


class RemindMeButton(discord.ui.DynamicItem[discord.ui.Button], template=REMIND_ME_TEMPLATE):
    """The "Remind me" button on an agenda post: toggles the member's reminders for that meeting.

    Persistent: the meeting id is in the custom_id, so a click works after a restart.
    """

    def __init__(self, meeting_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=str(_text.REMIND_LABEL),  # drawn by the agenda post, in its languages
                emoji="⏰",
                style=discord.ButtonStyle.secondary,
                custom_id=REMIND_ME.format(meeting_id=meeting_id),
            )
        )
        self.meeting_id = meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any
    ) -> RemindMeButton:
        return cls(int(match["meeting_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog(RemindersCog.__cog_name__)
        if not isinstance(cog, RemindersCog):
            raise UserError(_(_text.UNAVAILABLE))
        await cog.toggle(interaction, self.meeting_id)


async def meeting_or_all_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    choices = []
    text = current.strip().lower()
    if not text or "all meetings".startswith(text) or text in _ALL_WORDS:
        choices.append(app_commands.Choice(name=_(_text.ALL_CHOICE), value=ALL))
    for choice in await meeting_autocomplete(interaction, current):
        choices.append(app_commands.Choice(name=choice.name, value=str(choice.value)))
    return choices[:25]


class RemindersCog(commands.Cog, name="Reminders"):
    remind = app_commands.Group(
        name="remind", description="Meeting reminders: by direct message, and who was reminded", guild_only=True
    )

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = RemindersRepo(bot.db)
        self.meetings = MeetingsRepo(bot.db)
        self.guild_settings = GuildSettingsRepo(bot.db)
        self._lock = asyncio.Lock()  # one reconcile (rows + jobs) at a time
        self._sending: set[asyncio.Task[Any]] = set()  # jobs delivering right now

    # -- lifecycle ----------------------------------------------------------------------------------
    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(RemindMeButton)
        interrupted = await self.repo.mark_interrupted(utcnow())
        if interrupted:
            log.warning("%d reminder(s) were being sent when the bot stopped; recorded as interrupted", interrupted)
        await self.reconcile(None)  # every upcoming meeting: events missed while down are caught up here
        self.bot.scheduler.add_job(
            self._sweep,
            "interval",
            seconds=SWEEP_EVERY.total_seconds(),
            id=SWEEP_JOB,
            replace_existing=True,
        )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(RemindMeButton)
        for job in self.bot.scheduler.get_jobs():
            if job.id == SWEEP_JOB or job.id.startswith(JOB_PREFIX):
                job.remove()
        # A clean shutdown lets deliveries in progress finish, rather than leave them "interrupted".
        if self._sending:
            await asyncio.wait(self._sending, timeout=UNLOAD_GRACE.total_seconds())

    # -- following meetings, settings and subscriptions -------------------------------------------------
    async def reconcile(self, meeting_ids: Iterable[int] | None) -> None:
        """Make the meetings' reminders follow them (None: every upcoming meeting), then the jobs."""
        async with self._lock:
            now = utcnow()
            ids = None if meeting_ids is None else list(meeting_ids)
            changes = await self.repo.reconcile(_rules.plan_meeting, now=now, meeting_ids=ids)
            if changes:
                log.info(
                    "Reminders reconciled for %d meeting(s): %d new, %d moved, %d state changes",
                    len(changes.meeting_ids),
                    len(changes.new_reminders),
                    len(changes.moves),
                    len(changes.states),
                )
            self._index(await self.repo.schedule_for(changes.meeting_ids), now)

    def _index(self, entries: Iterable[ScheduleEntry], now: datetime) -> None:
        """Jobs for the reminders with something to send within the horizon; none for the others."""
        scheduler = self.bot.scheduler
        horizon = now + HORIZON
        for entry in entries:
            job_id = _job_id(entry.reminder_id)
            if entry.pending and entry.due_at < horizon:
                # Overdue (missed while down, or a lost job): run at once; the job decides what late means.
                run_date = entry.due_at if entry.due_at > now else None
                scheduler.add_job(
                    self._fire,
                    "date",
                    run_date=run_date,
                    args=(entry.reminder_id,),
                    id=job_id,
                    replace_existing=True,
                )
            elif scheduler.get_job(job_id) is not None:
                scheduler.remove_job(job_id)

    async def _sweep(self) -> None:
        """Hourly: schedule the reminders entering the horizon, and anything overdue that has no job."""
        now = utcnow()
        self._index(await self.repo.pending_due_before(now + HORIZON), now)

    async def _open_meeting_ids(self, guild_id: int, now: datetime) -> list[int]:
        return [m.id for m in await self.meetings.list(guild_id) if not m.has_ended(now)]

    @commands.Cog.listener()
    async def on_meeting_created(self, meeting: Meeting) -> None:
        await self.reconcile([meeting.id])

    @commands.Cog.listener()
    async def on_meeting_changed(self, before: Meeting, after: Meeting) -> None:
        await self.reconcile([after.id])

    @commands.Cog.listener()
    async def on_meeting_cancelled(self, meeting: Meeting) -> None:
        await self.reconcile([meeting.id])

    @commands.Cog.listener()
    async def on_guild_settings_changed(self, settings: GuildSettings) -> None:
        await self.reconcile(await self._open_meeting_ids(settings.guild_id, utcnow()))

    # -- sending ------------------------------------------------------------------------------------
    async def _fire(self, reminder_id: int) -> None:
        """The job of one reminder: re-read it, decide, and deliver each pending delivery at most once."""
        task = asyncio.current_task()
        if task is not None:
            self._sending.add(task)
        try:
            await self._fire_once(reminder_id)
        finally:
            self._sending.discard(task)  # type: ignore[arg-type]

    async def _fire_once(self, reminder_id: int) -> None:
        for _attempt in range(3):  # again if deliveries were added while sending (a member subscribed meanwhile)
            now = utcnow()
            reminder = await self.repo.reminder(reminder_id)
            pending = [] if reminder is None else [d for d in reminder.deliveries if d.state == "pending"]
            if reminder is None or not pending:
                return
            meeting = await self.meetings.get(reminder.meeting_id)
            settings = await self.guild_settings.get(meeting.guild_id) if meeting else None
            decision = _rules.decide(reminder, meeting, settings, now)
            if decision.action == "wait":
                self._index([ScheduleEntry(reminder.id, reminder.meeting_id, reminder.due_at, True)], now)
                return
            if decision.action in ("skip", "cancel"):
                state = "skipped" if decision.action == "skip" else "cancelled"
                count = await self.repo.close_pending([d.id for d in pending], state, decision.reason or "")
                log.info("Reminder %d: %d delivery(ies) %s (%s)", reminder.id, count, state, decision.reason)
                return
            assert meeting is not None and settings is not None
            if decision.late:
                later = await self.repo.superseded(reminder, now)
                if later:
                    await self.repo.close_pending(
                        [d.id for d in pending if d.recipient in later], "skipped", _rules.SUPERSEDED
                    )
                    pending = [d for d in pending if d.recipient not in later]
            if reminder.kind == _rules.PERSONAL:
                await self._deliver_personal(reminder, pending, meeting, settings, late=decision.late)
            else:
                await self._deliver_channel(reminder, pending, meeting, settings, late=decision.late)

    async def _agenda_url(self, meeting: Meeting) -> str | None:
        post = await AgendaRepo(self.bot.db).post(meeting.id)
        if post is None or not post.message_ids:
            return None
        return _text.agenda_url(meeting.guild_id, post.channel_id, post.message_ids[0])

    async def _deliver_channel(
        self, reminder: Reminder, pending: Sequence[Delivery], meeting: Meeting, settings: GuildSettings, *, late: bool
    ) -> None:
        agenda = await self._agenda_url(meeting)
        role = settings.participant_role_id
        languages = settings.language_list
        lead = _lead(languages)

        def first_only(role_id: int | None) -> int | None:
            """The role is mentioned once, in the leading language."""
            return role_id if i18n.current() == lead else None

        if reminder.kind == _rules.CHANNEL:
            content = i18n.multilingual(
                languages,
                lambda: _text.channel_reminder(meeting, first_only(role), agenda, late=late),
                what="channel reminder",
            )
            mentions = _role_mentions(role)
        elif reminder.kind == _rules.DEADLINE:
            deadline = _rules.contribution_deadline(meeting, settings.contribution_deadline_days)
            content = i18n.multilingual(
                languages,
                lambda: _text.deadline_notice(meeting, reminder.offset_seconds, deadline, first_only(role), late=late),
                what="deadline notice",
            )
            mentions = _role_mentions(role)
        else:
            content = i18n.multilingual(
                languages, lambda: _text.starting_now(meeting, agenda, late=late), what="starting-now post"
            )
            mentions = discord.AllowedMentions.none()
        for delivery in pending:
            if not await self.repo.claim(delivery.id, late=late):
                continue  # another run has it, or it was withdrawn a moment ago
            _kind, channel_id = _rules.parse_recipient(delivery.recipient)
            channel = self.bot.get_partial_messageable(channel_id, guild_id=meeting.guild_id)
            await self._send(delivery, reminder, channel.send(content, allowed_mentions=mentions))

    async def _deliver_personal(
        self, reminder: Reminder, pending: Sequence[Delivery], meeting: Meeting, settings: GuildSettings, *, late: bool
    ) -> None:
        agenda = await self._agenda_url(meeting)
        guild = self.bot.get_guild(meeting.guild_id)
        guild_name = guild.name if guild else None
        # Each member reads it in their own /language choice, else the server's first language: the
        # choices of the whole batch in one read, and each language's text rendered once.
        users = [_rules.parse_recipient(d.recipient)[1] for d in pending]
        choices = await LanguagesRepo(self.bot.db).member_choices(meeting.guild_id, users)
        fallback = _lead(settings.language_list)
        texts: dict[str, str] = {}

        def content_for(user_id: int) -> str:
            language = choices.get(user_id) or fallback
            if language not in texts:
                with i18n.locale(language):
                    texts[language] = _text.personal_reminder(meeting, agenda, guild_name, late=late)
            return texts[language]

        closed: list[tuple[int, int]] = []  # (delivery id, user id) whose DMs are closed
        # Concurrently, a few at a time: each DM channel has its own rate-limit bucket in Discord, and
        # discord.py holds every request back while the global limit (50 per second) is reached.
        # Each delivery is still claimed (committed) before its own send: at most once holds.
        # And paced below Discord's global limit (a DM may cost two requests: open the DM channel,
        # send), so that the other features' requests are not held back by a global 429 meanwhile.
        queue = iter(pending)  # shared: each delivery is taken by exactly one sender
        loop = asyncio.get_running_loop()
        next_at = loop.time()

        async def sender() -> None:
            nonlocal next_at
            for delivery in queue:
                now = loop.time()
                wait, next_at = next_at - now, max(now, next_at) + 1 / DM_PER_SECOND
                if wait > 0:
                    await asyncio.sleep(wait)
                if not await self.repo.claim(delivery.id, late=late):
                    continue
                _kind, user_id = _rules.parse_recipient(delivery.recipient)
                if await self._send(delivery, reminder, self._dm(user_id, content_for(user_id))) == _rules.DM_CLOSED:
                    closed.append((delivery.id, user_id))

        await asyncio.gather(*(sender() for _sender in range(min(DM_CONCURRENCY, len(pending)))))
        if closed:
            await self._dm_fallback(sorted(closed), meeting, settings, late=late)

    async def _dm(self, user_id: int, content: str) -> discord.Message:
        channel = await self.bot.create_dm(discord.Object(user_id))
        return await channel.send(content, allowed_mentions=SAFE_MENTIONS)

    async def _send(self, delivery: Delivery, reminder: Reminder, sending: Any) -> str | None:
        """Await one claimed send and record its outcome: None if it went out, else why it failed."""
        try:
            await sending
        except discord.Forbidden as exc:
            detail = _rules.DM_CLOSED if delivery.recipient.startswith("user:") else f"http_{exc.status}"
            log.warning("Reminder %d to %s refused by Discord (code %s)", reminder.id, delivery.recipient, exc.code)
        except discord.HTTPException as exc:
            detail = f"http_{exc.status}"
            log.warning("Reminder %d to %s failed: HTTP %s", reminder.id, delivery.recipient, exc.status)
        except Exception:
            detail = "error"
            log.exception("Reminder %d to %s failed", reminder.id, delivery.recipient)
        else:
            await self.repo.finish(delivery.id, "sent")
            return None
        await self.repo.finish(delivery.id, "failed", detail)
        return detail

    async def _dm_fallback(
        self, closed: Sequence[tuple[int, int]], meeting: Meeting, settings: GuildSettings, *, late: bool
    ) -> None:
        """Members whose DMs are closed are mentioned once, together, in the reminders channel instead."""
        if not settings.reminders_channel_id:
            return
        user_ids = [u for _, u in closed]
        channel = self.bot.get_partial_messageable(settings.reminders_channel_id, guild_id=meeting.guild_id)
        try:
            await channel.send(
                i18n.multilingual(
                    settings.language_list,
                    lambda: _text.dm_fallback(user_ids, meeting, late=late),
                    what="direct-message fallback",
                ),
                allowed_mentions=_user_mentions(user_ids),
            )
        except discord.HTTPException as exc:
            log.warning("Could not mention members with closed DMs in the reminders channel: HTTP %s", exc.status)
            return
        await self.repo.set_detail([d for d, _ in closed], _rules.DM_CLOSED_MENTIONED)

    # -- /remind ----------------------------------------------------------------------------------------
    async def _target(self, interaction: discord.Interaction, value: str) -> Meeting | None:
        """The chosen meeting, or None for "all"."""
        text = value.strip().lower()
        if text in _ALL_WORDS:
            return None
        number = text.removesuffix("th").removesuffix("st").removesuffix("nd").removesuffix("rd")
        if not number.isdigit():
            raise UserError(_text.not_a_meeting(value))
        return await resolve_meeting(interaction, int(number))

    @staticmethod
    def _check_open(meeting: Meeting, now: datetime) -> None:
        if meeting.cancelled:
            raise UserError(_text.meeting_cancelled(meeting))
        if meeting.has_started(now):
            raise UserError(_text.meeting_started(meeting))

    @remind.command(name="me", description="Get a direct message before a meeting, or before every meeting")
    @app_commands.describe(
        meeting="The meeting, or “all” for every meeting (now and future)",
        offsets="How long before the opening, separated by commas: e.g. 1d,1h or 30m (default 1d,1h)",
    )
    @app_commands.autocomplete(meeting=meeting_or_all_autocomplete)
    async def me(self, interaction: discord.Interaction, meeting: str, offsets: str | None = None) -> None:
        assert interaction.guild_id is not None
        target = await self._target(interaction, meeting)
        parsed = parse_offsets(_rules.DEFAULT_PERSONAL_OFFSETS if offsets is None else offsets)
        now = utcnow()
        if target is None:
            await self.repo.set_subscription(interaction.guild_id, interaction.user.id, None, format_offsets(parsed))
            open_meetings = await self._open_meeting_ids(interaction.guild_id, now)
            await self.reconcile(open_meetings)
            upcoming = [
                m
                for m in await self.meetings.list(interaction.guild_id, include_cancelled=False)
                if not m.has_started(now)
            ]
            await reply(interaction, _text.subscribed_all(parsed, len(upcoming)))
            return
        self._check_open(target, now)
        ahead, passed = _rules.split_by_time(target.starts_at, parsed, now)
        if not ahead:
            raise UserError(_text.nothing_ahead(target))
        await self.repo.set_subscription(interaction.guild_id, interaction.user.id, target.id, format_offsets(parsed))
        await self.reconcile([target.id])
        await reply(interaction, _text.subscribed_meeting(target, ahead, passed))

    @remind.command(name="stop", description="Stop your direct-message reminders for a meeting, or for all")
    @app_commands.describe(meeting="The meeting, or “all” to stop every direct-message reminder")
    @app_commands.autocomplete(meeting=meeting_or_all_autocomplete)
    async def stop(self, interaction: discord.Interaction, meeting: str) -> None:
        assert interaction.guild_id is not None
        target = await self._target(interaction, meeting)
        if target is None:
            count = await self.repo.delete_all_subscriptions(interaction.guild_id, interaction.user.id)
            if not count:
                raise UserError(_text.no_subscriptions())
            await self.reconcile(await self._open_meeting_ids(interaction.guild_id, utcnow()))
            await reply(interaction, _text.stopped_all(count))
            return
        await self._stop_meeting(interaction, target)
        await reply(interaction, _text.stopped_meeting(target))

    async def _stop_meeting(self, interaction: discord.Interaction, meeting: Meeting) -> None:
        assert interaction.guild_id is not None
        gid, uid = interaction.guild_id, interaction.user.id
        subs = await self.repo.user_subscriptions(gid, uid)
        if not _rules.is_subscribed(meeting.id, subs):
            raise UserError(_text.not_subscribed(meeting))
        if any(s.meeting_id is None for s in subs):
            await self.repo.set_subscription(gid, uid, meeting.id, "")  # opt out of this one only
        else:
            await self.repo.delete_subscription(gid, uid, meeting.id)
        await self.reconcile([meeting.id])

    async def toggle(self, interaction: discord.Interaction, meeting_id: int) -> None:
        """The "Remind me" button: on if off, off if on, for this meeting only."""
        if interaction.guild_id is None:
            raise UserError(_(_text.BUTTON_OUTSIDE_SERVER))
        meeting = await self.meetings.get_in_guild(interaction.guild_id, meeting_id)
        if meeting is None:
            raise UserError(_text.meeting_gone())
        gid, uid = interaction.guild_id, interaction.user.id
        subs = await self.repo.user_subscriptions(gid, uid)
        if _rules.is_subscribed(meeting.id, subs):
            await self._stop_meeting(interaction, meeting)
            await reply(interaction, _text.stopped_meeting(meeting))
            return
        now = utcnow()
        self._check_open(meeting, now)
        general = next((s for s in subs if s.meeting_id is None), None)
        offsets = _rules.offsets_or_empty(general.offsets) if general else ()
        if not offsets:
            offsets = parse_offsets(_rules.DEFAULT_PERSONAL_OFFSETS)
        ahead, passed = _rules.split_by_time(meeting.starts_at, offsets, now)
        if not ahead:
            raise UserError(_text.nothing_ahead(meeting))
        if general is not None:
            await self.repo.delete_subscription(gid, uid, meeting.id)  # drop the opt-out: "all" applies again
        else:
            await self.repo.set_subscription(gid, uid, meeting.id, format_offsets(offsets))
        await self.reconcile([meeting.id])
        await reply(interaction, _text.subscribed_meeting(meeting, ahead, passed))

    @remind.command(name="list", description="Your direct-message reminders and the next ones due")
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        subs = await self.repo.user_subscriptions(interaction.guild_id, interaction.user.id)
        titles: dict[int, str] = {}
        for sub in subs:
            if sub.meeting_id is not None and (m := await self.meetings.get(sub.meeting_id)) is not None:
                titles[m.id] = m.title
        upcoming: list[tuple[Reminder, Meeting]] = []
        for reminder in await self.repo.pending_for_user(interaction.guild_id, interaction.user.id):
            m = await self.meetings.get(reminder.meeting_id)
            if m is not None and m.guild_id == interaction.guild_id:
                upcoming.append((reminder, m))
        await reply(interaction, _text.subscription_list(subs, titles, upcoming))

    @remind.command(name="status", description="Organisers: which reminders of a meeting went out (the ledger)")
    @app_commands.describe(meeting="The meeting whose reminders to show")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def status(self, interaction: discord.Interaction, meeting: int) -> None:
        target = await resolve_meeting(interaction, meeting)
        await reply(interaction, _text.ledger(target, await self.repo.ledger(target.id)))
