"""Who was present at a meeting, counted: what /meeting attendance, the minutes and the reports show.

Never imports discord: the minutes (capture) and the reports read attendance through here.
"""

from __future__ import annotations

from collections.abc import Callable

from cogs.attendance import _rules
from storage.attendance import AttendanceRepo
from storage.database import Database


async def attendance_of(
    repo: AttendanceRepo, guild_id: int, meeting_id: int, *, display: Callable[[str], str] = str
) -> tuple[_rules.Attendance, int]:
    """The meeting's attendance, and how many members are counted anonymously at their request.

    ``display`` shapes the names organisers read (e.g. escaped for Discord).
    """
    rows, anonymous = await repo.present(guild_id, meeting_id)
    attendees = [
        _rules.Attendee(
            user_id=r.user_id or 0,
            display=display(r.name or f"member {r.user_id}"),
            delegation=r.delegation,
            kind=r.type,
            youth=r.youth_pseudonym is not None or r.type == "youth",
            pressed=r.pressed,
            spoke=r.spoke,
        )
        for r in rows
    ]
    attendees.extend(
        _rules.Attendee(
            user_id=0, display="", delegation=None, kind=None, youth=False, pressed=False, spoke=False, anonymous=True
        )
        for _ in range(anonymous)
    )
    return _rules.tally(attendees), anonymous


async def present_sentence(db: Database, guild_id: int, meeting_id: int) -> str | None:
    """``152 participants from 48 Member States, ...``, or None when nobody was recorded as present."""
    attendance, _anonymous = await attendance_of(AttendanceRepo(db), guild_id, meeting_id)
    return _rules.present_sentence(attendance) if attendance.people else None
