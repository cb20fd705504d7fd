"""Contribution rules: validation, deadlines, numbers, decisions and exports.

Pure: plain values in, plain values (or a UserError saying what to fix) out. Never imports discord.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from cogs.core import house_style as hs
from cogs.core import i18n
from cogs.core.errors import UserError
from cogs.core.i18n import N_, format_date, format_list, translator
from cogs.core.timefmt import GENEVA, calendar_days_before, ordinal
from storage.contributions import (
    KIND_CONTRIBUTION,
    KIND_INFORMATION,
    SOURCE_TYPES,
    Change,
    Contribution,
    Decision,
)
from storage.meetings import AgendaItem, Meeting

T = translator("contributions")  # the same object _text uses (_text imports this module)
_, _n = T.gettext, T.ngettext

# ---------------------------------------------------------------------------------------------
# Limits (stated in every refusal)

TITLE_MAX = 200
SOURCE_MAX = 100
ABSTRACT_MAX = 1000
REASON_MAX = 500
LINK_MAX = 500
FILE_NAME_MAX = 120

# English msgids: translate where shown (``_(STATUS_LABELS[status])``).
STATUS_LABELS = {
    "submitted": N_("Submitted"),
    "accepted": N_("Accepted"),
    "late": N_("Late: awaiting the chair"),
    "rejected": N_("Not accepted"),
    "withdrawn": N_("Withdrawn"),
}
SOURCE_TYPE_LABELS = {
    "member_state": N_("Member State"),
    "sector_member": N_("Sector Member"),
    "organisation": N_("International organisation"),
    "academia": N_("Academia"),
    "civil_society": N_("Civil society"),
    "youth": N_("Youth"),
    "secretariat": N_("Secretariat"),
    "chair": N_("Chair"),
    "other": N_("Other"),
}
assert tuple(SOURCE_TYPE_LABELS) == SOURCE_TYPES
KIND_LABELS = {KIND_CONTRIBUTION: N_("Contribution"), KIND_INFORMATION: N_("Information document")}

# One sentence per field (the field's name agrees with the words around it in other languages).
_EMPTY = {
    "title": N_("The title is empty. Give a title of 1 to {limit} characters."),
    "source": N_("The source is empty. Give a source of 1 to {limit} characters."),
    "reason": N_("The reason is empty. Give a reason of 1 to {limit} characters."),
}
_TOO_LONG = {
    "title": N_("The title is too long ({length} characters); keep it to {limit} characters or fewer."),
    "source": N_("The source is too long ({length} characters); keep it to {limit} characters or fewer."),
    "reason": N_("The reason is too long ({length} characters); keep it to {limit} characters or fewer."),
}


# ---------------------------------------------------------------------------------------------
# Text fields


def _clean(value: str | None, *, what: str, limit: int, required: bool) -> str | None:
    text = " ".join((value or "").split())  # one line, single spaces
    if not text:
        if required:
            raise UserError(_(_EMPTY[what], limit=limit))
        return None
    if len(text) > limit:
        raise UserError(_(_TOO_LONG[what], length=len(text), limit=limit))
    return text


def clean_title(value: str | None) -> str:
    return _clean(value, what="title", limit=TITLE_MAX, required=True)  # type: ignore[return-value]


def clean_source(value: str | None) -> str:
    return _clean(value, what="source", limit=SOURCE_MAX, required=True)  # type: ignore[return-value]


def clean_reason(value: str | None) -> str | None:
    return _clean(value, what="reason", limit=REASON_MAX, required=False)


def clean_abstract(value: str | None) -> str | None:
    """Paragraphs are kept (an abstract may have several); blank lines collapse to one."""
    lines = [" ".join(line.split()) for line in (value or "").strip().splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not text:
        return None
    if len(text) > ABSTRACT_MAX:
        raise UserError(
            _(
                "The abstract is too long ({length} characters); keep it to {limit} characters or fewer "
                "(the full text belongs in the document).",
                length=len(text),
                limit=ABSTRACT_MAX,
            )
        )
    return text


def clean_link(value: str | None) -> str | None:
    raw = (value or "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if (
        parsed.scheme.lower() not in ("http", "https")
        or not parsed.hostname
        or any(ch.isspace() for ch in raw)
        or len(raw) > LINK_MAX
    ):
        raise UserError(
            _(
                "`{link}` is not a web link I can keep. Give a full http:// or https:// address "
                "(up to {limit} characters), e.g. `{example}`.",
                link=raw[:100],
                limit=LINK_MAX,
                example="https://www.itu.int/md/S22-CWGCOP18-C-0003/en",
            )
        )
    return raw


def clean_source_type(value: str | None) -> str | None:
    if value is None:
        return None
    if value not in SOURCE_TYPES:
        raise UserError(_("`{value}` is not a source type; pick one from the list.", value=value))
    return value


def clean_kind(value: str | None) -> str:
    if value in (None, KIND_CONTRIBUTION):
        return KIND_CONTRIBUTION
    if value == KIND_INFORMATION:
        return KIND_INFORMATION
    raise UserError(_("`{value}` is not a document kind; choose contribution or information.", value=value))


# ---------------------------------------------------------------------------------------------
# Files


def allowed_types(setting: str) -> tuple[str, ...]:
    return tuple(t.strip().lower().lstrip(".") for t in setting.split(",") if t.strip())


def human_size(size: int) -> str:
    if size < 1024:
        return _n("{n} byte", "{n} bytes", size, n=size)
    if size < 1024 * 1024:
        return _("{size} KB", size=f"{size / 1024:.0f}")
    return _("{size} MB", size=f"{size / (1024 * 1024):.1f}")


_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def check_file(name: str, size: int, *, max_mb: int, allowed: str, upload_limit: int | None) -> str:
    """Refuse a file by type or size (saying why), before anything is downloaded; return a safe name."""
    base = name.replace("\\", "/").rpartition("/")[2]
    stem, dot, extension = base.rpartition(".")  # the last dot: "CWG-COP-19.3 Ghana.docx" is a .docx
    extension = extension.lower() if dot else ""
    types = allowed_types(allowed)
    if extension not in types:
        shown = ", ".join(f".{t}" for t in types)
        if extension:
            refusal = _(
                "`{name}` is a .{extension} file; this server accepts {types}. Convert it or share a link instead.",
                name=base[:100],
                extension=extension,
                types=shown,
            )
        else:
            refusal = _(
                "`{name}` is a file without an extension; this server accepts {types}. "
                "Convert it or share a link instead.",
                name=base[:100],
                types=shown,
            )
        raise UserError(refusal)
    if size <= 0:
        raise UserError(_("`{name}` is empty. Attach the document itself.", name=base[:100]))
    limit = max_mb * 1024 * 1024
    if size > limit:
        raise UserError(
            _(
                "`{name}` is {size}; this server accepts files up to {max_mb} MB. "
                "Compress it, or upload it elsewhere and give the `link` instead.",
                name=base[:100],
                size=human_size(size),
                max_mb=max_mb,
            )
        )
    if upload_limit is not None and size > upload_limit:
        raise UserError(
            _(
                "`{name}` is {size}, more than Discord lets me re-post in this server "
                "({limit}). Upload it elsewhere and give the `link` instead.",
                name=base[:100],
                size=human_size(size),
                limit=human_size(upload_limit),
            )
        )
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._") or "document"
    return f"{stem[: FILE_NAME_MAX - len(extension) - 1]}.{extension}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# Deadlines


def deadline_days(kind: str, contribution_days: int, posting_days: int) -> int:
    """Contributions: ``contribution_deadline_days``. Information documents are not contributions;
    Council Decision 556 only asks that every document be posted ``posting_deadline_days`` before."""
    return posting_days if kind == KIND_INFORMATION else contribution_days


def deadline_for(meeting: Meeting, days: int) -> datetime:
    """``days`` Geneva calendar days before the opening, at the opening's Geneva clock time (DST-safe).

    Council Decision 556 counts Geneva calendar days whatever the meeting's own zone: a meeting held in
    New York has the same deadline as one opening at that instant in Geneva."""
    return calendar_days_before(meeting.starts_at, days)  # tz_name defaults to Geneva


@dataclass(frozen=True, slots=True)
class Timing:
    deadline: datetime
    late: bool

    @property
    def status(self) -> str:
        return "late" if self.late else "submitted"


def ensure_open(meeting: Meeting, now: datetime) -> None:
    """A cancelled or finished meeting takes no more documents."""
    if meeting.cancelled:
        raise UserError(
            _(
                "The {ordinal} meeting was cancelled, so it takes no documents. Register it for another meeting.",
                ordinal=ordinal(meeting.number),
            )
        )
    if meeting.has_ended(now):
        raise UserError(
            _(
                "The {ordinal} meeting has ended, so it takes no more documents. Register it for the next meeting.",
                ordinal=ordinal(meeting.number),
            )
        )


def timing(meeting: Meeting, now: datetime, days: int) -> Timing:
    """Is a document received ``now`` on time? (Refuses a cancelled or finished meeting.)"""
    ensure_open(meeting, now)
    due = deadline_for(meeting, days)
    return Timing(deadline=due, late=now > due)


# ---------------------------------------------------------------------------------------------
# Numbers typed or picked: "CWG-COP-19/3", "19/3", "19/INF/1", "CWG-COP-19/5(Rev.1)"

_NUMBER = re.compile(
    r"(?:^|[-\s#])(?P<meeting>\d{1,4})\s*/\s*(?:(?P<inf>inf)\s*/\s*)?(?P<seq>\d{1,5})"
    r"\s*(?:\(\s*rev\.?\s*\d+\s*\))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NumberRef:
    meeting_number: int
    kind: str
    seq: int


def parse_number(text: str | None) -> NumberRef:
    raw = (text or "").strip()
    match = _NUMBER.search(raw)
    if not match:
        raise UserError(
            _(
                "`{text}` is not a document number. Pick one from the list, or type it as {examples}.",
                text=raw[:60] or " ",
                examples=format_list(["`CWG-COP-19/3`", "`19/3`", "`19/INF/1`"], style="or"),
            )
        )
    kind = KIND_INFORMATION if match.group("inf") else KIND_CONTRIBUTION
    return NumberRef(int(match.group("meeting")), kind, int(match.group("seq")))


def matches(contribution: Contribution, text: str) -> bool:
    """For pickers: does the typed text match the number, title or source?"""
    wanted = text.strip().casefold()
    if not wanted:
        return True
    haystack = f"{contribution.number} {contribution.title} {contribution.source}".casefold()
    if wanted in haystack:
        return True
    try:
        ref = parse_number(text)
    except UserError:
        return False
    return (ref.meeting_number, ref.kind, ref.seq) == (
        contribution.meeting_number,
        contribution.kind,
        contribution.seq,
    )


# ---------------------------------------------------------------------------------------------
# Agenda items ("5.1", "item 5.1", "5.1 Youth consultation")

_ITEM_NUMBER = re.compile(r"^(?:item\s*)?(\d{1,2}(?:\.\d{1,2})?)\.?(?:\s|$)", re.IGNORECASE)
NO_ITEM = "none"


def find_agenda_item(items: Sequence[AgendaItem], text: str | None, meeting_number: int) -> AgendaItem | None:
    """The item numbered ``text`` on the agenda; None for an empty text. Unknown numbers are refused."""
    raw = (text or "").strip()
    if not raw:
        return None
    match = _ITEM_NUMBER.match(raw)
    wanted = match.group(1) if match else None
    for item in items:
        if item.number == wanted:
            return item
    if not items:
        raise UserError(
            _(
                "The {ordinal} meeting has no agenda items yet, so `{text}` cannot be used. "
                "Leave the agenda item empty; an organiser can assign it later.",
                ordinal=ordinal(meeting_number),
                text=raw[:40],
            )
        )
    numbers = ", ".join(i.number for i in items)
    raise UserError(
        _(
            "The {ordinal} meeting has no agenda item `{text}`. "
            "Its items are {numbers}; give one of those numbers (e.g. `{example}`) or leave it empty.",
            ordinal=ordinal(meeting_number),
            text=raw[:40],
            numbers=numbers,
            example=items[-1].number,
        )
    )


# ---------------------------------------------------------------------------------------------
# Who may change a document


def may_manage(contribution: Contribution, user_id: int, is_organiser: bool) -> bool:
    return is_organiser or contribution.submitter_id == user_id


# ---------------------------------------------------------------------------------------------
# Decisions: run inside the storage transaction on the current row, so a decision always sees
# the latest state (two organisers clicking at once cannot both "accept").


_WITHDRAWN = {
    "accepted": N_("{number} was withdrawn, so it cannot be accepted. Its number stays reserved."),
    "rejected": N_("{number} was withdrawn, so it cannot be rejected. Its number stays reserved."),
    "assigned": N_("{number} was withdrawn, so it cannot be assigned. Its number stays reserved."),
    "revised": N_("{number} was withdrawn, so it cannot be revised. Its number stays reserved."),
}


def _not_withdrawn(c: Contribution, doing: str) -> None:
    if c.status == "withdrawn":
        raise UserError(_(_WITHDRAWN[doing], number=c.number))


def accept(reason: str | None) -> Decision:
    def decide(c: Contribution) -> Change:
        _not_withdrawn(c, "accepted")
        if c.status == "accepted":
            raise UserError(_("{number} is already accepted.", number=c.number))
        return Change("accepted", {"status": "accepted", "status_reason": reason}, reason)

    return decide


def reject(reason: str | None) -> Decision:
    def decide(c: Contribution) -> Change:
        _not_withdrawn(c, "rejected")
        if c.status == "rejected":
            raise UserError(_("{number} is already marked as not accepted.", number=c.number))
        return Change("rejected", {"status": "rejected", "status_reason": reason}, reason)

    return decide


def withdraw(reason: str | None) -> Decision:
    def decide(c: Contribution) -> Change:
        if c.status == "withdrawn":
            raise UserError(_("{number} is already withdrawn.", number=c.number))
        return Change("withdrawn", {"status": "withdrawn", "status_reason": reason}, reason)

    return decide


def assign(item: AgendaItem | None) -> Decision:
    def decide(c: Contribution) -> Change:
        _not_withdrawn(c, "assigned")
        new_id = None if item is None else item.id
        if c.agenda_item_id == new_id:
            if item is None:
                raise UserError(_("{number} is already under no agenda item.", number=c.number))
            raise UserError(_("{number} is already under agenda item {item}.", number=c.number, item=item.number))
        # Stored in English; cogs/contributions/_text.event_detail shows it in the reader's language.
        detail = "no agenda item" if item is None else f"item {item.number}: {item.title}"[:200]
        return Change("assigned", {"agenda_item_id": new_id}, detail)

    return decide


@dataclass(frozen=True, slots=True)
class NewFile:
    name: str
    size: int
    sha256: str


def revise(
    *,
    title: str | None = None,
    abstract: str | None = None,
    link: str | None = None,
    file: NewFile | None = None,
) -> Decision:
    """The next revision with whatever was given; what is not given is carried over."""

    def decide(c: Contribution) -> Change:
        _not_withdrawn(c, "revised")
        updates: dict[str, object] = {}
        said: list[str] = []
        if title is not None and title != c.title:
            updates["title"] = title
            said.append("title")
        if abstract is not None and abstract != c.abstract:
            updates["abstract"] = abstract
            said.append("abstract")
        if link is not None and link != c.link:
            updates["link"] = link
            said.append("link")
        if file is not None:
            if file.sha256 == c.file_sha256:
                raise UserError(
                    _("`{file}` is the same file as the current version of {number}.", file=file.name, number=c.number)
                )
            updates.update(file_name=file.name, file_size=file.size, file_sha256=file.sha256, file_message_url=None)
            said.append(f"file {file.name}")
        if not updates:
            raise UserError(
                _(
                    "Nothing to revise: give a new {options} for {number} that differs from the current version.",
                    options=format_list(
                        [f"`{i18n.option(o)}`" for o in ("title", "abstract", "link", "file")], style="or"
                    ),
                    number=c.number,
                )
            )
        updates["revision"] = c.revision + 1
        return Change("revised", updates, f"Rev.{c.revision + 1}: new " + ", ".join(said))

    return decide


# ---------------------------------------------------------------------------------------------
# The document list as ITU publishes it


EXPORT_HEADER = (N_("Number"), N_("Title"), N_("Source"), N_("Agenda item"), N_("Date received"), N_("Status"))


def export_header() -> list[str]:
    """The columns' names in the current language (the document's)."""
    return [_(h) for h in EXPORT_HEADER]


@dataclass(frozen=True, slots=True)
class ExportRow:
    number: str
    title: str
    source: str
    agenda_item: str
    received: datetime  # aware; shown as its Geneva date
    status: str


def export_status(c: Contribution) -> str:
    if c.status == "late":
        return _("Late")
    if c.is_late and c.status == "accepted":
        return _("Accepted (late)")
    return _(STATUS_LABELS[c.status])


def export_rows(contributions: Iterable[Contribution], item_numbers: dict[int, str]) -> list[ExportRow]:
    """Number order: contributions, then information documents."""
    ordered = sorted(contributions, key=lambda c: (c.kind != KIND_CONTRIBUTION, c.seq))
    return [
        ExportRow(
            number=c.number,
            title=c.title,
            source=c.source,
            agenda_item=item_numbers.get(c.agenda_item_id, ""),  # None (no item) is not a key
            received=c.received_at,
            status=export_status(c),
        )
        for c in ordered
    ]


def _spreadsheet_safe(text: str) -> str:
    """A cell starting with = + - @ would run as a formula in Excel: make it plain text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


_CSV_ITEM_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})?$")


def _text_cell(number: str) -> str:
    """An agenda item number that spreadsheets keep as written: ``="5.10"``.

    Excel, LibreOffice and Google Sheets read a bare ``5.10`` as the number 5.1 (and, in locales where
    the dot separates dates, ``5.1`` as 5 January). A leading apostrophe or tab would stay in the cell
    for every other CSV reader; ``="5.10"`` is the form spreadsheet programs read as the text 5.10. It
    is built only from digits and one dot (checked here), so it opens no door to formula injection:
    every user-written cell still goes through :func:`_spreadsheet_safe`.
    """
    return f'="{number}"' if _CSV_ITEM_NUMBER.match(number) else _spreadsheet_safe(number)


def to_csv(rows: Sequence[ExportRow], tz_name: str = GENEVA) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows "Côte d'Ivoire" correctly; Geneva dates as YYYY-MM-DD."""
    tz = ZoneInfo(tz_name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(export_header())
    for r in rows:
        writer.writerow(
            [
                r.number,
                _spreadsheet_safe(r.title),
                _spreadsheet_safe(r.source),
                _text_cell(r.agenda_item) if r.agenda_item else "",
                r.received.astimezone(tz).date().isoformat(),
                r.status,
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _md_cell(text: str) -> str:
    """A table cell showing user text literally (house style: no live markup, no broken table)."""
    return hs.md_cell(text)


def to_markdown(rows: Sequence[ExportRow], *, heading: str, tz_name: str = GENEVA, note: str | None = None) -> bytes:
    tz = ZoneInfo(tz_name)
    lines = [f"# {hs.md_text(heading)}", ""]
    if note:
        lines += [note, ""]
    if not rows:
        lines.append(_("No documents registered."))
    else:
        lines.append("| " + " | ".join(export_header()) + " |")
        lines.append("|" + "---|" * len(EXPORT_HEADER))
        for r in rows:
            cells = (r.number, r.title, r.source, r.agenda_item, format_date(r.received, zone=tz), r.status)
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return ("\n".join(lines) + "\n").encode("utf-8")
