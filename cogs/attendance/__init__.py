"""Attendance by delegation: who took part in each meeting, for the minutes and the reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.attendance._cog import AttendanceCog

    await bot.add_cog(AttendanceCog(bot))
