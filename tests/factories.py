"""Plain storage values for tests that need a meeting or a document but no database (no tests here).

``meeting()`` is the 19th meeting of the CWG-COP: Tuesday 26 January 2027, 10.00-17.30 hours Geneva
time (09.00-16.30 UTC), at ITU headquarters with a Zoom link, scheduled on 28 November 2026.
``contribution()`` is its document CWG-COP-19/3 from Ghana, submitted by user 100 and received on
1 January 2027, before the deadline.

Change any field by keyword: the values are built with :func:`dataclasses.replace`, so a misspelt
field name is an error. Every instant is an aware UTC datetime.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from storage.contributions import Contribution
from storage.meetings import Meeting

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
    """The default meeting with ``changes``. A new ``starts_at`` alone keeps the 7½-hour length."""
    if "starts_at" in changes and "ends_at" not in changes:
        changes["ends_at"] = changes["starts_at"] + (_MEETING.ends_at - _MEETING.starts_at)
    return replace(_MEETING, **changes)


def contribution(**changes) -> Contribution:
    """The default document (CWG-COP-19/3) with ``changes``."""
    return replace(_CONTRIBUTION, **changes)
