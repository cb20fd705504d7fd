"""Agenda rules: the standard agenda, item references, placement, and how an agenda reads.

Pure: never imports discord. Items come from storage.meetings (numbers "5" and "5.1" derived from
positions); documents from storage.contributions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.core import house_style as hs
from cogs.core.errors import UserError
from cogs.core.safe_text import inline
from cogs.core.timefmt import GENEVA, discord_ts, itu_span, ordinal
from storage.agenda import TemplateEntry
from storage.contributions import Contribution, agenda_number
from storage.meetings import AgendaItem, Meeting

MAX_ITEM_TITLE = 200
MAX_PRESENTER = 100
MAX_NOTE = 300
MAX_ITEMS = 150  # items and sub-items of one meeting
CLEAR = "-"

# The standard CWG-COP agenda (DOMAIN.md): a starting point the chair edits.
STANDARD_AGENDA: tuple[TemplateEntry, ...] = (
    TemplateEntry("Opening of the meeting", presenter="Chair"),
    TemplateEntry("Adoption of the agenda", presenter="Chair"),
    TemplateEntry("Approval of the report of the previous meeting"),
    TemplateEntry("Updates from the secretariat", presenter="Secretariat"),
    TemplateEntry("Consideration of contributions"),
    TemplateEntry("Results of the youth online consultation"),
    TemplateEntry("Input to the Council and the Plenipotentiary Conference; dates of the next meeting"),
    TemplateEntry("Any other business"),
    TemplateEntry("Closing of the meeting", presenter="Chair"),
)


# ---------------------------------------------------------------------------------------------
# Fields


def clean_item_title(text: str) -> str:
    title = " ".join((text or "").split())
    if not title:
        raise UserError("The item needs a title, e.g. `Consideration of contributions`.")
    if len(title) > MAX_ITEM_TITLE:
        raise UserError(f"The title is {len(title)} characters long; keep it to {MAX_ITEM_TITLE}.")
    return title


def clean_presenter(text: str | None) -> str | None:
    if text is None:
        return None
    presenter = " ".join(text.split())
    if len(presenter) > MAX_PRESENTER:
        raise UserError(f"The presenter is {len(presenter)} characters long; keep it to {MAX_PRESENTER}.")
    return presenter or None


def clean_note(text: str | None) -> str | None:
    if text is None:
        return None
    note = " ".join(text.split())
    if len(note) > MAX_NOTE:
        raise UserError(f"The note is {len(note)} characters long; keep it to {MAX_NOTE}.")
    return note or None


# ---------------------------------------------------------------------------------------------
# Referring to an item: "id:42" (what the autocomplete list sends), "5.1" (typed), or a unique title

ID_PREFIX = "id:"
_NUMBER = re.compile(r"^\s*(?:item\s*)?(\d{1,3})(?:\.(\d{1,3}))?\.?\s*$", re.IGNORECASE)


def item_value(item: AgendaItem) -> str:
    """The option value of an item: its id, which no renumbering can change under the user's feet."""
    return f"{ID_PREFIX}{item.id}"


def item_label(item: AgendaItem) -> str:
    """``5. Consideration of contributions`` / ``5.1 Theme A`` as offered in the list (100 characters)."""
    label = f"{item.number}{'.' if item.parent_id is None else ''} {item.title}"
    return label if len(label) <= 100 else label[:99] + "…"


def item_matches(item: AgendaItem, typed: str) -> bool:
    text = typed.strip().lower()
    return not text or item_label(item).lower().startswith(text) or text in item.title.lower()


def parse_number(text: str, what: str = "number") -> tuple[int, int | None]:
    """``5`` → (5, None); ``5.2`` → (5, 2)."""
    match = _NUMBER.match(text or "")
    if not match or int(match.group(1)) == 0 or (match.group(2) is not None and int(match.group(2)) == 0):
        raise UserError(
            f"`{(text or '').strip()}` is not an agenda {what}. Write `3` for item 3 or `5.2` for sub-item 2 of item 5."
        )
    return int(match.group(1)), None if match.group(2) is None else int(match.group(2))


def find_item(items: Sequence[AgendaItem], reference: str, meeting_number: int) -> AgendaItem:
    """The item a user chose or typed, in this meeting's agenda; anything unclear is refused."""
    text = (reference or "").strip()
    if not items:
        raise UserError(f"The agenda of the {ordinal(meeting_number)} meeting is empty.")
    if text.lower().startswith(ID_PREFIX):
        wanted = text[len(ID_PREFIX) :].strip()
        found = next((i for i in items if str(i.id) == wanted), None)
        if found is None:
            raise UserError(
                f"That item is not on the agenda of the {ordinal(meeting_number)} meeting (any more). "
                "Pick one from the list."
            )
        return found
    if _NUMBER.match(text):
        top, sub = parse_number(text, "item")
        number = str(top) if sub is None else f"{top}.{sub}"
        found = next((i for i in items if i.number == number), None)
        if found is None:
            raise UserError(f"There is no item {number} on the agenda of the {ordinal(meeting_number)} meeting.")
        return found
    lowered = text.lower()
    exact = [i for i in items if i.title.lower() == lowered]
    candidates = exact or [i for i in items if lowered and lowered in i.title.lower()]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UserError(f"No item of the {ordinal(meeting_number)} meeting matches `{text}`. Pick one from the list.")
    listed = ", ".join(f"{i.number} {i.title}" for i in candidates[:5])
    raise UserError(f"`{text}` matches several items ({listed}). Pick one from the list or type its number.")


# ---------------------------------------------------------------------------------------------
# Placement: where an item goes, as (parent, position among its siblings)


@dataclass(frozen=True, slots=True)
class Placement:
    parent_id: int | None
    position: int  # 1-based among the siblings, not counting the item placed
    number: str  # the number the item will have


def _tops(items: Sequence[AgendaItem]) -> list[AgendaItem]:
    return [i for i in items if i.parent_id is None]


def _children(items: Sequence[AgendaItem], parent_id: int) -> list[AgendaItem]:
    return [i for i in items if i.parent_id == parent_id]


def place_new(items: Sequence[AgendaItem], *, number: str | None, after: AgendaItem | None) -> Placement:
    """/agenda add: at the end, at a given number (``3``, ``5.2``), or right after an item."""
    if len(items) >= MAX_ITEMS:
        raise UserError(f"An agenda holds at most {MAX_ITEMS} items and sub-items.")
    tops = _tops(items)
    if number is not None and after is not None:
        raise UserError("Give either `number` or `after`, not both.")
    if after is not None:
        if after.parent_id is None:
            index = next(k for k, t in enumerate(tops) if t.id == after.id)
            return Placement(None, index + 2, str(index + 2))
        siblings = _children(items, after.parent_id)
        index = next(k for k, s in enumerate(siblings) if s.id == after.id)
        head = after.number.split(".")[0]
        return Placement(after.parent_id, index + 2, f"{head}.{index + 2}")
    if number is None:
        return Placement(None, len(tops) + 1, str(len(tops) + 1))
    return _place(tops, items, number, moving=None)


def place_move(items: Sequence[AgendaItem], item: AgendaItem, target: str) -> Placement:
    """/agenda move: ``target`` is the number the item will have afterwards."""
    tops = [t for t in _tops(items) if t.id != item.id]
    placement = _place(tops, items, target, moving=item)
    if placement.number == item.number and placement.parent_id == item.parent_id:
        raise UserError(f"Item {item.number} is already there.")
    return placement


def _place(tops: list[AgendaItem], items: Sequence[AgendaItem], target: str, moving: AgendaItem | None) -> Placement:
    top, sub = parse_number(target, "position" if moving else "number")
    if sub is None:
        if not 1 <= top <= len(tops) + 1:
            raise UserError(f"There are {len(tops)} other items; choose a position from 1 to {len(tops) + 1}.")
        return Placement(None, top, str(top))
    if moving is not None and _children(items, moving.id):
        raise UserError(
            f"Item {moving.number} has sub-items, so it cannot become a sub-item (two levels at most). "
            "Move or remove its sub-items first."
        )
    if not 1 <= top <= len(tops):
        raise UserError(f"There is no item {top} to hold sub-item {top}.{sub} (the agenda has {len(tops)} items).")
    parent = tops[top - 1]
    siblings = [c for c in _children(items, parent.id) if moving is None or c.id != moving.id]
    if not 1 <= sub <= len(siblings) + 1:
        raise UserError(
            f"Item {top} has {len(siblings)} sub-item(s) besides this one; choose {top}.1 to {top}.{len(siblings) + 1}."
        )
    return Placement(parent.id, sub, f"{top}.{sub}")


# ---------------------------------------------------------------------------------------------
# How an agenda reads


@dataclass(frozen=True, slots=True)
class Edition:
    """Which agenda is shown: a published revision, or the current draft (revision None)."""

    revision: int | None
    note: str | None = None
    published_at: datetime | None = None  # when this revision was published
    first_published_at: datetime | None = None
    unpublished_changes: bool = False  # the draft differs from the latest published revision


@dataclass(frozen=True, slots=True)
class AgendaView:
    meeting: Meeting
    group_code: str
    items: Sequence[AgendaItem]
    documents: Sequence[Contribution]
    edition: Edition


def agenda_document_number(view: AgendaView) -> str:
    """The agenda is document 1 of the meeting (DOMAIN.md): ``CWG-COP-19/1``."""
    return agenda_number(view.group_code, view.meeting.number)


def revision_mark(revision: int | None) -> str:
    return f" (Rev.{revision})" if revision else ""


def geneva_date(instant: datetime) -> str:
    local = instant.astimezone(ZoneInfo(GENEVA))
    return f"{local.day} {local:%B %Y}"


def post_title(view: AgendaView) -> str:
    title = f"Draft agenda · {view.meeting.title}{revision_mark(view.edition.revision)}"
    return ("CANCELLED · " + title) if view.meeting.cancelled else title


DOC_MARKS = {"withdrawn": "withdrawn", "rejected": "not accepted"}


def document_line(doc: Contribution, *, markdown: bool) -> str:
    text = f"{doc.number}: {doc.title} ({doc.source})"
    mark = DOC_MARKS.get(doc.status)
    if markdown:
        text = inline(text)
        if mark:
            return f"~~{text}~~ ({mark})"
    elif mark:
        return f"{text} [{mark}]"
    return text + (" (late)" if doc.is_late and not mark else "")


def item_line(item: AgendaItem, *, markdown: bool) -> str:
    extras = [x for x in (item.presenter, f"{item.minutes} min" if item.minutes else None) if x]
    tail = f" ({', '.join(extras)})" if extras else ""
    if not markdown:
        return f"{hs.agenda_item(item.number):<6}{item.title}{tail}"
    if item.parent_id is None:
        return f"**{item.number}. {inline(item.title)}**{inline(tail)}"
    return f"\u2003{item.number} {inline(item.title)}{inline(tail)}"


def _documents_by_item(view: AgendaView) -> tuple[dict[int, list[Contribution]], list[Contribution]]:
    shown = {i.id for i in view.items}
    by_item: dict[int, list[Contribution]] = {}
    other: list[Contribution] = []
    for doc in view.documents:
        if doc.agenda_item_id in shown:
            by_item.setdefault(doc.agenda_item_id, []).append(doc)
        else:
            other.append(doc)
    return by_item, other


def post_header(view: AgendaView) -> str:
    m = view.meeting
    lines = []
    if m.cancelled:
        reason = f" Reason: {inline(m.cancel_reason)}" if m.cancel_reason else ""
        lines += [f"**This meeting has been cancelled.**{reason}", ""]
    lines.append(f"**Document {agenda_document_number(view)}**")
    lines.append(f"**When:** {discord_ts(m.starts_at, 'F')} ({discord_ts(m.starts_at, 'R')})")
    lines.append(itu_span(m.starts_at, m.ends_at))
    if m.venue:
        lines.append(f"**Where:** {inline(m.venue)}")
    if m.link:
        lines.append(f"**Join online:** {inline(m.link)}")
    if m.channel_id:
        lines.append(f"**Meeting chat:** <#{m.channel_id}>")
    edition = view.edition
    if edition.revision and edition.published_at:
        note = f": {inline(edition.note)}" if edition.note else ""
        lines.append(f"**Rev.{edition.revision}** ({geneva_date(edition.published_at)}){note}")
    elif edition.revision == 0 and edition.note:
        lines.append(f"**Note:** {inline(edition.note)}")
    return "\n".join(lines)


def post_blocks(view: AgendaView) -> list[str]:
    """One block of lines per top-level item (with its sub-items and documents), then the others."""
    by_item, other = _documents_by_item(view)
    blocks: list[str] = []
    current: list[str] = []
    for item in view.items:
        if item.parent_id is None and current:
            blocks.append("\n".join(current))
            current = []
        current.append(item_line(item, markdown=True))
        indent = "\u2003\u2003" if item.parent_id is not None else "\u2003"
        current += [f"{indent}• {document_line(d, markdown=True)}" for d in by_item.get(item.id, [])]
    if current:
        blocks.append("\n".join(current))
    if other:
        blocks.append(
            "**Documents not yet assigned to an item**\n"
            + "\n".join(f"\u2003• {document_line(d, markdown=True)}" for d in other)
        )
    if not view.items:
        blocks.append("*The agenda has no items yet.*")
    return blocks


def post_footer(view: AgendaView) -> str:
    edition = view.edition
    if edition.revision is None:
        return "Draft, not yet published" + (" (unpublished changes)" if edition.unpublished_changes else "")
    first = edition.first_published_at or edition.published_at
    text = f"Published {geneva_date(first)}" if first else "Published"
    if edition.revision:
        text += f" · Rev.{edition.revision}"
    if edition.unpublished_changes:
        text += " · the draft has unpublished changes"
    return text


# ---------------------------------------------------------------------------------------------
# Splitting a long agenda so that Discord never refuses it


DESCRIPTION_LIMIT = 4000  # Discord: 4096 per embed description
MESSAGE_BUDGET = 5500  # Discord: 6000 for all embeds of a message, titles and footers included
EMBEDS_PER_MESSAGE = 10
LINE_LIMIT = 1000
TITLE_LIMIT = 256
FOOTER_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Page:
    title: str | None
    description: str
    footer: str | None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pack(blocks: Sequence[str], limit: int = DESCRIPTION_LIMIT) -> list[str]:
    """Blocks → descriptions of at most ``limit`` characters; a block is split only if it must be."""
    pages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pages.append(current)
            current = ""
        if len(block) <= limit:
            current = block
            continue
        for line in block.split("\n"):
            line = _cut(line, LINE_LIMIT)
            candidate = f"{current}\n{line}" if current else line
            if len(candidate) <= limit:
                current = candidate
            else:
                pages.append(current)
                current = line
    if current:
        pages.append(current)
    return pages or [""]


def paginate(title: str, header: str, blocks: Sequence[str], footer: str) -> list[list[Page]]:
    """The embeds of each message: every message within Discord's limits, in reading order."""
    descriptions = pack([header, *blocks])
    groups: list[list[str]] = [[]]
    size = 0
    for description in descriptions:
        if groups[-1] and (size + len(description) > MESSAGE_BUDGET or len(groups[-1]) == EMBEDS_PER_MESSAGE):
            groups.append([])
            size = 0
        groups[-1].append(description)
        size += len(description)
    total = len(groups)
    messages: list[list[Page]] = []
    for index, group in enumerate(groups, start=1):
        head = _cut(title if index == 1 else f"{title} (continued)", TITLE_LIMIT)
        tail = footer if total == 1 else f"{footer} · part {index} of {total}"
        pages = []
        for k, description in enumerate(group):
            pages.append(
                Page(
                    title=head if k == 0 else None,
                    description=description,
                    footer=_cut(tail, FOOTER_LIMIT) if k == len(group) - 1 else None,
                )
            )
        messages.append(pages)
    return messages


def post_pages(view: AgendaView) -> list[list[Page]]:
    return paginate(post_title(view), post_header(view), post_blocks(view), post_footer(view))


# ---------------------------------------------------------------------------------------------
# The agenda as a document ("Document 1" of the meeting)


def _edition_words(view: AgendaView) -> str:
    edition = view.edition
    if edition.revision is None:
        return "Draft agenda (not yet published)"
    return "Draft agenda" + revision_mark(edition.revision)


def _when(m: Meeting) -> str:
    """Geneva time, or the meeting's own time then Geneva time when it is held elsewhere (house style)."""
    return hs.span_here_and_geneva(m.starts_at, m.ends_at, m.timezone)


def export_markdown(view: AgendaView) -> str:
    """Document 1 as Markdown: titles and every other user text shown literally (house style)."""
    m = view.meeting
    md = hs.md_text
    by_item, other = _documents_by_item(view)
    out = [f"# {md(m.title)}", "", f"**{hs.document_ref(agenda_document_number(view))}** · {_edition_words(view)}", ""]
    if m.cancelled:
        reason = f" Reason: {md(m.cancel_reason)}" if m.cancel_reason else ""
        out += [f"**This meeting has been cancelled.**{reason}", ""]
    out.append(f"- **When:** {_when(m)}")
    if m.venue:
        out.append(f"- **Where:** {md(m.venue)}")
    if m.link:
        out.append(f"- **Join online:** <{m.link}>")
    edition = view.edition
    if edition.revision and edition.published_at:
        note = f": {md(edition.note)}" if edition.note else ""
        out.append(f"- **Rev.{edition.revision}** ({geneva_date(edition.published_at)}){note}")
    out += ["", "## Agenda", ""]
    if not view.items:
        out += ["*No items yet.*", ""]
    for item in view.items:
        extras = [x for x in (item.presenter, f"{item.minutes} min" if item.minutes else None) if x]
        tail = f" ({md(', '.join(extras))})" if extras else ""
        level = "###" if item.parent_id is None else "####"
        out += [f"{level} {hs.agenda_item(item.number)} {md(item.title)}{tail}", ""]
        docs = by_item.get(item.id, [])
        if docs:
            out += [f"- {md(document_line(d, markdown=False))}" for d in docs]
            out.append("")
    if other:
        out += ["## Documents not yet assigned to an item", ""]
        out += [f"- {md(document_line(d, markdown=False))}" for d in other]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def export_text(view: AgendaView) -> str:
    m = view.meeting
    by_item, other = _documents_by_item(view)
    out = [m.title, f"Document {agenda_document_number(view)} - {_edition_words(view)}", ""]
    if m.cancelled:
        out += [f"THIS MEETING HAS BEEN CANCELLED.{(' Reason: ' + m.cancel_reason) if m.cancel_reason else ''}", ""]
    out.append(f"When:  {_when(m)}")
    if m.venue:
        out.append(f"Where: {m.venue}")
    if m.link:
        out.append(f"Join:  {m.link}")
    edition = view.edition
    if edition.revision and edition.published_at:
        note = f": {edition.note}" if edition.note else ""
        out.append(f"Rev.{edition.revision} ({geneva_date(edition.published_at)}){note}")
    out += ["", "AGENDA", ""]
    for item in view.items:
        out.append(("    " if item.parent_id is not None else "") + item_line(item, markdown=False))
        pad = "          " if item.parent_id is not None else "      "
        out += [f"{pad}- {document_line(d, markdown=False)}" for d in by_item.get(item.id, [])]
    if other:
        out += ["", "Documents not yet assigned to an item:"]
        out += [f"      - {document_line(d, markdown=False)}" for d in other]
    return "\n".join(out).rstrip() + "\n"
