"""What the bot needs from Discord, declared once: per channel role, and server-wide.

Everything that talks about the bot's permissions reads this table: `/setup channels` (refuses a
channel that lacks one), `/setup show` (what is missing now, with the line an admin must change),
the replies that report a refusal (agenda pin, scheduled event), and the README's invite list and
integer (a test checks them against :func:`invite_value` and :func:`readme_table`).

Ask for the least that works. Notably:

- Pinning is **Pin Messages** (``1 << 51``): since 2026 Discord no longer grants it through Manage
  Messages. The bot never deletes, pins or edits anyone else's message, so it does not ask for
  Manage Messages at all (it only edits and deletes its own posts, which needs no permission).
- Meetings are mirrored as scheduled events with **Create Events** (``1 << 44``), which lets the
  bot create events and edit or cancel the ones it created; Manage Events (other people's events)
  is not needed.
- Replies to slash commands (exports, reports, the calendar file) and direct messages need no
  channel permission: Discord lets an application answer its own interactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import discord

from cogs.core import i18n
from cogs.core.i18n import N_

_ = i18n.translator("core").gettext

AGENDA = "agenda"
CONTRIBUTIONS = "contributions"
REMINDERS = "reminders"
MEETING = "meeting"
SERVER = "server"

# Discord's own label for each permission (as in the Developer Portal's URL generator and in the
# channel and role settings), so that an admin finds the exact switch. Shown translated as Discord's
# client words it in the reader's language; the README's table (English) uses them as they are.
LABELS: dict[str, str] = {
    "view_channel": N_("View Channels"),
    "send_messages": N_("Send Messages"),
    "embed_links": N_("Embed Links"),
    "attach_files": N_("Attach Files"),
    "read_message_history": N_("Read Message History"),
    "add_reactions": N_("Add Reactions"),
    "mention_everyone": N_("Mention Everyone"),
    "pin_messages": N_("Pin Messages"),
    "create_events": N_("Create Events"),
}

# Only needed if the participant role is not set to "Allow anyone to @mention this role".
IF_ROLE_NOT_MENTIONABLE = "if_role_not_mentionable"


@dataclass(frozen=True, slots=True)
class Need:
    permission: str  # the discord.Permissions attribute
    why: str  # what it is for, completing "I need X to ..."
    condition: str | None = None

    @property
    def label(self) -> str:
        """Discord's English label (the README, the invite)."""
        return LABELS[self.permission]

    @property
    def shown_label(self) -> str:
        """The label in the reader's language, as their Discord client shows the switch."""
        return _(LABELS[self.permission])


# Where the bot needs what. The keys are the channels of `/setup channels`, plus the server.
NEEDS: dict[str, tuple[Need, ...]] = {
    AGENDA: (
        Need("view_channel", N_("see the agenda channel")),
        Need("send_messages", N_("post the agenda")),
        Need("embed_links", N_("show the agenda (it is an embed)")),
        Need("pin_messages", N_("pin the agenda")),
    ),
    CONTRIBUTIONS: (
        Need("view_channel", N_("see the contributions channel")),
        Need("send_messages", N_("announce each document")),
        Need("embed_links", N_("show each document's card")),
        Need("attach_files", N_("post each document's file")),
    ),
    REMINDERS: (
        Need("view_channel", N_("see the reminders channel")),
        Need("send_messages", N_("post meeting and deadline reminders")),
        Need(
            "mention_everyone",
            N_("mention the participant role in reminders when that role is not mentionable"),
            IF_ROLE_NOT_MENTIONABLE,
        ),
    ),
    MEETING: (
        Need("view_channel", N_("see the meeting chat")),
        Need("send_messages", N_("post the recording notices and the 'starting now' message")),
        Need("read_message_history", N_("catch up on the chat lines missed during a restart")),
        Need("add_reactions", N_("acknowledge minutes markers such as #agreed")),
    ),
    SERVER: (Need("create_events", N_("mirror meetings as Discord events")),),
}

PLACES: dict[str, str] = {
    AGENDA: N_("agenda channel"),
    CONTRIBUTIONS: N_("contributions channel"),
    REMINDERS: N_("reminders channel"),
    MEETING: N_("meeting chat"),
    SERVER: N_("server"),
}


def all_needs() -> Iterable[tuple[str, Need]]:
    for place, needs in NEEDS.items():
        for need in needs:
            yield place, need


def invite_permissions() -> discord.Permissions:
    """Everything the bot may need anywhere: what the invite asks for."""
    perms = discord.Permissions.none()
    for _, need in all_needs():
        setattr(perms, need.permission, True)
    return perms


def invite_value() -> int:
    return invite_permissions().value


def invite_labels() -> list[str]:
    """The invite's permissions, each once, in the order of the table."""
    return list(dict.fromkeys(need.label for _, need in all_needs()))


def needs_for(place: str, *, role_mentionable: bool = True) -> tuple[Need, ...]:
    """What is needed in one place now (a condition that does not apply is left out)."""
    return tuple(n for n in NEEDS[place] if not (n.condition == IF_ROLE_NOT_MENTIONABLE and role_mentionable))


def missing(place: str, perms: discord.Permissions, *, role_mentionable: bool = True) -> list[Need]:
    """The needs of ``place`` that ``perms`` (the bot's permissions there) lack."""
    return [n for n in needs_for(place, role_mentionable=role_mentionable) if not getattr(perms, n.permission)]


def need(place: str, permission: str) -> Need:
    return next(n for n in NEEDS[place] if n.permission == permission)


def _join(items: Sequence[str]) -> str:
    """``a, b and c`` in the reader's language (Babel)."""
    return i18n.format_list(list(items))


def labels(needs: Iterable[Need]) -> str:
    """ "Pin Messages" / "Send Messages and Embed Links" / "A, B and C" (in the reader's language)."""
    return _join(list(dict.fromkeys(f"**{n.shown_label}**" for n in needs)))


def fix_line(where: str, needs: Sequence[Need], role_name: str) -> str:
    """The one line an admin must change. ``where`` is a channel mention, or "" for the server."""
    allow = labels(needs)
    if not where:
        return _("Server Settings → Roles → **{role}** → allow {permissions}.", role=role_name, permissions=allow)
    return _(
        "{channel} → Edit Channel → Permissions → **{role}** → allow {permissions}.",
        channel=where,
        role=role_name,
        permissions=allow,
    )


def problem(where: str, needs: Sequence[Need], role_name: str, place: str | None = None) -> str:
    """What is missing in one place, what for, and the line to change (two lines of text).

    ``where`` is a channel mention ("" for the server); ``place`` a key of :data:`NEEDS`, to say which
    of the bot's channels it is.
    """
    parts = [_("**{permission}** (to {purpose})", permission=n.shown_label, purpose=_(n.why)) for n in needs]
    what = ", ".join(parts) if i18n.current() == i18n.SOURCE else i18n.format_list(parts)
    if not where:
        head = _("On this server I lack {permissions}.", permissions=what)
    elif place:
        head = _("{channel} ({place}): I lack {permissions}.", channel=where, place=_(PLACES[place]), permissions=what)
    else:
        head = _("{channel}: I lack {permissions}.", channel=where, permissions=what)
    return head + "\n" + _("Fix: {line}", line=fix_line(where, needs, role_name))


def role_name(guild: discord.Guild) -> str:
    """The name of the bot's own role, as an admin sees it in the settings."""
    role = guild.self_role
    if role is not None:
        return role.name
    return guild.me.display_name if guild.me else _("the bot's role")


def readme_table() -> str:
    """The README's invite table (Markdown), generated from :data:`NEEDS`; a test keeps them equal."""
    rows = ["| permission | where | what for |", "|---|---|---|"]
    by_label: dict[str, list[tuple[str, Need]]] = {}
    for place, n in all_needs():
        by_label.setdefault(n.label, []).append((place, n))
    for label, uses in by_label.items():
        where = ", ".join(PLACES[p] for p, _ in uses)
        why = "; ".join(dict.fromkeys(n.why for _, n in uses if n.permission != "view_channel"))
        rows.append(f"| {label} | {where} | {why or 'see the channels it works in'} |")
    return "\n".join(rows)
