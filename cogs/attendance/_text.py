"""What the attendance feature says: every user-facing string in one place, through the catalogs.

The English text is the msgid; ``cogs/attendance/locales/<lang>.po`` holds the translations. Constants
are marked with ``N_`` and translated where they are used: ``_(YOU_PRESENT, meeting=..., ...)``.
"""

from __future__ import annotations

from cogs.attendance._rules import TYPE_LABELS, Attendance, present_sentence
from cogs.core.i18n import N_, LazyStr, command, meeting_ordinal, translator

T = translator("attendance")
_, _n = T.gettext, T.ngettext

# i18n: button label (80)
PRESENT_LABEL = LazyStr(T, N_("I am present"))

YOU_PRESENT = N_("Thank you: you are counted as present at the {meeting}. {delegation}")
ALREADY_PRESENT = N_("You are already counted as present at the {meeting}. {delegation}")
YOUR_DELEGATION = N_("Your delegation: **{name}** ({type}).")
NO_DELEGATION_YET = N_("Tell us whom you represent with `{command}`, so the minutes can count your delegation.")
NOT_RECORDING = N_(
    "The {meeting} is not being recorded now, so presence cannot be noted. Press the button while the "
    "meeting is under way, or ask the chair or the secretariat."
)
FORGOTTEN = N_(
    "At your request the record keeps nothing about you, so you are not noted as present. An organiser "
    "can lift that with `{command}`."
)
UNAVAILABLE = N_("Attendance is not available right now; please try again in a moment.")

SET_SELF = N_("Your delegation is now **{name}** ({type}). It is counted in the attendance of the meetings you attend.")
SET_OTHER = N_("{member}'s delegation is now **{name}** ({type}).")
OTHERS_ORGANISERS = N_(
    "Only the chair and the secretariat (or Manage Server) can set or clear another member's delegation. "
    "Leave out `{option}:` to set your own."
)
SHOW_SELF = N_("Your delegation: **{name}** ({type}).{by}")
SHOW_OTHER = N_("{member}'s delegation: **{name}** ({type}).{by}")
SET_BY_ORGANISER = N_(" It was set by an organiser.")
NONE_SELF = N_("You have not stated a delegation. Use `{command}`.{role}")
NONE_OTHER = N_("{member} has not stated a delegation.{role}")
ROLE_HINT = N_(" Through the role {role} you count for **{name}** ({type}).")
CLEARED_SELF = N_("Your delegation is cleared.")
CLEARED_OTHER = N_("{member}'s delegation is cleared.")
NOTHING_TO_CLEAR = N_("There was no delegation to clear.")
ROLE_MAPPED = N_(
    "Members with the role {role} now count for **{name}** ({type}) when they are present, unless they "
    "state another delegation."
)
ROLE_UNMAPPED = N_("The role {role} no longer stands for a delegation.")
ROLE_NOT_MAPPED = N_("The role {role} did not stand for a delegation.")
ROLE_EVERYONE = N_("@everyone cannot stand for a delegation; choose a role held by one delegation.")
LIST_EMPTY = N_("No member has stated a delegation yet, and no role stands for one.")


def meeting_name(number: int) -> str:
    """``19th meeting`` / ``19e réunion`` / ``19-е собрание`` / ``第19次会议`` (after "the" in English)."""
    return _("{ordinal} meeting", ordinal=meeting_ordinal(number))


def type_label(kind: str) -> str:
    label = _(TYPE_LABELS.get(kind, kind))
    return label[0].upper() + label[1:]


def type_name(kind: str) -> str:
    """The type as it reads inside a sentence or a list (not capitalised in English)."""
    return _(TYPE_LABELS.get(kind, kind))


def delegation_line(name: str | None, kind: str | None) -> str:
    if name and kind:
        return _(YOUR_DELEGATION, name=name, type=type_label(kind))
    return _(NO_DELEGATION_YET, command=command("delegation set"))


def attendance_report(meeting_number: int, a: Attendance, *, anonymous: int, limit: int = 3800) -> str:
    """The organisers' view: counts by type, the delegations, the people with none set (youth unnamed)."""
    lines = [_("**Attendance at the {meeting}**", meeting=meeting_name(meeting_number)), present_sentence(a)]
    lines.append(
        _(
            "{pressed} pressed “{label}”; {spoke} counted because they spoke in the chat.",
            pressed=a.pressed,
            label=PRESENT_LABEL,
            spoke=a.spoke_only,
        )
    )
    if a.youth:
        lines.append(_("Youth participants present: {n} (counted, never named).", n=a.youth))
    if anonymous:
        lines.append(_("Members counted anonymously at their request: {n}.", n=anonymous))
    if a.by_type:
        lines.append("")
        lines.append(_("**By type** (delegations · people)"))
        lines.extend(f"- {type_label(kind)}: {n} · {people}" for kind, n, people in a.by_type)
        lines.append("")
        lines.append(_("**Delegations** ({n})", n=a.delegation_count))
        lines.extend(f"- {name} ({type_name(kind)}): {people}" for kind, name, people in a.delegations)
    if a.without_delegation or a.unnamed_without_delegation:
        lines.append("")
        unset = len(a.without_delegation) + a.unnamed_without_delegation
        lines.append(_("**No delegation stated** ({n})", n=unset))
        lines.extend(f"- {name}" for name in a.without_delegation)
        if a.unnamed_without_delegation:
            n = a.unnamed_without_delegation
            lines.append(
                _n(
                    "- and {n} participant not named (youth, or at their request)",
                    "- and {n} participants not named (youth, or at their request)",
                    n,
                    n=n,
                )
            )
    return _fit(lines, limit)


def delegation_list(
    entries: list[tuple[str, str, list[str]]], roles: list[tuple[int, str, str]], limit: int = 3800
) -> str:
    """``entries``: (type, delegation, members' names); ``roles``: (role id, delegation, type)."""
    if not entries and not roles:
        return _(LIST_EMPTY)
    lines = [_("**Delegations stated in this server** ({n})", n=len(entries))]
    for kind, name, members in entries:
        lines.append(f"- {name} ({type_name(kind)}): {', '.join(members)}")
    if roles:
        lines.append("")
        lines.append(_("**Roles that stand for a delegation**"))
        lines.extend(f"- <@&{role_id}> → {name} ({type_name(kind)})" for role_id, name, kind in roles)
    return _fit(lines, limit)


def participant(number: int) -> str:
    """A youth participant's pseudonym, as organisers see it in lists."""
    return _("Participant {number}", number=number)


def _fit(lines: list[str], limit: int) -> str:
    out: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        if size + len(line) + 1 > limit:
            rest = len(lines) - i
            out.append(
                _n(
                    "… and {n} more line: export the minutes for the whole list.",
                    "… and {n} more lines: export the minutes for the whole list.",
                    rest,
                    n=rest,
                )
            )
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)
