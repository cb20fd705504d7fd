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

from cogs.capture._rules import DELETED, REMOVED, MeetingInfo, Minutes, Names
from cogs.core import house_style as hs
from cogs.core import html_documents
from storage.capture import TranscriptRow

TRANSCRIPT_FORMATS = ("md", "html", "json", "txt")
MINUTES_FORMATS = ("md", "html")
NOT_OFFICIAL = "Not an official ITU record: an aide-memoire for the chair and secretariat."

_TEMPLATES = Path(__file__).with_name("templates")


@cache
def _jinja() -> jinja2.Environment:
    return html_documents.environment(_TEMPLATES)


def size_label(size: int | None) -> str:
    if not size:
        return "0 B"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


def meeting_heading(meeting: MeetingInfo) -> str:
    """``19th meeting of the CWG-COP`` (house style)."""
    return hs.meeting_heading(meeting.number, meeting.group_code)


def local_date(instant: datetime, tz: ZoneInfo) -> str:
    return hs.day_heading(instant, tz.key)


_DISCORD_MARKUP = re.compile(r"\*\*|__|`|~~|\|\|")


def plain_notice(text: str) -> str:
    """A recording notice as a plain sentence: the Discord markup (bold, code, spoilers) taken out."""
    return _DISCORD_MARKUP.sub("", text)


def md_text(text: str) -> str:
    """User text shown literally in Markdown (house style); our placeholders stay as they are."""
    return text if text in (DELETED, REMOVED) else hs.md_text(text)


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

    def _clock(self, instant: datetime, seconds: bool = True) -> str:
        """``13.25`` (ITU's 24-hour form; the order of the lines gives the order within a minute)."""
        return hs.clock(instant, self.tz.key)

    def line(self, row: TranscriptRow) -> Line:
        local = row.created_at.astimezone(self.tz)
        clock = hs.clock(row.created_at, self.tz.key)
        names = self.names
        removed = row.forgotten or row.author_id in names.forgotten
        deleted = row.deleted_at is not None
        if removed:
            who, text, author_id = REMOVED, REMOVED, None
        else:
            who = names.author(row.author_id, row.author_name)
            author_id = None if row.author_id in names.youth else row.author_id
            text = DELETED if deleted else names.text(row.content)
            if row.is_notice and not deleted:
                text = plain_notice(text)
        earlier: list[tuple[int, str, str]] = []
        edited = None
        if row.edited_at is not None and not deleted and not removed:
            edited = self._clock(row.edited_at, seconds=False)
            earlier = [(v, self._clock(at, seconds=False), names.text(c)) for v, c, at in row.versions[:-1]]
        reply = reply_name = reply_clock = None
        if row.reply_to is not None:
            if row.reply_removed or (row.reply_author_id is not None and row.reply_author_id in names.forgotten):
                reply = reply_name = REMOVED
            elif row.reply_author_id is not None:
                reply = reply_name = names.author(row.reply_author_id, row.reply_author_name or "")
                if row.reply_at is not None:
                    reply_clock = self._clock(row.reply_at, seconds=False)
                    reply = f"{reply}, {reply_clock}"
            else:
                reply = reply_name = "an earlier message"
        files = (
            [(a.get("name", "file"), size_label(a.get("size")), a.get("url", "")) for a in row.attachments]
            if row.attachments and not deleted and not removed
            else []
        )
        return Line(
            id=row.message_id,
            thread_id=row.thread_id,
            at=row.created_at,
            day=self._day(local),
            clock=clock,
            who=who,
            author_id=author_id,
            text=text,
            notice=row.is_notice,
            deleted=deleted,
            removed=removed,
            edited=edited,
            earlier=earlier,
            reply=reply,
            reply_name=reply_name,
            reply_clock=reply_clock,
            reply_to=row.reply_to,
            files=files,
        )

    def thread_name(self, thread_id: int) -> str:
        return self.header.threads.get(thread_id) or "Thread"

    def subtitle(self) -> str:
        """The meeting's own title (when it says more than the heading) and when it is held."""
        m = self.header.meeting
        title = None if hs.is_default_title(m.title, m.number, m.group_code) else m.title
        return f"{title} · {self.span()}" if title else self.span()

    def span(self) -> str:
        m = self.header.meeting
        return hs.span(m.starts_at, m.ends_at, m.timezone)

    def times(self) -> str:
        """``Times are Geneva time (CET).``"""
        m = self.header.meeting
        return hs.times_are(m.timezone, m.starts_at)

    def exported(self) -> str:
        """``26 January 2027, 13.25 hours Geneva time (CET)``."""
        return hs.stamp(self.header.exported_at, self.header.meeting.timezone)


class _Txt(_Base):
    def begin(self) -> str:
        m = self.header.meeting
        return (
            f"{meeting_heading(m)}: chat transcript\n{self.subtitle()}\n"
            f"{self.times()} {NOT_OFFICIAL}\n"
            f"Exported {self.exported()} · {self.header.lines} lines\n"
            f"{hs.ATTACHMENT_NOTE}\n"
        )

    def rows(self, rows: Sequence[TranscriptRow]) -> str:
        out: list[str] = []
        for row in rows:
            line = self.line(row)
            if line.thread_id != self.thread:
                if self.thread is not None:
                    out.append("  └──\n")
                if line.thread_id is not None:
                    out.append(f"  ┌── Thread: {self.thread_name(line.thread_id)}\n")
                self.thread = line.thread_id
            if line.day != self.day and line.thread_id is None:
                out.append(f"\n── {line.day} ──\n")
                self.day = line.day
            pad = "  │ " if line.thread_id is not None else ""
            head = f"{pad}[{line.clock}] "
            indent = pad + " " * len(f"[{line.clock}] ")
            body = f"* {line.text}" if line.notice else f"{line.who}: {line.text}"
            if line.reply:
                body = f"{line.who}: (reply to {line.reply}) {line.text}" if not line.notice else body
            if line.edited:
                body += f" (edited {line.edited})"
            out.append(head + body.replace("\n", "\n" + indent) + "\n")
            for version, clock, text in line.earlier:
                label = "original" if version == 0 else f"version {version}"
                out.append(f"{indent}{label} ({clock}): " + text.replace("\n", "\n" + indent) + "\n")
            for name, size, url in line.files:
                out.append(f"{indent}[attachment: {name}, {size}, {url}]\n")
        return "".join(out)

    def end(self) -> str:
        return ("  └──\n" if self.thread is not None else "") + "\n— end of transcript —\n"


_MD_LINK = re.compile(r"\[(?=[^\]\n]*\]\()")  # the "[" of "[label](address)" or "![alt](address)"


def _md_escape(text: str) -> str:
    """Members' chat text in Markdown: Discord's inline styles stay live, as the HTML renders them;
    raw HTML and links stay text. (Names, titles and file names are literal: ``hs.md_text``.)"""
    return _MD_LINK.sub(r"\\[", text.replace("&", "&amp;").replace("<", "&lt;"))


class _Markdown(_Base):
    def begin(self) -> str:
        m = self.header.meeting
        return (
            f"# {meeting_heading(m)}: chat transcript\n\n"
            + (f"**{md_text(m.title)}** · " if not hs.is_default_title(m.title, m.number, m.group_code) else "")
            + f"{self.span()}\n\n"
            f"> {NOT_OFFICIAL} {self.times()} Exported {self.exported()}; {self.header.lines} lines.\n"
            f">\n> {hs.ATTACHMENT_NOTE}\n"
        )

    def rows(self, rows: Sequence[TranscriptRow]) -> str:
        out: list[str] = []
        for row in rows:
            line = self.line(row)
            if line.thread_id != self.thread:
                if line.thread_id is not None:
                    out.append(f"- 🧵 **Thread: {md_text(self.thread_name(line.thread_id))}**\n")
                self.thread = line.thread_id
            if line.day != self.day and line.thread_id is None:
                out.append(f"\n## {line.day}\n\n")
                self.day = line.day
            pad = "  " if line.thread_id is not None else ""
            cont = pad + "  "
            text = _md_escape(line.text).replace("\n", "\n" + cont)
            if line.deleted or line.removed:
                text = f"*{text}*"
            if line.notice:  # the bot's notices are plain sentences (house style)
                out.append(f"{pad}- {line.clock} {text}\n")
                continue
            reply = f" (reply to {md_text(line.reply)})" if line.reply else ""
            edited = f" *(edited {line.edited})*" if line.edited else ""
            out.append(f"{pad}- {line.clock} **{md_text(line.who)}**{reply}: {text}{edited}\n")
            for version, clock, old in line.earlier:
                label = "original" if version == 0 else f"version {version}"
                out.append(f"{cont}- *{label} ({clock}):* " + _md_escape(old).replace("\n", "\n" + cont + "  ") + "\n")
            for name, size, url in line.files:
                link = f"[{md_text(name)}](<{url}>)" if url.startswith("https://") else md_text(name)
                out.append(f"{cont}- 📎 {link} ({size})\n")
        return "".join(out)

    def end(self) -> str:
        return "\n---\n*End of transcript.*\n"


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
            "note": NOT_OFFICIAL,
            "attachments_note": hs.ATTACHMENT_NOTE,
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
        return str(
            self.module.head(  # type: ignore[attr-defined]
                heading=meeting_heading(m),
                meeting=m,
                span=self.span(),
                exported=self.exported(),
                lines=self.header.lines,
                note=f"{NOT_OFFICIAL} {hs.ATTACHMENT_NOTE}",
                timezone_label=hs.zone_label(m.timezone, m.starts_at),
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
        return str(self.module.rows(events))  # type: ignore[attr-defined]

    def end(self) -> str:
        close = "</section>" if self.thread is not None else ""
        return close + str(self.module.foot())  # type: ignore[attr-defined]


_WRITERS: dict[str, type[_Base]] = {"txt": _Txt, "md": _Markdown, "json": _Json, "html": _Html}


def transcript_writer(fmt: str, header: TranscriptHeader, names: Names) -> TranscriptWriter:
    return _WRITERS[fmt](header, names)  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# Minutes


def _clock(instant: datetime, tz: ZoneInfo, multi_day: bool) -> str:
    """``13.25``, or ``27 January 13.25`` in a meeting over several days."""
    local = instant.astimezone(tz)
    return f"{local.day} {local:%B} {hs.clock(instant, tz.key)}" if multi_day else hs.clock(instant, tz.key)


def _multi_day(minutes: Minutes) -> bool:
    tz = ZoneInfo(minutes.meeting.timezone)
    return minutes.meeting.starts_at.astimezone(tz).date() != minutes.meeting.ends_at.astimezone(tz).date()


def _periods_text(minutes: Minutes) -> str:
    tz = ZoneInfo(minutes.meeting.timezone)
    parts = []
    for start, end in minutes.periods:
        a = start.astimezone(tz)
        if end is None:
            text = f"{a.day} {a:%B %Y}, {a:%H.%M} hours (still recording)"
        else:
            text = f"{a.day} {a:%B %Y}, {hs.clock_range(start, end, tz.key)}"
            if end.astimezone(tz).date() != a.date():
                text = hs.clock_range(start, end, tz.key)
        parts.append(text)
    return "; ".join(parts) if parts else "not recorded"


_KIND_LABEL = {"info": "Info", "action": "Action", "agreed": "Agreed", "link": "Link"}


def _minutes_context(minutes: Minutes) -> dict[str, Any]:
    tz = ZoneInfo(minutes.meeting.timezone)
    multi = _multi_day(minutes)
    m = minutes.meeting
    return {
        "m": minutes,
        "heading": hs.minutes_title(m.number, m.group_code),
        "span": hs.span(m.starts_at, m.ends_at, m.timezone),
        "recorded": _periods_text(minutes),
        "generated": hs.stamp(minutes.generated_at, m.timezone),
        "purged": hs.long_date(minutes.purged_at, m.timezone) if minutes.purged_at else None,
        "clock": lambda instant: _clock(instant, tz, multi),
        "label": _KIND_LABEL,
        "note": NOT_OFFICIAL,
        # House-style fields for the templates (docs/house-style.md):
        "chair": hs.chair_line(m.chair),
        "present": m.present,
        "times": hs.times_are(m.timezone, m.starts_at),
        "title": None if hs.is_default_title(m.title, m.number, m.group_code) else m.title,
    }


def _entry_md(entry: Any, clock: Any, *, with_topic: bool = False, with_kind: bool = True, esc: Any = md_text) -> str:
    kind = f"**{_KIND_LABEL.get(entry.kind, entry.kind)}**: " if with_kind else ""
    who = ", ".join(entry.assignees)
    target = f"{esc(who)}: " if entry.kind == "action" and who else ""
    topic = f" · *{esc(entry.topic)}*" if with_topic and entry.topic else ""
    text = esc(entry.text).replace("\n", " ")
    return f"{kind}{target}{text} ({esc(entry.who)}, {clock(entry.at)}){topic}"


def minutes_markdown(minutes: Minutes) -> str:
    ctx = _minutes_context(minutes)
    clock = ctx["clock"]
    out = [
        f"# {ctx['heading']}\n",
        *([f"**{md_text(ctx['title'])}**\n"] if ctx["title"] else []),
        f"- **Scheduled:** {ctx['span']}",
        f"- **Recorded:** {ctx['recorded']}",
        f"- **Chair:** {md_text(ctx['chair'])}",
        *([f"- **Present:** {ctx['present']}"] if ctx["present"] else []),
        f"- **Generated:** {ctx['generated']} from the meeting chat",
        "",
        f"> {NOT_OFFICIAL} {ctx['times']}",
    ]
    if ctx["purged"]:
        out.append(f"> The raw chat log was purged on {ctx['purged']}; these minutes were kept.")
    out += ["", "## Summary by topic", ""]
    if minutes.is_empty:
        out.append("*No minutes markers (#topic, #info, #action, #agreed, #link) were used.*")
    for section in minutes.sections:
        if section.title is None:
            out.append("### Before the first topic")
        else:
            out.append(f"### {hs.agenda_item_heading(section.number, md_text(section.title))}")
        details = []
        if section.who and section.at:
            details.append(f"*Topic opened by {md_text(section.who)} at {clock(section.at)}*")
        if section.documents:
            details.append("Documents: " + "; ".join(md_text(d) for d in section.documents))
        if details:
            out.append(" · ".join(details))
        out.append("")
        for entry in section.entries:
            out.append("- " + _entry_md(entry, clock))
        out.append("")
    out += ["## Agreed outcomes", ""]
    out += [f"{n}. " + _entry_md(e, clock, with_topic=True, with_kind=False) for n, e in enumerate(minutes.agreed, 1)]
    if not minutes.agreed:
        out.append("*None recorded.*")
    out += ["", "## Action items", ""]
    out += [f"{n}. " + _entry_md(e, clock, with_topic=True, with_kind=False) for n, e in enumerate(minutes.actions, 1)]
    if not minutes.actions:
        out.append("*None recorded.*")
    out += ["", "## Action items by person", ""]
    for name, entries in minutes.by_person:
        out.append(f"### {md_text(name)}")
        out += [
            "- " + md_text(e.text).replace("\n", " ") + (f" · *{md_text(e.topic)}*" if e.topic else "") for e in entries
        ]
        out.append("")
    out.append("### Unassigned")
    out += [
        "- " + md_text(e.text).replace("\n", " ") + (f" · *{md_text(e.topic)}*" if e.topic else "")
        for e in minutes.unassigned
    ]
    if not minutes.unassigned:
        out.append("*None.*")
    out += ["", "## People who spoke in the chat", ""]
    if minutes.people:
        out += ["| Name | Lines |", "|---|---:|"]
        out += [f"| {md_text(p.name).replace('|', '/')} | {p.lines} |" for p in minutes.people]
    else:
        out.append("*No one.*")
    return "\n".join(out) + "\n"


def minutes_html(minutes: Minutes) -> str:
    return _jinja().get_template("minutes.html.j2").render(**_minutes_context(minutes))


DISCORD_LIMIT = 4000


def minutes_discord(minutes: Minutes, limit: int = DISCORD_LIMIT) -> str:
    """A compact version for an embed: bold titles instead of headings, cut at ``limit``."""
    ctx = _minutes_context(minutes)
    clock = ctx["clock"]
    out = [f"{ctx['span']}", f"Chair: {ctx['chair']} · Recorded: {ctx['recorded']}"]
    if ctx["present"]:
        out.append(f"Present: {ctx['present']}")
    if ctx["purged"]:
        out.append(f"*Raw log purged on {ctx['purged']}; minutes kept.*")
    out.append("")
    if minutes.is_empty:
        out.append("No minutes markers yet: start a line with `#topic`, `#info`, `#action`, `#agreed` or `#link`.")
    for section in minutes.sections:
        out.append(f"**{section.heading}**")
        if section.documents:
            out.append("Documents: " + "; ".join(section.documents))
        out += ["• " + _entry_md(e, clock, esc=str) for e in section.entries]
    if minutes.by_person or minutes.unassigned:
        out += ["", "**Action items by person**"]
        out += [f"• {name}: " + "; ".join(e.text for e in entries) for name, entries in minutes.by_person]
        if minutes.unassigned:
            out.append("• Unassigned: " + "; ".join(e.text for e in minutes.unassigned))
    if minutes.people:
        out += ["", "**People who spoke:** " + ", ".join(f"{p.name} ({p.lines})" for p in minutes.people)]
    text = "\n".join(out)
    if len(text) > limit:
        cut = text.rfind("\n", 0, limit - 80)
        text = (
            text[: cut if cut > 0 else limit - 80] + "\n… (cut short here: `/minutes export` gives the whole minutes)"
        )
    return text
