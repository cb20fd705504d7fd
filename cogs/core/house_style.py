"""The house style of every document the group produces, written down once. Pure: never imports discord.

Minutes, transcripts, the agenda and document list exports, the reports and the calendar file all
word dates, times, zones, the group's name, agenda items, document numbers and file names through
these functions (docs/house-style.md says the same in prose). ITU usage where known:

- the group in running text: "the CWG-COP"; "Minutes of the 19th meeting of the CWG-COP";
- dates "26 January 2027"; times "13.25 hours"; ranges "10.00-12.30 hours"; then the zone as people
  say it, "Geneva time (CET)", never an IANA name such as "Europe/Zurich";
- agenda items "5" and "5.1" (no trailing dot); documents "Document CWG-COP-19/3";
- ordinals spelt out in formal report sentences ("the nineteenth meeting").
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.core import i18n
from cogs.core.timefmt import GENEVA, ordinal, ordinal_words, zone_abbreviation

__all__ = [
    "GENEVA",
    "agenda_item",
    "agenda_item_heading",
    "clock",
    "clock_hours",
    "clock_range",
    "day_heading",
    "document_ref",
    "file_name",
    "group_ref",
    "is_default_title",
    "long_date",
    "md_cell",
    "md_text",
    "meeting_heading",
    "meeting_words",
    "minutes_title",
    "ordinal",
    "ordinal_words",
    "place_label",
    "span",
    "span_here_and_geneva",
    "stamp",
    "zone_abbreviation",
    "zone_label",
]

# Codes whose full name is known; any other code is written as it is ("the XYZ").
GROUP_NAMES = {"CWG-COP": "Council Working Group on Child Online Protection"}


# ---------------------------------------------------------------------------------------------
# The group and its meetings


def group_ref(code: str) -> str:
    """``the CWG-COP``: the group in running text."""
    return f"the {code}"


def group_full(code: str, name: str | None = None) -> str:
    """``the Council Working Group on Child Online Protection (CWG-COP)``, or ``the CODE``.

    ``name`` is the English name the organisers set (``/setup group-name``), which wins over the
    known default; a leading "the" in it is not doubled.
    """
    full = _without_article(name) if name else GROUP_NAMES.get(code)
    return f"the {full} ({code})" if full else group_ref(code)


def _without_article(name: str) -> str:
    rest = name[4:].strip()
    return rest if name[:4].casefold() == "the " and rest else name


def meeting_heading(number: int, code: str) -> str:
    """``19th meeting of the CWG-COP``."""
    return f"{ordinal(number)} meeting of {group_ref(code)}"


def minutes_title(number: int, code: str) -> str:
    """``Minutes of the 19th meeting of the CWG-COP``."""
    return f"Minutes of the {meeting_heading(number, code)}"


def meeting_words(number: int) -> str:
    """``nineteenth meeting``: for formal sentences of reports."""
    return f"{ordinal_words(number)} meeting"


def is_default_title(title: str, number: int, code: str) -> bool:
    """Whether a meeting's title only repeats its number and group (a heading need not say it twice)."""
    plain = " ".join(title.split()).casefold()
    with i18n.locale(i18n.SOURCE):
        defaults = {
            meeting_heading(number, code).casefold(),
            f"{ordinal(number)} meeting of {code}".casefold(),
            f"{meeting_words(number)} of {group_ref(code)}".casefold(),
            f"{meeting_words(number)} of {code}".casefold(),
            f"{code} meeting {number}".casefold(),
            f"{code}-{number}".casefold(),
        }
    if plain.removeprefix("the ") in defaults:
        return True
    # /meeting schedule stores the default title in the server's first language (cogs/meetings).
    return plain in _translated_defaults(number, code)


# The default title as cogs/meetings writes it (its msgid, read from its catalog: the two must agree,
# which tests/test_i18n_core.py checks against cogs.meetings._rules.default_title).
DEFAULT_TITLE = "{ordinal} meeting of the {group}"


def _translated_defaults(number: int, code: str) -> set[str]:
    meetings = i18n.translator("meetings")
    out = set()
    for language in i18n.TRANSLATED:
        with i18n.locale(language):
            text = meetings.gettext(DEFAULT_TITLE, ordinal=ordinal(number), group=code)
        out.add(" ".join(text.split()).casefold())
    return out


def chair_line(name: str | None) -> str:
    return name if name else "not recorded"


# ---------------------------------------------------------------------------------------------
# Dates, times and zones


def place_label(tz_name: str) -> str:
    """The place a zone is named after, as people write it: ``Geneva``, ``New York``, ``Buenos Aires``."""
    if tz_name == GENEVA:
        return "Geneva"
    return tz_name.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(tz_name: str, instant: datetime) -> str:
    """``Geneva time (CET)``, ``New York time (EST)``, ``Dubai time (UTC+4)``, ``UTC``.

    Never the IANA name itself. A zone without a common abbreviation (tzdata writes ``+04``) shows
    its offset from UTC instead.
    """
    if tz_name.upper() in ("UTC", "ETC/UTC", "GMT"):
        return "UTC"
    return f"{place_label(tz_name)} time ({zone_abbreviation(tz_name, instant)})"


def long_date(instant: datetime, tz_name: str = GENEVA) -> str:
    """``26 January 2027`` (day, month, year; no weekday)."""
    local = instant.astimezone(ZoneInfo(tz_name))
    return f"{local.day} {local:%B %Y}"


def day_heading(instant: datetime, tz_name: str = GENEVA) -> str:
    """``Tuesday 26 January 2027``: a day heading in a transcript, where the weekday helps."""
    local = instant.astimezone(ZoneInfo(tz_name))
    return f"{local:%A} {local.day} {local:%B %Y}"


def clock(instant: datetime, tz_name: str = GENEVA) -> str:
    """``13.25``: ITU's 24-hour form, without the word "hours" (lines of a transcript, lists)."""
    local = instant.astimezone(ZoneInfo(tz_name))
    return f"{local:%H.%M}"


def clock_hours(instant: datetime, tz_name: str = GENEVA) -> str:
    """``13.25 hours``."""
    return f"{clock(instant, tz_name)} hours"


def clock_range(start: datetime, end: datetime, tz_name: str = GENEVA) -> str:
    """``10.00-12.30 hours`` (the same day) or ``26 January 2027, 10.00 hours to 27 January 2027, 12.30 hours``."""
    tz = ZoneInfo(tz_name)
    a, b = start.astimezone(tz), end.astimezone(tz)
    if a.date() == b.date():
        return f"{a:%H.%M}-{b:%H.%M} hours"
    return f"{a.day} {a:%B %Y}, {a:%H.%M} hours to {b.day} {b:%B %Y}, {b:%H.%M} hours"


def span(start: datetime, end: datetime, tz_name: str = GENEVA) -> str:
    """``26 January 2027, 10.00-12.30 hours Geneva time (CET)`` (both dates when it spans days)."""
    tz = ZoneInfo(tz_name)
    a, b = start.astimezone(tz), end.astimezone(tz)
    label = zone_label(tz_name, start)
    if a.date() == b.date():
        return f"{a.day} {a:%B %Y}, {a:%H.%M}-{b:%H.%M} hours {label}"
    return f"{a.day} {a:%B %Y}, {a:%H.%M} hours to {b.day} {b:%B %Y}, {b:%H.%M} hours {label}"


def span_here_and_geneva(start: datetime, end: datetime, tz_name: str) -> str:
    """The meeting's own time, then Geneva time when it is held elsewhere.

    ``26 January 2027, 10.00-12.30 hours New York time (EST); 16.00-18.30 hours Geneva time (CET)``.
    """
    own = span(start, end, tz_name)
    if tz_name in (GENEVA, "UTC"):
        return own
    a, b = start.astimezone(ZoneInfo(GENEVA)), end.astimezone(ZoneInfo(GENEVA))
    local = start.astimezone(ZoneInfo(tz_name))
    if a.date() == b.date() == local.date():
        return f"{own}; {clock_range(start, end)} {zone_label(GENEVA, start)}"
    return f"{own}; {span(start, end)}"


def stamp(instant: datetime, tz_name: str = GENEVA) -> str:
    """``26 January 2027, 13.25 hours Geneva time (CET)``: when a document was generated."""
    return f"{long_date(instant, tz_name)}, {clock_hours(instant, tz_name)} {zone_label(tz_name, instant)}"


def times_are(tz_name: str, instant: datetime) -> str:
    """``Times are Geneva time (CET).`` for the head of a document."""
    return f"Times are {zone_label(tz_name, instant)}."


# ---------------------------------------------------------------------------------------------
# Agenda items, documents, files


def agenda_item(number: str) -> str:
    """``5`` or ``5.1``: never a trailing dot."""
    return str(number).strip().rstrip(".")


def agenda_item_heading(number: str | None, title: str) -> str:
    """``5.1 Title`` (or the title alone when the item has no number)."""
    return f"{agenda_item(number)} {title}" if number else title


def document_ref(number: str) -> str:
    """``Document CWG-COP-19/3``."""
    return f"Document {number}"


_SLUG = re.compile(r"[^a-z0-9]+")


def file_name(code: str, *parts: object, ext: str) -> str:
    """The one rule for file names: lower case, hyphens, ``cwg-cop-19-minutes.md``."""
    words = [_SLUG.sub("-", str(p).lower()).strip("-") for p in (code, *parts)]
    stem = "-".join(w for w in words if w) or "document"
    return f"{stem}.{ext.lstrip('.').lower()}"


# ---------------------------------------------------------------------------------------------
# Markdown: user text is shown literally

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([#=+\-])", re.MULTILINE)
_MD_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_text(text: str, *, line_start: bool = False) -> str:
    """User text shown literally in Markdown: no live markup, HTML, links, tables or headings.

    Lines after the first could start a heading, a list or a rule, so their first sign is escaped; the
    first line too when the text begins a line (``line_start``), else it follows our own prefix.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    if line_start:
        escaped = "\n" + escaped
    first, newline, rest = escaped.partition("\n")
    rest = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), rest)
    rest = _MD_LIST_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), rest)
    out = first + newline + rest
    return out[1:] if line_start else out


def md_cell(text: str) -> str:
    """User text in a Markdown table cell: literal, on one line."""
    return md_text(" ".join(text.split()))
