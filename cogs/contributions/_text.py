"""What the contributions feature says to people, in one place (ready for the six ITU languages).

Pure: never imports discord. Times are shown as Discord timestamps (each reader's own zone) plus
ITU's Geneva time.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from cogs.contributions._rules import KIND_LABELS, SOURCE_TYPE_LABELS, STATUS_LABELS, human_size
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

REGISTER_BUTTON_LABEL = "Register a contribution"
FORM_TITLE = "Register a contribution"

PARTICIPANTS_ONLY = (
    "Registering documents is for meeting participants. If you take part in CWG-COP meetings, "
    "ask the secretariat for the participant role."
)
SUBMITTER_OR_ORGANISER = "Only the person who registered {number} or the meeting organisers may {doing} it."
NO_CHANNEL_FOR_FILE = (
    "I keep attached files by re-posting them in the contributions channel, and none is set up. "
    "Register without the file and give a `link`, or ask an admin to run `/setup channels contributions:`."
)
CANNOT_POST_FILE = (
    "I cannot post files in {channel} (I need View Channel, Send Messages, Embed Links and Attach Files "
    "there), so I could not keep your file. Nothing was registered; ask an admin to check my role."
)
NOTHING_STORED = "Nothing was registered."
FORM_REFUSED = "Nothing was registered. Press **Edit the form** to correct it: what you typed is kept."
CANCELLED = "Cancelled: nothing was registered."
NOT_YOURS = "These buttons belong to the person who ran the command."


def status_label(c: Contribution) -> str:
    label = STATUS_LABELS[c.status]
    if c.is_late and c.status in ("accepted", "rejected"):
        label += " (received late)"
    return label


def source_line(c: Contribution) -> str:
    if c.source_type:
        return f"{inline(c.source)} ({SOURCE_TYPE_LABELS[c.source_type]})"
    return inline(c.source)


ITEM_NOT_PUBLISHED = "not on the published agenda yet"


def item_label(item: AgendaItem | None) -> str:
    return "not assigned yet" if item is None else f"{item.number} {inline(item.title)}"


def deadline_line(deadline: datetime, tz_name: str) -> str:
    return f"{discord_ts(deadline, 'F')} ({discord_ts(deadline, 'R')}), {itu_time(deadline, tz_name)}"


def timing_line(c: Contribution, deadline: datetime, tz_name: str) -> str:
    information = c.kind == KIND_INFORMATION
    if c.is_late:
        due = "Information documents should be posted by" if information else "The deadline was"
        return (
            f"⚠️ **Received after the deadline**, so it is registered as **late** and waits for the chair's "
            f"decision on whether it is considered. {due} {deadline_line(deadline, tz_name)}."
        )
    due = "Information documents should be posted by" if information else "Deadline:"
    return f"✅ Received on time. {due} {deadline_line(deadline, tz_name)}."


def receipt(
    c: Contribution,
    meeting: Meeting,
    deadline: datetime,
    *,
    announcement_url: str | None,
    notes: list[str],
) -> str:
    lines = [
        f"Registered **{c.number}**: “{inline(c.title)}”",
        f"{KIND_LABELS[c.kind]} for the {ordinal(meeting.number)} meeting, from {source_line(c)}.",
        timing_line(c, deadline, GENEVA),
    ]
    if c.file_name:
        lines.append(f"File: `{c.file_name}` ({human_size(c.file_size or 0)}, SHA-256 `{(c.file_sha256 or '')[:12]}…`)")
    if announcement_url:
        lines.append(f"Announced here: {announcement_url}")
    lines.extend(notes)
    lines.append(f"Follow it with `/contribution show number:{c.base_number}`.")
    return "\n".join(lines)


def duplicate_prompt(existing: Contribution) -> str:
    return (
        f"The meeting already has **{existing.number}** “{inline(existing.title)}” from {inline(existing.source)} "
        f"({STATUS_LABELS[existing.status].lower()}). Register another document with the same title and source?\n"
        f"To change the existing one instead, use `/contribution revise number:{existing.base_number}`."
    )


NOT_ANNOUNCED_NO_CHANNEL = (
    "It was not announced: no contributions channel is set up (an admin can run `/setup channels`)."
)
NOT_ANNOUNCED_FAILED = (
    "⚠️ I could not post the announcement in the contributions channel, so the organisers have not been told "
    "there{file}. Ask an admin to check my permissions."
)
FILE_NOT_KEPT = "; your file could not be kept either: attach it again with `/contribution revise`"


# -- document 1 is the agenda ------------------------------------------------------------------


def agenda_not_a_contribution(group_code: str, meeting: Meeting) -> str:
    """Someone typed CWG-COP-19/1: that number is the meeting's agenda, not a contribution."""
    first = document_number(group_code, meeting.number, KIND_CONTRIBUTION, first_seq(KIND_CONTRIBUTION))
    return (
        f"{agenda_number(group_code, meeting.number)} is the agenda of the {ordinal(meeting.number)} meeting: "
        f"document 1 of every meeting is its agenda, and contributions are numbered from {first}. "
        f"Read the agenda with `/agenda show meeting:{meeting.number}` or download it with "
        f"`/agenda export meeting:{meeting.number}`."
    )


def agenda_note(group_code: str, meeting: Meeting) -> str:
    """Under a document list, which starts at /2: where /1 went."""
    return f"{agenda_number(group_code, meeting.number)} is the agenda (/agenda show)"


def export_agenda_note(group_code: str, meeting: Meeting) -> str:
    return f"Document {agenda_number(group_code, meeting.number)} is the agenda of the meeting."


def list_line(c: Contribution, item: AgendaItem | None) -> str:
    rev = f" (Rev.{c.revision})" if c.revision else ""
    title = inline(c.title if len(c.title) <= 90 else c.title[:89] + "…")
    where = f" · item {item.number}" if item else ""
    return f"**{c.base_number}**{rev} {title}\n*{inline(c.source)} · {status_label(c)}{where}*"


def list_title(meeting: Meeting) -> str:
    return f"Documents of the {ordinal(meeting.number)} meeting"


def list_filters(agenda_item: AgendaItem | None, source: str | None, status: str | None) -> str:
    parts = []
    if agenda_item is not None:
        parts.append(f"item {agenda_item.number}")
    if source:
        parts.append(f"source contains “{source}”")
    if status:
        parts.append(STATUS_LABELS[status].lower())
    return ("Filtered: " + ", ".join(parts)) if parts else ""


def list_empty(meeting: Meeting, filtered: bool) -> str:
    if filtered:
        return f"No document of the {ordinal(meeting.number)} meeting matches those filters."
    return (
        f"No documents are registered for the {ordinal(meeting.number)} meeting yet. "
        "Participants register them with `/contribution register` or the button on the agenda."
    )


EVENT_WORDS = {
    "registered": "registered",
    "revised": "revised",
    "accepted": "accepted",
    "rejected": "not accepted",
    "withdrawn": "withdrawn",
    "assigned": "agenda item set",
}


def without_item_title(e: ContributionEvent) -> ContributionEvent:
    """An "assigned" event as a non-organiser reads it: the item's number, not its (maybe draft) title."""
    if e.action != "assigned" or not e.detail or ":" not in e.detail:
        return e
    return dataclasses.replace(e, detail=e.detail.split(":", 1)[0])


def event_line(e: ContributionEvent) -> str:
    words = EVENT_WORDS.get(e.action, e.action)
    detail = f": {inline(e.detail)}" if e.detail else ""
    return f"{discord_ts(e.at, 'd')} {words} by <@{e.actor_id}>{detail}"


def revision_line(r: Revision, c: Contribution) -> str:
    label = "original" if r.revision == 0 else f"Rev.{r.revision}"
    file = ""
    if r.file_name:
        file = f" · [{r.file_name}]({r.file_message_url})" if r.file_message_url else f" · {r.file_name}"
    current = " (current)" if r.revision == c.revision else ""
    return f"{label}{current}, {discord_ts(r.created_at, 'd')}: {inline(r.title[:80])}{file}"


# -- to the submitter, when someone else changed their document ---------------------------------


def notice(c: Contribution, meeting: Meeting, action: str, actor_mention: str, detail: str | None) -> str:
    what = {
        "accepted": "was **accepted**",
        "rejected": "was **not accepted**",
        "withdrawn": "was **withdrawn**",
        "assigned": "was placed under another agenda item",
        "revised": f"was revised: it is now **{c.number}**",
    }[action]
    meeting_name = f"the {ordinal(meeting.number)} meeting"
    text = f"Your document **{c.base_number}** “{inline(c.title)}” for {meeting_name} {what} by {actor_mention}."
    if detail and action in ("accepted", "rejected", "withdrawn"):
        text += f"\nReason: {inline(detail)}"
    elif detail and action == "assigned":
        text += f"\nNow: {inline(detail)}"
    text += f"\nDetails: `/contribution show number:{c.base_number}`"
    return text


def done(action: str, c: Contribution) -> str:
    return {
        "accepted": f"**{c.number}** is accepted.",
        "rejected": f"**{c.number}** is marked as not accepted.",
        "withdrawn": f"**{c.number}** is withdrawn. Its number stays reserved and is never reused.",
        "assigned": f"**{c.number}** is now under the agenda item you chose.",
        "revised": f"**{c.number}** is registered as the new version; earlier versions are kept.",
    }[action]


TOLD_BY_DM = "The submitter was told by direct message."
TOLD_IN_CHANNEL = "The submitter's direct messages are closed, so I told them in the contributions channel."
NOT_TOLD = "I could not reach the submitter (direct messages closed and no contributions channel)."


# -- batched announcements (several documents in one message, cogs/contributions/_publisher.py) ------
def batch_title(count: int) -> str:
    return f"{count} new documents"


def batch_line(c: Contribution) -> str:
    """One document in a batched announcement: number, title, source, and late if it is."""
    title = c.title if len(c.title) <= 90 else c.title[:89] + "…"
    source = c.source if len(c.source) <= 60 else c.source[:59] + "…"
    status = "" if c.status == "submitted" else f" · {status_label(c).split(':')[0]}"
    return f"**{c.number}** · {inline(title)} · {inline(source)}{status}"


ANNOUNCED_SOON = "It will be announced in {channel} within moments."
