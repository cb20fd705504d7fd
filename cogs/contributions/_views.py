"""The contributions feature's buttons and form: the agenda post's persistent "Register a
contribution" button, the registration form, and the small ephemeral views (confirm, pages).

Each one hands the work back to :class:`~cogs.contributions._cog.ContributionsCog`.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

import discord

from cogs.contributions import _rules, _text
from cogs.contributions._text import _
from cogs.core.custom_ids import REGISTER, REGISTER_TEMPLATE
from cogs.core.errors import UserError
from cogs.core.i18n import N_
from cogs.core.interactions import SafeModal, SafeView, guarded, reply
from cogs.core.timefmt import ordinal
from storage.meetings import AgendaItem, Meeting

if TYPE_CHECKING:
    from cogs.contributions._cog import ContributionsCog, Draft

CONFIRM_TIMEOUT = 300  # seconds the "Register anyway" / "Edit the form" buttons stay usable
PAGER_TIMEOUT = 900
FORM_TIMEOUT = 1800  # seconds this process keeps an open form; later (or after a restart) the cog's listener takes over
FORM_ID = "cwgcop:register-form:{meeting_id}:{nonce}"
FORM_ID_PATTERN = re.compile(r"cwgcop:register-form:(?P<meeting_id>[0-9]+):(?P<nonce>[0-9a-f]+)")


# Button labels, drawn when a view is made (during an interaction: in the member's language).
# i18n: button label (80)
EDIT_LABEL = N_("Edit the form")
# i18n: button label (80)
REGISTER_ANYWAY_LABEL = N_("Register anyway")
# i18n: button label (80)
CANCEL_LABEL = N_("Cancel")
# i18n: button label (80)
PREVIOUS_LABEL = N_("◀ Previous")
# i18n: button label (80)
NEXT_LABEL = N_("Next ▶")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RegisterButton(discord.ui.DynamicItem[discord.ui.Button], template=REGISTER_TEMPLATE):
    """The agenda post's "Register a contribution" button (posted by the agenda feature)."""

    def __init__(self, meeting_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=str(_text.REGISTER_BUTTON_LABEL),
                style=discord.ButtonStyle.primary,
                custom_id=REGISTER.format(meeting_id=meeting_id),
            )
        )
        self.meeting_id = meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> RegisterButton:
        return cls(int(match["meeting_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        from cogs.contributions._cog import ContributionsCog  # at call time: the cog module imports this one

        cog = interaction.client.get_cog(ContributionsCog.__cog_name__)  # type: ignore[attr-defined]
        if not isinstance(cog, ContributionsCog):
            raise UserError(_("Registration is not available right now; please try again in a minute."))
        await cog.open_form(interaction, self.meeting_id)


class RegisterForm(SafeModal):
    """Title, source, agenda item (its number, e.g. 5.1) and abstract."""

    def __init__(self, cog: ContributionsCog, meeting: Meeting, items: list[AgendaItem], typed: dict[str, str]) -> None:
        super().__init__(
            # i18n: modal title (45)
            title=clip(_("Register a document: {ordinal} meeting", ordinal=ordinal(meeting.number)), 45),
            timeout=FORM_TIMEOUT,
            custom_id=FORM_ID.format(meeting_id=meeting.id, nonce=secrets.token_hex(8)),
        )
        self.cog = cog
        cog.live_forms.add(self.custom_id)
        self.meeting_id = meeting.id
        numbers = ", ".join(i.number for i in items)
        self.doc_title = discord.ui.TextInput(
            # i18n: form field label (45)
            label=_("Title"),
            custom_id="title",
            default=(typed.get("title") or "")[: _rules.TITLE_MAX] or None,
            max_length=_rules.TITLE_MAX,
            # i18n: form placeholder (100)
            placeholder=_("e.g. Contribution from Ghana on age assurance"),
        )
        self.source = discord.ui.TextInput(
            # i18n: form field label (45)
            label=_("Source"),
            custom_id="source",
            default=(typed.get("source") or "")[: _rules.SOURCE_MAX] or None,
            max_length=_rules.SOURCE_MAX,
            # i18n: form placeholder (100)
            placeholder=_("e.g. Ghana, or an organisation's name"),
        )
        self.agenda_item = discord.ui.TextInput(
            # i18n: form field label (45)
            label=_("Agenda item number (optional)"),
            custom_id="agenda_item",
            default=(typed.get("agenda_item") or "")[:20] or None,
            required=False,
            max_length=20,
            placeholder=(
                # i18n: form placeholder (100)
                clip(_("e.g. {example} (items: {numbers})", example=items[-1].number, numbers=numbers), 100)
                if items
                # i18n: form placeholder (100)
                else _("No items yet")
            ),
        )
        self.abstract = discord.ui.TextInput(
            # i18n: form field label (45)
            label=_("Abstract (optional)"),
            custom_id="abstract",
            default=(typed.get("abstract") or "")[: _rules.ABSTRACT_MAX] or None,
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=_rules.ABSTRACT_MAX,
        )
        for field in (self.doc_title, self.source, self.agenda_item, self.abstract):
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            await self.cog.register_from_form(
                interaction,
                self.meeting_id,
                title=self.doc_title.value,
                source=self.source.value,
                item_text=self.agenda_item.value,
                abstract=self.abstract.value,
            )
        finally:
            self.cog.live_forms.discard(self.custom_id)

    async def on_timeout(self) -> None:
        self.cog.live_forms.discard(self.custom_id)


class ReopenForm(SafeView):
    """After a refused form: open it again with what was typed, to correct it."""

    def __init__(self, cog: ContributionsCog, owner_id: int, meeting_id: int, typed: dict[str, str]) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.cog = cog
        self.owner_id = owner_id
        self.meeting_id = meeting_id
        self.typed = typed
        self.reopen.label = _(EDIT_LABEL)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await reply(interaction, _(_text.NOT_YOURS))
            return False
        return True

    @discord.ui.button(label="Edit the form", style=discord.ButtonStyle.primary)
    async def reopen(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self.cog.open_form(interaction, self.meeting_id, self.typed)


class ConfirmDuplicate(SafeView):
    """Same title and source as an existing document: register anyway, or cancel."""

    def __init__(self, cog: ContributionsCog, owner_id: int, draft: Draft) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.cog = cog
        self.owner_id = owner_id
        self.draft = draft
        self.register_anyway.label = _(REGISTER_ANYWAY_LABEL)
        self.cancel.label = _(CANCEL_LABEL)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await reply(interaction, _(_text.NOT_YOURS))
            return False
        return True

    @discord.ui.button(label="Register anyway", style=discord.ButtonStyle.primary)
    async def register_anyway(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content=_("Registering…"), view=None)
        await self.cog._submit(interaction, self.draft, allow_duplicate=True)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content=_(_text.CANCELLED), view=None)


class Pager(SafeView):
    """Previous / Next over pages of embeds (the list is ephemeral: only its owner sees it)."""

    def __init__(self, owner_id: int, pages: list[discord.Embed]) -> None:
        super().__init__(timeout=PAGER_TIMEOUT)
        self.owner_id = owner_id
        self.pages = pages
        self.index = 0
        self.previous.label = _(PREVIOUS_LABEL)
        self.next.label = _(NEXT_LABEL)
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await reply(interaction, _(_text.NOT_YOURS))
            return False
        return True

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)
