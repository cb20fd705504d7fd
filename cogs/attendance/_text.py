"""What the attendance feature says: every user-facing string in one place."""

from __future__ import annotations

from cogs.attendance._rules import TYPE_LABELS, Attendance, present_sentence
from cogs.core.timefmt import ordinal

PRESENT_LABEL = "I am present"

YOU_PRESENT = "Thank you: you are counted as present at the {meeting}. {delegation}"
ALREADY_PRESENT = "You are already counted as present at the {meeting}. {delegation}"
YOUR_DELEGATION = "Your delegation: **{name}** ({type})."
NO_DELEGATION_YET = "Tell us whom you represent with `/delegation set`, so the minutes can count your delegation."
NOT_RECORDING = (
    "The {meeting} is not being recorded now, so presence cannot be noted. Press the button while the "
    "meeting is under way, or ask the chair or the secretariat."
)
FORGOTTEN = (
    "At your request the record keeps nothing about you, so you are not noted as present. An organiser "
    "can lift that with `/log remember`."
)
UNAVAILABLE = "Attendance is not available right now; please try again in a moment."

SET_SELF = "Your delegation is now **{name}** ({type}). It is counted in the attendance of the meetings you attend."
SET_OTHER = "{member}'s delegation is now **{name}** ({type})."
OTHERS_ORGANISERS = (
    "Only the chair and the secretariat (or Manage Server) can set or clear another member's delegation. "
    "Leave out `member:` to set your own."
)
SHOW_SELF = "Your delegation: **{name}** ({type}).{by}"
SHOW_OTHER = "{member}'s delegation: **{name}** ({type}).{by}"
SET_BY_ORGANISER = " It was set by an organiser."
NONE_SELF = "You have not stated a delegation. Use `/delegation set name: type:`.{role}"
NONE_OTHER = "{member} has not stated a delegation.{role}"
ROLE_HINT = " Through the role {role} you count for **{name}** ({type})."
CLEARED_SELF = "Your delegation is cleared."
CLEARED_OTHER = "{member}'s delegation is cleared."
NOTHING_TO_CLEAR = "There was no delegation to clear."
ROLE_MAPPED = (
    "Members with the role {role} now count for **{name}** ({type}) when they are present, unless they "
    "state another delegation."
)
ROLE_UNMAPPED = "The role {role} no longer stands for a delegation."
ROLE_NOT_MAPPED = "The role {role} did not stand for a delegation."
ROLE_EVERYONE = "@everyone cannot stand for a delegation; choose a role held by one delegation."
LIST_EMPTY = "No member has stated a delegation yet, and no role stands for one."


def meeting_name(number: int) -> str:
    return f"{ordinal(number)} meeting"


def type_label(kind: str) -> str:
    label = TYPE_LABELS.get(kind, kind)
    return label[0].upper() + label[1:]


def delegation_line(name: str | None, kind: str | None) -> str:
    if name and kind:
        return YOUR_DELEGATION.format(name=name, type=type_label(kind))
    return NO_DELEGATION_YET


def attendance_report(meeting_number: int, a: Attendance, *, anonymous: int, limit: int = 3800) -> str:
    """The organisers' view: counts by type, the delegations, the people with none set (youth unnamed)."""
    lines = [f"**Attendance at the {meeting_name(meeting_number)}**", present_sentence(a)]
    how = f"{a.pressed} pressed “{PRESENT_LABEL}”; {a.spoke_only} counted because they spoke in the chat."
    lines.append(how)
    if a.youth:
        lines.append(f"Youth participants present: {a.youth} (counted, never named).")
    if anonymous:
        lines.append(f"Members counted anonymously at their request: {anonymous}.")
    if a.by_type:
        lines.append("")
        lines.append("**By type** (delegations · people)")
        lines.extend(f"- {type_label(kind)}: {n} · {people}" for kind, n, people in a.by_type)
        lines.append("")
        lines.append(f"**Delegations** ({a.delegation_count})")
        lines.extend(f"- {name} ({TYPE_LABELS[kind]}): {people}" for kind, name, people in a.delegations)
    if a.without_delegation or a.unnamed_without_delegation:
        lines.append("")
        unset = len(a.without_delegation) + a.unnamed_without_delegation
        lines.append(f"**No delegation stated** ({unset})")
        lines.extend(f"- {name}" for name in a.without_delegation)
        if a.unnamed_without_delegation:
            lines.append(f"- and {a.unnamed_without_delegation} participant(s) not named (youth, or at their request)")
    return _fit(lines, limit)


def delegation_list(
    entries: list[tuple[str, str, list[str]]], roles: list[tuple[int, str, str]], limit: int = 3800
) -> str:
    """``entries``: (type, delegation, members' names); ``roles``: (role id, delegation, type)."""
    if not entries and not roles:
        return LIST_EMPTY
    lines = [f"**Delegations stated in this server** ({len(entries)})"]
    for kind, name, members in entries:
        lines.append(f"- {name} ({TYPE_LABELS[kind]}): {', '.join(members)}")
    if roles:
        lines.append("")
        lines.append("**Roles that stand for a delegation**")
        lines.extend(f"- <@&{role_id}> → {name} ({TYPE_LABELS[kind]})" for role_id, name, kind in roles)
    return _fit(lines, limit)


def _fit(lines: list[str], limit: int) -> str:
    out: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        if size + len(line) + 1 > limit:
            out.append(f"… and {len(lines) - i} more line(s): export the minutes for the whole list.")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)
