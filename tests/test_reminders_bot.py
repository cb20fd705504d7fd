"""The real bot posts reminders through the simulated Discord, with real (short) delays."""

from __future__ import annotations

from datetime import timedelta

from test_reminders_helpers import contents, create_meeting, ledger, wait_until

from storage.guild_settings import GuildSettingsRepo


async def test_channel_reminder_is_posted_once_with_the_role_mention(world, simcord_env, db):
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1m")
    meeting = await create_meeting(world, starts_in=timedelta(seconds=61), venue="ITU HQ, Geneva")
    await wait_until(simcord_env, lambda: contents(world.reminders))
    print(contents(world.reminders))
    print(await ledger(db, meeting.id))
