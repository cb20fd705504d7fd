"""The batched writer of the chat record. Never imports discord.

``submit()`` is synchronous and cheap: ``on_message`` appends an operation and returns, it never waits
for the database. One drain task writes what has accumulated, in event order, one transaction per
batch, and ends when the buffer is empty (it is started again by the next ``submit``). While a batch
is being written, new events pile up into the next batch, so the batch size follows the load by
itself: one line in a quiet meeting is on disk within milliseconds, a burst of thousands goes in a
few large transactions. ``flush()`` waits until everything submitted so far is written (used at
shutdown, before a purge or a forget, and by the backfill).

A batch that fails is retried; if it keeps failing, its operations are written one by one so that
a single bad line cannot take the others down with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from storage.capture import CaptureStore, Op

log = logging.getLogger(__name__)

MAX_BATCH = 20_000  # operations per transaction
RETRIES = 3
RETRY_DELAY = 0.5  # seconds, doubled at each retry


class CaptureWriter:
    def __init__(
        self,
        store: CaptureStore,
        *,
        on_written: Callable[[Sequence[Op]], None] | None = None,
        max_batch: int = MAX_BATCH,
        retry_delay: float = RETRY_DELAY,
    ) -> None:
        self.store = store
        self.on_written = on_written
        self.max_batch = max_batch
        self.retry_delay = retry_delay
        self._pending: list[Op] = []
        self._task: asyncio.Task[None] | None = None
        self.written = 0  # operations written since start (for logs and tests)
        self.dropped = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, op: Op) -> None:
        """Queue one operation (no I/O, no await): it is written in order with everything else."""
        self._pending.append(op)
        self._ensure_draining()

    def submit_many(self, ops: Sequence[Op]) -> None:
        if ops:
            self._pending.extend(ops)
            self._ensure_draining()

    def _ensure_draining(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain(), name="capture-writer")

    async def flush(self) -> None:
        """Return once everything submitted before (and during) the call is written."""
        while self._pending or (self._task is not None and not self._task.done()):
            if self._task is None or self._task.done():
                self._ensure_draining()
            task = self._task
            assert task is not None
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if not task.cancelled() or (current is not None and current.cancelling()):
                    raise  # it is the caller that is being cancelled
                # The drain task was cancelled; its batch went back to the buffer: drain again.

    async def _drain(self) -> None:
        while self._pending:
            batch = self._pending[: self.max_batch]
            del self._pending[: len(batch)]
            try:
                await self._write(batch)
            except asyncio.CancelledError:
                # Not written (the transaction rolled back) or written just before: writing a batch
                # twice is harmless (inserts are OR IGNORE, edits and deletions compare first).
                self._pending[:0] = batch
                raise

    async def _write(self, batch: list[Op]) -> None:
        delay = self.retry_delay
        for attempt in range(1, RETRIES + 1):
            try:
                # Shielded: a cancellation must not cut a transaction in half (storage.database cannot
                # roll back a BEGIN interrupted by a cancellation); the batch then simply completes.
                await asyncio.shield(self.store.apply(batch))
            except Exception:
                if attempt == RETRIES:
                    log.exception(
                        "Writing %d captured events failed %d times; writing them one by one", len(batch), attempt
                    )
                    break
                log.warning(
                    "Writing %d captured events failed (attempt %d); retrying", len(batch), attempt, exc_info=True
                )
                await asyncio.sleep(delay)
                delay *= 2
            else:
                self._written(batch)
                return
        written: list[Op] = []
        for op in batch:
            try:
                await asyncio.shield(self.store.apply([op]))
            except Exception:
                self.dropped += 1
                log.exception("Dropped one captured event (%s) that cannot be written", type(op).__name__)
            else:
                written.append(op)
        self._written(written)

    def _written(self, ops: Sequence[Op]) -> None:
        self.written += len(ops)
        if self.on_written is not None and ops:
            try:
                self.on_written(ops)
            except Exception:
                log.exception("The after-write hook of the capture writer failed")
