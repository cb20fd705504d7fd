"""The published agenda in the agenda channel: send, edit in place, pin, keep revisions.

Publishing (``/agenda post``) is the chair's act: it makes a new revision when the items changed
(the original, then (Rev.1), (Rev.2) ...) and stores it. A *refresh* re-renders the latest published
revision with what lives around it (documents under each item, the meeting's time, venue, link,
cancellation) and edits the same messages; it never makes a revision and never shows the chair's
unpublished draft.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from cogs.agenda import _rules
from cogs.agenda._rules import AgendaView, Edition, Page
from cogs.agenda._text import _
from cogs.core import i18n, permissions
from cogs.core.custom_ids import REGISTER, REMIND_ME
from cogs.core.errors import UserError
from cogs.core.events import AGENDA_CHANGED
from cogs.core.i18n import N_, LazyStr
from cogs.core.interactions import SAFE_MENTIONS
from cogs.core.meeting_choice import meeting_name
from storage.agenda import AgendaConflict, AgendaRepo, AgendaRevision, same_items
from storage.contributions import ContributionsRepo
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import AgendaItem, Meeting, MeetingsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

COLOUR = discord.Colour.blurple()
# Seconds between two refreshes of one agenda post that follow the documents (contributions_changed).
REFRESH_INTERVAL = 3.0
CANCELLED_COLOUR = discord.Colour.dark_grey()
MAX_PINS_REACHED = 30003  # Discord's JSON error code: the channel's pin limit is reached

# i18n: button label (80)
REMIND_LABEL = LazyStr(_rules.T, N_("Remind me"))
# i18n: button label (80)
REGISTER_LABEL = LazyStr(_rules.T, N_("Register a contribution"))


def button_label(label: LazyStr, languages: Sequence[str]) -> str:
    """A public button's label: each of the server's languages that fits in 80 characters, the first leading."""
    if not languages:
        return str(label)
    return i18n.multilingual(languages, lambda: str(label), limit=80, separator=" / ", what="button")


def agenda_buttons(meeting_id: int, languages: Sequence[str] = ()) -> discord.ui.View:
    """The two persistent buttons of an agenda post, labelled in ``languages`` (the server's).

    Their clicks are handled by the DynamicItems the reminders and contributions features register
    (custom ids from cogs.core.custom_ids), which also work after a restart. This view only draws
    them, so it is stopped before use: discord.py then does not keep its inert callbacks around.
    """
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label=button_label(REMIND_LABEL, languages),
            emoji="\N{BELL}",
            style=discord.ButtonStyle.secondary,
            custom_id=REMIND_ME.format(meeting_id=meeting_id),
        )
    )
    view.add_item(
        discord.ui.Button(
            label=button_label(REGISTER_LABEL, languages),
            emoji="\N{PAGE FACING UP}",
            style=discord.ButtonStyle.primary,
            custom_id=REGISTER.format(meeting_id=meeting_id),
        )
    )
    view.stop()
    return view


def to_embeds(pages: Sequence[Page], *, cancelled: bool) -> list[discord.Embed]:
    embeds = []
    for page in pages:
        embed = discord.Embed(
            title=page.title, description=page.description, colour=CANCELLED_COLOUR if cancelled else COLOUR
        )
        if page.footer:
            embed.set_footer(text=page.footer)
        embeds.append(embed)
    return embeds


@dataclass(frozen=True, slots=True)
class Rendering:
    """What the post's messages show: the embeds of each message, whether the buttons are on."""

    messages: list[list[Page]]
    buttons: bool
    digest: str
    languages: tuple[str, ...] = ()  # the buttons' labels


def render(meeting: Meeting, view: AgendaView, now: datetime) -> Rendering:
    messages = _rules.post_pages(view)
    buttons = not (meeting.cancelled or meeting.has_ended(now))
    shown = {"pages": [[asdict(p) for p in pages] for pages in messages], "buttons": buttons, "id": meeting.id}
    if view.languages and view.languages != (i18n.SOURCE,):
        shown["languages"] = list(view.languages)  # the buttons' labels change with them
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()
    return Rendering(messages, buttons, digest, view.languages)


@dataclass(frozen=True, slots=True)
class Published:
    revision: int
    new_revision: bool  # False: nothing changed since the last revision; the post was refreshed
    channel_id: int
    message_ids: tuple[int, ...]
    problems: tuple[str, ...]
    pinned: bool = True  # every message of the post is pinned


class AgendaPublisher:
    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = AgendaRepo(bot.db)
        self.meetings = MeetingsRepo(bot.db)
        self.contributions = ContributionsRepo(bot.db)
        self.settings = GuildSettingsRepo(bot.db)
        self._locks: dict[int, asyncio.Lock] = {}
        self._refreshes: dict[int, asyncio.Task[None]] = {}
        self._refresh_again: set[int] = set()
        self._last_refresh: dict[int, float] = {}

    def lock(self, meeting_id: int) -> asyncio.Lock:
        return self._locks.setdefault(meeting_id, asyncio.Lock())

    # -- views of the agenda ---------------------------------------------------------------------
    async def published_view(self, meeting: Meeting) -> AgendaView | None:
        """The latest published revision, with today's documents and meeting details."""
        latest = await self.repo.latest_revision(meeting.id)
        if latest is None:
            return None
        draft = await self.repo.items(meeting.id)
        return await self._view(meeting, list(latest.items), await self._edition(meeting.id, latest, draft))

    async def draft_view(self, meeting: Meeting) -> AgendaView:
        """The current items (what /agenda post would publish), labelled against the last revision."""
        items = await self.repo.items(meeting.id)
        latest = await self.repo.latest_revision(meeting.id)
        if latest is not None and same_items(latest.items, items):
            edition = await self._edition(meeting.id, latest, items)
        else:
            edition = Edition(revision=None, unpublished_changes=latest is not None)
        return await self._view(meeting, items, edition)

    async def _edition(self, meeting_id: int, latest: AgendaRevision, draft: Sequence[AgendaItem]) -> Edition:
        first = latest if latest.revision == 0 else (await self.repo.revisions(meeting_id))[0]
        return Edition(
            revision=latest.revision,
            note=latest.note,
            published_at=latest.posted_at,
            first_published_at=first.posted_at,
            unpublished_changes=not same_items(latest.items, draft),
        )

    async def _view(self, meeting: Meeting, items: Sequence[AgendaItem], edition: Edition) -> AgendaView:
        settings = await self.settings.get(meeting.guild_id)
        return AgendaView(
            meeting=meeting,
            group_code=settings.group_code,
            items=items,
            documents=await self.contributions.for_meeting(meeting.id),
            edition=edition,
            languages=settings.language_list,  # the post is public: the server's languages
        )

    # -- publishing ------------------------------------------------------------------------------
    async def publish(self, meeting: Meeting, *, note: str | None, user_id: int) -> Published:
        """/agenda post: the first publication, a new revision, or (if nothing changed) a refresh."""
        settings = await self.settings.get(meeting.guild_id)
        guild = self.bot.get_guild(meeting.guild_id)
        channel = guild.get_channel(settings.agenda_channel_id) if guild and settings.agenda_channel_id else None
        if not isinstance(channel, discord.TextChannel):
            raise UserError(
                _(
                    "There is no agenda channel set up. A server admin can choose one with `{command}`.",
                    command=i18n.command("setup channels", "agenda"),
                )
            )
        self._check_can_post(channel)
        async with self.lock(meeting.id):
            items = await self.repo.items(meeting.id)
            if not items:
                raise UserError(
                    _(
                        "The agenda of the {meeting} is empty. Start with `{template}` or `{add}`.",
                        meeting=meeting_name(meeting.number),
                        template=f"{i18n.command('agenda template', 'meeting')}{meeting.number}",
                        add=i18n.command("agenda add"),
                    )
                )
            post = await self.repo.post(meeting.id)
            latest = await self.repo.latest_revision(meeting.id)
            unchanged = latest is not None and same_items(latest.items, items)
            if unchanged:
                assert latest is not None
                revision = latest.revision
                view = await self._view(meeting, list(latest.items), await self._edition(meeting.id, latest, items))
            else:
                revision = 0 if latest is None else latest.revision + 1
                now = utcnow()
                first = None if latest is None else (await self.repo.revisions(meeting.id))[0].posted_at
                view = await self._view(
                    meeting,
                    items,
                    Edition(revision=revision, note=note, published_at=now, first_published_at=first or now),
                )
            old_ids: Sequence[int] = ()
            stale: Sequence[int] = ()
            if post is not None:
                if post.channel_id == channel.id:
                    old_ids = post.message_ids
                else:
                    stale = post.message_ids  # the agenda channel changed: move the post
            rendering = render(meeting, view, utcnow())
            message_ids, sent = await self._write(channel, meeting, rendering, old_ids, resend_missing=True)
            problems = await self._pin(channel, message_ids)
            if stale:
                await self._delete(meeting, post.channel_id if post else 0, stale)
            try:
                if unchanged:
                    await self.repo.set_messages(meeting.id, channel.id, message_ids, rendered=rendering.digest)
                else:
                    await self.repo.publish(
                        meeting.id,
                        revision=revision,
                        channel_id=channel.id,
                        message_ids=message_ids,
                        note=note,
                        body=self._body(view),
                        items=items,
                        posted_by=user_id,
                        rendered=rendering.digest,
                    )
            except AgendaConflict:
                await self._delete(meeting, channel.id, sent)
                raise UserError(_("Someone published this agenda at the same moment; please try again.")) from None
        self.bot.dispatch(AGENDA_CHANGED, meeting.id)
        return Published(revision, not unchanged, channel.id, tuple(message_ids), tuple(problems), not problems)

    @staticmethod
    def _body(view: AgendaView) -> str:
        """The revision's text as kept in the database: in the server's first language."""
        with i18n.locale(view.languages[0] if view.languages else i18n.SOURCE):
            return _rules.export_text(view)

    # -- refreshing at most every REFRESH_INTERVAL seconds per meeting ------------------------------
    def schedule_refresh(self, meeting_id: int) -> None:
        """Refresh the post soon: at once if it was not refreshed in the last REFRESH_INTERVAL seconds,
        else when that interval is over, once, with everything that changed meanwhile. A burst of
        registrations refreshes each agenda post a few times, not once per document."""
        task = self._refreshes.get(meeting_id)
        if task is not None and not task.done():
            self._refresh_again.add(meeting_id)
            return
        self._refreshes[meeting_id] = asyncio.get_running_loop().create_task(
            self._refresh_paced(meeting_id), name=f"agenda-refresh-{meeting_id}"
        )

    async def _refresh_paced(self, meeting_id: int) -> None:
        loop = asyncio.get_running_loop()
        while True:
            last = self._last_refresh.get(meeting_id)
            if last is not None and (wait := last + REFRESH_INTERVAL - loop.time()) > 0:
                await asyncio.sleep(wait)
            self._refresh_again.discard(meeting_id)  # what changed until now is in this refresh
            self._last_refresh[meeting_id] = loop.time()
            await self.refresh(meeting_id)
            if meeting_id not in self._refresh_again:
                return

    async def close(self) -> None:
        """Stop the refreshes still waiting (the agenda cog brings every post up to date at start-up)."""
        tasks = [t for t in self._refreshes.values() if not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def refresh(self, meeting_id: int) -> None:
        """Re-render the published post (documents, meeting details, cancellation). Never raises."""
        try:
            async with self.lock(meeting_id):
                post = await self.repo.post(meeting_id)
                meeting = await self.meetings.get(meeting_id)
                if post is None or meeting is None or not post.message_ids:
                    return
                view = await self.published_view(meeting)
                channel = self.bot.get_channel(post.channel_id)
                if view is None or not isinstance(channel, discord.TextChannel):
                    return
                rendering = render(meeting, view, utcnow())
                if rendering.digest == post.rendered:
                    return  # the post already shows exactly this
                message_ids, _ = await self._write(channel, meeting, rendering, post.message_ids, resend_missing=False)
                await self.repo.set_messages(meeting_id, channel.id, message_ids, rendered=rendering.digest)
        except Exception:
            log.exception("Could not refresh the agenda post of meeting %s", meeting_id)

    # -- Discord messages ------------------------------------------------------------------------
    async def _write(
        self,
        channel: discord.TextChannel,
        meeting: Meeting,
        rendering: Rendering,
        old_ids: Sequence[int],
        *,
        resend_missing: bool,
    ) -> tuple[list[int], list[int]]:
        """Edit the existing messages in place, send the parts that are new, delete the parts no longer
        needed. Returns (the post's message ids in order, the ids sent now). A message someone deleted
        is sent again (with the parts after it, so the order holds) only when ``resend_missing``.
        """
        messages = rendering.messages
        buttons = agenda_buttons(meeting.id, rendering.languages) if rendering.buttons else None
        ids: list[int] = []
        sent: list[int] = []
        old = list(old_ids)
        broken = False
        try:
            for index, pages in enumerate(messages):
                embeds = to_embeds(pages, cancelled=meeting.cancelled)
                last = index == len(messages) - 1
                view_arg = buttons if last else None
                if old:
                    message_id = old.pop(0)
                    try:
                        await channel.get_partial_message(message_id).edit(
                            content=None, embeds=embeds, view=view_arg, allowed_mentions=SAFE_MENTIONS
                        )
                        ids.append(message_id)
                        continue
                    except discord.NotFound:
                        if not resend_missing:
                            log.warning("Agenda message %s of meeting %s was deleted", message_id, meeting.id)
                            broken = True
                            continue
                        # Keep the order: the later parts go too, and everything from here is sent again.
                        await self._delete(meeting, channel.id, old)
                        old = []
                if broken:
                    continue  # a refresh does not rebuild a post someone deleted: the chair's repost does
                message = await channel.send(embeds=embeds, view=view_arg, allowed_mentions=SAFE_MENTIONS)
                sent.append(message.id)
                ids.append(message.id)
        except BaseException:
            await self._delete(meeting, channel.id, sent)
            raise
        await self._delete(meeting, channel.id, old)  # parts no longer needed
        return ids, sent

    @staticmethod
    def _check_can_post(channel: discord.TextChannel) -> None:
        """Before writing anything: the agenda channel lets the bot post (pinning is checked by trying)."""
        lacking = [
            n
            for n in permissions.missing(permissions.AGENDA, channel.permissions_for(channel.guild.me))
            if n.permission != "pin_messages"
        ]
        if lacking:
            problem = permissions.problem(
                channel.mention, lacking, permissions.role_name(channel.guild), permissions.AGENDA
            )
            raise UserError(_("Nothing was published.") + "\n" + problem)

    async def _pin(self, channel: discord.TextChannel, message_ids: Sequence[int]) -> list[str]:
        """Pin every message of the post; what went wrong, for the chair (nothing if all are pinned)."""
        for message_id in message_ids:
            try:
                await channel.get_partial_message(message_id).pin(reason="Meeting agenda")
            except discord.Forbidden:
                pin = permissions.need(permissions.AGENDA, "pin_messages")
                fix = permissions.fix_line(channel.mention, [pin], permissions.role_name(channel.guild))
                return [
                    _(
                        "It is **not pinned**: I lack the **{permission}** permission in {channel}.\n"
                        "Fix: {fix} Then run `{command}` again (no new revision is made) and I will pin it.",
                        permission=pin.label,
                        channel=channel.mention,
                        fix=fix,
                        command=i18n.command("agenda post"),
                    )
                ]
            except discord.HTTPException as exc:
                log.warning("Could not pin agenda message %s: %s", message_id, exc)
                if exc.code == MAX_PINS_REACHED:
                    return [
                        _(
                            "It is **not pinned**: {channel} has as many pinned messages as Discord allows. "
                            "Unpin some old ones, then run `{command}` again (no new revision is made).",
                            channel=channel.mention,
                            command=i18n.command("agenda post"),
                        )
                    ]
                return [
                    _(
                        "It is **not pinned**: Discord refused ({status}). Pin it by hand, or run `{command}` "
                        "again later (no new revision is made).",
                        status=exc.status,
                        command=i18n.command("agenda post"),
                    )
                ]
        return []

    async def _delete(self, meeting: Meeting, channel_id: int, message_ids: Sequence[int]) -> None:
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        for message_id in message_ids:
            try:
                await channel.get_partial_message(message_id).delete()
            except discord.HTTPException:
                log.info("Could not delete agenda message %s of meeting %s", message_id, meeting.id)
