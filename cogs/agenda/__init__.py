"""/agenda: agenda items, the published (and revised) agenda post, and its export."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.agenda._cog import AgendaCog

    await bot.add_cog(AgendaCog(bot))
