"""The process's own bot freezes its start-up heap once ready (bot.freeze_heap); a test's bot does not."""

from __future__ import annotations

import gc

from bot import MeetingBot


async def test_only_the_process_bot_freezes_its_heap_once_ready(settings, db):
    gc.unfreeze()
    try:
        await MeetingBot(settings, db).on_ready()
        assert gc.get_freeze_count() == 0  # tests start many bots in one process: nothing kept alive
        bot = MeetingBot(settings, db, freeze_heap=True)  # as bot.run() builds it
        await bot.on_ready()
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        await bot.on_ready()  # a reconnect's READY: nothing more
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
