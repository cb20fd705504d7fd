"""/meeting: numbered meetings, their calendar file and their Discord scheduled event."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.meetings._cog import MeetingsCog

    await bot.add_cog(MeetingsCog(bot))
