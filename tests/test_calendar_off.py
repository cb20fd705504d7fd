"""Without WEB_PORT the bot runs no web server, and /meeting feed says so politely."""

from __future__ import annotations


async def test_feed_command_says_the_feed_is_off(world):
    assert world.bot.settings.web_port is None
    assert world.bot.get_cog("Calendar").server is None
    r = await world.delegate.slash(world.general, "meeting feed")
    assert r.ephemeral
    assert "The calendar subscription feed is not switched on for this bot" in r.response.content
    assert "/meeting ics" in r.response.content
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM calendar_feeds") == 0, "no secret made for nothing"

    # An organiser may still rotate (say, after a link leaked while it was on).
    r = await world.admin.slash(world.general, "setup calendar rotate")
    assert "the old one stopped working now" in r.response.content
    assert "not switched on at the moment" in r.response.content
