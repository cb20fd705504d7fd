"""/language: a member chooses the language the bot answers them in (issue 13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot import MeetingBot


async def setup(bot: MeetingBot) -> None:
    from cogs.language._cog import LanguageCog

    await bot.add_cog(LanguageCog(bot))
