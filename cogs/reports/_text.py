"""The words of the reports: the documents (Markdown/HTML) and the Discord summaries. Pure.

The style follows the Chair's reports to Council and the four-year report: numbered paragraphs
("2.1 The main results of the nineteenth meeting ..., held on 26 January 2027, were:"), bullets for
outcomes, plain counts. Dates and times are Geneva time, as ITU writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.attendance._rules import TYPE_LABELS, present_sentence
from cogs.core import house_style as hs
from cogs.core.html_documents import isolate
from cogs.core.timefmt import GENEVA, ordinal, ordinal_words
from cogs.reports._render import Bullets, Chart, Document, Heading, Note, Para, Table
from cogs.reports._rules import (
    BUSY_MINUTE,
    NOT_RECORDED,
    PURGED,
    RECORDING,
    ChartData,
    Chat,
    Documents,
    MeetingFigures,
    MeetingRef,
    Period,
    PeriodReport,
)

GROUP_NAMES = hs.GROUP_NAMES
NOT_OFFICIAL = (
    "Prepared from the group's records on its Discord server (documents, agendas and the recorded meeting "
    "chat), as material for the Chair's report. The meeting chat is not part of ITU's official record. "
    "Youth participants are counted, never named."
)
SOURCE_TYPE_LABELS = {
    "member_state": "Member States",
    "sector_member": "Sector Members",
    "organisation": "International organisations",
    "academia": "Academia",
    "civil_society": "Civil society",
    "youth": "Youth",
    "secretariat": "Secretariat",
    "chair": "Chair",
    "other": "Other or not given",
}
NOTES = (
    "Documents are counted when submitted, accepted, or awaiting the chair's decision; withdrawn documents and "
    "those the chair did not accept are shown apart and not counted. Document 1 of each meeting, its agenda, is "
    "not a contribution. Late: received after the deadline (ITU Council Decision 556).",
    "A message is a line written in the meeting chat (the meeting channel and the threads under it) while it was "
    "recorded. Recording notices, deleted lines and lines removed at a member's request are not counted.",
    "Participants are the different people who wrote at least one counted message; “only in threads” are those "
    "who never wrote in the meeting channel itself. Members who asked to be forgotten are not counted: their "
    "lines no longer say who wrote them. Once a chat log is purged, the figures come from the minutes kept.",
    "Youth participants are counted, never named: wherever a name would appear, their pseudonym does.",
    "Present: the members who pressed “I am present” while the meeting was recorded or wrote in its chat. "
    "Delegations are counted once however many of their people came; a delegation is the one a member stated, "
    "or the one their server role stands for.",
    "Messages by agenda item: each message counts under the #topic under way when it was written; topics on the "
    "same agenda item are added together.",
    f"Busiest minutes: the clock minutes with the most messages, shown only when at least {BUSY_MINUTE} messages "
    "were written in the same minute.",
    "Times are Geneva time.",
)
EMBED_FOOTER = "Organisers only · figures from this server's records · the full report is attached"

# ---------------------------------------------------------------------------------------------
# Small helpers


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def people(n: int) -> str:
    return plural(n, "person", "people")


def group_name(code: str) -> str:
    """``the Council Working Group on Child Online Protection (CWG-COP)``, or ``the CODE``."""
    return hs.group_full(code)


def group_short(code: str) -> str:
    """``the CWG-COP`` (house style: the group in running text)."""
    return hs.group_ref(code)


def itu_span(start: datetime, end: datetime) -> str:
    """``26 January 2027, 10.00-12.30 hours Geneva time (CET)``: reports are in Geneva time."""
    return hs.span(start, end, GENEVA)


def zone_words(tz_name: str) -> str:
    """How a report names the zone of its dates: ``Geneva time``, ``New York time``, ``UTC``."""
    return "UTC" if tz_name.upper() == "UTC" else f"{hs.place_label(tz_name)} time"


def geneva(instant: datetime):
    return instant.astimezone(ZoneInfo(GENEVA))


def long_date(instant: datetime) -> str:
    local = geneva(instant)
    return f"{local.day} {local:%B %Y}"


def short_date(instant: datetime) -> str:
    local = geneva(instant)
    return f"{local.day} {local:%b %Y}"


def day_text(day) -> str:
    return f"{day.day} {day:%B %Y}"


def clock(instant: datetime, reference: datetime) -> str:
    """``10.42 hours``, with the date when it is not the day of ``reference``."""
    local, ref = geneva(instant), geneva(reference)
    text = f"{local:%H.%M} hours"
    return text if local.date() == ref.date() else f"{local.day} {local:%B %Y}, {text}"


def join_and(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def meeting_words(meeting: MeetingRef) -> str:
    """``nineteenth meeting``."""
    return f"{ordinal_words(meeting.number)} meeting"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------
# Sentences shared by both reports


def documents_sentence(d: Documents) -> str:
    if d.total == 0 and not d.withdrawn and not d.not_accepted:
        return "No documents were registered for this meeting."
    if d.total == 0:
        text = "No documents are counted for this meeting."
    else:
        text = (
            f"{plural(d.contributions, 'contribution')} and {plural(d.information, 'information document')} "
            f"({plural(d.total, 'document')} in total)."
        )
    if d.late:
        detail = []
        if d.late_accepted:
            detail.append(f"{d.late_accepted} accepted by the chair")
        if d.late_awaiting:
            detail.append(f"{d.late_awaiting} awaiting the chair's decision")
        received = "was" if d.late == 1 else "were"
        text += f" {d.late} {received} received after the deadline" + (f" ({', '.join(detail)})" if detail else "")
        text += "."
    apart = []
    if d.withdrawn:
        apart.append(f"{d.withdrawn} withdrawn")
    if d.not_accepted:
        apart.append(f"{d.not_accepted} not accepted by the chair")
    if apart:
        text += " Not counted: " + " and ".join(apart) + "."
    return text


def source_table(d: Documents) -> Table | None:
    if not d.by_source_type:
        return None
    return Table(
        headers=("Source", "Contributions", "Information documents"),
        rows=tuple((SOURCE_TYPE_LABELS.get(t, t), str(c), str(i)) for t, c, i in d.by_source_type),
        numeric=(False, True, True),
        total=("Total", str(d.contributions), str(d.information)),
    )


def _youth(n: int) -> str:
    return f", including {plural(n, 'youth participant')} (counted, never named)" if n else ""


def participants_sentence(chat: Chat) -> str:
    if chat.state == NOT_RECORDED:
        return "The meeting chat was not recorded, so there are no participation or chat figures."
    if chat.present == 0:
        return "No one wrote in the meeting chat."
    if chat.state == PURGED:
        return f"{capital(people(chat.present))} took part in the meeting chat{_youth(chat.youth)}."
    if chat.only_in_threads:
        split = f": {chat.in_channel} in the meeting channel and {chat.only_in_threads} only in threads"
    else:
        split = " (all of them in the meeting channel)"
    return f"{capital(people(chat.present))} took part in the meeting chat{split}{_youth(chat.youth)}."


def chat_sentence(chat: Chat, starts_at: datetime) -> str:
    if chat.state == NOT_RECORDED:
        return ""
    text = capital(plural(chat.messages, "message"))
    if chat.in_threads:
        text += f" ({chat.in_threads} of them in threads)"
    text += "."
    apart = []
    if chat.deleted:
        apart.append(f"{chat.deleted} deleted")
    if chat.removed:
        apart.append(f"{chat.removed} removed at a member's request")
    if apart:
        text += " Not counted: " + " and ".join(apart) + "."
    if chat.state == PURGED and chat.purged_at is not None:
        text += (
            f" The raw chat log was purged on {long_date(chat.purged_at)}: these figures come from the minutes "
            "kept, and the split by channel and thread, by agenda item and by minute is no longer available."
        )
    elif chat.busiest:
        which = "minutes" if len(chat.busiest) > 1 else "minute"
        text += f" Busiest {which} ({BUSY_MINUTE} messages or more): "
        text += "; ".join(f"{clock(at, starts_at)} ({plural(n, 'message')})" for at, n in chat.busiest) + "."
    return text


def topic_table(chat: Chat) -> Table | None:
    if not chat.by_topic:
        return None
    return Table(
        headers=("Agenda item (#topic)", "Messages"),
        rows=tuple((isolate(t.label), str(t.messages)) for t in chat.by_topic),
        numeric=(False, True),
        total=("Total", str(sum(t.messages for t in chat.by_topic))),
    )


def results_intro(f: MeetingFigures, group_code: str, *, full: bool) -> str:
    m = f.meeting
    of_group = f" of {group_name(group_code)}" if full else ""
    return f"The main results of the {meeting_words(m)}{of_group}, held on {long_date(m.starts_at)}, were:"


def results_blocks(f: MeetingFigures, group_code: str, number: str, *, full: bool, actions_apart: str | None):
    """The numbered "main results" paragraph(s) of one meeting."""
    m = f.meeting
    when = f"the {meeting_words(m)}" + (f" of {group_name(group_code)}" if full else "") + ", held on "
    when += long_date(m.starts_at)
    blocks: list = []
    if f.chat.state == NOT_RECORDED:
        blocks.append(Para(f"The chat of {when}, was not recorded, so no results were noted from it.", number))
        return blocks
    action_lines = [
        f"Action item for {', '.join(map(isolate, a.assignees))}: {isolate(a.text)}"
        if a.assignees
        else f"Action item: {isolate(a.text)}"
        for a in f.actions
    ]
    if actions_apart is None:
        items = [isolate(x) for x in f.agreed] + action_lines
        if items:
            blocks += [Para(results_intro(f, group_code, full=full), number), Bullets(tuple(items))]
        else:
            blocks.append(Para(f"No agreed outcomes or action items were recorded in the chat of {when}.", number))
        return blocks
    if f.agreed:
        blocks += [Para(results_intro(f, group_code, full=full), number), Bullets(tuple(map(isolate, f.agreed)))]
    else:
        blocks.append(
            Para(f"No agreed outcomes were recorded in the chat of {when} (the chair notes them with #agreed).", number)
        )
    if f.actions:
        blocks += [
            Para("The action items recorded at the meeting were:", actions_apart),
            Bullets(tuple(a.line for a in f.actions)),
        ]
    else:
        blocks.append(Para("No action items were recorded (#action).", actions_apart))
    return blocks


def status_notes(f: MeetingFigures, now: datetime) -> list[Note]:
    notes = []
    if f.meeting.starts_at > now:
        notes.append(
            Note(
                f"This meeting has not taken place yet (it is scheduled for {long_date(f.meeting.starts_at)}): "
                "the figures are those so far."
            )
        )
    if f.chat.state == RECORDING:
        notes.append(Note("The chat of this meeting is still being recorded: the chat figures are those so far."))
    return notes


def chair_text(f: MeetingFigures, chair_role: str | None) -> str:
    if f.meeting.chair:
        return f.meeting.chair
    if chair_role:
        return f"the {chair_role} role (no name was recorded for this meeting)"
    return "not recorded"


# ---------------------------------------------------------------------------------------------
# /report meeting


def meeting_title(f: MeetingFigures, group_code: str) -> str:
    return f"Report on the {hs.meeting_heading(f.meeting.number, group_code)}"


def meeting_document(
    f: MeetingFigures, *, group_code: str, chair_role: str | None, generated_at: datetime, now: datetime
) -> Document:
    m = f.meeting
    blocks: list = [*status_notes(f, now), Note(NOT_OFFICIAL), Heading("I. The meeting")]
    chaired = f", chaired by {m.chair}" if m.chair else ""
    blocks.append(
        Para(
            f"The {meeting_words(m)} of {group_name(group_code)} was held on "
            f"{itu_span(m.starts_at, m.ends_at)}{chaired}.",
            "1.1",
        )
    )
    blocks.append(Para("Documents: " + documents_sentence(f.documents), "1.2"))
    table = source_table(f.documents)
    if table:
        blocks.append(table)
    if contributed := contributed_text(f):
        blocks.append(Para(contributed))
    blocks.append(Para(participants_text(f), "1.3"))
    if f.chat.recorded:
        blocks.append(Para("Chat activity: " + chat_sentence(f.chat, m.starts_at), "1.4"))
        table = topic_table(f.chat)
        if table:
            blocks.append(table)
        elif f.chat.state != PURGED and f.chat.messages:
            blocks.append(Note("No #topic markers were used, so messages cannot be placed under agenda items."))
    blocks.append(Heading("II. Main results"))
    blocks += results_blocks(f, group_code, "2.1", full=False, actions_apart="2.2")
    blocks += [Heading("Notes on the figures", 3), Bullets(NOTES)]
    return Document(
        title=meeting_title(f, group_code),
        subtitle=None if hs.is_default_title(m.title, m.number, group_code) else m.title,
        meta=(
            ("Date", itu_span(m.starts_at, m.ends_at)),
            ("Chair", chair_text(f, chair_role)),
            ("Generated", hs.stamp(generated_at)),
        ),
        blocks=tuple(blocks),
    )


def cancelled_meeting(meeting: MeetingRef) -> str:
    reason = f" ({meeting.cancel_reason})" if meeting.cancel_reason else ""
    return (
        f"The {ordinal(meeting.number)} meeting, planned for {long_date(meeting.starts_at)}, was cancelled{reason}: "
        "there is nothing to report. Period reports mention it among the cancelled meetings."
    )


def fit_lines(lines: Sequence[str], limit: int, more: str) -> str:
    """Lines joined, cut at a line boundary so that the text fits ``limit`` characters.

    When lines are left out, a last line says how many (``more`` is formatted with ``n``). A single
    line longer than the limit is shortened with an ellipsis.
    """
    out: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        remaining = len(lines) - i
        tail = more.format(n=remaining)
        if len(line) > limit - len(tail) - 1:
            line = line[: max(limit - len(tail) - 2, 0)] + "…"
        need = size + len(line) + (1 if out else 0)
        reserve = 0 if remaining == 1 else len(more.format(n=remaining - 1)) + 1
        if need + reserve > limit:
            out.append(tail)
            break
        out.append(line)
        size = need
    return "\n".join(out)


EMBED_DESCRIPTION_LIMIT = 1800  # with three fields of 1024 and the title, the embed stays under 6000


def meeting_embed(
    f: MeetingFigures, *, group_code: str, chair_role: str | None, now: datetime
) -> tuple[str, str, list[tuple[str, str]]]:
    """(title, description, fields) of the summary shown in Discord; the file has everything."""
    m, d, chat = f.meeting, f.documents, f.chat
    lines = [itu_span(m.starts_at, m.ends_at), f"Chair: {chair_text(f, chair_role)}", ""]
    lines += [n.text for n in status_notes(f, now)]
    lines.append("**Documents** " + documents_sentence(d))
    lines.append("**Participants** " + participants_sentence(chat))
    if chat.recorded:
        lines.append("**Chat** " + chat_sentence(chat, m.starts_at))
    description = "\n".join(lines)
    if len(description) > EMBED_DESCRIPTION_LIMIT:
        description = description[: EMBED_DESCRIPTION_LIMIT - 1] + "…"
    fields: list[tuple[str, str]] = []
    if chat.by_topic:
        topic_lines = [f"{t.label}: **{t.messages}**" for t in chat.by_topic]
        fields.append(("Messages by agenda item", fit_lines(topic_lines, 1024, "… {n} more in the attached report")))
    if chat.state != NOT_RECORDED:
        agreed = [f"• {a}" for a in f.agreed] or ["None recorded (#agreed)."]
        fields.append(("Main results (agreed)", fit_lines(agreed, 1024, "… {n} more in the attached report")))
        actions = [f"• {a.line}" for a in f.actions] or ["None recorded (#action)."]
        fields.append(("Action items", fit_lines(actions, 1024, "… {n} more in the attached report")))
    return meeting_title(f, group_code)[:256], description, fields


# ---------------------------------------------------------------------------------------------
# /report period


def period_text(period: Period) -> str:
    return f"{day_text(period.first)} to {day_text(period.last)}"


def period_title(period: Period, group_code: str) -> str:
    return f"Report of {group_short(group_code)}, {period_text(period)}"


def no_meetings(period: Period, cancelled: Sequence[MeetingRef], group_code: str) -> str:
    text = f"No meetings of {group_short(group_code)} took place from {period_text(period)}"
    text += f" (dates in {zone_words(period.timezone)}), so there is nothing to report and no chart to draw."
    if cancelled:
        text += " " + cancelled_sentence(cancelled)
    return text


def cancelled_sentence(cancelled: Sequence[MeetingRef]) -> str:
    parts = [f"the {meeting_words(m)} (planned for {long_date(m.starts_at)})" for m in cancelled]
    if len(parts) == 1:
        return f"{capital(parts[0])} was cancelled; it is not counted."
    return f"{capital(join_and(parts))} were cancelled; they are not counted."


def _covers(report: PeriodReport, group_code: str) -> str:
    ms = report.meetings
    if len(ms) == 1:
        m = ms[0].meeting
        return (
            f"This report covers the {meeting_words(m)} of {group_name(group_code)}, held on "
            f"{long_date(m.starts_at)}, the only meeting from {period_text(report.period)}."
        )
    listed = [f"the {ordinal_words(f.meeting.number)} ({long_date(f.meeting.starts_at)})" for f in ms]
    which = f"from {listed[0]} to {listed[-1]}" if len(listed) > 6 else join_and(listed)
    return (
        f"This report covers the {len(ms)} meetings of {group_name(group_code)} held from "
        f"{period_text(report.period)}: {which}."
    )


def _totals(report: PeriodReport) -> str:
    t = report.totals
    text = (
        f"In total, {plural(t.contributions, 'contribution')} and {plural(t.information, 'information document')} "
        "were registered"
    )
    if t.late:
        text += f" ({t.late} of them received after the deadline)"
    text += "."
    apart = []
    if t.withdrawn:
        apart.append(f"{t.withdrawn} withdrawn")
    if t.not_accepted:
        apart.append(f"{t.not_accepted} not accepted by the chair")
    if apart:
        text += " Not counted: " + " and ".join(apart) + "."
    if t.recorded == 0:
        return text + " The meeting chats were not recorded, so there are no participation figures."
    youth = f" (including {plural(t.youth, 'youth participant')}, counted but never named)" if t.youth else ""
    text += (
        f" {capital(plural(t.participants, 'different person', 'different people'))} took part in the meeting "
        f"chats{youth}, writing {plural(t.messages, 'message')}"
    )
    if t.recorded < t.meetings:
        text += f"; the chat was recorded at {t.recorded} of the {t.meetings} meetings"
    return text + "."


def _largest(report: PeriodReport) -> str | None:
    if len(report.meetings) < 2:
        return None
    mc, mp = report.most_contributions, report.most_participants
    if mc and mp and mc[0] == mp[0]:
        return (
            f"The {ordinal_words(mc[0])} meeting had the largest number of contributions ({mc[1]} in total) "
            f"and of participants ({mp[1]})."
        )
    parts = []
    if mc:
        parts.append(f"The {ordinal_words(mc[0])} meeting had the largest number of contributions ({mc[1]} in total).")
    if mp:
        parts.append(f"The {ordinal_words(mp[0])} meeting had the largest number of participants ({mp[1]}).")
    return " ".join(parts) or None


def _with_change(value: int | None, previous: int | None) -> str:
    if value is None:
        return "not recorded"
    if previous is None:
        return str(value)
    change = value - previous
    return f"{value} ({'+' if change > 0 else '±' if change == 0 else '−'}{abs(change)})"


def growth_rows(report: PeriodReport) -> list[tuple[str, ...]]:
    rows = []
    previous: dict[str, int | None] = {"c": None, "p": None, "m": None}
    for f in report.meetings:
        recorded = f.chat.recorded
        participants = f.chat.present if recorded else None
        messages = f.chat.messages if recorded else None
        rows.append(
            (
                ordinal(f.meeting.number),
                short_date(f.meeting.starts_at),
                _with_change(f.documents.contributions, previous["c"]),
                str(f.documents.information),
                _with_change(participants, previous["p"]),
                _with_change(messages, previous["m"]),
            )
        )
        previous["c"] = f.documents.contributions
        if recorded:
            previous["p"], previous["m"] = participants, messages
    return rows


def contributed_text(f: MeetingFigures) -> str | None:
    """1.2: the delegations whose documents were counted, when their sources name known delegations."""
    if not f.contributed:
        return None
    names = ", ".join(f"{isolate(name)} ({TYPE_LABELS[kind]})" for name, kind in f.contributed)
    return f"Delegations that contributed: {names}."


def participants_text(f: MeetingFigures) -> str:
    """1.3: who took part in the chat, and who was present by delegation when attendance was noted."""
    text = "Participants: " + participants_sentence(f.chat)
    if f.attendance is not None:
        text += " Present: " + present_sentence(f.attendance)
    return text


def delegations_table(report: PeriodReport) -> Table | None:
    """Delegations present at each meeting (the growth of stakeholder participation), when attendance was noted."""
    if not any(f.attendance for f in report.meetings):
        return None
    rows = []
    for f in report.meetings:
        a = f.attendance
        if a is None:
            rows.append((ordinal(f.meeting.number), short_date(f.meeting.starts_at), "–", "–", "–", "–"))
            continue
        by_type = {kind: n for kind, n, _people in a.by_type}
        states, sector = by_type.get("member_state", 0), by_type.get("sector_member", 0)
        rows.append(
            (
                ordinal(f.meeting.number),
                short_date(f.meeting.starts_at),
                str(a.people),
                str(states),
                str(sector),
                str(a.delegation_count - states - sector),
            )
        )
    return Table(
        headers=("Meeting", "Date", "Present", "Member States", "Sector Members", "Other delegations"),
        rows=tuple(rows),
        numeric=(False, False, True, True, True, True),
    )


def growth_table(report: PeriodReport) -> Table:
    t = report.totals
    return Table(
        headers=("Meeting", "Date", "Contributions", "Information documents", "Participants", "Messages"),
        rows=tuple(growth_rows(report)),
        numeric=(False, False, True, True, True, True),
        total=(
            "Total",
            "",
            str(t.contributions),
            str(t.information),
            f"{t.participants} different" if t.recorded else "not recorded",
            str(t.messages) if t.recorded else "not recorded",
        ),
    )


def chart_data(report: PeriodReport, group_code: str) -> ChartData:
    noted = any(f.attendance for f in report.meetings)
    return ChartData(
        labels=tuple(f"{ordinal(f.meeting.number)}\n{short_date(f.meeting.starts_at)}" for f in report.meetings),
        contributions=tuple(f.documents.contributions for f in report.meetings),
        participants=tuple(f.chat.present if f.chat.recorded else None for f in report.meetings),
        title=f"{group_code}: contributions, chat participants and delegations present per meeting"
        if noted
        else f"{group_code}: contributions and chat participants per meeting",
        delegations=tuple(f.attendance.delegation_count if f.attendance else None for f in report.meetings)
        if noted
        else (),
    )


CHART_ALT = "Contributions and chat participants per meeting"


CHANGE_NOTE = (
    "In brackets: the change from the previous meeting (participants and messages: from the previous meeting "
    "whose chat was recorded)."
)


def upcoming_note(report: PeriodReport, now: datetime) -> Note | None:
    ahead = [f.meeting for f in report.meetings if f.meeting.starts_at > now]
    if not ahead:
        return None
    names = join_and([f"the {meeting_words(m)} ({long_date(m.starts_at)})" for m in ahead])
    verb, whose = ("has", "its") if len(ahead) == 1 else ("have", "their")
    return Note(f"{capital(names)} {verb} not taken place yet: {whose} figures are those so far.")


def period_document(report: PeriodReport, *, group_code: str, chart_file: str | None, now: datetime) -> Document:
    t = report.totals
    upcoming = upcoming_note(report, now)
    blocks: list = [*([upcoming] if upcoming else []), Note(NOT_OFFICIAL), Heading("I. Overview")]
    paragraphs = [_covers(report, group_code)]
    if report.cancelled:
        paragraphs.append(cancelled_sentence(report.cancelled))
    paragraphs.append(_totals(report))
    largest = _largest(report)
    if largest:
        paragraphs.append(largest)
    blocks += [Para(text, f"1.{n}") for n, text in enumerate(paragraphs, 1)]
    blocks.append(growth_table(report))
    delegations = delegations_table(report)
    if delegations is not None:
        blocks.append(Para("Delegations present at each meeting (“–”: attendance was not noted):"))
        blocks.append(delegations)
    if len(report.meetings) > 1:
        blocks.append(Note(CHANGE_NOTE))
    if chart_file:
        blocks.append(Chart(CHART_ALT, chart_file))
    blocks.append(Heading("II. Main results of the meetings"))
    for n, f in enumerate(report.meetings, 1):
        blocks += results_blocks(f, group_code, f"2.{n}", full=(n == 1), actions_apart=None)
    blocks.append(Heading("III. Figures by meeting"))
    for n, f in enumerate(report.meetings, 1):
        m = f.meeting
        title = "" if hs.is_default_title(m.title, m.number, group_code) else f": {isolate(m.title)}"
        blocks.append(Heading(f"3.{n} {capital(meeting_words(m))}, {long_date(m.starts_at)}{title}", 3))
        if m.chair:
            blocks.append(Para(f"Chair: {isolate(m.chair)}."))
        blocks.append(Para("Documents: " + documents_sentence(f.documents)))
        table = source_table(f.documents)
        if table:
            blocks.append(table)
        if contributed := contributed_text(f):
            blocks.append(Para(contributed))
        blocks.append(Para(participants_text(f)))
        if f.chat.recorded:
            blocks.append(Para("Chat activity: " + chat_sentence(f.chat, m.starts_at)))
            table = topic_table(f.chat)
            if table:
                blocks.append(table)
    blocks += [Heading("Notes on the figures", 3), Bullets(NOTES)]
    meetings = plural(t.meetings, "meeting")
    if report.cancelled:
        meetings += f" ({len(report.cancelled)} more cancelled, not counted)"
    return Document(
        title=period_title(report.period, group_code),
        subtitle=capital(group_name(group_code).removeprefix("the ")),
        meta=(
            ("Period", f"{period_text(report.period)} (dates in {zone_words(report.period.timezone)})"),
            ("Meetings", meetings),
            ("Generated", hs.stamp(report.generated_at)),
        ),
        blocks=tuple(blocks),
    )


def period_embed(report: PeriodReport, *, group_code: str) -> tuple[str, str]:
    """(title, description) of the summary shown in Discord: the overview and the growth table."""
    paragraphs = [_covers(report, group_code)]
    if report.cancelled:
        paragraphs.append(cancelled_sentence(report.cancelled))
    paragraphs.append(_totals(report))
    largest = _largest(report)
    if largest:
        paragraphs.append(largest)
    head = "\n\n".join(paragraphs)
    if len(head) > 2000:
        head = head[:1990] + "…"
    rows = [("Meeting", "Date", "Contr.", "Part.", "Msgs")]
    for f in report.meetings:
        rows.append(
            (
                ordinal(f.meeting.number),
                short_date(f.meeting.starts_at),
                str(f.documents.contributions),
                str(f.chat.present) if f.chat.recorded else "–",
                str(f.chat.messages) if f.chat.recorded else "–",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [
        "  ".join(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows
    ]
    table = fit_lines(lines, 4096 - len(head) - 120, "… {n} more meetings in the attached files")
    description = f"{head}\n```\n{table}\n```\nAttached: the report (Markdown and HTML) and the chart (PNG)."
    return period_title(report.period, group_code)[:256], description
