"""What the contributions feature says to people, in one place (ready for the six ITU languages).

Pure: never imports discord. Times are shown as Discord timestamps (each reader's own zone) plus
ITU's Geneva time.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

# The feature's one translator (``_rules`` holds it: it is imported first).
from cogs.contributions._rules import (
    SOURCE_TYPE_LABELS,
    STATUS_LABELS,
    T,
    human_size,
)
from cogs.core import i18n
from cogs.core.i18n import N_, LazyStr
from cogs.core.safe_text import inline
from cogs.core.timefmt import GENEVA, discord_ts, itu_time, ordinal
from storage.contributions import (
    KIND_CONTRIBUTION,
    KIND_INFORMATION,
    Contribution,
    ContributionEvent,
    Revision,
    agenda_number,
    document_number,
    first_seq,
)
from storage.meetings import AgendaItem, Meeting

_, _n = T.gettext, T.ngettext

# i18n: button label (80)
REGISTER_BUTTON_LABEL = LazyStr(T, N_("Register a contribution"))
# i18n: modal title (45)
FORM_TITLE = LazyStr(T, N_("Register a contribution"))

PARTICIPANTS_ONLY = N_(
    "Registering documents is for meeting participants. If you take part in CWG-COP meetings, "
    "ask the secretariat for the participant role."
)
SUBMITTER_OR_ORGANISER_REVISE = N_("Only the person who registered {number} or the meeting organisers may revise it.")
SUBMITTER_OR_ORGANISER_WITHDRAW = N_(
    "Only the person who registered {number} or the meeting organisers may withdraw it."
)
NO_CHANNEL_FOR_FILE = N_(
    "I keep attached files by re-posting them in the contributions channel, and none is set up. "
    "Register without the file and give a `link`, or ask an admin to run `{command}`."
)
CANNOT_POST_FILE = N_(
    "I cannot post files in {channel} (I need View Channel, Send Messages, Embed Links and Attach Files "
    "there), so I could not keep your file. Nothing was registered; ask an admin to check my role."
)
NOTHING_STORED = N_("Nothing was registered.")
FORM_REFUSED = N_("Nothing was registered. Press **Edit the form** to correct it: what you typed is kept.")
CANCELLED = N_("Cancelled: nothing was registered.")
NOT_YOURS = N_("These buttons belong to the person who ran the command.")


def status_label(c: Contribution) -> str:
    if c.is_late and c.status == "accepted":
        return _("Accepted (received late)")
    if c.is_late and c.status == "rejected":
        return _("Not accepted (received late)")
    return _(STATUS_LABELS[c.status])


def short_status(status: str) -> str:
    """``Late`` for ``Late: awaiting the chair`` (a picker's or a batch line's few words)."""
    return _(STATUS_LABELS[status]).split(":")[0].split("：")[0]


def source_line(c: Contribution) -> str:
    if c.source_type:
        return _("{source} ({source_type})", source=inline(c.source), source_type=_(SOURCE_TYPE_LABELS[c.source_type]))
    return inline(c.source)


ITEM_NOT_PUBLISHED = N_("not on the published agenda yet")


def item_label(item: AgendaItem | None) -> str:
    return _("not assigned yet") if item is None else f"{item.number} {inline(item.title)}"


def deadline_line(deadline: datetime, tz_name: str) -> str:
    return _(
        "{when} ({relative}), {itu_time}",
        when=discord_ts(deadline, "F"),
        relative=discord_ts(deadline, "R"),
        itu_time=itu_time(deadline, tz_name),
    )


def timing_line(c: Contribution, deadline: datetime, tz_name: str) -> str:
    information = c.kind == KIND_INFORMATION
    when = deadline_line(deadline, tz_name)
    if c.is_late:
        late = _(
            "⚠️ **Received after the deadline**, so it is registered as **late** and waits for the chair's "
            "decision on whether it is considered."
        )
        if information:
            return late + " " + _("Information documents should be posted by {deadline}.", deadline=when)
        return late + " " + _("The deadline was {deadline}.", deadline=when)
    if information:
        return (
            _("✅ Received on time.") + " " + _("Information documents should be posted by {deadline}.", deadline=when)
        )
    return _("✅ Received on time.") + " " + _("Deadline: {deadline}.", deadline=when)


def receipt(
    c: Contribution,
    meeting: Meeting,
    deadline: datetime,
    *,
    announcement_url: str | None,
    notes: list[str],
) -> str:
    kind_line = (
        _(
            "Contribution for the {ordinal} meeting, from {source}.",
            ordinal=ordinal(meeting.number),
            source=source_line(c),
        )
        if c.kind == KIND_CONTRIBUTION
        else _(
            "Information document for the {ordinal} meeting, from {source}.",
            ordinal=ordinal(meeting.number),
            source=source_line(c),
        )
    )
    lines = [
        _("Registered **{number}**: “{title}”", number=c.number, title=inline(c.title)),
        kind_line,
        timing_line(c, deadline, GENEVA),
    ]
    if c.file_name:
        lines.append(
            _(
                "File: `{file}` ({size}, SHA-256 `{digest}…`)",
                file=c.file_name,
                size=human_size(c.file_size or 0),
                digest=(c.file_sha256 or "")[:12],
            )
        )
    if announcement_url:
        lines.append(_("Announced here: {url}", url=announcement_url))
    lines.extend(notes)
    lines.append(
        _("Follow it with `{command}`.", command=f"{i18n.command('contribution show', 'number')}{c.base_number}")
    )
    return "\n".join(lines)


def duplicate_prompt(existing: Contribution) -> str:
    return "\n".join(
        (
            _(
                "The meeting already has **{number}** “{title}” from {source} ({status}). "
                "Register another document with the same title and source?",
                number=existing.number,
                title=inline(existing.title),
                source=inline(existing.source),
                status=_(STATUS_LABELS[existing.status]).lower(),
            ),
            _(
                "To change the existing one instead, use `{command}`.",
                command=f"{i18n.command('contribution revise', 'number')}{existing.base_number}",
            ),
        )
    )


NOT_ANNOUNCED_NO_CHANNEL = N_(
    "It was not announced: no contributions channel is set up (an admin can run `{command}`)."
)
NOT_ANNOUNCED_FAILED = N_(
    "⚠️ I could not post the announcement in the contributions channel, so the organisers have not been told "
    "there. Ask an admin to check my permissions."
)
NOT_ANNOUNCED_FAILED_FILE = N_(
    "⚠️ I could not post the announcement in the contributions channel, so the organisers have not been told "
    "there; your file could not be kept either: attach it again with `{command}`. Ask an admin to check my "
    "permissions."
)


# -- document 1 is the agenda ------------------------------------------------------------------


def agenda_not_a_contribution(group_code: str, meeting: Meeting) -> str:
    """Someone typed CWG-COP-19/1: that number is the meeting's agenda, not a contribution."""
    first = document_number(group_code, meeting.number, KIND_CONTRIBUTION, first_seq(KIND_CONTRIBUTION))
    return _(
        "{agenda} is the agenda of the {ordinal} meeting: document 1 of every meeting is its agenda, and "
        "contributions are numbered from {first}. Read the agenda with `{show}` or download it with `{export}`.",
        agenda=agenda_number(group_code, meeting.number),
        ordinal=ordinal(meeting.number),
        first=first,
        show=f"{i18n.command('agenda show', 'meeting')}{meeting.number}",
        export=f"{i18n.command('agenda export', 'meeting')}{meeting.number}",
    )


def agenda_note(group_code: str, meeting: Meeting) -> str:
    """Under a document list, which starts at /2: where /1 went."""
    return _(
        "{agenda} is the agenda ({command})",
        agenda=agenda_number(group_code, meeting.number),
        command=i18n.command("agenda show"),
    )


def export_agenda_note(group_code: str, meeting: Meeting) -> str:
    return _("Document {agenda} is the agenda of the meeting.", agenda=agenda_number(group_code, meeting.number))


def list_line(c: Contribution, item: AgendaItem | None) -> str:
    rev = f" (Rev.{c.revision})" if c.revision else ""
    title = inline(c.title if len(c.title) <= 90 else c.title[:89] + "…")
    where = " · " + _("item {number}", number=item.number) if item else ""
    return f"**{c.base_number}**{rev} {title}\n*{inline(c.source)} · {status_label(c)}{where}*"


def list_title(meeting: Meeting) -> str:
    return _("Documents of the {ordinal} meeting", ordinal=ordinal(meeting.number))


def list_filters(agenda_item: AgendaItem | None, source: str | None, status: str | None) -> str:
    parts = []
    if agenda_item is not None:
        parts.append(_("item {number}", number=agenda_item.number))
    if source:
        parts.append(_("source contains “{text}”", text=source))
    if status:
        parts.append(_(STATUS_LABELS[status]).lower())
    return _("Filtered: {filters}", filters=", ".join(parts)) if parts else ""


def list_empty(meeting: Meeting, filtered: bool) -> str:
    if filtered:
        return _("No document of the {ordinal} meeting matches those filters.", ordinal=ordinal(meeting.number))
    return _(
        "No documents are registered for the {ordinal} meeting yet. "
        "Participants register them with `{command}` or the button on the agenda.",
        ordinal=ordinal(meeting.number),
        command=i18n.command("contribution register"),
    )


EVENT_WORDS = {
    "registered": N_("{when} registered by {actor}"),
    "revised": N_("{when} revised by {actor}"),
    "accepted": N_("{when} accepted by {actor}"),
    "rejected": N_("{when} not accepted by {actor}"),
    "withdrawn": N_("{when} withdrawn by {actor}"),
    "assigned": N_("{when} agenda item set by {actor}"),
}


def without_item_title(e: ContributionEvent) -> ContributionEvent:
    """An "assigned" event as a non-organiser reads it: the item's number, not its (maybe draft) title."""
    if e.action != "assigned" or not e.detail or ":" not in e.detail:
        return e
    return dataclasses.replace(e, detail=e.detail.split(":", 1)[0])


# The bot's own notes in a document's history are stored in English (cogs/contributions/_rules.py,
# the register command): shown in the reader's language. Anything else there is a member's reason.
LATE_NOTE = "received after the deadline"
NO_ITEM_NOTE = "no agenda item"
_ITEM_NOTE = re.compile(r"^item (\d{1,2}(?:\.\d{1,2})?)(?:: (.*))?\Z", re.S)


def event_detail(e: ContributionEvent) -> str | None:
    """An event's detail as the reader reads it: the bot's notes translated, members' words as written."""
    if not e.detail:
        return None
    if e.action == "registered" and e.detail == LATE_NOTE:
        return _("received after the deadline")
    if e.action == "assigned":
        if e.detail == NO_ITEM_NOTE:
            return _("no agenda item")
        item = _ITEM_NOTE.match(e.detail)
        if item is not None:
            number = _("item {number}", number=item.group(1))
            return number if item.group(2) is None else f"{number}: {inline(item.group(2))}"
    return inline(e.detail)


def event_line(e: ContributionEvent) -> str:
    shown = event_detail(e)
    detail = f": {shown}" if shown else ""
    actor = f"<@{e.actor_id}>"
    when = discord_ts(e.at, "d")
    words = (
        _(EVENT_WORDS[e.action], when=when, actor=actor) if e.action in EVENT_WORDS else f"{when} {e.action} {actor}"
    )
    return words + detail


def revision_line(r: Revision, c: Contribution) -> str:
    label = _("original") if r.revision == 0 else f"Rev.{r.revision}"
    file = ""
    if r.file_name:
        file = f" · [{r.file_name}]({r.file_message_url})" if r.file_message_url else f" · {r.file_name}"
    if r.revision == c.revision:
        label = _("{label} (current)", label=label)
    return f"{label}, {discord_ts(r.created_at, 'd')}: {inline(r.title[:80])}{file}"


# -- to the submitter, when someone else changed their document ---------------------------------

_NOTICE = {
    "accepted": N_("Your document **{number}** “{title}” for the {ordinal} meeting was **accepted** by {actor}."),
    "rejected": N_("Your document **{number}** “{title}” for the {ordinal} meeting was **not accepted** by {actor}."),
    "withdrawn": N_("Your document **{number}** “{title}” for the {ordinal} meeting was **withdrawn** by {actor}."),
    "assigned": N_(
        "Your document **{number}** “{title}” for the {ordinal} meeting was placed under another agenda item "
        "by {actor}."
    ),
    "revised": N_(
        "Your document **{number}** “{title}” for the {ordinal} meeting was revised: it is now **{current}** "
        "by {actor}."
    ),
}


def notice(c: Contribution, meeting: Meeting, action: str, actor_mention: str, detail: str | None) -> str:
    """The submitter's message (rendered in their language by the caller).

    ``detail``: a decision's reason (the organiser's words); for "assigned", the item as ``5.1: Title``,
    :data:`ITEM_NOT_PUBLISHED`, or None (taken off the agenda)."""
    text = _(
        _NOTICE[action],
        number=c.base_number,
        title=inline(c.title),
        ordinal=ordinal(meeting.number),
        current=c.number,
        actor=actor_mention,
    )
    if detail and action in ("accepted", "rejected", "withdrawn"):
        text += "\n" + _("Reason: {reason}", reason=inline(detail))
    elif action == "assigned":
        if detail is None:
            text += "\n" + _("Now: no agenda item")
        elif detail == ITEM_NOT_PUBLISHED:
            text += "\n" + _("Now: {item}", item=_(ITEM_NOT_PUBLISHED))
        else:
            text += "\n" + _("Now: item {item}", item=inline(detail))
    text += "\n" + _("Details: `{command}`", command=f"{i18n.command('contribution show', 'number')}{c.base_number}")
    return text


_DONE = {
    "accepted": N_("**{number}** is accepted."),
    "rejected": N_("**{number}** is marked as not accepted."),
    "withdrawn": N_("**{number}** is withdrawn. Its number stays reserved and is never reused."),
    "assigned": N_("**{number}** is now under the agenda item you chose."),
    "revised": N_("**{number}** is registered as the new version; earlier versions are kept."),
}


def done(action: str, c: Contribution) -> str:
    return _(_DONE[action], number=c.number)


TOLD_BY_DM = N_("The submitter was told by direct message.")
TOLD_IN_CHANNEL = N_("The submitter's direct messages are closed, so I told them in the contributions channel.")
NOT_TOLD = N_("I could not reach the submitter (direct messages closed and no contributions channel).")


# -- batched announcements (several documents in one message, cogs/contributions/_publisher.py) ------
def card_heading(c: Contribution) -> str:
    """The announcement's heading (its author line)."""
    if c.revision == 0:
        return _("New document")
    return _("Revised document: Rev.{revision}", revision=c.revision)


def batch_title(count: int) -> str:
    return _n("{n} new document", "{n} new documents", count, n=count)


def batch_line(c: Contribution) -> str:
    """One document in a batched announcement: number, title, source, and late if it is."""
    title = c.title if len(c.title) <= 90 else c.title[:89] + "…"
    source = c.source if len(c.source) <= 60 else c.source[:59] + "…"
    status = "" if c.status == "submitted" else f" · {status_label(c).split(':')[0].split('：')[0]}"  # no reason
    return f"**{c.number}** · {inline(title)} · {inline(source)}{status}"


ANNOUNCED_SOON = N_("It will be announced in {channel} within moments.")
