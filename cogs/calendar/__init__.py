"""The calendar subscription feed: /meeting feed, /setup calendar rotate and the web server behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.calendar._cog import CalendarCog

    await bot.add_cog(CalendarCog(bot))
