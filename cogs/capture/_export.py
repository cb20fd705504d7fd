"""Assembling minutes and writing transcripts from the stored record. Never imports discord.

The Discord cog and the benchmark both use these: give them the repositories, a :class:`Names`
and a binary file, and they do the rest.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import BinaryIO

from cogs.attendance._summary import present_sentence
from cogs.capture._render import TranscriptHeader, minutes_html, minutes_markdown, transcript_writer
from cogs.capture._rules import AgendaRef, Assignee, Item, MeetingInfo, Minutes, Names, build_minutes, parse_items
from storage.capture import CaptureStore, LogLine, Snapshot, SnapshotItem, SnapshotPerson, Speaker
from storage.contributions import ContributionsRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import utcnow

# Transcript rows rendered at a time. Between two slices the export gives the event loop back, so a
# 100,000-line export never holds up the commands and the capture writer for more than a slice's
# rendering (a few milliseconds) at once. (bench figure 7)
BATCH = 200
LIVE_DOCUMENT_STATUSES = frozenset({"submitted", "accepted", "late"})


def meeting_info(meeting: Meeting, group_code: str, *, present: str | None = None) -> MeetingInfo:
    return MeetingInfo(
        number=meeting.number,
        title=meeting.title,
        group_code=group_code,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        timezone=meeting.timezone,
        chair=meeting.chair_name,
        present=present,
    )


async def agenda_refs(meetings: MeetingsRepo, meeting_id: int) -> list[AgendaRef]:
    return [AgendaRef(a.id, a.number, a.title) for a in await meetings.agenda(meeting_id)]


async def documents_by_item(contributions: ContributionsRepo, meeting_id: int) -> dict[int, list[str]]:
    """The documents filed under each agenda item, as "CWG-COP-19/3 (Contribution from ...)"."""
    out: dict[int, list[str]] = {}
    for doc in await contributions.for_meeting(meeting_id):
        if doc.agenda_item_id is not None and doc.status in LIVE_DOCUMENT_STATUSES:
            out.setdefault(doc.agenda_item_id, []).append(f"{doc.number} ({doc.title})")
    return out


def snapshot_of(items: list[Item], speakers: list[Speaker], names: Names) -> Snapshot:
    """The minutes to keep when the raw log goes: items with assignee names as they are now."""
    return Snapshot(
        items=tuple(
            SnapshotItem(
                position=i.position,
                kind=i.kind,
                text=i.text,
                author_id=i.author_id,
                author_name=i.author_name,
                at=i.at,
                message_id=i.message_id,
                agenda_item_id=i.agenda_item_id,
                assignees=tuple(
                    (a.user_id, names.user(a.user_id) if a.user_id is not None else a.name) for a in i.assignees
                ),
            )
            for i in items
        ),
        people=tuple(SnapshotPerson(s.author_id, s.name, s.lines) for s in speakers),
    )


def items_from_snapshot(snapshot: Snapshot) -> list[Item]:
    return [
        Item(
            position=i.position,
            kind=i.kind,
            text=i.text,
            author_id=i.author_id,
            author_name=i.author_name,
            at=i.at,
            message_id=i.message_id,
            agenda_item_id=i.agenda_item_id,
            assignees=tuple(Assignee(uid, name) for uid, name in i.assignees),
        )
        for i in snapshot.items
    ]


async def minutes_for(
    store: CaptureStore,
    meetings: MeetingsRepo,
    contributions: ContributionsRepo,
    meeting: Meeting,
    *,
    group_code: str,
    names: Names,
) -> Minutes:
    """The minutes, derived from the stored log now (or from the snapshot kept when it was purged)."""
    agenda = await agenda_refs(meetings, meeting.id)
    purge = await store.purge_info(meeting.id)
    if purge is not None:
        snapshot = await store.snapshot(meeting.id)
        items = items_from_snapshot(snapshot)
        people = [(p.author_id, p.name, p.lines) for p in snapshot.people]
        known = {p.author_id: p.name for p in snapshot.people}
        for item in snapshot.items:
            for uid, name in item.assignees:
                if uid is not None:
                    known.setdefault(uid, name)
    else:
        lines: list[LogLine] = await store.marker_lines(meeting.id)
        items = parse_items(lines, agenda)
        people = [(s.author_id, s.name, s.lines) for s in await store.speakers(meeting.id)]
        known = await store.author_names(meeting.id)
    recordings = await store.recordings_for(meeting.id)
    return build_minutes(
        meeting=meeting_info(
            meeting, group_code, present=await present_sentence(store.db, meeting.guild_id, meeting.id)
        ),
        items=items,
        agenda=agenda,
        documents=await documents_by_item(contributions, meeting.id),
        people=people,
        names=dataclasses.replace(names, known={**known, **names.known}),
        periods=[(r.started_at, r.ended_at) for r in recordings],
        generated_at=utcnow(),
        purged_at=purge.purged_at if purge else None,
    )


def render_minutes(minutes: Minutes, fmt: str) -> str:
    return minutes_html(minutes) if fmt == "html" else minutes_markdown(minutes)


async def write_transcript(
    store: CaptureStore,
    meeting: Meeting,
    *,
    group_code: str,
    fmt: str,
    names: Names,
    out: BinaryIO,
) -> int:
    """Stream the whole transcript into ``out`` (UTF-8); return the number of rows written."""
    stats = await store.stats(meeting.id)
    recordings = await store.recordings_for(meeting.id)
    known = await store.author_names(meeting.id)
    header = TranscriptHeader(
        meeting=meeting_info(meeting, group_code),
        exported_at=utcnow(),
        periods=tuple((r.started_at, r.ended_at) for r in recordings),
        lines=stats.lines,
        threads=await store.thread_names(meeting.id),
    )
    writer = transcript_writer(fmt, header, dataclasses.replace(names, known={**known, **names.known}))
    out.write(writer.begin().encode())
    count = 0
    batch = []
    async for row in store.transcript(meeting.id):
        batch.append(row)
        if len(batch) >= BATCH:
            out.write(writer.rows(batch).encode())
            count += len(batch)
            batch.clear()
            await asyncio.sleep(0)  # let other work run between slices
    if batch:
        out.write(writer.rows(batch).encode())
        count += len(batch)
    out.write(writer.end().encode())
    return count
