"""/contribution: delegates register documents; the secretariat numbers them; everyone reads the list."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.contributions._cog import ContributionsCog

    await bot.add_cog(ContributionsCog(bot))
