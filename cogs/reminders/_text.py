"""Everything the reminders feature says, in one place, in the six ITU languages.

Pure: strings in, strings out; never imports discord. Times are Discord timestamps (each reader sees
local time) plus the Geneva time written out ITU-style. Every message goes through the reminders
catalog (``cogs/reminders/locales``): replies are in the member's language (set for the interaction),
channel posts in the server's, direct messages in the member's own choice (the cog sets the language).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from cogs.core import i18n
from cogs.core.i18n import N_, LazyStr, translator
from cogs.core.safe_text import inline
from cogs.core.timefmt import describe_offset, discord_ts, itu_span, itu_time, ordinal, when_line
from cogs.reminders import _rules
from storage.meetings import Meeting
from storage.reminders import DETAIL_INTERRUPTED, Reminder, Subscription

T = translator("reminders")
_, _n = T.gettext, T.ngettext

LATE_NOTE = N_("_(sent late: the bot was offline)_")
MAX_MESSAGE = 2000


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def agenda_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def _details(meeting: Meeting, agenda: str | None) -> list[str]:
    lines = [f"🕙 {itu_span(meeting.starts_at, meeting.ends_at)}"]
    if meeting.venue:
        lines.append(f"📍 {inline(meeting.venue)}")
    if meeting.link:
        lines.append(f"🔗 <{meeting.link}>")
    if agenda:
        lines.append(_("📋 Agenda: {link}", link=agenda))
    return lines


def _finish(lines: list[str], late: bool) -> str:
    if late:
        lines.append(_(LATE_NOTE))
    return clip("\n".join(lines))


def before_words(offset_seconds: int) -> str:
    return describe_offset(timedelta(seconds=offset_seconds))


def _command(path: str, *options: str) -> str:
    return i18n.command(path, *options)


# ---------------------------------------------------------------------------------------------
# What is sent


def channel_reminder(meeting: Meeting, role_id: int | None, agenda: str | None, *, late: bool) -> str:
    who = f"<@&{role_id}> " if role_id else ""
    head = "⏰ " + _(
        "{role}**{meeting}** opens {relative}: {when}",
        role=who,
        meeting=inline(meeting.title),
        relative=discord_ts(meeting.starts_at, "R"),
        when=discord_ts(meeting.starts_at),
    )
    return _finish([head, *_details(meeting, agenda)], late)


def personal_reminder(meeting: Meeting, agenda: str | None, guild_name: str | None, *, late: bool) -> str:
    head = "⏰ " + _(
        "Your reminder: **{meeting}** opens {relative}: {when}",
        meeting=inline(meeting.title),
        relative=discord_ts(meeting.starts_at, "R"),
        when=discord_ts(meeting.starts_at),
    )
    if guild_name:
        foot = _(
            "_You asked for this reminder in **{server}**. `{command}` there turns it off._",
            server=guild_name,
            command=_command("remind stop"),
        )
    else:
        foot = _("_You asked for this reminder. `{command}` there turns it off._", command=_command("remind stop"))
    return _finish([head, *_details(meeting, agenda), foot], late)


def deadline_notice(
    meeting: Meeting, offset_seconds: int, deadline: datetime, role_id: int | None, *, late: bool
) -> str:
    who = f"<@&{role_id}> " if role_id else ""
    if offset_seconds:
        head = "📝 " + _(
            "{role}Contributions to the **{meeting}** are due {relative}.",
            role=who,
            meeting=inline(meeting.title),
            relative=discord_ts(deadline, "R"),
        )
    else:
        head = "📝 " + _(
            "{role}Last day for contributions to the **{meeting}**.", role=who, meeting=inline(meeting.title)
        )
    lines = [
        head,
        _("Deadline: {when}, that is {geneva}.", when=when_line(deadline), geneva=itu_time(deadline)),
        _("Documents received later are still registered, but marked late for the chair to decide."),
    ]
    return _finish(lines, late)


def starting_now(meeting: Meeting, agenda: str | None, *, late: bool) -> str:
    head = "🟢 " + _(
        "**{meeting}** is starting now ({time}).",
        meeting=inline(meeting.title),
        time=discord_ts(meeting.starts_at, "t"),
    )
    lines = [head, f"🕙 {itu_span(meeting.starts_at, meeting.ends_at)}"]
    if meeting.link:
        lines.append(f"🔗 <{meeting.link}>")
    if agenda:
        lines.append(_("📋 Agenda: {link}", link=agenda))
    return _finish(lines, late)


def dm_fallback(user_ids: Sequence[int], meeting: Meeting, *, late: bool) -> str:
    who = " ".join(f"<@{u}>" for u in user_ids)
    lines = [
        "⏰ "
        + _(
            "{members} your reminder: **{meeting}** opens {relative}: {when}.",
            members=who,
            meeting=inline(meeting.title),
            relative=discord_ts(meeting.starts_at, "R"),
            when=discord_ts(meeting.starts_at),
        ),
        _(
            "I could not send it by direct message. To get reminders privately, allow direct messages "
            "from members of this server (Privacy Settings), or turn them off with `{command}`.",
            command=_command("remind stop"),
        ),
    ]
    return _finish(lines, late)


# ---------------------------------------------------------------------------------------------
# Replies to members


def offset_lines(starts_at: datetime, ahead: Sequence[timedelta], passed: Sequence[timedelta]) -> list[str]:
    lines = [
        "• "
        + _(
            "{offset} before: {when} ({relative})",
            offset=describe_offset(o),
            when=discord_ts(starts_at - o, "f"),
            relative=discord_ts(starts_at - o, "R"),
        )
        for o in sorted(ahead, reverse=True)
    ]
    lines += [
        "• " + _("~~{offset} before~~ (that time has passed)", offset=describe_offset(o))
        for o in sorted(passed, reverse=True)
    ]
    return lines


def subscribed_meeting(meeting: Meeting, ahead: Sequence[timedelta], passed: Sequence[timedelta]) -> str:
    lines = [
        "🔔 "
        + _(
            "I will send you a direct message before the **{meeting}** ({when}):",
            meeting=inline(meeting.title),
            when=discord_ts(meeting.starts_at),
        )
    ]
    lines += offset_lines(meeting.starts_at, ahead, passed)
    lines.append(
        _(
            "Stop any time with `{command}` (or the button again). Direct messages must be allowed from "
            "members of this server; if they are not, I will mention you in the reminders channel instead.",
            command=_command("remind stop"),
        )
    )
    return clip("\n".join(lines))


def subscribed_all(offsets: Sequence[timedelta], upcoming: int) -> str:
    when = ", ".join(f"{describe_offset(o)}" for o in offsets)
    if upcoming:
        return "🔔 " + _n(
            "I will send you a direct message before every meeting of this server ({offsets} before the "
            "opening): {n} upcoming meeting, and every meeting created later.\n"
            "A meeting you set yourself with `{command}` keeps its own times; stop with `{stop}`.",
            "I will send you a direct message before every meeting of this server ({offsets} before the "
            "opening): {n} upcoming meetings, and every meeting created later.\n"
            "A meeting you set yourself with `{command}` keeps its own times; stop with `{stop}`.",
            upcoming,
            n=upcoming,
            offsets=when,
            command=_command("remind me", "meeting"),
            stop=_command("remind stop"),
        )
    return "🔔 " + _(
        "I will send you a direct message before every meeting of this server ({offsets} before the "
        "opening): no meeting scheduled yet, and every meeting created later.\n"
        "A meeting you set yourself with `{command}` keeps its own times; stop with `{stop}`.",
        offsets=when,
        command=_command("remind me", "meeting"),
        stop=_command("remind stop"),
    )


UNAVAILABLE = N_("Reminders are not available right now; please try again in a minute.")
BUTTON_OUTSIDE_SERVER = N_("This button works in the server, on the agenda post.")
MEETING_GONE = N_("This meeting no longer exists; see `{command}` for the current ones.")
# i18n: button label (80)
REMIND_LABEL = LazyStr(T, N_("Remind me"))
# i18n: autocomplete choice (100)
ALL_CHOICE = N_("All meetings (now and future)")


def meeting_gone() -> str:
    return _(MEETING_GONE, command=_command("meeting list"))


def not_a_meeting(value: str) -> str:
    return _("`{value}` is not a meeting. Pick one from the list, or `all` for every meeting.", value=value)


def meeting_cancelled(meeting: Meeting) -> str:
    return _("The {ordinal} meeting was cancelled; there is nothing to remind you of.", ordinal=ordinal(meeting.number))


def meeting_started(meeting: Meeting) -> str:
    return _(
        "The {ordinal} meeting has already started; there is nothing to remind you of.",
        ordinal=ordinal(meeting.number),
    )


def nothing_ahead(meeting: Meeting) -> str:
    return _(
        "All of those times before the **{meeting}** ({relative}) have passed, so nothing was set. "
        "Choose shorter ones, e.g. `30m` or `10m`.",
        meeting=inline(meeting.title),
        relative=discord_ts(meeting.starts_at, "R"),
    )


def stopped_meeting(meeting: Meeting) -> str:
    return "🔕 " + _(
        "No more direct messages for the **{meeting}**. The reminders channel still gets its "
        "notices. `{command}` (or the button) turns yours back on.",
        meeting=inline(meeting.title),
        command=_command("remind me"),
    )


def stopped_all(count: int) -> str:
    return "🔕 " + _n(
        "Done: you will get no more direct-message reminders in this server "
        "({n} setting removed). The reminders channel still gets its notices.",
        "Done: you will get no more direct-message reminders in this server "
        "({n} settings removed). The reminders channel still gets its notices.",
        count,
        n=count,
    )


def not_subscribed(meeting: Meeting) -> str:
    return _(
        "You have no direct-message reminders for the **{meeting}**; there is nothing to stop.",
        meeting=inline(meeting.title),
    )


def no_subscriptions() -> str:
    return _("You have no direct-message reminders in this server; there is nothing to stop.")


def subscription_list(
    subscriptions: Sequence[Subscription],
    titles: dict[int, str],
    upcoming: Sequence[tuple[Reminder, Meeting]],
) -> str:
    if not subscriptions:
        return _(
            "You have no direct-message reminders here. Use `{command}` (a meeting or `all`), "
            "or the “Remind me” button on an agenda.",
            command=_command("remind me", "meeting"),
        )
    lines = [_("**Your direct-message reminders**")]
    for sub in subscriptions:
        title = titles.get(sub.meeting_id) if sub.meeting_id is not None else None
        shown = inline(title) if title is not None else _("A past meeting")
        if sub.meeting_id is None:
            lines.append("• " + _("Every meeting: {offsets} before", offsets=_offsets_text(sub.offsets)))
        elif sub.opted_out:
            lines.append("• " + _("{meeting}: none (you turned them off)", meeting=shown))
        else:
            lines.append("• " + _("{meeting}: {offsets} before", meeting=shown, offsets=_offsets_text(sub.offsets)))
    if upcoming:
        lines.append(_("**Next**"))
        for reminder, meeting in upcoming:
            lines.append(
                "• "
                + _(
                    "{when} ({relative}): {meeting}, {offset} before",
                    when=discord_ts(reminder.due_at, "f"),
                    relative=discord_ts(reminder.due_at, "R"),
                    meeting=inline(meeting.title),
                    offset=before_words(reminder.offset_seconds),
                )
            )
    return clip("\n".join(lines))


def _offsets_text(offsets: str) -> str:
    parsed = _rules.offsets_or_empty(offsets)
    return ", ".join(describe_offset(o) for o in parsed) if parsed else _("none")


# ---------------------------------------------------------------------------------------------
# The ledger (/remind status)

KIND_LABELS = {
    _rules.CHANNEL: N_("Channel"),
    _rules.PERSONAL: N_("Direct messages"),
    _rules.DEADLINE: N_("Deadline notice"),
    _rules.START: N_("“Starting now” post"),
}

REASONS = {
    _rules.MOVED_PAST: N_("the meeting moved and its time had passed"),
    _rules.MEETING_CANCELLED: N_("meeting cancelled"),
    _rules.NOT_WANTED: N_("no longer wanted"),
    _rules.MEETING_STARTED: N_("too late: the meeting had started"),
    _rules.DEADLINE_PASSED: N_("too late: the deadline had passed"),
    _rules.SUPERSEDED: N_("a later reminder went out instead"),
    _rules.DM_CLOSED: N_("DMs closed"),
    _rules.DM_CLOSED_MENTIONED: N_("DMs closed, mentioned in the channel instead"),
    DETAIL_INTERRUPTED: N_("interrupted by a restart mid-send: may have arrived, not resent"),
}


def reminder_label(reminder: Reminder) -> str:
    if reminder.kind == _rules.START:
        return _(KIND_LABELS[_rules.START])
    if reminder.kind == _rules.DEADLINE:
        if reminder.offset_seconds == 0:
            return _("Deadline notice, on the deadline day")
        return _("Deadline notice, {offset} before the deadline", offset=before_words(reminder.offset_seconds))
    kind = _(KIND_LABELS[reminder.kind]) if reminder.kind in KIND_LABELS else reminder.kind
    return _("{kind}, {offset} before", kind=kind, offset=before_words(reminder.offset_seconds))


def _reason(detail: str | None) -> str:
    if not detail:
        return _("no detail")
    if detail.startswith("http_"):
        return _("Discord error {code}", code=detail[5:])
    return _(REASONS[detail]) if detail in REASONS else detail


STATE_ORDER = ("sent", "pending", "sending", "failed", "skipped", "cancelled")


def _state_count(state: str, n: int) -> str:
    """``3 sent``: the count with the state's word, a real plural."""
    if state == "sent":
        return _n("{n} sent", "{n} sent", n, n=n)
    if state == "pending":
        return _n("{n} pending", "{n} pending", n, n=n)
    if state == "sending":
        return _n("{n} sending", "{n} sending", n, n=n)
    if state == "failed":
        return _n("{n} failed", "{n} failed", n, n=n)
    if state == "skipped":
        return _n("{n} skipped", "{n} skipped", n, n=n)
    return _n("{n} cancelled", "{n} cancelled", n, n=n)


def ledger_line(reminder: Reminder) -> str:
    counts = Counter(d.state for d in reminder.deliveries)
    parts = []
    for state in STATE_ORDER:
        if counts[state]:
            why = Counter(_reason(d.detail) for d in reminder.deliveries if d.state == state)
            note = ""
            if state in ("failed", "skipped", "cancelled"):
                note = " (" + "; ".join(f"{n} {w}" if n > 1 else w for w, n in why.items()) + ")"
            parts.append(f"{_state_count(state, counts[state])}{note}")
    late = sum(1 for d in reminder.deliveries if d.late and d.state == "sent")
    if late:
        parts.append(_n("{n} of them late", "{n} of them late", late, n=late))
    summary = ", ".join(parts) if parts else _("nothing to send")
    return f"• {reminder_label(reminder)} · {discord_ts(reminder.due_at, 'f')} · {summary}"


def ledger(meeting: Meeting, reminders: Sequence[Reminder]) -> str:
    head = _(
        "**Reminders for the {meeting}** ({when})", meeting=inline(meeting.title), when=discord_ts(meeting.starts_at)
    )
    if meeting.cancelled:
        head += " · " + _("cancelled")
    if not reminders:
        return (
            head
            + "\n"
            + _(
                "No reminders yet. Channel reminders need a reminders channel (`{command}`); "
                "times already past when the meeting was created are not sent.",
                command=_command("setup channels"),
            )
        )
    lines = [head, *(ledger_line(r) for r in reminders)]
    totals = Counter(d.state for r in reminders for d in r.deliveries)
    if totals:
        lines.append(
            _("Total: {counts}", counts=", ".join(_state_count(s, totals[s]) for s in STATE_ORDER if totals[s]))
        )
    else:
        lines.append(_("Total: none"))
    return clip("\n".join(lines))
