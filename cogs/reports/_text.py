"""The words of the reports: the documents (Markdown/HTML) and the Discord summaries. Pure.

The style follows the Chair's reports to Council and the four-year report: numbered paragraphs
("2.1 The main results of the nineteenth meeting ..., held on 26 January 2027, were:"), bullets for
outcomes, plain counts. Dates and times are Geneva time, as ITU writes them.

Every sentence goes through the feature's catalog (``cogs/reports/locales/<lang>.po``, issue 13):
the language is the current one (the member's for replies; the ``language:`` option of the command
for the documents, rendered inside ``with i18n.locale(...)``). English keeps the house style
(``cogs/core/house_style.py``: "26 January 2027, 10.00-12.30 hours Geneva time (CET)", ordinals
spelt out); the other languages write dates and times with Babel (CLDR) and say "Geneva time" in
their own words. Members' words, names, the group's code and document numbers are never translated; the group's name
in a language is the one the organisers set (``/setup group-name``, passed in as ``names``), never a
guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from cogs.attendance._rules import TYPE_LABELS, present_sentence
from cogs.core import house_style as hs
from cogs.core import i18n
from cogs.core.html_documents import isolate
from cogs.core.i18n import N_, translator
from cogs.core.timefmt import GENEVA, ordinal, ordinal_words
from cogs.reports._render import Bullets, Chart, Document, Heading, Note, Para, Table
from cogs.reports._rules import (
    BEFORE_FIRST_TOPIC,
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

T = translator("reports")
_, _n = T.gettext, T.ngettext

GROUP_NAMES = hs.GROUP_NAMES
NOT_OFFICIAL = N_(
    "Prepared from the group's records on its Discord server (documents, agendas and the recorded meeting "
    "chat), as material for the Chair's report. The meeting chat is not part of ITU's official record. "
    "Youth participants are counted, never named."
)
SOURCE_TYPE_LABELS = {
    "member_state": N_("Member States"),
    "sector_member": N_("Sector Members"),
    "organisation": N_("International organisations"),
    "academia": N_("Academia"),
    "civil_society": N_("Civil society"),
    "youth": N_("Youth"),
    "secretariat": N_("Secretariat"),
    "chair": N_("Chair"),
    "other": N_("Other or not given"),
}
NOTES = (
    N_(
        "Documents are counted when submitted, accepted, or awaiting the chair's decision; withdrawn documents and "
        "those the chair did not accept are shown apart and not counted. Document 1 of each meeting, its agenda, is "
        "not a contribution. Late: received after the deadline (ITU Council Decision 556)."
    ),
    N_(
        "A message is a line written in the meeting chat (the meeting channel and the threads under it) while it "
        "was recorded. Recording notices, deleted lines and lines removed at a member's request are not counted."
    ),
    N_(
        "Participants are the different people who wrote at least one counted message; “only in threads” are those "
        "who never wrote in the meeting channel itself. Members who asked to be forgotten are not counted: their "
        "lines no longer say who wrote them. Once a chat log is purged, the figures come from the minutes kept."
    ),
    N_("Youth participants are counted, never named: wherever a name would appear, their pseudonym does."),
    N_(
        "Present: the members who pressed “I am present” while the meeting was recorded or wrote in its chat. "
        "Delegations are counted once however many of their people came; a delegation is the one a member stated, "
        "or the one their server role stands for."
    ),
    N_(
        "Messages by agenda item: each message counts under the #topic under way when it was written; topics on the "
        "same agenda item are added together."
    ),
    N_(
        "Busiest minutes: the clock minutes with the most messages, shown only when at least {busy} messages "
        "were written in the same minute."
    ),
    N_("Times are Geneva time."),
)
# i18n: embed footer (2048)
EMBED_FOOTER = N_("Organisers only · figures from this server's records · the full report is attached")
CHART_ALT = N_("Contributions and chat participants per meeting")
CHANGE_NOTE = N_(
    "In brackets: the change from the previous meeting (participants and messages: from the previous meeting "
    "whose chat was recorded)."
)

# ---------------------------------------------------------------------------------------------
# Small helpers


def english() -> bool:
    return i18n.current() == i18n.SOURCE


def notes() -> tuple[str, ...]:
    return tuple(_(note, busy=BUSY_MINUTE) for note in NOTES)


def people(n: int) -> str:
    return _n("{n} person", "{n} people", n, n=n)


def contributions(n: int) -> str:
    return _n("{n} contribution", "{n} contributions", n, n=n)


def information_documents(n: int) -> str:
    return _n("{n} information document", "{n} information documents", n, n=n)


def messages(n: int) -> str:
    return _n("{n} message", "{n} messages", n, n=n)


def youth_participants(n: int) -> str:
    return _n("{n} youth participant", "{n} youth participants", n, n=n)


NO_NAMES: Mapping[str, str] = MappingProxyType({})


def group_name(code: str, names: Mapping[str, str] = NO_NAMES) -> str:
    """The group in a formal sentence, named in full where a name is known.

    English: ``the Council Working Group on Child Online Protection (CWG-COP)`` (or ``the NAME (CODE)``
    with the English name the organisers set), else ``the CODE``. The other languages: ``CODE (NAME)``
    with the name set for the language (``names``: language → name, ``/setup group-name``), else the
    code alone: a name is never guessed. The code leads there because the catalog's sentences are
    written around it ("du {group}", "لفريق {group}", a Russian genitive): the name, in brackets,
    stays in the form the organisers wrote.
    """
    name = names.get(i18n.current())
    if english():
        return hs.group_full(code, name)
    if not name:
        return code
    return f"{code}（{isolate(name)}）" if i18n.current() == "zh" else f"{code} ({isolate(name)})"


def group_heading(code: str, names: Mapping[str, str] = NO_NAMES) -> str | None:
    """A document's subtitle naming the group: ``Council Working Group on Child Online Protection (CWG-COP)``.

    In the other languages ``NAME (CODE)`` with the name the organisers set, else None (the title
    already gives the code).
    """
    if english():
        return capital(group_name(code, names).removeprefix("the "))
    name = names.get(i18n.current())
    if not name:
        return None
    return f"{isolate(name)}（{code}）" if i18n.current() == "zh" else f"{isolate(name)} ({code})"


def group_short(code: str) -> str:
    """``the CWG-COP`` (house style: the group in running text); the code in the other languages."""
    return hs.group_ref(code) if english() else code


def geneva_time() -> str:
    return _("Geneva time")


def itu_span(start: datetime, end: datetime) -> str:
    """``26 January 2027, 10.00-12.30 hours Geneva time (CET)``: reports are in Geneva time."""
    if english():
        return hs.span(start, end, GENEVA)
    zone = ZoneInfo(GENEVA)
    if start.astimezone(zone).date() == end.astimezone(zone).date():
        return _(
            "{date}, {start}–{end} ({zone})",
            date=i18n.format_date(start),
            start=i18n.format_time(start),
            end=i18n.format_time(end),
            zone=geneva_time(),
        )
    return _(
        "{start} to {end} ({zone})",
        start=_("{date}, {time}", date=i18n.format_date(start), time=i18n.format_time(start)),
        end=_("{date}, {time}", date=i18n.format_date(end), time=i18n.format_time(end)),
        zone=geneva_time(),
    )


def stamp(instant: datetime) -> str:
    """When a document was generated, in Geneva time."""
    return hs.stamp(instant) if english() else i18n.format_datetime(instant)


def zone_words(tz_name: str) -> str:
    """How a report names the zone of its dates: ``Geneva time``, ``New York time``, ``UTC``."""
    if tz_name.upper() == "UTC":
        return "UTC"
    if english():
        return f"{hs.place_label(tz_name)} time"
    if tz_name == GENEVA:
        return geneva_time()
    return _("{place} time", place=hs.place_label(tz_name))


def geneva(instant: datetime):
    return instant.astimezone(ZoneInfo(GENEVA))


def long_date(instant: datetime) -> str:
    if not english():
        return i18n.format_date(instant)
    local = geneva(instant)
    return f"{local.day} {local:%B %Y}"


def short_date(instant: datetime) -> str:
    if not english():
        return i18n.format_date(instant, "medium")
    local = geneva(instant)
    return f"{local.day} {local:%b %Y}"


def day_text(day: date) -> str:
    if not english():
        return i18n.format_date(day)
    return f"{day.day} {day:%B %Y}"


def clock(instant: datetime, reference: datetime) -> str:
    """``10.42 hours``, with the date when it is not the day of ``reference``."""
    local, ref = geneva(instant), geneva(reference)
    if not english():
        time = i18n.format_time(instant)
        return time if local.date() == ref.date() else _("{date}, {time}", date=long_date(instant), time=time)
    text = f"{local:%H.%M} hours"
    return text if local.date() == ref.date() else f"{local.day} {local:%B %Y}, {text}"


def commas(parts: Sequence[str]) -> str:
    """Items side by side (not "and"): ``a, b`` / ``a、b`` / ``a، b``."""
    separator = {"zh": "、", "ar": "، "}.get(i18n.current(), ", ")
    return separator.join(parts)


def and_list(parts: Sequence[str]) -> str:
    """``a, b and c`` in the current language (Babel)."""
    if len(parts) <= 1:
        return "".join(parts)
    return i18n.format_list(parts)


def sentences(*parts: str) -> str:
    """Sentences one after the other (Chinese writes them without a space)."""
    separator = "" if i18n.current() == "zh" else " "
    return separator.join(p for p in parts if p)


def number_of(n: int) -> str:
    """A meeting's number as an ordinal word in English report sentences (``nineteenth``), else the
    language's ordinal of "meeting" (``19e``, ``19-е``)."""
    return ordinal_words(n) if english() else i18n.meeting_ordinal(n)


def meeting_words(meeting: MeetingRef) -> str:
    """``nineteenth meeting`` / ``19e réunion`` / ``第19次会议``."""
    return _("{ordinal} meeting", ordinal=number_of(meeting.number))


def meeting_short(number: int) -> str:
    """``19th`` (a table cell under "Meeting")."""
    return ordinal(number) if english() else i18n.meeting_ordinal(number)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def topic_label(label: str) -> str:
    return _(BEFORE_FIRST_TOPIC) if label == BEFORE_FIRST_TOPIC else label


def not_counted(withdrawn: int | None, not_accepted: int | None) -> str:
    apart = []
    if withdrawn:
        apart.append(_n("{n} withdrawn", "{n} withdrawn", withdrawn, n=withdrawn))
    if not_accepted:
        apart.append(_n("{n} not accepted by the chair", "{n} not accepted by the chair", not_accepted, n=not_accepted))
    return _("Not counted: {items}.", items=and_list(apart)) if apart else ""


# ---------------------------------------------------------------------------------------------
# Sentences shared by both reports


def documents_sentence(d: Documents) -> str:
    if d.total == 0 and not d.withdrawn and not d.not_accepted:
        return _("No documents were registered for this meeting.")
    if d.total == 0:
        text = _("No documents are counted for this meeting.")
    else:
        text = _(
            "{contributions} and {information} ({total} in total).",
            contributions=contributions(d.contributions),
            information=information_documents(d.information),
            total=_n("{n} document", "{n} documents", d.total, n=d.total),
        )
    late = ""
    if d.late:
        detail = []
        if d.late_accepted:
            detail.append(
                _n("{n} accepted by the chair", "{n} accepted by the chair", d.late_accepted, n=d.late_accepted)
            )
        if d.late_awaiting:
            detail.append(
                _n(
                    "{n} awaiting the chair's decision",
                    "{n} awaiting the chair's decision",
                    d.late_awaiting,
                    n=d.late_awaiting,
                )
            )
        if detail:
            late = _n(
                "{n} was received after the deadline ({detail}).",
                "{n} were received after the deadline ({detail}).",
                d.late,
                n=d.late,
                detail=commas(detail),
            )
        else:
            late = _n("{n} was received after the deadline.", "{n} were received after the deadline.", d.late, n=d.late)
    return sentences(text, late, not_counted(d.withdrawn, d.not_accepted))


def source_table(d: Documents) -> Table | None:
    if not d.by_source_type:
        return None
    return Table(
        headers=(_("Source"), _("Contributions"), _("Information documents")),
        rows=tuple(
            (_(SOURCE_TYPE_LABELS[t]) if t in SOURCE_TYPE_LABELS else t, str(c), str(i)) for t, c, i in d.by_source_type
        ),
        numeric=(False, True, True),
        total=(_("Total"), str(d.contributions), str(d.information)),
    )


def _youth(n: int) -> str:
    return _(", including {youth} (counted, never named)", youth=youth_participants(n)) if n else ""


def participants_sentence(chat: Chat) -> str:
    if chat.state == NOT_RECORDED:
        return _("The meeting chat was not recorded, so there are no participation or chat figures.")
    if chat.present == 0:
        return _("No one wrote in the meeting chat.")
    if chat.state == PURGED:
        split = ""
    elif chat.only_in_threads:
        split = _(
            ": {in_channel} in the meeting channel and {in_threads} only in threads",
            in_channel=chat.in_channel,
            in_threads=chat.only_in_threads,
        )
    else:
        split = _(" (all of them in the meeting channel)")
    return capital(
        _(
            "{people} took part in the meeting chat{split}{youth}.",
            people=people(chat.present),
            split=split,
            youth=_youth(chat.youth),
        )
    )


def chat_sentence(chat: Chat, starts_at: datetime) -> str:
    if chat.state == NOT_RECORDED:
        return ""
    if chat.in_threads:
        text = _("{messages} ({n} of them in threads).", messages=capital(messages(chat.messages)), n=chat.in_threads)
    else:
        text = _("{messages}.", messages=capital(messages(chat.messages)))
    apart = []
    if chat.deleted:
        apart.append(_n("{n} deleted", "{n} deleted", chat.deleted, n=chat.deleted))
    if chat.removed:
        apart.append(
            _n("{n} removed at a member's request", "{n} removed at a member's request", chat.removed, n=chat.removed)
        )
    parts = [text, _("Not counted: {items}.", items=and_list(apart)) if apart else ""]
    if chat.state == PURGED and chat.purged_at is not None:
        parts.append(
            _(
                "The raw chat log was purged on {date}: these figures come from the minutes kept, and the split by "
                "channel and thread, by agenda item and by minute is no longer available.",
                date=long_date(chat.purged_at),
            )
        )
    elif chat.busiest:
        minutes = "; ".join(
            _("{time} ({messages})", time=clock(at, starts_at), messages=messages(n)) for at, n in chat.busiest
        )
        parts.append(
            _n(
                "Busiest minute ({busy} messages or more): {minutes}.",
                "Busiest minutes ({busy} messages or more): {minutes}.",
                len(chat.busiest),
                busy=BUSY_MINUTE,
                minutes=minutes,
            )
        )
    return sentences(*parts)


def topic_table(chat: Chat) -> Table | None:
    if not chat.by_topic:
        return None
    return Table(
        headers=(_("Agenda item (#topic)"), _("Messages")),
        rows=tuple((isolate(topic_label(t.label)), str(t.messages)) for t in chat.by_topic),
        numeric=(False, True),
        total=(_("Total"), str(sum(t.messages for t in chat.by_topic))),
    )


def held_on(m: MeetingRef, group_code: str, *, full: bool, names: Mapping[str, str] = NO_NAMES) -> str:
    """``the nineteenth meeting of the ... (CWG-COP), held on 26 January 2027``."""
    if full:
        return _(
            "the {meeting} of {group}, held on {date}",
            meeting=meeting_words(m),
            group=group_name(group_code, names),
            date=long_date(m.starts_at),
        )
    return _("the {meeting}, held on {date}", meeting=meeting_words(m), date=long_date(m.starts_at))


def results_intro(f: MeetingFigures, group_code: str, *, full: bool, names: Mapping[str, str] = NO_NAMES) -> str:
    return _("The main results of {meeting}, were:", meeting=held_on(f.meeting, group_code, full=full, names=names))


def action_line(assignees: Sequence[str], text: str) -> str:
    if assignees:
        return _("Action item for {people}: {text}", people=commas([isolate(a) for a in assignees]), text=isolate(text))
    return _("Action item: {text}", text=isolate(text))


def assigned_line(action) -> str:
    """``Name, Name: text`` (an action item as the minutes list it)."""
    if english():
        return action.line
    if action.assignees:
        return f"{commas([isolate(a) for a in action.assignees])}: {isolate(action.text)}"
    return isolate(action.text)


def results_blocks(
    f: MeetingFigures,
    group_code: str,
    number: str,
    *,
    full: bool,
    actions_apart: str | None,
    names: Mapping[str, str] = NO_NAMES,
):
    """The numbered "main results" paragraph(s) of one meeting."""
    when = held_on(f.meeting, group_code, full=full, names=names)
    blocks: list = []
    if f.chat.state == NOT_RECORDED:
        blocks.append(
            Para(_("The chat of {meeting}, was not recorded, so no results were noted from it.", meeting=when), number)
        )
        return blocks
    action_lines = [action_line(a.assignees, a.text) for a in f.actions]
    if actions_apart is None:
        items = [isolate(x) for x in f.agreed] + action_lines
        if items:
            blocks += [Para(results_intro(f, group_code, full=full, names=names), number), Bullets(tuple(items))]
        else:
            blocks.append(
                Para(
                    _("No agreed outcomes or action items were recorded in the chat of {meeting}.", meeting=when),
                    number,
                )
            )
        return blocks
    if f.agreed:
        blocks += [
            Para(results_intro(f, group_code, full=full, names=names), number),
            Bullets(tuple(map(isolate, f.agreed))),
        ]
    else:
        blocks.append(
            Para(
                _(
                    "No agreed outcomes were recorded in the chat of {meeting} (the chair notes them with #agreed).",
                    meeting=when,
                ),
                number,
            )
        )
    if f.actions:
        blocks += [
            Para(_("The action items recorded at the meeting were:"), actions_apart),
            Bullets(tuple(assigned_line(a) for a in f.actions)),
        ]
    else:
        blocks.append(Para(_("No action items were recorded (#action)."), actions_apart))
    return blocks


def status_notes(f: MeetingFigures, now: datetime) -> list[Note]:
    notes = []
    if f.meeting.starts_at > now:
        notes.append(
            Note(
                _(
                    "This meeting has not taken place yet (it is scheduled for {date}): the figures are those so far.",
                    date=long_date(f.meeting.starts_at),
                )
            )
        )
    if f.chat.state == RECORDING:
        notes.append(Note(_("The chat of this meeting is still being recorded: the chat figures are those so far.")))
    return notes


def chair_text(f: MeetingFigures, chair_role: str | None) -> str:
    if f.meeting.chair:
        return f.meeting.chair
    if chair_role:
        return _("the {role} role (no name was recorded for this meeting)", role=chair_role)
    return _("not recorded")


# ---------------------------------------------------------------------------------------------
# /report meeting


def meeting_title(f: MeetingFigures, group_code: str) -> str:
    """``Report on the 19th meeting of the CWG-COP``."""
    return _(
        "Report on the {meeting} of {group}",
        meeting=_("{ordinal} meeting", ordinal=i18n.meeting_ordinal(f.meeting.number)),
        group=group_short(group_code),
    )


def meeting_document(
    f: MeetingFigures,
    *,
    group_code: str,
    chair_role: str | None,
    generated_at: datetime,
    now: datetime,
    group_names: Mapping[str, str] = NO_NAMES,
) -> Document:
    m = f.meeting
    blocks: list = [*status_notes(f, now), Note(_(NOT_OFFICIAL)), Heading(_("I. The meeting"))]
    held = {
        "meeting": meeting_words(m),
        "group": group_name(group_code, group_names),
        "when": itu_span(m.starts_at, m.ends_at),
    }
    if m.chair:
        text = _(
            "The {meeting} of {group} was held on {when}, chaired by {chair}.", chair=i18n.isolate(m.chair), **held
        )
    else:
        text = _("The {meeting} of {group} was held on {when}.", **held)
    blocks.append(Para(capital(text), "1.1"))
    blocks.append(Para(_("Documents: {text}", text=documents_sentence(f.documents)), "1.2"))
    table = source_table(f.documents)
    if table:
        blocks.append(table)
    if contributed := contributed_text(f):
        blocks.append(Para(contributed))
    blocks.append(Para(participants_text(f), "1.3"))
    if f.chat.recorded:
        blocks.append(Para(_("Chat activity: {text}", text=chat_sentence(f.chat, m.starts_at)), "1.4"))
        table = topic_table(f.chat)
        if table:
            blocks.append(table)
        elif f.chat.state != PURGED and f.chat.messages:
            blocks.append(Note(_("No #topic markers were used, so messages cannot be placed under agenda items.")))
    blocks.append(Heading(_("II. Main results")))
    blocks += results_blocks(f, group_code, "2.1", full=False, actions_apart="2.2", names=group_names)
    blocks += [Heading(_("Notes on the figures"), 3), Bullets(notes())]
    return Document(
        title=meeting_title(f, group_code),
        subtitle=None if hs.is_default_title(m.title, m.number, group_code) else m.title,
        meta=(
            (_("Date"), itu_span(m.starts_at, m.ends_at)),
            (_("Chair"), chair_text(f, chair_role)),
            (_("Generated"), stamp(generated_at)),
        ),
        blocks=tuple(blocks),
        language=i18n.current(),
        table_label=_("Table {n}: {headers}"),
    )


def cancelled_meeting(meeting: MeetingRef) -> str:
    return _(
        "The {meeting}, planned for {date}, was cancelled{reason}: there is nothing to report. Period reports "
        "mention it among the cancelled meetings.",
        meeting=_("{ordinal} meeting", ordinal=i18n.meeting_ordinal(meeting.number)),
        date=long_date(meeting.starts_at),
        reason=f" ({meeting.cancel_reason})" if meeting.cancel_reason else "",
    )


def fit_lines(lines: Sequence[str], limit: int, more: str | Callable[[int], str]) -> str:
    """Lines joined, cut at a line boundary so that the text fits ``limit`` characters.

    When lines are left out, a last line says how many (``more`` is formatted with ``n``, or called
    with it). A single line longer than the limit is shortened with an ellipsis.
    """
    say = more if callable(more) else (lambda n: more.format(n=n))
    out: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        remaining = len(lines) - i
        tail = say(remaining)
        if len(line) > limit - len(tail) - 1:
            line = line[: max(limit - len(tail) - 2, 0)] + "…"
        need = size + len(line) + (1 if out else 0)
        reserve = 0 if remaining == 1 else len(say(remaining - 1)) + 1
        if need + reserve > limit:
            out.append(tail)
            break
        out.append(line)
        size = need
    return "\n".join(out)


def more_in_report(n: int) -> str:
    return _n("… {n} more in the attached report", "… {n} more in the attached report", n, n=n)


EMBED_DESCRIPTION_LIMIT = 1800  # with three fields of 1024 and the title, the embed stays under 6000


def meeting_embed(
    f: MeetingFigures, *, group_code: str, chair_role: str | None, now: datetime
) -> tuple[str, str, list[tuple[str, str]]]:
    """(title, description, fields) of the summary shown in Discord; the file has everything."""
    m, d, chat = f.meeting, f.documents, f.chat
    lines = [itu_span(m.starts_at, m.ends_at), _("Chair: {chair}", chair=chair_text(f, chair_role)), ""]
    lines += [n.text for n in status_notes(f, now)]
    lines.append(_("**Documents** {text}", text=documents_sentence(d)))
    lines.append(_("**Participants** {text}", text=participants_sentence(chat)))
    if chat.recorded:
        lines.append(_("**Chat** {text}", text=chat_sentence(chat, m.starts_at)))
    description = "\n".join(lines)
    if len(description) > EMBED_DESCRIPTION_LIMIT:
        description = description[: EMBED_DESCRIPTION_LIMIT - 1] + "…"
    fields: list[tuple[str, str]] = []
    if chat.by_topic:
        topic_lines = [f"{topic_label(t.label)}: **{t.messages}**" for t in chat.by_topic]
        # i18n: embed field name (256)
        fields.append((_("Messages by agenda item"), fit_lines(topic_lines, 1024, more_in_report)))
    if chat.state != NOT_RECORDED:
        agreed = [f"• {a}" for a in f.agreed] or [_("None recorded (#agreed).")]
        # i18n: embed field name (256)
        fields.append((_("Main results (agreed)"), fit_lines(agreed, 1024, more_in_report)))
        actions = [f"• {assigned_line(a)}" for a in f.actions] or [_("None recorded (#action).")]
        # i18n: embed field name (256)
        fields.append((_("Action items"), fit_lines(actions, 1024, more_in_report)))
    return meeting_title(f, group_code)[:256], description, fields


# ---------------------------------------------------------------------------------------------
# /report period


def period_text(period: Period) -> str:
    """``1 January 2027 to 31 March 2027``."""
    return _("{first} to {last}", first=day_text(period.first), last=day_text(period.last))


def period_title(period: Period, group_code: str) -> str:
    return _("Report of {group}, {period}", group=group_short(group_code), period=period_text(period))


def no_meetings(period: Period, cancelled: Sequence[MeetingRef], group_code: str) -> str:
    text = _(
        "No meetings of {group} took place from {first} to {last} (dates in {zone}), so there is nothing to report "
        "and no chart to draw.",
        group=group_short(group_code),
        first=day_text(period.first),
        last=day_text(period.last),
        zone=zone_words(period.timezone),
    )
    return sentences(text, cancelled_sentence(cancelled)) if cancelled else text


def planned(m: MeetingRef) -> str:
    """``the nineteenth meeting (planned for 26 January 2027)``."""
    return _("the {meeting} (planned for {date})", meeting=meeting_words(m), date=long_date(m.starts_at))


def cancelled_sentence(cancelled: Sequence[MeetingRef]) -> str:
    return capital(
        _n(
            "{meetings} was cancelled; it is not counted.",
            "{meetings} were cancelled; they are not counted.",
            len(cancelled),
            meetings=and_list([planned(m) for m in cancelled]),
        )
    )


def _covers(report: PeriodReport, group_code: str, names: Mapping[str, str]) -> str:
    ms = report.meetings
    first, last = day_text(report.period.first), day_text(report.period.last)
    if len(ms) == 1:
        m = ms[0].meeting
        return _(
            "This report covers the {meeting} of {group}, held on {date}, the only meeting from {first} to {last}.",
            meeting=meeting_words(m),
            group=group_name(group_code, names),
            date=long_date(m.starts_at),
            first=first,
            last=last,
        )
    listed = [
        _("the {ordinal} ({date})", ordinal=number_of(f.meeting.number), date=long_date(f.meeting.starts_at))
        for f in ms
    ]
    which = _("from {first} to {last}", first=listed[0], last=listed[-1]) if len(listed) > 6 else and_list(listed)
    return _n(
        "This report covers the {n} meeting of {group} held from {first} to {last}: {which}.",
        "This report covers the {n} meetings of {group} held from {first} to {last}: {which}.",
        len(ms),
        n=len(ms),
        group=group_name(group_code, names),
        first=first,
        last=last,
        which=which,
    )


def _totals(report: PeriodReport) -> str:
    t = report.totals
    counts = {"contributions": contributions(t.contributions), "information": information_documents(t.information)}
    if t.late:
        text = _n(
            "In total, {contributions} and {information} were registered ({n} of them received after the deadline).",
            "In total, {contributions} and {information} were registered ({n} of them received after the deadline).",
            t.late,
            n=t.late,
            **counts,
        )
    else:
        text = _("In total, {contributions} and {information} were registered.", **counts)
    parts = [text, not_counted(t.withdrawn, t.not_accepted)]
    if t.recorded == 0:
        parts.append(_("The meeting chats were not recorded, so there are no participation figures."))
        return sentences(*parts)
    youth = _(" (including {youth}, counted but never named)", youth=youth_participants(t.youth)) if t.youth else ""
    took_part = {
        "people": _n("{n} different person", "{n} different people", t.participants, n=t.participants),
        "youth": youth,
        "messages": messages(t.messages),
    }
    if t.recorded < t.meetings:
        text = _n(
            "{people} took part in the meeting chats{youth}, writing {messages}; the chat was recorded at {recorded} "
            "of the {n} meetings.",
            "{people} took part in the meeting chats{youth}, writing {messages}; the chat was recorded at {recorded} "
            "of the {n} meetings.",
            t.meetings,
            n=t.meetings,
            recorded=t.recorded,
            **took_part,
        )
    else:
        text = _("{people} took part in the meeting chats{youth}, writing {messages}.", **took_part)
    parts.append(capital(text))
    return sentences(*parts)


def _largest(report: PeriodReport) -> str | None:
    if len(report.meetings) < 2:
        return None
    mc, mp = report.most_contributions, report.most_participants

    def meeting(number: int) -> str:
        return _("{ordinal} meeting", ordinal=number_of(number))

    if mc and mp and mc[0] == mp[0]:
        return _(
            "The {meeting} had the largest number of contributions ({contributions} in total) and of participants "
            "({participants}).",
            meeting=meeting(mc[0]),
            contributions=mc[1],
            participants=mp[1],
        )
    parts = []
    if mc:
        parts.append(
            _(
                "The {meeting} had the largest number of contributions ({contributions} in total).",
                meeting=meeting(mc[0]),
                contributions=mc[1],
            )
        )
    if mp:
        parts.append(
            _(
                "The {meeting} had the largest number of participants ({participants}).",
                meeting=meeting(mp[0]),
                participants=mp[1],
            )
        )
    return sentences(*parts) or None


def _with_change(value: int | None, previous: int | None) -> str:
    if value is None:
        return _("not recorded")
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
        count = f.chat.messages if recorded else None
        rows.append(
            (
                meeting_short(f.meeting.number),
                short_date(f.meeting.starts_at),
                _with_change(f.documents.contributions, previous["c"]),
                str(f.documents.information),
                _with_change(participants, previous["p"]),
                _with_change(count, previous["m"]),
            )
        )
        previous["c"] = f.documents.contributions
        if recorded:
            previous["p"], previous["m"] = participants, count
    return rows


def contributed_text(f: MeetingFigures) -> str | None:
    """1.2: the delegations whose documents were counted, when their sources name known delegations."""
    if not f.contributed:
        return None
    names = ", ".join(f"{isolate(name)} ({TYPE_LABELS[kind]})" for name, kind in f.contributed)
    return f"Delegations that contributed: {names}."


def participants_text(f: MeetingFigures) -> str:
    """1.3: who took part in the chat, and who was present by delegation when attendance was noted."""
    text = _("Participants: {text}", text=participants_sentence(f.chat))
    if f.attendance is not None:
        text = sentences(text, _("Present: {text}", text=present_sentence(f.attendance)))
    return text


def delegations_table(report: PeriodReport) -> Table | None:
    """Delegations present at each meeting (the growth of stakeholder participation), when attendance was noted."""
    if not any(f.attendance for f in report.meetings):
        return None
    rows = []
    for f in report.meetings:
        a = f.attendance
        if a is None:
            rows.append((meeting_short(f.meeting.number), short_date(f.meeting.starts_at), "–", "–", "–", "–"))
            continue
        by_type = {kind: n for kind, n, _people in a.by_type}
        states, sector = by_type.get("member_state", 0), by_type.get("sector_member", 0)
        rows.append(
            (
                meeting_short(f.meeting.number),
                short_date(f.meeting.starts_at),
                str(a.people),
                str(states),
                str(sector),
                str(a.delegation_count - states - sector),
            )
        )
    return Table(
        headers=(
            _("Meeting"),
            _("Date"),
            _("Present"),
            _("Member States"),
            _("Sector Members"),
            _("Other delegations"),
        ),
        rows=tuple(rows),
        numeric=(False, False, True, True, True, True),
    )


def growth_table(report: PeriodReport) -> Table:
    t = report.totals
    return Table(
        headers=(
            _("Meeting"),
            _("Date"),
            _("Contributions"),
            _("Information documents"),
            _("Participants"),
            _("Messages"),
        ),
        rows=tuple(growth_rows(report)),
        numeric=(False, False, True, True, True, True),
        total=(
            _("Total"),
            "",
            str(t.contributions),
            str(t.information),
            _n("{n} different", "{n} different", t.participants, n=t.participants) if t.recorded else _("not recorded"),
            str(t.messages) if t.recorded else _("not recorded"),
        ),
    )


def chart_data(report: PeriodReport, group_code: str) -> ChartData:
    noted = any(f.attendance for f in report.meetings)
    return ChartData(
        labels=tuple(f"{meeting_short(f.meeting.number)}\n{short_date(f.meeting.starts_at)}" for f in report.meetings),
        contributions=tuple(f.documents.contributions for f in report.meetings),
        participants=tuple(f.chat.present if f.chat.recorded else None for f in report.meetings),
        title=_("{group}: contributions, chat participants and delegations present per meeting", group=group_code)
        if noted
        else _("{group}: contributions and chat participants per meeting", group=group_code),
        delegations=tuple(f.attendance.delegation_count if f.attendance else None for f in report.meetings)
        if noted
        else (),
        delegations_label=_("Delegations present"),
        contributions_label=_("Contributions"),
        participants_label=_("Chat participants"),
        not_recorded_label=_("chat not\nrecorded"),
        axis_label=_("Number"),
        language=i18n.current(),
    )


def upcoming_note(report: PeriodReport, now: datetime) -> Note | None:
    ahead = [f.meeting for f in report.meetings if f.meeting.starts_at > now]
    if not ahead:
        return None
    names = and_list(
        [_("the {meeting} ({date})", meeting=meeting_words(m), date=long_date(m.starts_at)) for m in ahead]
    )
    return Note(
        capital(
            _n(
                "{meetings} has not taken place yet: its figures are those so far.",
                "{meetings} have not taken place yet: their figures are those so far.",
                len(ahead),
                meetings=names,
            )
        )
    )


def period_document(
    report: PeriodReport,
    *,
    group_code: str,
    chart_file: str | None,
    now: datetime,
    group_names: Mapping[str, str] = NO_NAMES,
) -> Document:
    t = report.totals
    upcoming = upcoming_note(report, now)
    blocks: list = [*([upcoming] if upcoming else []), Note(_(NOT_OFFICIAL)), Heading(_("I. Overview"))]
    paragraphs = [_covers(report, group_code, group_names)]
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
        blocks.append(Para(_("Delegations present at each meeting (“–”: attendance was not noted):")))
        blocks.append(delegations)
    if len(report.meetings) > 1:
        blocks.append(Note(_(CHANGE_NOTE)))
    if chart_file:
        blocks.append(Chart(_(CHART_ALT), chart_file, _("(the figures are in the table above)")))
    blocks.append(Heading(_("II. Main results of the meetings")))
    for n, f in enumerate(report.meetings, 1):
        blocks += results_blocks(f, group_code, f"2.{n}", full=(n == 1), actions_apart=None, names=group_names)
    blocks.append(Heading(_("III. Figures by meeting")))
    for n, f in enumerate(report.meetings, 1):
        m = f.meeting
        title = "" if hs.is_default_title(m.title, m.number, group_code) else f": {isolate(m.title)}"
        heading = capital(_("{meeting}, {date}", meeting=meeting_words(m), date=long_date(m.starts_at)))
        blocks.append(Heading(f"3.{n} {heading}{title}", 3))
        if m.chair:
            blocks.append(Para(_("Chair: {chair}.", chair=isolate(m.chair))))
        blocks.append(Para(_("Documents: {text}", text=documents_sentence(f.documents))))
        table = source_table(f.documents)
        if table:
            blocks.append(table)
        if contributed := contributed_text(f):
            blocks.append(Para(contributed))
        blocks.append(Para(participants_text(f)))
        if f.chat.recorded:
            blocks.append(Para(_("Chat activity: {text}", text=chat_sentence(f.chat, m.starts_at))))
            table = topic_table(f.chat)
            if table:
                blocks.append(table)
    blocks += [Heading(_("Notes on the figures"), 3), Bullets(notes())]
    meetings = _n("{n} meeting", "{n} meetings", t.meetings, n=t.meetings)
    if report.cancelled:
        meetings = _n(
            "{meetings} ({n} more cancelled, not counted)",
            "{meetings} ({n} more cancelled, not counted)",
            len(report.cancelled),
            meetings=meetings,
            n=len(report.cancelled),
        )
    return Document(
        title=period_title(report.period, group_code),
        subtitle=group_heading(group_code, group_names),
        meta=(
            (
                _("Period"),
                _(
                    "{period} (dates in {zone})",
                    period=period_text(report.period),
                    zone=zone_words(report.period.timezone),
                ),
            ),
            (_("Meetings"), meetings),
            (_("Generated"), stamp(report.generated_at)),
        ),
        blocks=tuple(blocks),
        language=i18n.current(),
        table_label=_("Table {n}: {headers}"),
    )


def period_embed(
    report: PeriodReport, *, group_code: str, group_names: Mapping[str, str] = NO_NAMES
) -> tuple[str, str]:
    """(title, description) of the summary shown in Discord: the overview and the growth table."""
    paragraphs = [_covers(report, group_code, group_names)]
    if report.cancelled:
        paragraphs.append(cancelled_sentence(report.cancelled))
    paragraphs.append(_totals(report))
    largest = _largest(report)
    if largest:
        paragraphs.append(largest)
    head = "\n\n".join(paragraphs)
    if len(head) > 2000:
        head = head[:1990] + "…"
    # i18n: short column headings of a monospaced table (keep them short)
    rows = [(_("Meeting"), _("Date"), _("Contr."), _("Part."), _("Msgs"))]
    for f in report.meetings:
        rows.append(
            (
                meeting_short(f.meeting.number),
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

    def more(n: int) -> str:
        return _n("… {n} more meeting in the attached files", "… {n} more meetings in the attached files", n, n=n)

    table = fit_lines(lines, 4096 - len(head) - 120, more)
    attached = _("Attached: the report (Markdown and HTML) and the chart (PNG).")
    description = f"{head}\n```\n{table}\n```\n{attached}"
    return period_title(report.period, group_code)[:256], description
