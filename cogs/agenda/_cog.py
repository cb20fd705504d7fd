"""/agenda: a thin Discord adapter over storage.agenda, the rules in _rules.py and the post in _post.py."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.agenda import _rules, _text
from cogs.agenda._post import AgendaPublisher, to_embeds
from cogs.agenda._text import _, _n
from cogs.core import i18n
from cogs.core.checks import guild_settings, member_is_organiser, organiser_only
from cogs.core.errors import UserError
from cogs.core.events import AGENDA_CHANGED
from cogs.core.house_style import file_name
from cogs.core.interactions import reply
from cogs.core.meeting_choice import meeting_autocomplete, meeting_name, resolve_meeting
from cogs.core.visibility import is_organiser
from cogs.language._cog import LANGUAGE_CHOICES
from storage.agenda import AgendaConflict, AgendaRepo
from storage.guild_settings import GuildSettings
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)


async def item_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The items of the meeting chosen in the same command (``meeting:``), in agenda order.

    Every command using it is for organisers, and discord.py does not run the command's checks for its
    autocomplete: anyone else gets an empty list, never the draft.
    """
    bot: MeetingBot = interaction.client  # type: ignore[assignment]
    if interaction.guild_id is None or not await is_organiser(bot.db, interaction):
        return []
    raw = getattr(interaction.namespace, "meeting", None)
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return []
    meeting = await MeetingsRepo(bot.db).by_number(interaction.guild_id, number)
    if meeting is None:
        return []
    items = await MeetingsRepo(bot.db).agenda(meeting.id)
    return [
        app_commands.Choice(name=_rules.item_label(i), value=_rules.item_value(i))
        for i in items
        if _rules.item_matches(i, current)
    ][:25]


class AgendaCog(commands.Cog):
    agenda_group = app_commands.Group(
        name="agenda", description="Meeting agendas: items, publishing, export", guild_only=True
    )

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = AgendaRepo(bot.db)
        self.meetings = MeetingsRepo(bot.db)
        self.publisher = AgendaPublisher(bot)
        self._reconcile: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        # Events are not guaranteed to arrive (the process may stop between a commit and a dispatch):
        # once connected, bring every post of a meeting still to come up to date with the database.
        self._reconcile = asyncio.create_task(self._refresh_posts())

    async def cog_unload(self) -> None:
        await self.publisher.close()
        if self._reconcile is not None:
            self._reconcile.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reconcile

    async def _refresh_posts(self) -> None:
        try:
            await self.bot.wait_until_ready()
            for meeting_id in await self.repo.posted_meetings():
                meeting = await self.meetings.get(meeting_id)
                if meeting is not None and not meeting.has_ended(utcnow()) and self.bot.get_guild(meeting.guild_id):
                    await self.publisher.refresh(meeting_id)  # sends nothing when the post is up to date
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("Could not bring the agenda posts up to date")

    async def _writable(self, interaction: discord.Interaction, number: int) -> Meeting:
        meeting = await resolve_meeting(interaction, number)
        if meeting.cancelled:
            raise UserError(
                _(
                    "The {meeting} is cancelled; its agenda can no longer change.",
                    meeting=meeting_name(meeting.number),
                )
            )
        return meeting

    async def _changed(
        self, interaction: discord.Interaction, meeting: Meeting, text: str, highlight: int | None
    ) -> None:
        self.bot.dispatch(AGENDA_CHANGED, meeting.id)
        items = await self.repo.items(meeting.id)
        post = await self.repo.post(meeting.id)
        hint = _text.publish_hint(meeting, post.revision if post else None)
        embed = discord.Embed(
            title=f"{_(_rules.DRAFT_AGENDA)} · {meeting.title}",
            description=_text.outline(items, highlight),
            colour=discord.Colour.blurple(),
        )
        await reply(interaction, f"{text}\n{hint}", embed=embed)

    # -- /agenda add ----------------------------------------------------------------------------
    @agenda_group.command(name="add", description="Add an item to a meeting's agenda (organisers)")
    @app_commands.describe(
        meeting="The meeting",
        title="The item's title, e.g. 'Consideration of contributions'",
        number="The number it gets: 3 for item 3, 5.2 for sub-item 2 of item 5 (default: last)",
        presenter="Who presents it (optional)",
        minutes="Time planned, in minutes (optional)",
        after="Put it right after this item, at the same level",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete, after=item_autocomplete)
    @organiser_only()
    async def add(
        self,
        interaction: discord.Interaction,
        meeting: int,
        title: str,
        number: str | None = None,
        presenter: str | None = None,
        minutes: app_commands.Range[int, 1, 600] | None = None,
        after: str | None = None,
    ) -> None:
        found = await self._writable(interaction, meeting)
        clean_title = _rules.clean_item_title(title)
        clean_presenter = _rules.clean_presenter(presenter)
        items = await self.repo.items(found.id)
        after_item = _rules.find_item(items, after, found.number) if after is not None else None
        placement = _rules.place_new(items, number=number, after=after_item)
        try:
            item = await self.repo.add(
                found.id,
                title=clean_title,
                presenter=clean_presenter,
                minutes=minutes,
                parent_id=placement.parent_id,
                position=placement.position,
            )
        except AgendaConflict:
            raise UserError(_(_text.CONFLICT)) from None
        await self._changed(
            interaction, found, _("Added item **{number}** to the draft agenda.", number=item.number), item.id
        )

    # -- /agenda edit ---------------------------------------------------------------------------
    @agenda_group.command(name="edit", description="Change an agenda item's title, presenter or time (organisers)")
    @app_commands.describe(
        meeting="The meeting",
        item="The item (pick from the list, or type its number such as 5.1)",
        title="New title",
        presenter="New presenter ('-' removes it)",
        minutes="New time planned in minutes (0 removes it)",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete, item=item_autocomplete)
    @organiser_only()
    async def edit(
        self,
        interaction: discord.Interaction,
        meeting: int,
        item: str,
        title: str | None = None,
        presenter: str | None = None,
        minutes: app_commands.Range[int, 0, 600] | None = None,
    ) -> None:
        found = await self._writable(interaction, meeting)
        target = _rules.find_item(await self.repo.items(found.id), item, found.number)
        proposed: dict[str, object] = {}
        if title is not None:
            proposed["title"] = _rules.clean_item_title(title)
        if presenter is not None:
            proposed["presenter"] = None if presenter.strip() == _rules.CLEAR else _rules.clean_presenter(presenter)
        if minutes is not None:
            proposed["minutes"] = minutes or None
        changes = {k: v for k, v in proposed.items() if getattr(target, k) != v}
        if not changes:
            raise UserError(_("Nothing to change: give a new title, presenter or number of minutes."))
        try:
            updated = await self.repo.edit(target.id, **changes)
        except AgendaConflict:
            raise UserError(_(_text.CONFLICT)) from None
        await self._changed(interaction, found, _("Item **{number}** is updated.", number=updated.number), updated.id)

    # -- /agenda remove -------------------------------------------------------------------------
    @agenda_group.command(name="remove", description="Remove an agenda item and its sub-items (organisers)")
    @app_commands.describe(meeting="The meeting", item="The item to remove (its sub-items go with it)")
    @app_commands.autocomplete(meeting=meeting_autocomplete, item=item_autocomplete)
    @organiser_only()
    async def remove(self, interaction: discord.Interaction, meeting: int, item: str) -> None:
        found = await self._writable(interaction, meeting)
        items = await self.repo.items(found.id)
        target = _rules.find_item(items, item, found.number)
        subs = sum(1 for i in items if i.parent_id == target.id)
        documents = await self.repo.documents_under(target.id)
        try:
            await self.repo.remove(target.id)
        except AgendaConflict:
            raise UserError(_(_text.CONFLICT)) from None
        if subs:
            text = _n(
                "Removed item **{number}** ({title}) and its {n} sub-item(s).",
                "Removed item **{number}** ({title}) and its {n} sub-item(s).",
                subs,
                number=target.number,
                title=target.title,
                n=subs,
            )
        else:
            text = _("Removed item **{number}** ({title}).", number=target.number, title=target.title)
        if documents:
            text += " " + _n(
                "{n} document(s) assigned to it are now unassigned.",
                "{n} document(s) assigned to it are now unassigned.",
                documents,
                n=documents,
            )
        text += " " + _("The items after it moved up.")
        await self._changed(interaction, found, text, None)

    # -- /agenda move ---------------------------------------------------------------------------
    @agenda_group.command(name="move", description="Move an agenda item to another number (organisers)")
    @app_commands.describe(
        meeting="The meeting",
        item="The item to move",
        position="The number it will have: 2 for item 2, 5.1 to make it sub-item 1 of item 5",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete, item=item_autocomplete)
    @organiser_only()
    async def move(self, interaction: discord.Interaction, meeting: int, item: str, position: str) -> None:
        found = await self._writable(interaction, meeting)
        items = await self.repo.items(found.id)
        target = _rules.find_item(items, item, found.number)
        placement = _rules.place_move(items, target, position)
        try:
            await self.repo.move(target.id, parent_id=placement.parent_id, position=placement.position)
        except AgendaConflict:
            raise UserError(_(_text.CONFLICT)) from None
        text = _(
            "Moved item {number} ({title}): it is now **{new_number}**.",
            number=target.number,
            title=target.title,
            new_number=placement.number,
        )
        await self._changed(interaction, found, text, target.id)

    # -- /agenda template -----------------------------------------------------------------------
    @agenda_group.command(name="template", description="Fill in the standard CWG-COP agenda (organisers)")
    @app_commands.describe(meeting="The meeting", replace="Replace the items already there (default: no)")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def template(self, interaction: discord.Interaction, meeting: int, replace: bool = False) -> None:
        found = await self._writable(interaction, meeting)
        existing = await self.repo.items(found.id)
        if existing and not replace:
            command = f"{i18n.command('agenda template', 'meeting')}{found.number} {i18n.option('replace')}:True"
            raise UserError(
                _n(
                    "The agenda of the {meeting} already has {n} item(s). "
                    "To start again from the standard agenda, use `{command}`.",
                    "The agenda of the {meeting} already has {n} item(s). "
                    "To start again from the standard agenda, use `{command}`.",
                    len(existing),
                    meeting=meeting_name(found.number),
                    n=len(existing),
                    command=command,
                )
            )
        documents = sum([await self.repo.documents_under(i.id) for i in existing if i.parent_id is None])
        try:
            # The standard items in the server's first language: from then on they are the chair's words.
            settings = await guild_settings(interaction)
            with i18n.locale(settings.language_list[0]):
                standard = _rules.standard_agenda()
            await self.repo.fill(found.id, standard, replace=replace)
        except AgendaConflict:
            raise UserError(_(_text.CONFLICT)) from None
        text = _(
            "The standard CWG-COP agenda is in place; adjust it with `{add}`, `{edit}`, `{move}` and `{remove}`.",
            add=i18n.command("agenda add"),
            edit=i18n.command("agenda edit").split()[-1],
            move=i18n.command("agenda move").split()[-1],
            remove=i18n.command("agenda remove").split()[-1],
        )
        if documents:
            text += " " + _n(
                "{n} document(s) assigned to the old items are now unassigned.",
                "{n} document(s) assigned to the old items are now unassigned.",
                documents,
                n=documents,
            )
        await self._changed(interaction, found, text, None)

    # -- /agenda post ---------------------------------------------------------------------------
    @agenda_group.command(
        name="post", description="Publish the agenda, or a revision, in the agenda channel (organisers)"
    )
    @app_commands.describe(meeting="The meeting", note="What changed (shown with the revision, e.g. 'Item 6 added')")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @organiser_only()
    async def post(self, interaction: discord.Interaction, meeting: int, note: str | None = None) -> None:
        found = await self._writable(interaction, meeting)
        clean_note = _rules.clean_note(note)
        await interaction.response.defer(ephemeral=True, thinking=True)
        published = await self.publisher.publish(found, note=clean_note, user_id=interaction.user.id)
        await reply(interaction, _text.published(found, published))

    # -- /agenda show, export (anyone) ----------------------------------------------------------
    @agenda_group.command(name="show", description="Read a meeting's agenda (only you see the answer)")
    @app_commands.describe(meeting="The meeting (default: the next one)")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    async def show(self, interaction: discord.Interaction, meeting: int | None = None) -> None:
        settings = await guild_settings(interaction)
        found = await resolve_meeting(interaction, meeting, default_next=True)
        view, intro = await self._readable(interaction, settings, found)
        messages = _rules.post_pages(view, (i18n.current(),))  # a reply: the member's language
        for index, pages in enumerate(messages):
            await reply(interaction, intro if index == 0 else None, embeds=to_embeds(pages, cancelled=found.cancelled))

    @agenda_group.command(name="export", description="Download a meeting's agenda as a document (Document 1)")
    @app_commands.describe(
        meeting="The meeting (default: the next one)",
        format="md (Markdown) or txt (plain text)",
        language="Language of the file's text (default: the server's first language)",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    async def export(
        self,
        interaction: discord.Interaction,
        meeting: int | None = None,
        format: Literal["md", "txt"] = "md",
        language: str | None = None,
    ) -> None:
        settings = await guild_settings(interaction)
        found = await resolve_meeting(interaction, meeting, default_next=True)
        view, intro = await self._readable(interaction, settings, found)
        # A document: in the language asked for, else the server's first; the reply in the member's.
        with i18n.locale(language or settings.language_list[0]):
            text = _rules.export_markdown(view) if format == "md" else _rules.export_text(view)
        name = file_name(settings.group_code, found.number, f"1-agenda{_text.revision_suffix(view)}", ext=format)
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename=name)
        await reply(
            interaction, intro or _("The agenda of the {meeting}.", meeting=meeting_name(found.number)), file=file
        )

    async def _readable(
        self, interaction: discord.Interaction, settings: GuildSettings, meeting: Meeting
    ) -> tuple[_rules.AgendaView, str | None]:
        """Organisers read the current draft (labelled); everyone else the published agenda."""
        if member_is_organiser(interaction.user, settings):
            view = await self.publisher.draft_view(meeting)
            return view, _text.draft_status(meeting, view.edition)
        view = await self.publisher.published_view(meeting)
        if view is None:
            raise UserError(
                _(
                    "The agenda of the {meeting} has not been published yet. It will appear in the agenda channel.",
                    meeting=meeting_name(meeting.number),
                )
            )
        return view, None

    # -- following the meeting and its documents ------------------------------------------------
    @commands.Cog.listener()
    async def on_meeting_changed(self, before: Meeting, after: Meeting) -> None:
        await self.publisher.refresh(after.id)

    @commands.Cog.listener()
    async def on_meeting_cancelled(self, meeting: Meeting) -> None:
        await self.publisher.refresh(meeting.id)

    @commands.Cog.listener()
    async def on_contributions_changed(self, meeting_id: int) -> None:
        self.publisher.schedule_refresh(meeting_id)  # paced: a burst of registrations, a few refreshes

    @commands.Cog.listener()
    async def on_guild_settings_changed(self, settings: GuildSettings) -> None:
        # The group code is part of every document number in the posts.
        for meeting in await self.meetings.upcoming_first(settings.guild_id, utcnow()):
            if not meeting.has_ended(utcnow()) and await self.repo.post(meeting.id) is not None:
                await self.publisher.refresh(meeting.id)
