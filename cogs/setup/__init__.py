"""/setup: per-guild roles, channels and options."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.setup._cog import SetupCog

    await bot.add_cog(SetupCog(bot))
