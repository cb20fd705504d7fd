"""Transcripts and minutes as files: txt, Markdown, JSON, HTML. Pure: never imports discord.

Transcripts are streamed: a writer turns batches of stored rows into text, keeping only the state it
needs (the open thread, the current day), so memory does not grow with the length of the log.
HTML goes through Jinja2 with autoescaping; user text is never trusted as markup: its Discord Markdown
is rendered with a small safe subset (``cogs.core.html_documents.discord_markup``), and the Markdown
export keeps the same subset live (bold, italics, code) while link and HTML syntax stay text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from cogs.capture._rules import BEFORE_FIRST_TOPIC, MeetingInfo, Minutes, Names, deleted, removed
from cogs.capture._text import N_, _, _n
from cogs.core import house_style as hs
from cogs.core import html_documents, i18n, timefmt
from storage.capture import TranscriptRow

TRANSCRIPT_FORMATS = ("md", "html", "json", "txt")
MINUTES_FORMATS = ("md", "html")
NOT_OFFICIAL = N_("Not an official ITU record: an aide-memoire for the chair and secretariat.")
ATTACHMENT_NOTE = N_(
    "Attachment links point to Discord's file servers and stop working after some time: "
    "keep a copy of any file that matters. Names and sizes are kept here; a SHA-256 checksum is "
    "given where it is known."
)

_TEMPLATES = Path(__file__).with_name("templates")


@cache
def _jinja() -> jinja2.Environment:
    env = html_documents.environment(_TEMPLATES)
    env.globals["t"] = t  # the documents' words, in the language current when rendering
    env.globals["colon"] = colon
    return env


# ---------------------------------------------------------------------------------------------
# The words of the documents, in the current language (issue 13)
#
# The minutes and transcripts are rendered inside ``with i18n.locale(language)``. English keeps the
# house style exactly (cogs/core/house_style.py: "26 January 2027, 10.00-12.30 hours Geneva time
# (CET)", "13.25"); the other languages write dates and times with Babel (CLDR) and still state the
# zone. Members' words, names, the group's code and document numbers are never translated.


def english() -> bool:
    return i18n.current() == i18n.SOURCE


def isolate(text: str) -> str:
    """A name or a member's words in a plain-text document: isolated in Arabic (right to left)."""
    return i18n.isolate(text)


def size_label(size: int | None) -> str:
    if not size:
        return "0 B" if english() else i18n.format_unit(0, "digital-byte")
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            if not english():
                return i18n.format_unit(round(size, 1) if unit != "B" else size, _UNITS[unit])
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


_UNITS = {"B": "digital-byte", "KB": "digital-kilobyte", "MB": "digital-megabyte", "GB": "digital-gigabyte"}


def meeting_heading(meeting: MeetingInfo) -> str:
    """``19th meeting of the CWG-COP`` (house style), ``19e réunion du CWG-COP``."""
    return _("{ordinal} meeting of the {group}", ordinal=timefmt.ordinal(meeting.number), group=meeting.group_code)


def minutes_title(meeting: MeetingInfo) -> str:
    """``Minutes of the 19th meeting of the CWG-COP``."""
    return _(
        "Minutes of the {ordinal} meeting of the {group}",
        ordinal=timefmt.ordinal(meeting.number),
        group=meeting.group_code,
    )


def zone_label(tz_name: str, instant: datetime) -> str:
    """``Geneva time (CET)`` / ``heure de Genève (CET)``."""
    if english():
        return hs.zone_label(tz_name, instant)
    if tz_name.upper() in ("UTC", "ETC/UTC", "GMT"):
        return "UTC"
    return _(
        "{zone} ({abbreviation})",
        zone=timefmt.place_words(tz_name),
        abbreviation=hs.zone_abbreviation(tz_name, instant),
    )


def times_are(tz_name: str, instant: datetime) -> str:
    """``Times are Geneva time (CET).`` for the head of a document."""
    return _("Times are {zone}.", zone=zone_label(tz_name, instant))


def span(start: datetime, end: datetime, tz_name: str) -> str:
    """When the meeting is held, in its own zone."""
    return hs.span(start, end, tz_name) if english() else timefmt.itu_span(start, end, tz_name)


def stamp(instant: datetime, tz_name: str) -> str:
    """When a document was made: ``26 January 2027, 13.25 hours Geneva time (CET)``."""
    return hs.stamp(instant, tz_name) if english() else timefmt.itu_time(instant, tz_name)


def long_date(instant: datetime, tz_name: str) -> str:
    """``26 January 2027`` / ``26 janvier 2027``."""
    return hs.long_date(instant, tz_name) if english() else i18n.format_date(instant, zone=ZoneInfo(tz_name))


def local_date(instant: datetime, tz: ZoneInfo) -> str:
    """A day heading in a transcript: ``Tuesday 26 January 2027`` / ``mardi 26 janvier 2027``."""
    return hs.day_heading(instant, tz.key) if english() else i18n.format_date(instant, "full", zone=tz)


def clock(instant: datetime, tz_name: str) -> str:
    """``13.25`` (ITU's 24-hour form in English), else the language's short time."""
    return hs.clock(instant, tz_name) if english() else i18n.format_time(instant, zone=ZoneInfo(tz_name))


_DISCORD_MARKUP = re.compile(r"\*\*|__|`|~~|\|\|")


def plain_notice(text: str) -> str:
    """A recording notice as a plain sentence: the Discord markup (bold, code, spoilers) taken out."""
    return _DISCORD_MARKUP.sub("", text)


@cache
def _placeholders(language: str) -> frozenset[str]:
    """``[deleted]`` and ``[removed]`` in ``language`` (md_text runs for every name of a transcript)."""
    with i18n.locale(language):
        return frozenset((deleted(), removed()))


def md_text(text: str) -> str:
    """User text shown literally in Markdown (house style); our placeholders stay as they are."""
    return text if text in _placeholders(i18n.current()) else isolate(hs.md_text(text))


# ---------------------------------------------------------------------------------------------
# Transcripts


@dataclass(frozen=True, slots=True)
class TranscriptHeader:
    meeting: MeetingInfo
    exported_at: datetime
    periods: tuple[tuple[datetime, datetime | None], ...]
    lines: int
    threads: Mapping[int, str]


@dataclass(slots=True)
class Line:
    """A row ready to show (names resolved, deleted and removed lines blanked)."""

    id: int
    thread_id: int | None
    at: datetime
    day: str
    clock: str
    who: str
    author_id: int | None  # None for youth pseudonyms and removed members (JSON)
    text: str
    notice: bool
    deleted: bool
    removed: bool
    edited: str | None  # clock of the last edit
    earlier: list[tuple[int, str, str]]  # (version, clock, text) before the current one
    reply: str | None  # "Name, 10:02"
    reply_name: str | None  # the two parts of ``reply`` (HTML isolates the name)
    reply_clock: str | None
    reply_to: int | None
    files: list[tuple[str, str, str]]  # (name, size, url)

    @property
    def css(self) -> str:
        """Extra classes of the HTML line."""
        if not (self.notice or self.deleted or self.removed):
            return ""
        return (
            (" notice" if self.notice else "")
            + (" deleted" if self.deleted else "")
            + (" removed" if self.removed else "")
        )


class TranscriptWriter(Protocol):
    def begin(self) -> str: ...
    def rows(self, rows: Sequence[TranscriptRow]) -> str: ...
    def end(self) -> str: ...


class _Base:
    """Turns stored rows into Lines and tracks thread and day changes."""

    def __init__(self, header: TranscriptHeader, names: Names) -> None:
        self.header = header
        self.names = names
        self.tz = ZoneInfo(header.meeting.timezone)
        self.thread: int | None = None
        self.day: str | None = None
        self._days: dict[object, str] = {}  # one entry per calendar day of the meeting

    def _day(self, local: datetime) -> str:
        key = local.date()
        label = self._days.get(key)
        if label is None:
            label = self._days[key] = local_date(local, self.tz)
        return label

    def _clock(self, instant: datetime) -> str:
        """``13.25`` (ITU's 24-hour form; the order of the lines gives the order within a minute)."""
        return clock(instant, self.tz.key)

    def line(self, row: TranscriptRow) -> Line:
        local = row.created_at.astimezone(self.tz)
        names = self.names
        is_removed = row.forgotten or row.author_id in names.forgotten
        is_deleted = row.deleted_at is not None
        if is_removed:
            who, text, author_id = removed(), removed(), None
        else:
            who = names.author(row.author_id, row.author_name)
            author_id = None if row.author_id in names.youth else row.author_id
            text = deleted() if is_deleted else names.text(row.content)
            if row.is_notice and not is_deleted:
                text = plain_notice(text)
        earlier: list[tuple[int, str, str]] = []
        edited = None
        if row.edited_at is not None and not is_deleted and not is_removed:
            edited = self._clock(row.edited_at)
            earlier = [(v, self._clock(at), names.text(c)) for v, c, at in row.versions[:-1]]
        reply = reply_name = reply_clock = None
        if row.reply_to is not None:
            if row.reply_removed or (row.reply_author_id is not None and row.reply_author_id in names.forgotten):
                reply = reply_name = removed()
            elif row.reply_author_id is not None:
                reply = reply_name = names.author(row.reply_author_id, row.reply_author_name or "")
                if row.reply_at is not None:
                    reply_clock = self._clock(row.reply_at)
                    reply = _("{name}, {time}", name=reply, time=reply_clock)
            else:
                reply = reply_name = _("an earlier message")
        files = (
            [(a.get("name") or _("file"), size_label(a.get("size")), a.get("url", "")) for a in row.attachments]
            if row.attachments and not is_deleted and not is_removed
            else []
        )
        return Line(
            id=row.message_id,
            thread_id=row.thread_id,
            at=row.created_at,
            day=self._day(local),
            clock=self._clock(row.created_at),
            who=who,
            author_id=author_id,
            text=text,
            notice=row.is_notice,
            deleted=is_deleted,
            removed=is_removed,
            edited=edited,
            earlier=earlier,
            reply=reply,
            reply_name=reply_name,
            reply_clock=reply_clock,
            reply_to=row.reply_to,
            files=files,
        )

    def thread_name(self, thread_id: int) -> str:
        return self.header.threads.get(thread_id) or _("Thread")

    def subtitle(self) -> str:
        """The meeting's own title (when it says more than the heading) and when it is held."""
        m = self.header.meeting
        title = None if hs.is_default_title(m.title, m.number, m.group_code) else m.title
        return f"{isolate(title)} · {self.span()}" if title else self.span()

    def span(self) -> str:
        m = self.header.meeting
        return span(m.starts_at, m.ends_at, m.timezone)

    def times(self) -> str:
        """``Times are Geneva time (CET).``"""
        m = self.header.meeting
        return times_are(m.timezone, m.starts_at)

    def exported(self) -> str:
        """``26 January 2027, 13.25 hours Geneva time (CET)``."""
        return stamp(self.header.exported_at, self.header.meeting.timezone)

    def heading(self) -> str:
        """``19th meeting of the CWG-COP: chat transcript``."""
        return _("{meeting}: chat transcript", meeting=meeting_heading(self.header.meeting))

    @staticmethod
    def version_label(version: int) -> str:
        return _("original") if version == 0 else _("version {number}", number=version)


class _Txt(_Base):
    def begin(self) -> str:
        lines = self.header.lines
        return (
            f"{self.heading()}\n{self.subtitle()}\n"
            f"{self.times()} {_(NOT_OFFICIAL)}\n"
            + _n("Exported {when} · {n} line", "Exported {when} · {n} lines", lines, when=self.exported(), n=lines)
            + f"\n{_(ATTACHMENT_NOTE)}\n"
        )

    def rows(self, rows: Sequence[TranscriptRow]) -> str:
        out: list[str] = []
        for row in rows:
            line = self.line(row)
            if line.thread_id != self.thread:
                if self.thread is not None:
                    out.append("  └──\n")
                if line.thread_id is not None:
                    out.append("  ┌── " + _("Thread: {name}", name=isolate(self.thread_name(line.thread_id))) + "\n")
                self.thread = line.thread_id
            if line.day != self.day and line.thread_id is None:
                out.append(f"\n── {line.day} ──\n")
                self.day = line.day
            pad = "  │ " if line.thread_id is not None else ""
            head = f"{pad}[{line.clock}] "
            indent = pad + " " * len(f"[{line.clock}] ")
            who, text = isolate(line.who), isolate(line.text)
            body = f"* {text}" if line.notice else f"{who}{colon()} {text}"
            if line.reply and not line.notice:
                body = f"{who}{colon()} " + _("(reply to {message})", message=isolate(line.reply)) + f" {text}"
            if line.edited:
                body += " " + _("(edited {time})", time=line.edited)
            out.append(head + body.replace("\n", "\n" + indent) + "\n")
            for version, clock_text, old in line.earlier:
                label = self.version_label(version)
                out.append(f"{indent}{label} ({clock_text}): " + isolate(old).replace("\n", "\n" + indent) + "\n")
            for name, size, url in line.files:
                attachment = _("attachment: {name}, {size}, {address}", name=isolate(name), size=size, address=url)
                out.append(f"{indent}[{attachment}]\n")
        return "".join(out)

    def end(self) -> str:
        return ("  └──\n" if self.thread is not None else "") + "\n— " + _("end of transcript") + " —\n"


_MD_LINK = re.compile(r"\[(?=[^\]\n]*\]\()")  # the "[" of "[label](address)" or "![alt](address)"


def _md_escape(text: str) -> str:
    """Members' chat text in Markdown: Discord's inline styles stay live, as the HTML renders them;
    raw HTML and links stay text. (Names, titles and file names are literal: ``hs.md_text``.)"""
    return _MD_LINK.sub(r"\\[", text.replace("&", "&amp;").replace("<", "&lt;"))


class _Markdown(_Base):
    def begin(self) -> str:
        m = self.header.meeting
        lines = self.header.lines
        exported = _n("Exported {when}; {n} line.", "Exported {when}; {n} lines.", lines, when=self.exported(), n=lines)
        return (
            f"# {self.heading()}\n\n"
            + (f"**{md_text(m.title)}** · " if not hs.is_default_title(m.title, m.number, m.group_code) else "")
            + f"{self.span()}\n\n"
            f"> {_(NOT_OFFICIAL)} {self.times()} {exported}\n"
            f">\n> {_(ATTACHMENT_NOTE)}\n"
        )

    def rows(self, rows: Sequence[TranscriptRow]) -> str:
        out: list[str] = []
        for row in rows:
            line = self.line(row)
            if line.thread_id != self.thread:
                if line.thread_id is not None:
                    thread = _("Thread: {name}", name=md_text(self.thread_name(line.thread_id)))
                    out.append(f"- 🧵 **{thread}**\n")
                self.thread = line.thread_id
            if line.day != self.day and line.thread_id is None:
                out.append(f"\n## {line.day}\n\n")
                self.day = line.day
            pad = "  " if line.thread_id is not None else ""
            cont = pad + "  "
            text = isolate(_md_escape(line.text)).replace("\n", "\n" + cont)
            if line.deleted or line.removed:
                text = f"*{text}*"
            if line.notice:  # the bot's notices are plain sentences (house style)
                out.append(f"{pad}- {line.clock} {text}\n")
                continue
            reply = " " + _("(reply to {message})", message=md_text(line.reply)) if line.reply else ""
            edited = " *" + _("(edited {time})", time=line.edited) + "*" if line.edited else ""
            out.append(f"{pad}- {line.clock} **{md_text(line.who)}**{reply}{colon()} {text}{edited}\n")
            for version, clock_text, old in line.earlier:
                label = self.version_label(version)
                old_text = isolate(_md_escape(old)).replace("\n", "\n" + cont + "  ")
                out.append(f"{cont}- *{label} ({clock_text}):* {old_text}\n")
            for name, size, url in line.files:
                link = f"[{md_text(name)}](<{url}>)" if url.startswith("https://") else md_text(name)
                out.append(f"{cont}- 📎 {link} ({size})\n")
        return "".join(out)

    def end(self) -> str:
        return "\n---\n*" + _("End of transcript.") + "*\n"


class _Json(_Base):
    def __init__(self, header: TranscriptHeader, names: Names) -> None:
        super().__init__(header, names)
        self.first_entry = True
        self.first_in_thread = True

    def begin(self) -> str:
        m = self.header.meeting
        meta = {
            "meeting": {
                "number": m.number,
                "title": m.title,
                "group": m.group_code,
                "starts_at": m.starts_at.isoformat(),
                "ends_at": m.ends_at.isoformat(),
                "timezone": m.timezone,
                "chair": m.chair,
            },
            "recorded": [
                {"started_at": a.isoformat(), "ended_at": b.isoformat() if b else None} for a, b in self.header.periods
            ],
            "exported_at": self.header.exported_at.isoformat(),
            "lines": self.header.lines,
            "language": i18n.current(),
            "note": _(NOT_OFFICIAL),
            "attachments_note": _(ATTACHMENT_NOTE),
        }
        return json.dumps(meta, ensure_ascii=False)[:-1] + ', "entries": ['

    def rows(self, rows: Sequence[TranscriptRow]) -> str:
        out: list[str] = []
        for row in rows:
            line = self.line(row)
            if line.thread_id != self.thread:
                if self.thread is not None:
                    out.append("]}")
                if line.thread_id is not None:
                    head = {"type": "thread", "id": str(line.thread_id), "name": self.thread_name(line.thread_id)}
                    out.append(("" if self.first_entry else ",") + json.dumps(head, ensure_ascii=False)[:-1])
                    out.append(', "messages": [')
                    self.first_entry = False
                    self.first_in_thread = True
                self.thread = line.thread_id
            entry: dict[str, Any] = {
                "type": "notice" if line.notice else "message",
                "id": str(line.id),
                "at": line.at.isoformat(),
                "author": {"id": str(line.author_id) if line.author_id else None, "name": line.who},
                "text": line.text,
            }
            if line.reply_to is not None:
                entry["reply_to"] = str(line.reply_to)
            if line.files:
                entry["attachments"] = [{"name": n, "size": s, "url": u} for n, s, u in line.files]
            if line.edited:
                entry["edited"] = True
                entry["versions"] = [{"version": v, "text": t} for v, _clock, t in line.earlier]
            if line.deleted:
                entry["deleted"] = True
            if line.removed:
                entry["removed"] = True
            if line.thread_id is not None:
                sep = "" if self.first_in_thread else ","
                self.first_in_thread = False
            else:
                sep = "" if self.first_entry else ","
                self.first_entry = False
            out.append(sep + json.dumps(entry, ensure_ascii=False))
        return "".join(out)

    def end(self) -> str:
        return ("]}" if self.thread is not None else "") + "]}\n"


class _Html(_Base):
    def __init__(self, header: TranscriptHeader, names: Names) -> None:
        super().__init__(header, names)
        self.module = _jinja().get_template("transcript.html.j2").module

    def begin(self) -> str:
        m = self.header.meeting
        lines = self.header.lines
        return str(
            self.module.head(  # type: ignore[attr-defined]
                heading=self.heading(),
                title=None if hs.is_default_title(m.title, m.number, m.group_code) else m.title,
                span=self.span(),
                exported=_n("{when} · {n} line", "{when} · {n} lines", lines, when=self.exported(), n=lines),
                note=f"{_(NOT_OFFICIAL)} {_(ATTACHMENT_NOTE)}",
                timezone_label=zone_label(m.timezone, m.starts_at),
                language=i18n.current(),
            )
        )

    def rows(self, rows: Sequence[TranscriptRow]) -> str:
        events: list[tuple[str, Any]] = []
        for row in rows:
            line = self.line(row)
            if line.thread_id != self.thread:
                if self.thread is not None:
                    events.append(("close", None))
                if line.thread_id is not None:
                    events.append(("open", self.thread_name(line.thread_id)))
                self.thread = line.thread_id
            if line.day != self.day and line.thread_id is None:
                events.append(("day", line.day))
                self.day = line.day
            events.append(("line", line))
        return str(self.module.rows(events, self.version_label))  # type: ignore[attr-defined]

    def end(self) -> str:
        close = "</section>" if self.thread is not None else ""
        return close + str(self.module.foot())  # type: ignore[attr-defined]


_WRITERS: dict[str, type[_Base]] = {"txt": _Txt, "md": _Markdown, "json": _Json, "html": _Html}


def transcript_writer(fmt: str, header: TranscriptHeader, names: Names) -> TranscriptWriter:
    return _WRITERS[fmt](header, names)  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# Minutes


# The words of the minutes, by key: the Markdown, the HTML template (``t("scheduled")``) and the
# Discord version say the same things with the same msgids.
WORDS = {
    "scheduled": N_("Scheduled"),
    "recorded": N_("Recorded"),
    "chair": N_("Chair"),
    "present": N_("Present"),
    "generated": N_("Generated"),
    "generated_from": N_("{when} from the meeting chat"),
    "not_recorded": N_("not recorded"),
    "purged": N_("The raw chat log was purged on {date}; these minutes were kept."),
    "summary": N_("Summary by topic"),
    "no_markers": N_("No minutes markers (#topic, #info, #action, #agreed, #link) were used."),
    "before_first": BEFORE_FIRST_TOPIC,
    "topic_opened": N_("Topic opened by {who} at {time}"),
    "documents": N_("Documents: {documents}"),
    "agreed": N_("Agreed outcomes"),
    "none_recorded": N_("None recorded."),
    "actions": N_("Action items"),
    "by_person": N_("Action items by person"),
    "unassigned": N_("Unassigned"),
    "none": N_("None."),
    "people": N_("People who spoke in the chat"),
    "name": N_("Name"),
    "lines": N_("Lines"),
    "no_one": N_("No one."),
    "people_table": N_("Table: people who spoke in the chat"),
    "by": N_("{name}, {time}"),
    # i18n: the comma between names side by side (Chinese 、, Arabic ،), with the space the language puts after it
    "comma": N_(", "),
    # the transcript's
    "times": N_("Times"),
    "exported": N_("Exported"),
    "thread": N_("Thread: {name}"),
    "reply_to": N_("reply to {message}"),
    "edited": N_("(edited {time})"),
    "end": N_("End of transcript."),
}
# The minutes markers' labels (the markers themselves, #info ..., are syntax: never translated).
KIND_LABELS = {"info": N_("Info"), "action": N_("Action"), "agreed": N_("Agreed"), "link": N_("Link")}


def w(key: str, **values: Any) -> str:
    """One of the documents' words (or sentences, with their values) in the current language."""
    return _(WORDS[key], **values)


def t(key: str, **values: Any) -> Markup:
    """A word or sentence for the HTML templates: the translation escaped, the values escaped unless
    they are markup already (a name in ``<bdi>``, a ``<time>``)."""
    text = Markup.escape(w(key))
    return Markup(text).format(**values) if values else Markup(text)


def commas(parts: Sequence[str]) -> str:
    """Names side by side (not "and"): ``a, b`` / ``a、b`` / ``a، b``."""
    return w("comma").join(parts)


def colon() -> str:
    """The colon after a label as the language writes it: ``:`` / `` :`` (French) / ``：`` (Chinese)."""
    # i18n: the colon after a label ("Chair: ..."): French puts a space before it, Chinese a full-width colon
    return _(":")


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _clock(instant: datetime, tz: ZoneInfo, multi_day: bool) -> str:
    """``13.25``, or ``27 January 13.25`` in a meeting over several days."""
    if not multi_day:
        return clock(instant, tz.key)
    local = instant.astimezone(tz)
    day = f"{local.day} {local:%B}" if english() else i18n.format_skeleton("MMMMd", instant, zone=tz)
    return _("{date} {time}", date=day, time=clock(instant, tz.key))


def _multi_day(minutes: Minutes) -> bool:
    tz = ZoneInfo(minutes.meeting.timezone)
    return minutes.meeting.starts_at.astimezone(tz).date() != minutes.meeting.ends_at.astimezone(tz).date()


def _periods_text(minutes: Minutes) -> str:
    """When the chat was recorded: ``26 January 2027, 10.00-12.30 hours; ...``."""
    zone = minutes.meeting.timezone
    tz = ZoneInfo(zone)
    parts = []
    for start, end in minutes.periods:
        date = long_date(start, zone)
        if end is None:
            text = _("{date}, {time} hours (still recording)", date=date, time=clock(start, zone))
        elif end.astimezone(tz).date() == start.astimezone(tz).date():
            text = _("{date}, {start}-{end} hours", date=date, start=clock(start, zone), end=clock(end, zone))
        else:
            text = _(
                "{start_date}, {start} hours to {end_date}, {end} hours",
                start_date=date,
                start=clock(start, zone),
                end_date=long_date(end, zone),
                end=clock(end, zone),
            )
        parts.append(text)
    return "; ".join(parts) if parts else w("not_recorded")


def _minutes_context(minutes: Minutes) -> dict[str, Any]:
    tz = ZoneInfo(minutes.meeting.timezone)
    multi = _multi_day(minutes)
    m = minutes.meeting
    language = i18n.current()
    return {
        "m": minutes,
        "heading": minutes_title(m),
        "span": span(m.starts_at, m.ends_at, m.timezone),
        "recorded": _periods_text(minutes),
        "generated": stamp(minutes.generated_at, m.timezone),
        "purged": long_date(minutes.purged_at, m.timezone) if minutes.purged_at else None,
        "clock": lambda instant: _clock(instant, tz, multi),
        "label": kind_label,
        "note": _(NOT_OFFICIAL),
        "language": language,
        "direction": "rtl" if language in i18n.RTL else "ltr",
        # House-style fields for the templates (docs/house-style.md):
        "chair": m.chair or w("not_recorded"),
        "present": m.present,
        "times": times_are(m.timezone, m.starts_at),
        "title": None if hs.is_default_title(m.title, m.number, m.group_code) else m.title,
    }


def _entry_md(entry: Any, clock: Any, *, with_topic: bool = False, with_kind: bool = True, esc: Any = md_text) -> str:
    kind = f"**{kind_label(entry.kind)}**{colon()} " if with_kind else ""
    who = commas([esc(a) for a in entry.assignees])
    target = f"{who}{colon()} " if entry.kind == "action" and who else ""
    topic = f" · *{esc(entry.topic)}*" if with_topic and entry.topic else ""
    text = esc(entry.text).replace("\n", " ")
    by = _("{name}, {time}", name=esc(entry.who), time=clock(entry.at))
    return f"{kind}{target}{text} ({by}){topic}"


def minutes_markdown(minutes: Minutes) -> str:
    ctx = _minutes_context(minutes)
    clock = ctx["clock"]

    def field(key: str, value: str) -> str:
        return f"- **{w(key)}{colon()}** {value}"

    out = [
        f"# {ctx['heading']}\n",
        *([f"**{md_text(ctx['title'])}**\n"] if ctx["title"] else []),
        field("scheduled", ctx["span"]),
        field("recorded", ctx["recorded"]),
        field("chair", md_text(ctx["chair"])),
        *([field("present", ctx["present"])] if ctx["present"] else []),
        field("generated", w("generated_from", when=ctx["generated"])),
        "",
        f"> {ctx['note']} {ctx['times']}",
    ]
    if ctx["purged"]:
        out.append("> " + w("purged", date=ctx["purged"]))
    out += ["", f"## {w('summary')}", ""]
    if minutes.is_empty:
        out.append(f"*{w('no_markers')}*")
    for section in minutes.sections:
        if section.title is None:
            out.append(f"### {w('before_first')}")
        else:
            out.append(f"### {hs.agenda_item_heading(section.number, md_text(section.title))}")
        details = []
        if section.who and section.at:
            details.append("*" + w("topic_opened", who=md_text(section.who), time=clock(section.at)) + "*")
        if section.documents:
            details.append(w("documents", documents="; ".join(md_text(d) for d in section.documents)))
        if details:
            out.append(" · ".join(details))
        out.append("")
        for entry in section.entries:
            out.append("- " + _entry_md(entry, clock))
        out.append("")
    out += [f"## {w('agreed')}", ""]
    out += [f"{n}. " + _entry_md(e, clock, with_topic=True, with_kind=False) for n, e in enumerate(minutes.agreed, 1)]
    if not minutes.agreed:
        out.append(f"*{w('none_recorded')}*")
    out += ["", f"## {w('actions')}", ""]
    out += [f"{n}. " + _entry_md(e, clock, with_topic=True, with_kind=False) for n, e in enumerate(minutes.actions, 1)]
    if not minutes.actions:
        out.append(f"*{w('none_recorded')}*")
    out += ["", f"## {w('by_person')}", ""]
    for name, entries in minutes.by_person:
        out.append(f"### {md_text(name)}")
        out += [
            "- " + md_text(e.text).replace("\n", " ") + (f" · *{md_text(e.topic)}*" if e.topic else "") for e in entries
        ]
        out.append("")
    out.append(f"### {w('unassigned')}")
    out += [
        "- " + md_text(e.text).replace("\n", " ") + (f" · *{md_text(e.topic)}*" if e.topic else "")
        for e in minutes.unassigned
    ]
    if not minutes.unassigned:
        out.append(f"*{w('none')}*")
    out += ["", f"## {w('people')}", ""]
    if minutes.people:
        out += [f"| {w('name')} | {w('lines')} |", "|---|---:|"]
        out += [f"| {md_text(p.name).replace('|', '/')} | {p.lines} |" for p in minutes.people]
    else:
        out.append(f"*{w('no_one')}*")
    return "\n".join(out) + "\n"


def minutes_html(minutes: Minutes) -> str:
    return _jinja().get_template("minutes.html.j2").render(**_minutes_context(minutes))


DISCORD_LIMIT = 4000


def minutes_discord(minutes: Minutes, limit: int = DISCORD_LIMIT) -> str:
    """A compact version for an embed: bold titles instead of headings, cut at ``limit``."""
    ctx = _minutes_context(minutes)
    clock = ctx["clock"]
    out = [
        f"{ctx['span']}",
        _("Chair: {chair}", chair=ctx["chair"]) + " · " + _("Recorded: {recorded}", recorded=ctx["recorded"]),
    ]
    if ctx["present"]:
        out.append(_("Present: {present}", present=ctx["present"]))
    if ctx["purged"]:
        out.append("*" + _("Raw log purged on {date}; minutes kept.", date=ctx["purged"]) + "*")
    out.append("")
    if minutes.is_empty:
        out.append(_("No minutes markers yet: start a line with `#topic`, `#info`, `#action`, `#agreed` or `#link`."))
    for section in minutes.sections:
        out.append(f"**{section.heading}**")
        if section.documents:
            out.append(w("documents", documents="; ".join(section.documents)))
        out += ["• " + _entry_md(e, clock, esc=str) for e in section.entries]
    if minutes.by_person or minutes.unassigned:
        out += ["", f"**{w('by_person')}**"]
        out += [f"• {name}: " + "; ".join(e.text for e in entries) for name, entries in minutes.by_person]
        if minutes.unassigned:
            out.append("• " + _("Unassigned: {actions}", actions="; ".join(e.text for e in minutes.unassigned)))
    if minutes.people:
        speakers = commas([_("{name} ({lines})", name=p.name, lines=p.lines) for p in minutes.people])
        out += ["", "**" + _("People who spoke:") + "** " + speakers]
    text = "\n".join(out)
    if len(text) > limit:
        cut = text.rfind("\n", 0, limit - 80)
        more = _("… (cut short here: `{command}` gives the whole minutes)", command=i18n.command("minutes export"))
        text = text[: cut if cut > 0 else limit - 80] + "\n" + more
    return text
