"""Reports: the chair's report and the four-year report, drafted from the bot's database."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.reports._cog import ReportsCog

    await bot.add_cog(ReportsCog(bot))
