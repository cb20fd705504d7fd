"""Storage values for tests: a meeting or a document as plain values, or a meeting in the database.

``meeting()`` is the 19th meeting of the CWG-COP: Tuesday 26 January 2027, 10.00-17.30 hours Geneva
time (09.00-16.30 UTC), at ITU headquarters with a Zoom link, scheduled on 28 November 2026.
``contribution()`` is its document CWG-COP-19/3 from Ghana, submitted by user 100 and received on
1 January 2027, before the deadline.

Change any field by keyword: the values are built with :func:`dataclasses.replace`, so a misspelt
field name is an error. Every instant is an aware UTC datetime. ``stored_meeting()`` creates such a
meeting through the real repository (no tests here).
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import UTC, datetime

from cogs.core.timefmt import ordinal
from storage.contributions import Contribution
from storage.database import Database
from storage.meetings import Meeting, MeetingsRepo

SCHEDULED_AT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
RECEIVED_AT = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)

_MEETING = Meeting(
    id=1,
    guild_id=1,
    number=19,
    title="19th meeting of the CWG-COP",
    starts_at=datetime(2027, 1, 26, 9, 0, tzinfo=UTC),
    ends_at=datetime(2027, 1, 26, 16, 30, tzinfo=UTC),
    timezone="Europe/Zurich",
    venue="ITU headquarters, Geneva",
    link="https://itu.zoom.us/j/123",
    channel_id=None,
    status="scheduled",
    cancel_reason=None,
    sequence=0,
    event_id=None,
    chair_name=None,
    created_by=1,
    created_at=SCHEDULED_AT,
    updated_at=SCHEDULED_AT,
)

_CONTRIBUTION = Contribution(
    id=1,
    meeting_id=_MEETING.id,
    meeting_number=_MEETING.number,
    group_code="CWG-COP",
    kind="contribution",
    seq=3,
    title="Age assurance",
    source="Ghana",
    source_type="member_state",
    abstract=None,
    language="E",
    agenda_item_id=None,
    submitter_id=100,
    status="submitted",
    is_late=False,
    status_reason=None,
    revision=0,
    link=None,
    file_name=None,
    file_size=None,
    file_sha256=None,
    file_message_url=None,
    announcement_channel_id=None,
    announcement_message_id=None,
    received_at=RECEIVED_AT,
    updated_at=RECEIVED_AT,
)


def meeting(**changes) -> Meeting:
    """The default meeting with ``changes``, kept coherent.

    A new ``starts_at`` alone keeps the 7½-hour length; a new ``number`` alone gets its own title.
    """
    if "starts_at" in changes and "ends_at" not in changes:
        changes["ends_at"] = changes["starts_at"] + (_MEETING.ends_at - _MEETING.starts_at)
    if "number" in changes and "title" not in changes:
        changes["title"] = f"{ordinal(changes['number'])} meeting of the CWG-COP"
    return replace(_MEETING, **changes)


def contribution(**changes) -> Contribution:
    """The default document (CWG-COP-19/3) with ``changes``."""
    return replace(_CONTRIBUTION, **changes)


# What /meeting create stores; the database gives the id, the status, the sequence and the timestamps.
_CREATED_FIELDS = frozenset(inspect.signature(MeetingsRepo.create).parameters) - {"self"}


async def stored_meeting(db: Database, **changes) -> Meeting:
    """``meeting(**changes)`` created through ``MeetingsRepo.create``; returns the stored meeting.

    Only what the repository's ``create`` stores may be changed. The default date is fixed: pass
    ``starts_at`` where the meeting must be in the real future.
    """
    if unstored := sorted(changes.keys() - _CREATED_FIELDS):
        raise TypeError(f"MeetingsRepo.create does not store {unstored}: update the meeting once created")
    m = meeting(**changes)
    return await MeetingsRepo(db).create(**{name: getattr(m, name) for name in _CREATED_FIELDS})
