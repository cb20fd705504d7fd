"""Agenda rules: the standard agenda, item references, placement, and how an agenda reads.

Pure: never imports discord. Items come from storage.meetings (numbers "5" and "5.1" derived from
positions); documents from storage.contributions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.core import house_style as hs
from cogs.core import i18n
from cogs.core.errors import UserError
from cogs.core.i18n import N_, translator
from cogs.core.meeting_choice import meeting_name
from cogs.core.safe_text import inline
from cogs.core.timefmt import GENEVA, discord_ts, itu_span
from storage.agenda import TemplateEntry
from storage.contributions import Contribution, agenda_number
from storage.meetings import AgendaItem, Meeting

MAX_ITEM_TITLE = 200
MAX_PRESENTER = 100
MAX_NOTE = 300
MAX_ITEMS = 150  # items and sub-items of one meeting
CLEAR = "-"

T = translator("agenda")
_, _n = T.gettext, T.ngettext

# Words shown inside f-strings (the extractor reads these definitions).
DRAFT_AGENDA = N_("Draft agenda")
# i18n: embed title (256)
CANCELLED = N_("CANCELLED")
LATE = N_("late")
DOCUMENT = N_("Document {number}")
WHEN = N_("When:")
WHERE = N_("Where:")
JOIN_ONLINE = N_("Join online:")
MEETING_CHAT = N_("Meeting chat:")
NOTE = N_("Note:")
AGENDA_HEADING = N_("Agenda")
UNASSIGNED = N_("Documents not yet assigned to an item")
PART = N_("part {index} of {total}")

# The standard CWG-COP agenda (DOMAIN.md): a starting point the chair edits.
# Its words are the bot's (translated into the server's first language when filled in); once in the
# agenda they are the chair's items, never translated again.
STANDARD_AGENDA: tuple[TemplateEntry, ...] = (
    TemplateEntry(N_("Opening of the meeting"), presenter=N_("Chair")),
    TemplateEntry(N_("Adoption of the agenda"), presenter=N_("Chair")),
    TemplateEntry(N_("Approval of the report of the previous meeting")),
    TemplateEntry(N_("Updates from the secretariat"), presenter=N_("Secretariat")),
    TemplateEntry(N_("Consideration of contributions")),
    TemplateEntry(N_("Results of the youth online consultation")),
    TemplateEntry(N_("Input to the Council and the Plenipotentiary Conference; dates of the next meeting")),
    TemplateEntry(N_("Any other business")),
    TemplateEntry(N_("Closing of the meeting"), presenter=N_("Chair")),
)


def standard_agenda() -> tuple[TemplateEntry, ...]:
    """The standard agenda in the current language."""
    return tuple(TemplateEntry(_(e.title), presenter=_(e.presenter) if e.presenter else None) for e in STANDARD_AGENDA)


# ---------------------------------------------------------------------------------------------
# Fields


def clean_item_title(text: str) -> str:
    title = " ".join((text or "").split())
    if not title:
        raise UserError(_("The item needs a title, e.g. `{example}`.", example=_("Consideration of contributions")))
    if len(title) > MAX_ITEM_TITLE:
        raise UserError(
            _n(
                "The title is {n} character long; keep it to {limit}.",
                "The title is {n} characters long; keep it to {limit}.",
                len(title),
                n=len(title),
                limit=MAX_ITEM_TITLE,
            )
        )
    return title


def clean_presenter(text: str | None) -> str | None:
    if text is None:
        return None
    presenter = " ".join(text.split())
    if len(presenter) > MAX_PRESENTER:
        raise UserError(
            _n(
                "The presenter is {n} character long; keep it to {limit}.",
                "The presenter is {n} characters long; keep it to {limit}.",
                len(presenter),
                n=len(presenter),
                limit=MAX_PRESENTER,
            )
        )
    return presenter or None


def clean_note(text: str | None) -> str | None:
    if text is None:
        return None
    note = " ".join(text.split())
    if len(note) > MAX_NOTE:
        raise UserError(
            _n(
                "The note is {n} character long; keep it to {limit}.",
                "The note is {n} characters long; keep it to {limit}.",
                len(note),
                n=len(note),
                limit=MAX_NOTE,
            )
        )
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


NOT_A_NUMBER = {
    "number": N_("`{text}` is not an agenda number. Write `3` for item 3 or `5.2` for sub-item 2 of item 5."),
    "item": N_("`{text}` is not an agenda item. Write `3` for item 3 or `5.2` for sub-item 2 of item 5."),
    "position": N_("`{text}` is not an agenda position. Write `3` for item 3 or `5.2` for sub-item 2 of item 5."),
}


def parse_number(text: str, what: str = "number") -> tuple[int, int | None]:
    """``5`` → (5, None); ``5.2`` → (5, 2)."""
    match = _NUMBER.match(text or "")
    if not match or int(match.group(1)) == 0 or (match.group(2) is not None and int(match.group(2)) == 0):
        raise UserError(_(NOT_A_NUMBER[what], text=(text or "").strip()))
    return int(match.group(1)), None if match.group(2) is None else int(match.group(2))


def find_item(items: Sequence[AgendaItem], reference: str, meeting_number: int) -> AgendaItem:
    """The item a user chose or typed, in this meeting's agenda; anything unclear is refused."""
    text = (reference or "").strip()
    if not items:
        raise UserError(_("The agenda of the {meeting} is empty.", meeting=meeting_name(meeting_number)))
    if text.lower().startswith(ID_PREFIX):
        wanted = text[len(ID_PREFIX) :].strip()
        found = next((i for i in items if str(i.id) == wanted), None)
        if found is None:
            raise UserError(
                _(
                    "That item is not on the agenda of the {meeting} (any more). Pick one from the list.",
                    meeting=meeting_name(meeting_number),
                )
            )
        return found
    if _NUMBER.match(text):
        top, sub = parse_number(text, "item")
        number = str(top) if sub is None else f"{top}.{sub}"
        found = next((i for i in items if i.number == number), None)
        if found is None:
            raise UserError(
                _(
                    "There is no item {number} on the agenda of the {meeting}.",
                    number=number,
                    meeting=meeting_name(meeting_number),
                )
            )
        return found
    lowered = text.lower()
    exact = [i for i in items if i.title.lower() == lowered]
    candidates = exact or [i for i in items if lowered and lowered in i.title.lower()]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UserError(
            _(
                "No item of the {meeting} matches `{text}`. Pick one from the list.",
                meeting=meeting_name(meeting_number),
                text=text,
            )
        )
    listed = i18n.format_list([f"{i.number} {i.title}" for i in candidates[:5]])
    raise UserError(
        _(
            "`{text}` matches several items ({listed}). Pick one from the list or type its number.",
            text=text,
            listed=listed,
        )
    )


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
        raise UserError(_("An agenda holds at most {limit} items and sub-items.", limit=MAX_ITEMS))
    tops = _tops(items)
    if number is not None and after is not None:
        raise UserError(
            _(
                "Give either `{number}` or `{after}`, not both.",
                number=i18n.option("number"),
                after=i18n.option("after"),
            )
        )
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
        raise UserError(_("Item {number} is already there.", number=item.number))
    return placement


def _place(tops: list[AgendaItem], items: Sequence[AgendaItem], target: str, moving: AgendaItem | None) -> Placement:
    top, sub = parse_number(target, "position" if moving else "number")
    if sub is None:
        if not 1 <= top <= len(tops) + 1:
            raise UserError(
                _n(
                    "There is {n} other item; choose a position from 1 to {last}.",
                    "There are {n} other items; choose a position from 1 to {last}.",
                    len(tops),
                    n=len(tops),
                    last=len(tops) + 1,
                )
            )
        return Placement(None, top, str(top))
    if moving is not None and _children(items, moving.id):
        raise UserError(
            _(
                "Item {number} has sub-items, so it cannot become a sub-item (two levels at most). "
                "Move or remove its sub-items first.",
                number=moving.number,
            )
        )
    if not 1 <= top <= len(tops):
        raise UserError(
            _n(
                "There is no item {top} to hold sub-item {sub} (the agenda has {n} item).",
                "There is no item {top} to hold sub-item {sub} (the agenda has {n} items).",
                len(tops),
                top=top,
                sub=f"{top}.{sub}",
                n=len(tops),
            )
        )
    parent = tops[top - 1]
    siblings = [c for c in _children(items, parent.id) if moving is None or c.id != moving.id]
    if not 1 <= sub <= len(siblings) + 1:
        raise UserError(
            _n(
                "Item {top} has {n} sub-item(s) besides this one; choose {first} to {last}.",
                "Item {top} has {n} sub-item(s) besides this one; choose {first} to {last}.",
                len(siblings),
                top=top,
                n=len(siblings),
                first=f"{top}.1",
                last=f"{top}.{len(siblings) + 1}",
            )
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
    # The languages it is shown in, the first leading (the post: the server's); empty: the current one.
    languages: tuple[str, ...] = ()


def _languages(view: AgendaView, languages: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(languages or view.languages or (i18n.current(),))


def each(languages: Sequence[str], render: Callable[[], str], separator: str = " / ") -> str:
    """``render()`` in each language, the first leading (the same words only once).

    Only the bot's own words go through here; members' words (titles, presenters) are written once.
    The post's size is kept within Discord's limits by :func:`paginate`.
    """
    parts: list[str] = []
    for code in dict.fromkeys(languages):
        with i18n.locale(code):
            text = render()
        if text not in parts:
            parts.append(text)
    return separator.join(parts)


def agenda_document_number(view: AgendaView) -> str:
    """The agenda is document 1 of the meeting (DOMAIN.md): ``CWG-COP-19/1``."""
    return agenda_number(view.group_code, view.meeting.number)


def revision_mark(revision: int | None) -> str:
    return f" (Rev.{revision})" if revision else ""


def geneva_date(instant: datetime) -> str:
    """``1 December 2026`` (Geneva's day) in the current language."""
    return i18n.format_date(instant, "long", zone=ZoneInfo(GENEVA))


def post_title(view: AgendaView, languages: Sequence[str] | None = None) -> str:
    codes = _languages(view, languages)
    # i18n: embed title (256)
    title = f"{each(codes, lambda: _(DRAFT_AGENDA))} · {view.meeting.title}{revision_mark(view.edition.revision)}"
    # i18n: embed title (256)
    return f"{each(codes, lambda: _(CANCELLED))} · {title}" if view.meeting.cancelled else title


DOC_MARKS = {"withdrawn": N_("withdrawn"), "rejected": N_("not accepted")}


def document_line(doc: Contribution, *, markdown: bool, languages: Sequence[str] = ()) -> str:
    codes = tuple(languages) or (i18n.current(),)
    text = f"{doc.number}: {doc.title} ({doc.source})"
    mark = each(codes, lambda: _(DOC_MARKS[doc.status])) if doc.status in DOC_MARKS else None
    if markdown:
        text = inline(text)
        if mark:
            return f"~~{text}~~ ({mark})"
    elif mark:
        return f"{text} [{mark}]"
    return text + (f" ({each(codes, lambda: _(LATE))})" if doc.is_late and not mark else "")


def minutes_text(minutes: int) -> str:
    return _n("{n} min", "{n} min", minutes, n=minutes)


def item_line(item: AgendaItem, *, markdown: bool, languages: Sequence[str] = ()) -> str:
    codes = tuple(languages) or (i18n.current(),)
    planned = each(codes, lambda: minutes_text(item.minutes)) if item.minutes else None
    extras = [x for x in (item.presenter, planned) if x]
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


def post_header(view: AgendaView, languages: Sequence[str] | None = None) -> str:
    codes = _languages(view, languages)
    m = view.meeting

    def label(word: Callable[[], str]) -> str:
        return f"**{each(codes, word)}**"

    lines = []
    if m.cancelled:
        if m.cancel_reason:
            reason = inline(m.cancel_reason)
            cancelled = each(
                codes,
                lambda: _("**This meeting has been cancelled.** Reason: {reason}", reason=reason),
                separator="\n",
            )
        else:
            cancelled = each(codes, lambda: _("**This meeting has been cancelled.**"), separator="\n")
        lines += [cancelled, ""]
    number = agenda_document_number(view)
    lines.append(f"**{each(codes, lambda: _(DOCUMENT, number=number))}**")
    lines.append(f"{label(lambda: _(WHEN))} {discord_ts(m.starts_at, 'F')} ({discord_ts(m.starts_at, 'R')})")
    lines.append(each(codes, lambda: itu_span(m.starts_at, m.ends_at), separator="\n"))
    if m.venue:
        lines.append(f"{label(lambda: _(WHERE))} {inline(m.venue)}")
    if m.link:
        lines.append(f"{label(lambda: _(JOIN_ONLINE))} {inline(m.link)}")
    if m.channel_id:
        lines.append(f"{label(lambda: _(MEETING_CHAT))} <#{m.channel_id}>")
    edition = view.edition
    if edition.revision and edition.published_at:
        published = edition.published_at
        note = f": {inline(edition.note)}" if edition.note else ""
        lines.append(f"**Rev.{edition.revision}** ({each(codes, lambda: geneva_date(published))}){note}")
    elif edition.revision == 0 and edition.note:
        lines.append(f"{label(lambda: _(NOTE))} {inline(edition.note)}")
    return "\n".join(lines)


def post_blocks(view: AgendaView, languages: Sequence[str] | None = None) -> list[str]:
    """One block of lines per top-level item (with its sub-items and documents), then the others."""
    codes = _languages(view, languages)
    by_item, other = _documents_by_item(view)
    blocks: list[str] = []
    current: list[str] = []
    for item in view.items:
        if item.parent_id is None and current:
            blocks.append("\n".join(current))
            current = []
        current.append(item_line(item, markdown=True, languages=codes))
        indent = "\u2003\u2003" if item.parent_id is not None else "\u2003"
        current += [f"{indent}• {document_line(d, markdown=True, languages=codes)}" for d in by_item.get(item.id, [])]
    if current:
        blocks.append("\n".join(current))
    if other:
        heading = each(codes, lambda: _("Documents not yet assigned to an item"))
        blocks.append(
            f"**{heading}**\n" + "\n".join(f"\u2003• {document_line(d, markdown=True, languages=codes)}" for d in other)
        )
    if not view.items:
        blocks.append(each(codes, lambda: _("*The agenda has no items yet.*"), separator="\n"))
    return blocks


def post_footer(view: AgendaView, languages: Sequence[str] | None = None) -> str:
    return each(_languages(view, languages), lambda: _footer(view.edition))


def _footer(edition: Edition) -> str:
    """The footer in the current language."""
    if edition.revision is None:
        if edition.unpublished_changes:
            return _("Draft, not yet published (unpublished changes)")
        return _("Draft, not yet published")
    first = edition.first_published_at or edition.published_at
    text = _("Published {date}", date=geneva_date(first)) if first else _("Published")
    if edition.revision:
        text += f" · Rev.{edition.revision}"
    if edition.unpublished_changes:
        text += " · " + _("the draft has unpublished changes")
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


def each_within(languages: Sequence[str], render: Callable[[], str], limit: int, separator: str = " / ") -> str:
    """:func:`each`, leaving out trailing languages (never the first) when all would pass ``limit``."""
    codes = list(dict.fromkeys(languages))
    while len(codes) > 1 and len(each(codes, render, separator)) > limit:
        codes.pop()
    return _cut(each(codes, render, separator), limit)


def paginate(
    title: str,
    header: str,
    blocks: Sequence[str],
    footer: str | Callable[[], str],
    languages: Sequence[str] = (),
) -> list[list[Page]]:
    """The embeds of each message: every message within Discord's limits, in reading order.

    ``footer`` may be a function rendering it in the current language: each language's footer then
    carries its own "part 2 of 3", and a language that would not fit is left out (never the first).
    """
    codes = tuple(languages) or (i18n.current(),)
    footer_words = footer if callable(footer) else (lambda: footer)
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
        continued = each(codes, lambda: _("(continued)"))
        head = _cut(title if index == 1 else f"{title} {continued}", TITLE_LIMIT)

        def tail_words(index: int = index) -> str:
            if total == 1:
                return footer_words()
            return f"{footer_words()} · {_(PART, index=index, total=total)}"

        tail = each_within(codes, tail_words, FOOTER_LIMIT)
        pages = []
        for k, description in enumerate(group):
            pages.append(
                Page(
                    title=head if k == 0 else None,
                    description=description,
                    footer=tail if k == len(group) - 1 else None,
                )
            )
        messages.append(pages)
    return messages


def post_pages(view: AgendaView, languages: Sequence[str] | None = None) -> list[list[Page]]:
    """The post's messages in ``languages`` (default: the view's, else the current language)."""
    codes = _languages(view, languages)
    return paginate(
        post_title(view, codes),
        post_header(view, codes),
        post_blocks(view, codes),
        lambda: _footer(view.edition),
        codes,
    )


# ---------------------------------------------------------------------------------------------
# The agenda as a document ("Document 1" of the meeting)


def _edition_words(view: AgendaView) -> str:
    edition = view.edition
    if edition.revision is None:
        return _("Draft agenda (not yet published)")
    return _("Draft agenda") + revision_mark(edition.revision)


def _when(m: Meeting) -> str:
    """Geneva time, or the meeting's own time then Geneva time when it is held elsewhere (house style)."""
    if i18n.current() == i18n.SOURCE:
        return hs.span_here_and_geneva(m.starts_at, m.ends_at, m.timezone)
    own = itu_span(m.starts_at, m.ends_at, m.timezone)
    if m.timezone in (GENEVA, "UTC"):
        return own
    return f"{own}; {itu_span(m.starts_at, m.ends_at)}"


def _cancelled(reason: str | None) -> str:
    if reason:
        return _("**This meeting has been cancelled.** Reason: {reason}", reason=reason)
    return _("**This meeting has been cancelled.**")


def _document_ref(number: str) -> str:
    return hs.document_ref(number) if i18n.current() == i18n.SOURCE else _("Document {number}", number=number)


def export_markdown(view: AgendaView) -> str:
    """Document 1 as Markdown, in the current language: titles and every other user text shown literally."""
    m = view.meeting
    md = hs.md_text
    by_item, other = _documents_by_item(view)
    out = [f"# {md(m.title)}", "", f"**{_document_ref(agenda_document_number(view))}** · {_edition_words(view)}", ""]
    if m.cancelled:
        out += [_cancelled(md(m.cancel_reason) if m.cancel_reason else None), ""]
    out.append(f"- **{_(WHEN)}** {_when(m)}")
    if m.venue:
        out.append(f"- **{_(WHERE)}** {md(m.venue)}")
    if m.link:
        out.append(f"- **{_(JOIN_ONLINE)}** <{m.link}>")
    edition = view.edition
    if edition.revision and edition.published_at:
        note = f": {md(edition.note)}" if edition.note else ""
        out.append(f"- **Rev.{edition.revision}** ({geneva_date(edition.published_at)}){note}")
    out += ["", f"## {_(AGENDA_HEADING)}", ""]
    if not view.items:
        out += [_("*No items yet.*"), ""]
    for item in view.items:
        extras = [x for x in (item.presenter, minutes_text(item.minutes) if item.minutes else None) if x]
        tail = f" ({md(', '.join(extras))})" if extras else ""
        level = "###" if item.parent_id is None else "####"
        out += [f"{level} {hs.agenda_item(item.number)} {md(item.title)}{tail}", ""]
        docs = by_item.get(item.id, [])
        if docs:
            out += [f"- {md(document_line(d, markdown=False))}" for d in docs]
            out.append("")
    if other:
        out += [f"## {_(UNASSIGNED)}", ""]
        out += [f"- {md(document_line(d, markdown=False))}" for d in other]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def export_text(view: AgendaView) -> str:
    """Document 1 as plain text, in the current language."""
    m = view.meeting
    by_item, other = _documents_by_item(view)
    out = [m.title, f"{_document_ref(agenda_document_number(view))} - {_edition_words(view)}", ""]
    if m.cancelled:
        if m.cancel_reason:
            out += [_("THIS MEETING HAS BEEN CANCELLED. Reason: {reason}", reason=m.cancel_reason), ""]
        else:
            out += [_("THIS MEETING HAS BEEN CANCELLED."), ""]
    labels = {"when": _("When:"), "where": _("Where:"), "join": _("Join:")}
    width = max(len(v) for v in labels.values()) + 1
    out.append(f"{labels['when'].ljust(width)}{_when(m)}")
    if m.venue:
        out.append(f"{labels['where'].ljust(width)}{m.venue}")
    if m.link:
        out.append(f"{labels['join'].ljust(width)}{m.link}")
    edition = view.edition
    if edition.revision and edition.published_at:
        note = f": {edition.note}" if edition.note else ""
        out.append(f"Rev.{edition.revision} ({geneva_date(edition.published_at)}){note}")
    # i18n: a heading in capitals where the language has them
    out += ["", _("AGENDA"), ""]
    for item in view.items:
        out.append(("    " if item.parent_id is not None else "") + item_line(item, markdown=False))
        pad = "          " if item.parent_id is not None else "      "
        out += [f"{pad}- {document_line(d, markdown=False)}" for d in by_item.get(item.id, [])]
    if other:
        out += ["", _("Documents not yet assigned to an item:")]
        out += [f"      - {document_line(d, markdown=False)}" for d in other]
    return "\n".join(out).rstrip() + "\n"
