"""/remind: channel, deadline, "starting now" and direct-message reminders, with a delivery ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.reminders._cog import RemindersCog

    await bot.add_cog(RemindersCog(bot))
