"""The announcements publisher: one drain per channel, several documents per Discord message.

A registration commits its document and an outbox entry together (``storage/outbox.py``) and calls
:meth:`Publisher.kick`; it never waits for Discord. One drain task per channel takes everything the
channel's outbox holds, up to :data:`PER_MESSAGE` documents a message, and posts it. While a post is
on its way (or discord.py waits for the channel's rate-limit bucket, 5 writes per 5 s), the next
registrations pile up and go together in the next message: a burst of 150 registrations costs a
handful of writes, and a quiet registration is announced at once, on its own card.

Nothing is lost or announced twice across a restart or a crash:

- entries are assigned to a batch (state ``posting``) and the batch's marker (``ref <batch>``, in the
  message's footer) is decided *before* the write to Discord; the message id is recorded after;
- at start-up (:meth:`resume`), and whenever a drain finds a batch still ``posting``, the publisher
  reads the channel's recent messages for that marker: found, the post happened and is recorded;
  not found, it is posted now. (A crash between Discord's post and our record is therefore
  repaired by reading, never by posting twice. The marker must be among the channel's last
  :data:`RECHECK` messages, which holds unless that many messages were posted in between.)

Discord's 429s are left to discord.py, which waits and retries on its own; no interaction waits for
this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

import discord

from cogs.contributions import _text
from cogs.core import i18n
from cogs.core.i18n_discord import multilingual_embed
from cogs.core.interactions import SAFE_MENTIONS
from storage.contributions import Contribution
from storage.outbox import Entry, OutboxRepo

if TYPE_CHECKING:
    from bot import MeetingBot

log = logging.getLogger(__name__)

PER_MESSAGE = 20  # documents in one announcement (20 lines stay within an embed's 4096 characters)
RECHECK = 50  # recent channel messages searched for a batch's marker after a restart
MIN_INTERVAL = 0.5  # seconds between two posts in one channel: lets a burst gather into one message

Card = Callable[[Contribution], Awaitable[discord.Embed]]
Languages = Callable[[Contribution], Awaitable[Sequence[str]]]


def marker(batch: int) -> str:
    return f"ref {batch}"


class Publisher:
    def __init__(self, bot: MeetingBot, card: Card, languages: Languages) -> None:
        self.bot = bot
        self.outbox = OutboxRepo(bot.db)
        self.card = card  # the full document card (one document alone in a message)
        self.languages = languages  # the server's languages for a document's announcement
        self._drains: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()
        self._last_post: dict[int, float] = {}
        self.posts = 0  # messages sent (for logs and tests)

    # -- starting and stopping -------------------------------------------------------------------
    def kick(self, channel_id: int) -> None:
        """Something was added to the channel's outbox: make sure a drain will post it."""
        task = self._drains.get(channel_id)
        if task is not None and not task.done():
            self._again.add(channel_id)
            return
        self._drains[channel_id] = asyncio.get_running_loop().create_task(
            self._drain(channel_id), name=f"announcements-{channel_id}"
        )

    async def resume(self) -> None:
        """At start-up: drain every channel the outbox still owes something to."""
        for channel_id in await self.outbox.channels_with_work():
            self.kick(channel_id)

    async def close(self) -> None:
        tasks = [t for t in self._drains.values() if not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # -- draining --------------------------------------------------------------------------------
    async def _drain(self, channel_id: int) -> None:
        try:
            while True:
                self._again.discard(channel_id)
                entries = await self.outbox.unsent(channel_id)
                if not entries:
                    if channel_id in self._again:
                        continue
                    return
                channel = self.bot.get_channel(channel_id)
                if not isinstance(channel, discord.TextChannel):
                    log.warning("Announcements for channel %s wait: the channel is not available", channel_id)
                    return  # they stay in the outbox; resumed at the next start
                posting = [e for e in entries if e.state == "posting"]
                if posting:
                    if not await self._recover(channel, posting):
                        return  # the channel cannot be read now; resumed at the next start
                    continue
                await self._pace(channel_id)
                entries = await self.outbox.unsent(channel_id, limit=PER_MESSAGE)  # what arrived meanwhile too
                if entries:
                    await self._post(channel, entries[:PER_MESSAGE])
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("The announcements of channel %s stopped; they resume at the next start", channel_id)

    async def _pace(self, channel_id: int) -> None:
        last = self._last_post.get(channel_id)
        if last is not None:
            wait = last + MIN_INTERVAL - asyncio.get_running_loop().time()
            if wait > 0:
                await asyncio.sleep(wait)

    async def _post(self, channel: discord.TextChannel, entries: Sequence[Entry]) -> None:
        batch = entries[0].id
        await self.outbox.assign([e.id for e in entries], batch)
        embeds = await self.render(entries, batch)
        self._last_post[channel.id] = asyncio.get_running_loop().time()
        try:
            message = await channel.send(embeds=embeds, allowed_mentions=SAFE_MENTIONS)
        except discord.Forbidden:
            log.warning(
                "Cannot announce in channel %s (missing permission); %d documents not announced",
                channel.id,
                len(entries),
            )
            await self.outbox.failed(batch)
            return
        except discord.HTTPException:
            log.warning(
                "Could not announce %d documents in channel %s; retrying", len(entries), channel.id, exc_info=True
            )
            await self.outbox.release(batch)
            await asyncio.sleep(5)
            return
        self.posts += 1
        await self.outbox.posted(batch, message.id)

    async def _recover(self, channel: discord.TextChannel, posting: Sequence[Entry]) -> bool:
        """Batches that may have reached Discord before a stop: find their message, else post them."""
        batches: dict[int, list[Entry]] = {}
        for e in posting:
            batches.setdefault(e.batch or e.id, []).append(e)
        found: dict[int, int] = {}
        wanted = {marker(b): b for b in batches}
        try:
            me = self.bot.user
            async for message in channel.history(limit=RECHECK):
                if me is None or message.author.id != me.id:
                    continue
                for embed in message.embeds:
                    footer = embed.footer.text or ""
                    for text, batch in wanted.items():
                        if footer.endswith(text):
                            found.setdefault(batch, message.id)
        except discord.HTTPException:
            log.warning("Could not read channel %s to recover announcements", channel.id, exc_info=True)
            return False
        for batch in sorted(batches):
            if batch in found:
                log.info("Announcement batch %s was posted before the stop (message %s)", batch, found[batch])
                await self.outbox.posted(batch, found[batch])
            else:
                await self.outbox.release(batch)
        return True

    # -- what a message shows --------------------------------------------------------------------
    async def render(self, entries: Sequence[Entry], batch: int) -> list[discord.Embed]:
        if len(entries) == 1:
            c = entries[0].contribution
            embed = await self.card(c)
            embed.set_footer(text=f"{embed.footer.text} · {marker(batch)}" if embed.footer.text else marker(batch))
            return [embed]
        docs = [e.contribution for e in entries]
        languages = list(await self.languages(docs[0]))
        first = next((code for code in languages if code in i18n.LANGUAGES), i18n.SOURCE)

        def build() -> discord.Embed:
            # The title in each language; the lines (members' titles and sources) once, in the first.
            lines = "\n".join(_text.batch_line(c) for c in docs)[:4096] if i18n.current() == first else None
            return discord.Embed(title=_text.batch_title(len(docs)), description=lines, colour=discord.Colour.blurple())

        embed = multilingual_embed(languages, build, what="announcement")
        embed.set_footer(text=f"{docs[0].group_code} · {marker(batch)}")
        return [embed]
