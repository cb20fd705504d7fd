"""/contribution and the agenda's "Register a contribution" button: a thin Discord adapter.

Validation, deadlines, numbers and decisions live in ``_rules.py``; the words in ``_text.py``; the
buttons and the form in ``_views.py``; the SQL in ``storage/contributions.py``. Everything a user
can get wrong is checked before anything is written, so a refused input leaves the database
unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from cogs.contributions import _rules, _text
from cogs.contributions._publisher import Publisher
from cogs.contributions._text import _, _n
from cogs.contributions._views import (
    FORM_ID_PATTERN,
    ConfirmDuplicate,
    Pager,
    RegisterButton,
    RegisterForm,
    ReopenForm,
    clip,
)
from cogs.core import i18n, safe_text
from cogs.core.checks import guild_settings, member_is_organiser, member_is_participant, organiser_only
from cogs.core.errors import UserError
from cogs.core.events import CONTRIBUTIONS_CHANGED
from cogs.core.house_style import file_name
from cogs.core.i18n_discord import multilingual_embed
from cogs.core.interactions import SAFE_MENTIONS, reply, report_error
from cogs.core.meeting_choice import meeting_autocomplete, meeting_label, resolve_meeting
from cogs.core.timefmt import GENEVA, discord_ts, itu_time, ordinal
from cogs.core.visibility import is_organiser, published_item, readable_agenda
from cogs.language._cog import LANGUAGE_CHOICES
from storage.contributions import (
    KIND_CONTRIBUTION,
    KIND_INFORMATION,
    Change,
    Contribution,
    ContributionsRepo,
    Decision,
    DuplicateContribution,
    NewContribution,
    document_number,
    first_seq,
    is_agenda,
)
from storage.guild_settings import GuildSettings, GuildSettingsRepo
from storage.languages import LanguagesRepo
from storage.meetings import AgendaItem, Meeting, MeetingsRepo
from storage.timeutil import utcnow

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

PAGE_SIZE = 10
PAGE_CHARS = 4000  # an embed description holds 4096

_FIRST = first_seq(KIND_CONTRIBUTION)  # 2: document 1 is the agenda
KIND_CHOICES = [
    Choice(
        name=f"Contribution (numbered CWG-COP-n/{_FIRST}, /{_FIRST + 1} ...; n/1 is the agenda)",
        value=KIND_CONTRIBUTION,
    ),
    Choice(
        name=f"Information document (numbered CWG-COP-n/INF/{first_seq(KIND_INFORMATION)} ...)",
        value=KIND_INFORMATION,
    ),
]
SOURCE_TYPE_CHOICES = [Choice(name=label, value=value) for value, label in _rules.SOURCE_TYPE_LABELS.items()]
STATUS_CHOICES = [Choice(name=label, value=value) for value, label in _rules.STATUS_LABELS.items()]
FORMAT_CHOICES = [
    Choice(name="CSV (spreadsheet)", value="csv"),
    Choice(name="Markdown table", value="md"),
]
STATUS_COLOURS = {
    "submitted": discord.Colour.blurple(),
    "late": discord.Colour.orange(),
    "accepted": discord.Colour.green(),
    "rejected": discord.Colour.red(),
    "withdrawn": discord.Colour.light_grey(),
}


@dataclass(frozen=True, slots=True)
class Upload:
    """A downloaded attachment, kept in memory until it is re-posted with the announcement."""

    name: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class Draft:
    """A registration that passed every check, waiting to be stored (or confirmed)."""

    meeting_id: int
    kind: str
    title: str
    source: str
    source_type: str | None = None
    abstract: str | None = None
    link: str | None = None
    agenda_item_id: int | None = None
    upload: Upload | None = None


def _submitted_values(components: list[dict[str, Any]]) -> dict[str, str]:
    """custom_id → value of the text inputs in a modal submission (action rows or labels)."""
    values: dict[str, str] = {}
    for component in components:
        children = component.get("components") or ([component["component"]] if component.get("component") else [])
        for child in children:
            if "custom_id" in child and isinstance(child.get("value"), str):
                values[child["custom_id"]] = child["value"]
    return values


def _lines_within(lines: list[str], limit: int = 1024, *, newest_last: bool = False) -> str:
    """Join lines into one embed field value, dropping whole lines (oldest first if newest_last)."""
    kept = list(lines)
    while kept and len("\n".join(kept)) > limit - 30:
        kept.pop(0 if newest_last else -1)
    dropped = len(lines) - len(kept)
    if dropped:
        more = _n("… and {n} more", "… and {n} more", dropped, n=dropped)
        kept = [more, *kept] if newest_last else [*kept, more]
    return "\n".join(kept) or "—"


class ContributionsCog(commands.Cog, name="Contributions"):
    group = app_commands.Group(
        name="contribution",
        description="Register, follow and export the documents of a meeting",
        guild_only=True,
    )

    def __init__(self, bot: MeetingBot) -> None:
        self.bot = bot
        self.repo = ContributionsRepo(bot.db)
        self.meetings = MeetingsRepo(bot.db)
        self.settings_repo = GuildSettingsRepo(bot.db)
        # Forms this process has open (their custom ids); a form submitted after a restart or after
        # FORM_TIMEOUT is no longer among them and is handled by on_interaction instead of being lost.
        self.live_forms: set[str] = set()
        # Announcements go through the outbox: a receipt never waits for a public post.
        self.publisher = Publisher(bot, self._card, self._languages)
        self._resume: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        # The agenda post carries the button; registering the template makes every such button,
        # old or new, work again after a restart.
        self.bot.add_dynamic_items(RegisterButton)
        self._resume = asyncio.create_task(self._resume_announcements())

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(RegisterButton)
        if self._resume is not None:
            self._resume.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._resume
        await self.publisher.close()

    async def _resume_announcements(self) -> None:
        """Once connected, post what the outbox still owes (a stop in the middle of announcing)."""
        try:
            await self.bot.wait_until_ready()
            await self.publisher.resume()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("Could not resume the announcements")

    # =========================================================================================
    # Registering

    @group.command(name="register", description="Register a document for a meeting; it is numbered at once")
    @app_commands.describe(
        title="The document's title (up to 200 characters), e.g. Contribution from Ghana on age assurance",
        source="Who submits it (up to 100 characters): a Member State, Sector Member, organisation...",
        meeting="The meeting it is for (default: the next meeting)",
        agenda_item="The agenda item it is for (optional; organisers can assign it later)",
        kind="A contribution (default) or an information document (INF series)",
        source_type="What kind of source this is (counted in the group's reports)",
        file="The document itself (the server sets the accepted types and size)",
        link="A web link to the document (http:// or https://)",
        abstract="A short summary (up to 1000 characters)",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(kind=KIND_CHOICES, source_type=SOURCE_TYPE_CHOICES)
    async def register(
        self,
        interaction: discord.Interaction,
        title: str,
        source: str,
        meeting: int | None = None,
        agenda_item: str | None = None,
        kind: Choice[str] | None = None,
        source_type: Choice[str] | None = None,
        file: discord.Attachment | None = None,
        link: str | None = None,
        abstract: str | None = None,
    ) -> None:
        await self._defer(interaction)  # acknowledged first: in a burst the checks below may queue
        settings = await self._participant(interaction)
        chosen = await resolve_meeting(interaction, meeting, default_next=True)
        draft = await self._prepare(
            interaction,
            settings,
            chosen,
            title=title,
            source=source,
            item_text=agenda_item,
            kind=kind.value if kind else None,
            source_type=source_type.value if source_type else None,
            abstract=abstract,
            link=link,
        )
        if file is not None:
            name = self._check_file(interaction, settings, file)
            await self._defer(interaction)
            draft = replace(draft, upload=await self._download(file, name))
        await self._submit(interaction, draft, allow_duplicate=False)

    @register.autocomplete("agenda_item")
    async def _register_item_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self._item_choices(interaction, getattr(interaction.namespace, "meeting", None), current)

    async def open_form(
        self, interaction: discord.Interaction, meeting_id: int, typed: dict[str, str] | None = None
    ) -> None:
        """The agenda post's button: check who and when first, then show the form (refilled if ``typed``)."""
        await self._participant(interaction)
        assert interaction.guild_id is not None
        meeting = await self.meetings.get_in_guild(interaction.guild_id, meeting_id)
        if meeting is None:
            raise UserError(
                _(
                    "This agenda's meeting no longer exists. Use `{command}` instead.",
                    command=i18n.command("contribution register"),
                )
            )
        _rules.ensure_open(meeting, utcnow())
        items = await readable_agenda(self.bot.db, interaction, meeting)  # non-organisers: as published
        await interaction.response.send_modal(RegisterForm(self, meeting, items, typed or {}))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A form opened before a restart (or open longer than FORM_TIMEOUT) still registers."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        match = FORM_ID_PATTERN.fullmatch(str(data.get("custom_id", "")))
        if match is None or match.group(0) in self.live_forms:
            return
        values = _submitted_values(data.get("components", []))
        log.info("Handling a registration form this process did not open (%s)", match.group(0))
        try:
            await self.register_from_form(
                interaction,
                int(match["meeting_id"]),
                title=values.get("title", ""),
                source=values.get("source", ""),
                item_text=values.get("agenda_item", ""),
                abstract=values.get("abstract", ""),
            )
        except Exception as error:
            await report_error(interaction, error)

    async def register_from_form(
        self,
        interaction: discord.Interaction,
        meeting_id: int,
        *,
        title: str,
        source: str,
        item_text: str,
        abstract: str,
    ) -> None:
        await self._defer(interaction)  # acknowledged first: in a burst the checks below may queue
        settings = await self._participant(interaction)
        assert interaction.guild_id is not None
        meeting = await self.meetings.get_in_guild(interaction.guild_id, meeting_id)
        if meeting is None:
            raise UserError(_("This agenda's meeting no longer exists. Nothing was registered."))
        _rules.ensure_open(meeting, utcnow())
        typed = {"title": title, "source": source, "agenda_item": item_text, "abstract": abstract}
        try:
            draft = await self._prepare(
                interaction, settings, meeting, title=title, source=source, item_text=item_text, abstract=abstract
            )
        except UserError as error:
            # A refused form would lose what was typed: offer it back, filled in, to correct.
            view = ReopenForm(self, interaction.user.id, meeting.id, typed)
            await reply(interaction, f"{error}\n{_(_text.FORM_REFUSED)}", view=view)
            return
        await self._submit(interaction, draft, allow_duplicate=False)

    async def _prepare(
        self,
        interaction: discord.Interaction,
        settings: GuildSettings,
        meeting: Meeting,
        *,
        title: str | None,
        source: str | None,
        item_text: str | None = None,
        kind: str | None = None,
        source_type: str | None = None,
        abstract: str | None = None,
        link: str | None = None,
    ) -> Draft:
        """Every check a registration needs before anything is downloaded or written."""
        kind_value = _rules.clean_kind(kind)
        _rules.timing(meeting, utcnow(), self._days(settings, kind_value))  # refuses cancelled / ended
        draft = Draft(
            meeting_id=meeting.id,
            kind=kind_value,
            title=_rules.clean_title(title),
            source=_rules.clean_source(source),
            source_type=_rules.clean_source_type(source_type),
            abstract=_rules.clean_abstract(abstract),
            link=_rules.clean_link(link),
        )
        # Numbers as the caller can read them: organisers the draft, everyone else the published agenda.
        items = await readable_agenda(self.bot.db, interaction, meeting)
        item = _rules.find_agenda_item(items, item_text, meeting.number)
        if item is not None and await self.meetings.agenda_item(item.id) is None:
            raise UserError(
                _(
                    "Agenda item {number} is being revised by the organisers. Leave the agenda item empty; "
                    "an organiser will place the document.",
                    number=item.number,
                )
            )
        return replace(draft, agenda_item_id=item.id if item else None)

    async def _submit(self, interaction: discord.Interaction, draft: Draft, *, allow_duplicate: bool) -> None:
        """Number and store the draft, answer with the receipt; the announcement follows.

        A document without a file is announced through the outbox (its entry is committed with the
        document; the publisher posts it, batched with others): the receipt does not wait for it. A
        file is kept by re-posting it, so a registration with a file is announced before its receipt.
        """
        assert interaction.guild_id is not None
        await self._defer(interaction)
        settings = await self.settings_repo.get(interaction.guild_id)
        meeting = await self.meetings.get_in_guild(interaction.guild_id, draft.meeting_id)
        if meeting is None:
            raise UserError(_("That meeting no longer exists.") + " " + _(_text.NOTHING_STORED))
        now = utcnow()
        timing = _rules.timing(meeting, now, self._days(settings, draft.kind))
        if draft.agenda_item_id is not None:
            item = await self.meetings.agenda_item(draft.agenda_item_id)
            if item is None or item.meeting_id != meeting.id:
                raise UserError(
                    _("That agenda item was removed meanwhile. Choose another.") + " " + _(_text.NOTHING_STORED)
                )
        upload = draft.upload
        new = NewContribution(
            meeting_id=meeting.id,
            kind=draft.kind,
            title=draft.title,
            source=draft.source,
            submitter_id=interaction.user.id,
            received_at=now,
            status=timing.status,
            is_late=timing.late,
            source_type=draft.source_type,
            abstract=draft.abstract,
            agenda_item_id=draft.agenda_item_id,
            link=draft.link,
            file_name=upload.name if upload else None,
            file_size=upload.size if upload else None,
            file_sha256=upload.sha256 if upload else None,
        )
        channel = self._channel(settings)
        queued = upload is None and channel is not None
        try:
            contribution = await self.repo.register(
                new,
                allow_duplicate=allow_duplicate,
                detail=_text.LATE_NOTE if timing.late else None,
                announce_in=(interaction.guild_id, channel.id) if queued and channel is not None else None,
            )
        except DuplicateContribution as duplicate:
            view = ConfirmDuplicate(self, interaction.user.id, draft)
            await reply(interaction, _text.duplicate_prompt(duplicate.existing), view=view)
            return
        log.info(
            "Registered contribution %s (id %s) for meeting %s%s",
            contribution.number,
            contribution.id,
            meeting.number,
            " late" if timing.late else "",
        )
        notes: list[str] = []
        if queued and channel is not None:
            self.publisher.kick(channel.id)
            url = None
            notes.append(_(_text.ANNOUNCED_SOON, channel=channel.mention))
        else:
            url = await self._announce(contribution, meeting, settings, upload, notes)
        self.bot.dispatch(CONTRIBUTIONS_CHANGED, meeting.id)
        text = _text.receipt(contribution, meeting, timing.deadline, announcement_url=url, notes=notes)
        await reply(interaction, text)

    # -- files --------------------------------------------------------------------------------
    def _check_file(self, interaction: discord.Interaction, settings: GuildSettings, file: discord.Attachment) -> str:
        """Type and size (from the attachment's metadata) and a place to keep it, before downloading."""
        name = _rules.check_file(
            file.filename,
            file.size,
            max_mb=settings.max_file_mb,
            allowed=settings.allowed_file_types,
            upload_limit=interaction.filesize_limit,
        )
        channel = self._channel(settings)
        if channel is None:
            raise UserError(_(_text.NO_CHANNEL_FOR_FILE, command=i18n.command("setup channels", "contributions")))
        assert interaction.guild is not None
        perms = channel.permissions_for(interaction.guild.me)
        if not (perms.view_channel and perms.send_messages and perms.embed_links and perms.attach_files):
            raise UserError(_(_text.CANNOT_POST_FILE, channel=channel.mention))
        return name

    async def _download(self, file: discord.Attachment, name: str) -> Upload:
        try:
            data = await file.read()
        except discord.HTTPException:
            log.warning("Could not download attachment %s", file.id, exc_info=True)
            raise UserError(
                _("I could not download your file from Discord. Please try again.") + " " + _(_text.NOTHING_STORED)
            ) from None
        if not data:
            raise UserError(
                _("`{name}` is empty. Attach the document itself.", name=name) + " " + _(_text.NOTHING_STORED)
            )
        return Upload(name=name, data=data, sha256=_rules.sha256(data))

    # =========================================================================================
    # Reading

    @group.command(name="list", description="The documents of a meeting, in number order")
    @app_commands.describe(
        meeting="The meeting (default: the next one, or the latest)",
        agenda_item="Only documents under this agenda item (and its sub-items)",
        source="Only documents whose source contains this text",
        status="Only documents with this status",
    )
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(status=STATUS_CHOICES)
    async def list_(
        self,
        interaction: discord.Interaction,
        meeting: int | None = None,
        agenda_item: str | None = None,
        source: str | None = None,
        status: Choice[str] | None = None,
    ) -> None:
        chosen = await self._meeting_or_latest(interaction, meeting)
        items = await readable_agenda(self.bot.db, interaction, chosen)  # non-organisers: as published
        item = _rules.find_agenda_item(items, agenda_item, chosen.number)
        ids = None if item is None else tuple(i.id for i in items if item.id in (i.id, i.parent_id))
        source_text = " ".join((source or "").split())[:100] or None
        status_value = status.value if status else None
        docs = await self.repo.search(chosen.id, agenda_item_ids=ids, source=source_text, status=status_value)
        by_id = {i.id: i for i in items}
        filters = _text.list_filters(item, source_text, status_value)
        settings = await self.settings_repo.get(chosen.guild_id)
        note = _text.agenda_note(settings.group_code, chosen)
        pages = self._list_pages(chosen, docs, by_id, filters, agenda_note=note)
        view = Pager(interaction.user.id, pages) if len(pages) > 1 else None
        await reply(interaction, embed=pages[0], view=view)

    @list_.autocomplete("agenda_item")
    async def _list_item_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self._item_choices(interaction, getattr(interaction.namespace, "meeting", None), current)

    @list_.autocomplete("source")
    async def _list_source_autocomplete(self, interaction: discord.Interaction, current: str):
        meeting = await self._meeting_for_autocomplete(interaction, getattr(interaction.namespace, "meeting", None))
        if meeting is None:
            return []
        text = current.strip().casefold()
        sources = [s for s in await self.repo.sources(meeting.id) if text in s.casefold()]
        return [Choice(name=clip(s, 100), value=s[:100]) for s in sources[:25]]

    def _list_pages(
        self,
        meeting: Meeting,
        docs: list[Contribution],
        items: dict[int, AgendaItem],
        filters: str,
        *,
        agenda_note: str,
    ) -> list[discord.Embed]:
        title = _text.list_title(meeting)
        if not docs:
            embed = discord.Embed(title=title, description=_text.list_empty(meeting, bool(filters)))
            if filters:
                embed.set_footer(text=filters)
            return [embed]
        # Up to PAGE_SIZE documents a page, fewer if long titles would overflow an embed description.
        chunks: list[list[str]] = [[]]
        for c in docs:
            line = _text.list_line(c, items.get(c.agenda_item_id or 0))
            page = chunks[-1]
            if page and (len(page) == PAGE_SIZE or len("\n".join([*page, line])) > PAGE_CHARS):
                chunks.append(page := [])
            page.append(line)
        pages = []
        for n, lines in enumerate(chunks, start=1):
            embed = discord.Embed(title=title, description="\n".join(lines), colour=discord.Colour.blurple())
            footer = _n("{n} document", "{n} documents", len(docs), n=len(docs))
            if len(chunks) > 1:
                footer = _("Page {page} of {pages}", page=n, pages=len(chunks)) + f" · {footer}"
            embed.set_footer(text=" · ".join(p for p in (footer, filters, agenda_note) if p))
            pages.append(embed)
        return pages

    @group.command(name="show", description="One document in full, with its versions and history")
    @app_commands.describe(number="The document number, e.g. CWG-COP-19/3 (start typing to search)")
    async def show(self, interaction: discord.Interaction, number: str) -> None:
        contribution = await self._find(interaction, number)
        meeting = await self._meeting_of(contribution)
        settings = await guild_settings(interaction)
        if member_is_organiser(interaction.user, settings):
            item = await self.meetings.agenda_item(contribution.agenda_item_id) if contribution.agenda_item_id else None
        else:  # the draft agenda stays with the organisers
            item = await published_item(self.bot.db, meeting.id, contribution.agenda_item_id)
        embed = self._embed(contribution, meeting, item, heading=None)
        due = _rules.deadline_for(meeting, self._days(settings, contribution.kind))
        embed.add_field(name=_("Deadline"), value=_text.deadline_line(due, GENEVA), inline=False)
        revisions = await self.repo.revisions(contribution.id)
        if len(revisions) > 1:
            embed.add_field(
                name=_("Versions"),
                value=_lines_within([_text.revision_line(r, contribution) for r in revisions], newest_last=True),
                inline=False,
            )
        events = await self.repo.events(contribution.id)
        if not member_is_organiser(interaction.user, settings):
            # "item 6: <title>" was written when an organiser placed it: the title may be a draft's.
            events = [_text.without_item_title(e) for e in events]
        embed.add_field(
            name=_("History"),
            value=_lines_within([_text.event_line(e) for e in events], newest_last=True),
            inline=False,
        )
        await reply(interaction, embed=embed)

    @group.command(name="export", description="The document list of a meeting as ITU publishes it, as a file")
    @app_commands.describe(
        meeting="The meeting (default: the next one, or the latest)",
        format_="CSV for a spreadsheet, or a Markdown table",
        language="Language of the document list (default: the server's first language)",
    )
    @app_commands.rename(format_="format")
    @app_commands.autocomplete(meeting=meeting_autocomplete)
    @app_commands.choices(format_=FORMAT_CHOICES, language=LANGUAGE_CHOICES)
    async def export(
        self,
        interaction: discord.Interaction,
        format_: Choice[str],
        meeting: int | None = None,
        language: Choice[str] | None = None,
    ) -> None:
        chosen = await self._meeting_or_latest(interaction, meeting)
        settings = await guild_settings(interaction)
        docs = await self.repo.for_meeting(chosen.id)
        numbers = {i.id: i.number for i in await readable_agenda(self.bot.db, interaction, chosen)}
        with i18n.locale(language.value if language is not None else settings.language_list[0]):  # the file's
            rows = _rules.export_rows(docs, numbers)
            if format_.value == "md":
                heading = _(
                    "Documents of the {ordinal} meeting of the {group}",
                    ordinal=ordinal(chosen.number),
                    group=settings.group_code,
                )
                note = _text.export_agenda_note(settings.group_code, chosen)
                data = _rules.to_markdown(rows, heading=heading, note=note)
            else:
                data = _rules.to_csv(rows)
        filename = file_name(settings.group_code, chosen.number, "documents", ext=format_.value)
        await reply(
            interaction,
            _n(
                "The document list of the {ordinal} meeting ({n} document, in number order).",
                "The document list of the {ordinal} meeting ({n} documents, in number order).",
                len(rows),
                ordinal=ordinal(chosen.number),
                n=len(rows),
            ),
            file=discord.File(io.BytesIO(data), filename=filename),
        )

    # =========================================================================================
    # Managing

    @group.command(name="revise", description="Register a new version of a document: it becomes (Rev.1), (Rev.2) ...")
    @app_commands.describe(
        number="The document to revise (yours, or any if you are an organiser)",
        title="The new title (up to 200 characters)",
        file="The new file",
        link="The new web link (http:// or https://)",
        abstract="The new abstract (up to 1000 characters)",
    )
    async def revise(
        self,
        interaction: discord.Interaction,
        number: str,
        title: str | None = None,
        file: discord.Attachment | None = None,
        link: str | None = None,
        abstract: str | None = None,
    ) -> None:
        settings = await guild_settings(interaction)
        contribution = await self._find(interaction, number)
        organiser = member_is_organiser(interaction.user, settings)
        if not _rules.may_manage(contribution, interaction.user.id, organiser):
            raise UserError(_(_text.SUBMITTER_OR_ORGANISER_REVISE, number=contribution.base_number))
        meeting = await self._meeting_of(contribution)
        if not organiser:
            _rules.ensure_open(meeting, utcnow())
        new_title = _rules.clean_title(title) if title is not None else None
        new_abstract = _rules.clean_abstract(abstract) if abstract is not None else None
        new_link = _rules.clean_link(link) if link is not None else None
        upload = None
        if file is not None:
            name = self._check_file(interaction, settings, file)
            await self._defer(interaction)
            upload = await self._download(file, name)
        decision = _rules.revise(
            title=new_title,
            abstract=new_abstract,
            link=new_link,
            file=_rules.NewFile(upload.name, upload.size, upload.sha256) if upload else None,
        )
        await self._apply(interaction, contribution, decision, settings, meeting, upload=upload)

    @group.command(name="withdraw", description="Withdraw a document; its number stays reserved")
    @app_commands.describe(
        number="The document to withdraw (yours, or any if you are an organiser)",
        reason="Why (optional; shown in its history)",
    )
    async def withdraw(self, interaction: discord.Interaction, number: str, reason: str | None = None) -> None:
        settings = await guild_settings(interaction)
        contribution = await self._find(interaction, number)
        if not _rules.may_manage(contribution, interaction.user.id, member_is_organiser(interaction.user, settings)):
            raise UserError(_(_text.SUBMITTER_OR_ORGANISER_WITHDRAW, number=contribution.base_number))
        decision = _rules.withdraw(_rules.clean_reason(reason))
        await self._apply(interaction, contribution, decision, settings, await self._meeting_of(contribution))

    @group.command(name="accept", description="Accept a document for consideration (organisers)")
    @app_commands.describe(number="The document", reason="A note for the submitter and the history (optional)")
    @organiser_only()
    async def accept(self, interaction: discord.Interaction, number: str, reason: str | None = None) -> None:
        settings = await guild_settings(interaction)
        contribution = await self._find(interaction, number)
        decision = _rules.accept(_rules.clean_reason(reason))
        await self._apply(interaction, contribution, decision, settings, await self._meeting_of(contribution))

    @group.command(name="reject", description="Decide a document is not considered (organisers)")
    @app_commands.describe(number="The document", reason="Why, for the submitter and the history (optional)")
    @organiser_only()
    async def reject(self, interaction: discord.Interaction, number: str, reason: str | None = None) -> None:
        settings = await guild_settings(interaction)
        contribution = await self._find(interaction, number)
        decision = _rules.reject(_rules.clean_reason(reason))
        await self._apply(interaction, contribution, decision, settings, await self._meeting_of(contribution))

    @group.command(name="assign", description="Place a document under an agenda item (organisers)")
    @app_commands.describe(
        number="The document",
        agenda_item="The agenda item, e.g. 5.1 (or 'none' to take it off the agenda)",
    )
    @organiser_only()
    async def assign(self, interaction: discord.Interaction, number: str, agenda_item: str) -> None:
        settings = await guild_settings(interaction)
        contribution = await self._find(interaction, number)
        meeting = await self._meeting_of(contribution)
        if agenda_item.strip().casefold() in (_rules.NO_ITEM, "-", "no agenda item"):
            item = None
        else:
            item = _rules.find_agenda_item(await self.meetings.agenda(meeting.id), agenda_item, meeting.number)
            if item is None:
                raise UserError(
                    _(
                        "Give the agenda item's number, e.g. `{example}`, or `{none}` to take it off the agenda.",
                        example="5.1",
                        none=_rules.NO_ITEM,
                    )
                )
        await self._apply(interaction, contribution, _rules.assign(item), settings, meeting)

    @assign.autocomplete("agenda_item")
    async def _assign_item_autocomplete(self, interaction: discord.Interaction, current: str):
        if not await is_organiser(self.bot.db, interaction):
            return []  # /contribution assign is for organisers; its checks do not run for autocomplete
        try:
            ref = _rules.parse_number(getattr(interaction.namespace, "number", None))
        except UserError:
            return []
        choices = await self._item_choices(interaction, ref.meeting_number, current)
        return [*choices[:24], Choice(name=_("No agenda item (take it off the agenda)"), value=_rules.NO_ITEM)]

    @show.autocomplete("number")
    @revise.autocomplete("number")
    @withdraw.autocomplete("number")
    @accept.autocomplete("number")
    @reject.autocomplete("number")
    @assign.autocomplete("number")
    async def _number_autocomplete(self, interaction: discord.Interaction, current: str):
        if interaction.guild_id is None:
            return []
        # The commands' own checks do not run for autocomplete: decide here what the caller may pick.
        command = interaction.command.name if interaction.command is not None else None
        organiser = await is_organiser(self.bot.db, interaction)
        if command in ("accept", "reject", "assign") and not organiser:
            return []
        mine_only = command in ("revise", "withdraw") and not organiser
        docs = await self.repo.in_guild(
            interaction.guild_id,
            now=utcnow(),
            wanted=lambda c: _rules.matches(c, current),
            submitter_id=interaction.user.id if mine_only else None,
        )
        return [
            Choice(
                name=clip(f"{c.number} · {_text.short_status(c.status)} · {c.title}", 100),
                value=c.base_number,
            )
            for c in docs
        ]

    async def _apply(
        self,
        interaction: discord.Interaction,
        contribution: Contribution,
        decision: Decision,
        settings: GuildSettings,
        meeting: Meeting,
        *,
        upload: Upload | None = None,
    ) -> None:
        """Run a decision in one transaction, then announce, tell the submitter, refresh the agenda."""
        made: list[Change] = []

        def decide(current: Contribution) -> Change:
            change = decision(current)
            made.append(change)
            return change

        _before, after = await self.repo.change(contribution.id, actor_id=interaction.user.id, decide=decide)
        change = made[-1]
        log.info("Contribution %s %s by %s", after.number, change.action, interaction.user.id)
        await self._defer(interaction)
        notes: list[str] = []
        if change.action == "revised":
            url = await self._announce(after, meeting, settings, upload, notes)
            if url:
                notes.append(_("Announced here: {url}", url=url))
        else:
            await self._refresh_announcement(after, meeting)
        self.bot.dispatch(CONTRIBUTIONS_CHANGED, after.meeting_id)
        detail = change.detail
        if change.action == "assigned" and after.agenda_item_id is not None:
            # The submitter reads the item as the published agenda has it (the draft stays with organisers).
            shown = await published_item(self.bot.db, meeting.id, after.agenda_item_id)
            detail = f"{shown.number}: {shown.title}" if shown else _text.ITEM_NOT_PUBLISHED
        elif change.action == "assigned":
            detail = None  # taken off the agenda
        told = await self._tell_submitter(after, meeting, settings, change.action, interaction.user, detail)
        await reply(interaction, "\n".join([_text.done(change.action, after), *notes, *([told] if told else [])]))

    # =========================================================================================
    # Announcements and notices

    def _channel(self, settings: GuildSettings) -> discord.TextChannel | None:
        if settings.contributions_channel_id is None:
            return None
        channel = self.bot.get_channel(settings.contributions_channel_id)
        return channel if isinstance(channel, discord.TextChannel) else None

    def _embed(
        self, c: Contribution, meeting: Meeting, item: AgendaItem | None, *, heading: str | None
    ) -> discord.Embed:
        """The document card: an announcement when ``heading`` is given, else the full /contribution show."""
        embed = discord.Embed(
            title=clip(f"{c.number} · {safe_text.inline(c.title)}", 256),
            description=safe_text.block(c.abstract) or None,
            colour=STATUS_COLOURS[c.status],
        )
        if heading:
            embed.set_author(name=heading)
        embed.add_field(name=_("Source"), value=clip(_text.source_line(c), 1024), inline=True)
        embed.add_field(name=_("Meeting"), value=meeting_label(meeting), inline=True)
        item_text = _(_text.ITEM_NOT_PUBLISHED) if item is None and c.agenda_item_id else _text.item_label(item)
        embed.add_field(name=_("Agenda item"), value=clip(item_text, 1024), inline=True)
        status = _text.status_label(c)
        if c.status_reason:
            status += f"\n{safe_text.inline(clip(c.status_reason, 900))}"
        embed.add_field(name=_("Status"), value=status, inline=True)
        embed.add_field(
            name=_("Received"),
            value=f"{discord_ts(c.received_at, 'f')}\n{itu_time(c.received_at, meeting.timezone)}",
            inline=True,
        )
        if heading is None:
            # Only in /contribution show: the public announcement names the source, as ITU's list does.
            embed.add_field(name=_("Registered by"), value=f"<@{c.submitter_id}>", inline=True)
        if c.link:
            embed.add_field(name=_("Link"), value=clip(safe_text.inline(c.link), 1024), inline=False)
        if c.file_name:
            where = f"[{c.file_name}]({c.file_message_url})" if c.file_message_url else f"`{c.file_name}`"
            digest = f"SHA-256 `{c.file_sha256}`"  # the algorithm's name and the digest: the same in every language
            embed.add_field(
                name=_("File"), value=f"{where} · {_rules.human_size(c.file_size or 0)}\n{digest}", inline=False
            )
        embed.set_footer(text=f"{_(_rules.KIND_LABELS[c.kind])} · {c.group_code}")
        return embed

    async def _card(self, c: Contribution) -> discord.Embed:
        """The publisher's card for a document announced alone, in the server's languages."""
        meeting = await self.meetings.get(c.meeting_id)
        assert meeting is not None  # contributions reference their meeting; meetings are not deleted
        item = await published_item(self.bot.db, meeting.id, c.agenda_item_id)  # public: never the draft
        settings = await self.settings_repo.get(meeting.guild_id)
        return self._public_card(c, meeting, item, settings.language_list)

    def _public_card(
        self, c: Contribution, meeting: Meeting, item: AgendaItem | None, languages: Sequence[str]
    ) -> discord.Embed:
        """The announcement card: each server language's fields in turn (the first leads); the members'
        title and abstract, the heading and the footer once."""
        codes = [code for code in dict.fromkeys(languages) if code in i18n.LANGUAGES] or [i18n.SOURCE]
        headings, footers = [], []
        for code in codes:
            with i18n.locale(code):
                headings.append(_text.card_heading(c))
                footers.append(_(_rules.KIND_LABELS[c.kind]))
        first = codes[0]

        def build() -> discord.Embed:
            embed = self._embed(c, meeting, item, heading=" / ".join(dict.fromkeys(headings)))
            if i18n.current() != first:
                embed.title = embed.description = None
            embed.set_footer(text=f"{' / '.join(dict.fromkeys(footers))} · {c.group_code}")
            return embed

        return multilingual_embed(codes, build, what="announcement")

    async def _languages(self, c: Contribution) -> Sequence[str]:
        """The server languages of a document's meeting (public posts)."""
        meeting = await self.meetings.get(c.meeting_id)
        assert meeting is not None
        return (await self.settings_repo.get(meeting.guild_id)).language_list

    async def _announce(
        self,
        c: Contribution,
        meeting: Meeting,
        settings: GuildSettings,
        upload: Upload | None,
        notes: list[str],
    ) -> str | None:
        """Post the document (and re-post its file) in the contributions channel; keep where."""
        channel = self._channel(settings)
        if channel is None:
            notes.append(_(_text.NOT_ANNOUNCED_NO_CHANNEL, command=i18n.command("setup channels")))
            return None
        item = await published_item(self.bot.db, meeting.id, c.agenda_item_id)  # public: never the draft
        kwargs: dict[str, Any] = {"embed": self._public_card(c, meeting, item, settings.language_list)}
        if upload is not None:
            kwargs["file"] = discord.File(io.BytesIO(upload.data), filename=upload.name)
        try:
            message = await channel.send(allowed_mentions=SAFE_MENTIONS, **kwargs)
        except discord.HTTPException:
            log.warning("Could not announce contribution %s in channel %s", c.id, channel.id, exc_info=True)
            notes.append(
                _(_text.NOT_ANNOUNCED_FAILED_FILE, command=i18n.command("contribution revise"))
                if upload
                else _(_text.NOT_ANNOUNCED_FAILED)
            )
            return None
        file_url = message.jump_url if upload is not None else None
        await self.repo.record_post(
            c.id, c.revision, channel_id=channel.id, message_id=message.id, file_message_url=file_url
        )
        if file_url:
            # The embed links the file to the message that holds it (which never expires).
            fresh = await self.repo.get(c.id)
            if fresh is not None:
                try:
                    await message.edit(embed=self._public_card(fresh, meeting, item, settings.language_list))
                except discord.HTTPException:
                    log.debug("Could not add the file link to announcement %s", message.id, exc_info=True)
        return message.jump_url

    async def _refresh_announcement(self, c: Contribution, meeting: Meeting) -> None:
        """Best effort: the latest announcement shows the document's current status."""
        if c.announcement_channel_id is None or c.announcement_message_id is None:
            return
        channel = self.bot.get_channel(c.announcement_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        item = await published_item(self.bot.db, meeting.id, c.agenda_item_id)  # public: never the draft
        languages = (await self.settings_repo.get(meeting.guild_id)).language_list
        try:
            batch = await self.publisher.outbox.of_message(c.announcement_message_id)
            if batch:  # posted by the publisher: its message is rendered again from its entries
                embeds = await self.publisher.render(batch, batch[0].batch or batch[0].id)
            else:
                embeds = [self._public_card(c, meeting, item, languages)]
            await channel.get_partial_message(c.announcement_message_id).edit(embeds=embeds)
        except discord.HTTPException:
            log.info("Could not update the announcement of contribution %s", c.id, exc_info=True)

    async def _tell_submitter(
        self,
        c: Contribution,
        meeting: Meeting,
        settings: GuildSettings,
        action: str,
        actor: discord.abc.User,
        detail: str | None,
    ) -> str | None:
        """Someone else changed their document: a DM, or a mention in the channel if DMs are closed."""
        if actor.id == c.submitter_id:
            return None
        # Their own /language choice, else the server's first language (no interaction of theirs here).
        language = await LanguagesRepo(self.bot.db).member_choice(settings.guild_id, c.submitter_id)
        with i18n.locale(language if language in i18n.LANGUAGES else settings.language_list[0]):
            text = _text.notice(c, meeting, action, actor.mention, detail)
        user = self.bot.get_user(c.submitter_id)
        if user is None:
            try:
                user = await self.bot.fetch_user(c.submitter_id)
            except discord.HTTPException:
                user = None
        if user is not None:
            try:
                await user.send(text, allowed_mentions=SAFE_MENTIONS)
                return _(_text.TOLD_BY_DM)
            except discord.Forbidden:
                log.info("DMs closed for user %s; telling them in the contributions channel", c.submitter_id)
            except discord.HTTPException:
                log.warning("Could not DM user %s", c.submitter_id, exc_info=True)
        channel = self._channel(settings)
        if channel is not None:
            only_them = discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(c.submitter_id)], replied_user=False
            )
            try:
                await channel.send(f"<@{c.submitter_id}> {text}", allowed_mentions=only_them)
                return _(_text.TOLD_IN_CHANNEL)
            except discord.HTTPException:
                log.warning("Could not tell user %s in the contributions channel", c.submitter_id, exc_info=True)
        return _(_text.NOT_TOLD)

    # =========================================================================================
    # Helpers

    @staticmethod
    def _days(settings: GuildSettings, kind: str) -> int:
        return _rules.deadline_days(kind, settings.contribution_deadline_days, settings.posting_deadline_days)

    @staticmethod
    async def _defer(interaction: discord.Interaction) -> None:
        """Before slow work (downloads, uploads, DMs): the interaction must be answered within 3 s."""
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)

    async def _participant(self, interaction: discord.Interaction) -> GuildSettings:
        settings = await guild_settings(interaction)
        if not member_is_participant(interaction.user, settings):
            raise UserError(_(_text.PARTICIPANTS_ONLY))
        return settings

    async def _find(self, interaction: discord.Interaction, text: str) -> Contribution:
        assert interaction.guild_id is not None
        ref = _rules.parse_number(text)
        found = await self.repo.by_number(interaction.guild_id, ref.meeting_number, ref.kind, ref.seq)
        if found is None:
            settings = await self.settings_repo.get(interaction.guild_id)
            number = document_number(settings.group_code, ref.meeting_number, ref.kind, ref.seq)
            if is_agenda(ref.kind, ref.seq):
                meeting = await self.meetings.by_number(interaction.guild_id, ref.meeting_number)
                if meeting is not None:
                    raise UserError(_text.agenda_not_a_contribution(settings.group_code, meeting))
            raise UserError(
                _(
                    "There is no document {number} in this server. Pick one from the list "
                    "(`{command}` shows that meeting's documents).",
                    number=number,
                    command=f"{i18n.command('contribution list', 'meeting')}{ref.meeting_number}",
                )
            )
        return found

    async def _meeting_of(self, c: Contribution) -> Meeting:
        meeting = await self.meetings.get(c.meeting_id)
        assert meeting is not None  # contributions reference their meeting; meetings are not deleted
        return meeting

    async def _default_meeting(self, guild_id: int) -> Meeting | None:
        """The next scheduled meeting, else the latest one."""
        nearest = await self.meetings.next_meeting(guild_id, utcnow())
        if nearest is None:
            recent = await self.meetings.upcoming_first(guild_id, utcnow(), limit=1)
            nearest = recent[0] if recent else None
        return nearest

    async def _meeting_or_latest(self, interaction: discord.Interaction, number: int | None) -> Meeting:
        if number is not None:
            return await resolve_meeting(interaction, number)
        assert interaction.guild_id is not None
        meeting = await self._default_meeting(interaction.guild_id)
        if meeting is None:
            raise UserError(
                _(
                    "This server has no meetings yet (organisers create them with `{command}`).",
                    command=i18n.command("meeting create"),
                )
            )
        return meeting

    async def _meeting_for_autocomplete(self, interaction: discord.Interaction, number: Any) -> Meeting | None:
        if interaction.guild_id is None:
            return None
        if isinstance(number, int) or (isinstance(number, str) and number.strip().isdigit()):
            return await self.meetings.by_number(interaction.guild_id, int(number))
        return await self._default_meeting(interaction.guild_id)

    async def _item_choices(self, interaction: discord.Interaction, meeting_number: Any, current: str):
        meeting = await self._meeting_for_autocomplete(interaction, meeting_number)
        if meeting is None:
            return []
        text = current.strip().casefold()
        choices = []
        for item in await readable_agenda(self.bot.db, interaction, meeting):
            label = f"{item.number} {item.title}"
            if text and text not in label.casefold():
                continue
            choices.append(Choice(name=clip(label, 100), value=item.number))
        return choices[:25]
