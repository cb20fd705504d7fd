"""Attendance rules: delegation names and types, and counting who took part.

Pure: plain values in, plain values (or a UserError saying what to fix) out. Never imports discord.

Who is present at a meeting: every member who pressed "I am present" while the meeting was
recorded, and every member who spoke in its recorded chat. A member's delegation is the one they
(or an organiser) set with ``/delegation set``; failing that, the delegation mapped to one of their
server roles when they were seen; failing that, none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from cogs.attendance._states import MEMBER_STATES
from cogs.core.errors import UserError
from cogs.core.i18n import N_, format_list, translator
from storage.contributions import SOURCE_TYPES

_T = translator("attendance")
_, _n = _T.gettext, _T.ngettext

NAME_MAX = 100
MEMBER_STATE = "member_state"
DELEGATION_TYPES = SOURCE_TYPES  # the source types the contributions already know, in report order

# English msgids (N_): translate where shown, ``_(TYPE_LABELS[kind])``.
TYPE_LABELS = {
    "member_state": N_("Member State"),
    "sector_member": N_("Sector Member"),
    "organisation": N_("international organisation"),
    "academia": N_("academia"),
    "civil_society": N_("civil society"),
    "youth": N_("youth"),
    "secretariat": N_("secretariat"),
    "chair": N_("chair"),
    "other": N_("other"),
}
# How a count of delegations of a type reads in a sentence ("48 Member States"), in the current language.
_PLURALS = {
    "member_state": lambda n: _n("{n} Member State", "{n} Member States", n, n=n),
    "sector_member": lambda n: _n("{n} Sector Member", "{n} Sector Members", n, n=n),
    "organisation": lambda n: _n("{n} international organisation", "{n} international organisations", n, n=n),
    "academia": lambda n: _n("{n} academic institution", "{n} academic institutions", n, n=n),
    "civil_society": lambda n: _n("{n} civil-society organisation", "{n} civil-society organisations", n, n=n),
    "youth": lambda n: _n("{n} youth delegation", "{n} youth delegations", n, n=n),
    "secretariat": lambda n: _("the secretariat"),
    "chair": lambda n: _("the chair"),
    "other": lambda n: _n("{n} other delegation", "{n} other delegations", n, n=n),
}
assert tuple(TYPE_LABELS) == DELEGATION_TYPES == tuple(_PLURALS)


def fold(text: str) -> str:
    """The form two spellings of one name share: no accents, no case, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        " " if unicodedata.category(c)[0] in "PZS" else c for c in decomposed if not unicodedata.combining(c)
    )
    words = kept.casefold().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


@cache
def _state_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, aliases in MEMBER_STATES:
        for spelling in (name, *aliases):
            index[fold(spelling)] = name
    return index


def member_state(text: str) -> str:
    """The official short form of the Member State ``text`` names, or a UserError saying what to do."""
    found = _state_index().get(fold(text or ""))
    if found is None:
        raise UserError(
            _(
                "`{name}` is not one of ITU's 194 Member States as I know them. Pick the name from "
                "the list as you type (for example `Brazil`, `Korea (Republic of)`, `Türkiye`); a Sector Member, "
                "an organisation or another kind of delegation takes another type.",
                name=clean_name(text),
            )
        )
    return found


def state_choices(current: str, limit: int = 25) -> list[str]:
    """Member States for autocomplete: names (or other names) that start with, then contain, the text."""
    typed = fold(current or "")
    starts: list[str] = []
    contains: list[str] = []
    for name, aliases in MEMBER_STATES:
        spellings = [fold(s) for s in (name, *aliases)]
        if not typed or any(s.startswith(typed) for s in spellings):
            starts.append(name)
        elif any(typed in s for s in spellings):
            contains.append(name)
    return (starts + contains)[:limit]


def clean_name(text: str | None) -> str:
    """One line, single spaces, at most NAME_MAX characters (for messages; not validation)."""
    return " ".join((text or "").split())[:NAME_MAX]


def clean_type(value: str | None) -> str:
    if value not in DELEGATION_TYPES:
        raise UserError(_("Choose the type of delegation from the list (Member State, Sector Member, ...)."))
    return value


def delegation(name: str | None, kind: str | None, existing: Iterable[str] = ()) -> tuple[str, str]:
    """The (name, type) to store for what a member typed.

    A Member State's name is ITU's short form. Any other name keeps the spelling already used in
    this server for the same name (so "UNICEF" and "Unicef" are one delegation), else its own.
    """
    kind = clean_type(kind)
    text = " ".join((name or "").split())
    if not text:
        raise UserError(_("Give the delegation's name (1 to {max} characters).", max=NAME_MAX))
    if len(text) > NAME_MAX:
        raise UserError(
            _("The delegation's name is {length} characters long; keep it to {max}.", length=len(text), max=NAME_MAX)
        )
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise UserError(_("The delegation's name has control characters; type it as plain text."))
    if kind == MEMBER_STATE:
        return member_state(text), kind
    folded = fold(text)
    if not folded:
        raise UserError(_("The delegation's name needs letters or digits."))
    for spelling in existing:
        if fold(spelling) == folded:
            return spelling, kind
    return text, kind


def contributing(sources: Iterable[tuple[str, str | None]], known: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The delegations whose name a document's source gives: ``(source, source type)`` pairs against the
    server's delegations ``(name, type)``. A Member State is recognised however it is written; another
    source counts when it is a delegation's name. Sorted by type, then name; each delegation once."""
    names = {fold(name): (name, kind) for name, kind in known}
    states = _state_index()
    found: set[tuple[str, str]] = set()
    for source, source_type in sources:
        folded = fold(source or "")
        if folded in names:
            found.add(names[folded])
        elif folded in states and source_type in (None, MEMBER_STATE):
            found.add((states[folded], MEMBER_STATE))
    order = {t: i for i, t in enumerate(DELEGATION_TYPES)}
    return sorted(found, key=lambda d: (order.get(d[1], len(order)), fold(d[0])))


def role_for(mapped: Sequence[tuple[int, str, str]], member_role_ids: Iterable[int]) -> tuple[str, str] | None:
    """The (name, type) of the first mapped role (in the given order) the member holds, if any."""
    held = set(member_role_ids)
    return next(((name, kind) for role_id, name, kind in mapped if role_id in held), None)


# ---------------------------------------------------------------------------------------------
# Counting


@dataclass(frozen=True, slots=True)
class Attendee:
    """One member present at a meeting, as storage reads them."""

    user_id: int
    display: str  # the name to show organisers ("Participant 3" for a youth participant)
    delegation: str | None
    kind: str | None  # delegation type
    youth: bool  # counted, never named
    pressed: bool  # pressed "I am present"
    spoke: bool  # said something in the recorded chat
    anonymous: bool = False  # asked to be forgotten: counted, never named, no delegation


@dataclass(frozen=True, slots=True)
class Attendance:
    people: int
    by_type: tuple[tuple[str, int, int], ...]  # (type, delegations, people), in report order; only types present
    delegations: tuple[tuple[str, str, int], ...]  # (type, name, people), by type then name
    without_delegation: tuple[str, ...]  # names of the members present with no delegation
    unnamed_without_delegation: int  # youth participants and anonymous members with no delegation
    youth: int  # youth participants present (counted, never named)
    pressed: int
    spoke_only: int  # present because they spoke, without pressing the button

    @property
    def delegation_count(self) -> int:
        return len(self.delegations)


def tally(attendees: Sequence[Attendee]) -> Attendance:
    """Count people and delegations. A delegation is counted once however many of its people came."""
    delegations: dict[tuple[str, str], int] = {}
    without: list[str] = []
    unnamed = 0
    for a in attendees:
        if a.delegation and a.kind in DELEGATION_TYPES and not a.anonymous:
            key = (a.kind, a.delegation)
            delegations[key] = delegations.get(key, 0) + 1
        elif a.youth or a.anonymous:
            unnamed += 1
        else:
            without.append(a.display)
    order = {t: i for i, t in enumerate(DELEGATION_TYPES)}
    listed = sorted(((k, n, c) for (k, n), c in delegations.items()), key=lambda d: (order[d[0]], fold(d[1]), d[1]))
    by_type = []
    for kind in DELEGATION_TYPES:
        of_kind = [d for d in listed if d[0] == kind]
        if of_kind:
            by_type.append((kind, len(of_kind), sum(d[2] for d in of_kind)))
    return Attendance(
        people=len(attendees),
        by_type=tuple(by_type),
        delegations=tuple(listed),
        without_delegation=tuple(sorted(without, key=fold)),
        unnamed_without_delegation=unnamed,
        youth=sum(1 for a in attendees if a.youth and not a.anonymous),
        pressed=sum(1 for a in attendees if a.pressed),
        spoke_only=sum(1 for a in attendees if a.spoke and not a.pressed),
    )


def count_phrase(kind: str, n: int) -> str:
    """``48 Member States``, ``1 Sector Member``, ``the secretariat`` (in the current language)."""
    return _PLURALS[kind](n)


def present_sentence(attendance: Attendance) -> str:
    """The minutes' line: ``152 participants from 48 Member States, 6 Sector Members and the secretariat.``"""
    if attendance.people == 0:
        return _("No participant was recorded as present.")
    count = attendance.people
    people = _n("{n} participant", "{n} participants", count, n=count)
    parts = [count_phrase(kind, n) for kind, n, _people in attendance.by_type]
    unset = len(attendance.without_delegation) + attendance.unnamed_without_delegation
    if not parts:
        return _n(
            "{people}, none of whom stated a delegation.",
            "{people}, none of whom stated a delegation.",
            count,
            people=people,
        )
    if unset:
        return _n(
            "{people} from {delegations} ({n} without a stated delegation).",
            "{people} from {delegations} ({n} without a stated delegation).",
            unset,
            people=people,
            delegations=format_list(parts),
            n=unset,
        )
    return _("{people} from {delegations}.", people=people, delegations=format_list(parts))
