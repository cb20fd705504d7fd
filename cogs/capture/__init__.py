"""Chat-log capture and minutes: the record of what was said in a meeting, kept safely."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.capture._cog import CaptureCog
    from cogs.capture._records import RecordsCog

    capture = CaptureCog(bot)
    await bot.add_cog(capture)
    await bot.add_cog(RecordsCog(bot, capture))
