"""A model-based test of the chat record (issue 11): Hypothesis drives random interleavings of
messages, edits, deletions, ``[off]`` lines, threads (opened, renamed, deleted), recordings started
and ended, the bot going down and coming back (clean stop or crash) with lines said while it was
away, purges, forgets and remembers. After every step the transcript, read through the real export
code (the JSON transcript of ``/log export``), must equal a plain Python model of what the record
must hold: no line lost, none twice, nothing deleted, purged or forgotten comes back.

It drives the real bot through simcord: the real listeners, the real writer, the real store and
the real SQLite file, and real restarts on the same file (the ``harness`` fixture).

How it runs: Hypothesis's state machine is synchronous, the bot lives on the test's event loop.
The machine runs in a worker thread; each rule hands a coroutine to the loop
(``run_coroutine_threadsafe``) and waits for it, so the loop stays free to run the bot.

Profiles (names unique to this module, so they never clash with profiles registered elsewhere):
``capture-model-ci`` (the default: 200 examples, derandomized, that is a fixed seed, when CI=true)
and ``capture-model-long`` (1,000 longer examples), chosen with ``HYPOTHESIS_PROFILE=capture-model-long``
(``long`` also works).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from simcord import ChannelHandle
from test_capture_support import answer

from cogs.capture._export import write_transcript
from cogs.capture._names import names_for_meeting
from storage.capture import CaptureStore
from storage.meetings import MeetingsRepo
from storage.timeutil import to_db, utcnow

_CHOSEN = os.environ.get("HYPOTHESIS_PROFILE", "")
CI = os.environ.get("CI", "").lower() == "true" or _CHOSEN == "ci"  # tests/conftest.py's "ci" profile too
settings.register_profile(
    "capture-model-ci",
    max_examples=int(os.environ.get("CAPTURE_MODEL_EXAMPLES", "200")),
    stateful_step_count=10,
    deadline=None,
    derandomize=CI,
    database=None if CI else settings.default.database,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
settings.register_profile(
    "capture-model-long",
    max_examples=1000,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
LONG = _CHOSEN in ("capture-model-long", "long")
PROFILE = settings.get_profile("capture-model-long" if LONG else "capture-model-ci")
MAX_OUTAGES = 3 if LONG else 1  # a restart costs more than all the rest of an example
MEMBERS = 3
PICK = st.integers(0, 10_000)
SAY = st.tuples(st.integers(0, MEMBERS - 1), st.integers(0, 3), st.booleans())  # who, where, [off]
# What people do while the bot is away: the machine's own rules, called with these arguments.
AWAY = st.one_of(
    st.tuples(st.just("say"), st.integers(0, MEMBERS - 1), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("edit"), PICK, st.booleans()),
    st.tuples(st.just("delete"), PICK),
    st.tuples(st.just("open_thread"), PICK),
    st.tuples(st.just("rename_thread"), PICK),
    st.tuples(st.just("delete_thread"), PICK),
)
LONG_AGO = to_db(datetime(2000, 1, 1, tzinfo=UTC))  # older than the 24-hour catch-up window


@dataclass
class Line:
    """One message somebody sent in the meeting channel or a thread under it."""

    message: object  # the discord.Message, to edit or delete it
    author: int  # member index
    thread: int | None
    texts: list[str]  # every text it had, the current one last
    eligible: bool  # said while recorded, not [off], author not forgotten, log not purged
    said_at: int  # the model's clock
    deleted: bool = False

    @property
    def text(self) -> str:
        return self.texts[-1]


@dataclass
class Thread:
    handle: object
    owner: int
    name: str
    deleted: bool = False


@dataclass
class Member:
    actor: object
    forgotten: bool = False
    ever_forgotten: bool = False
    last_forget: int = -1  # the model's clock at the latest /log forget
    remembered_after: int = -1  # ... and at the latest /log remember


@dataclass
class Context:
    """What the machine needs from the async test: set before it runs."""

    loop: asyncio.AbstractEventLoop
    env: object
    world: object
    harness: object
    numbers: count = field(default_factory=lambda: count(100))


class RecordMachine(RuleBasedStateMachine):
    ctx: Context

    def __init__(self) -> None:
        super().__init__()
        self.clock = 0  # the model's order of events (Discord ids grow the same way)
        self.outages = 0
        self.started_at = 0  # the model's clock when the latest recording started
        self.up = True
        self.recording = False
        self.ever_recorded = False
        self.purged = False
        self.lines: dict[int, Line] = {}
        self.threads: dict[int, Thread] = {}
        self.thread_made_at: dict[int, int] = {}
        self.members: list[Member] = []
        self.meeting = None
        self.channel = None
        self.run(self._setup())

    # -- plumbing ---------------------------------------------------------------------------------------
    def run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.ctx.loop).result(timeout=120)

    @property
    def env(self):
        return self.ctx.env

    @property
    def world(self):
        return self.ctx.world

    def tick(self) -> int:
        self.clock += 1
        return self.clock

    async def _setup(self) -> None:
        n = next(self.ctx.numbers)
        world, env = self.world, self.env
        self.channel = world.guild.create_text_channel(f"meeting-{n}")
        for i in range(MEMBERS):
            user = env.create_user(f"m{n}x{i}")
            self.members.append(Member(world.guild.add_member(user, roles=[world.participant_role])))
        await env.settle()
        starts = utcnow() + timedelta(days=30)
        self.meeting = await MeetingsRepo(env.bot.db).create(
            guild_id=world.guild.id,
            number=n,
            title=f"Meeting {n}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            timezone="Europe/Zurich",
            created_by=world.chair.id,
            channel_id=self.channel.id,
        )

    def teardown(self) -> None:
        # Each example leaves the bot up, with no open recording, and its recordings older than the
        # 24-hour catch-up window, so that later examples do not read this one's channel again.
        if not self.up:
            self.run(self.ctx.harness.restart())
        if self.recording:
            self.run(self.world.chair.slash(self.channel, "meeting end", meeting=self.meeting.number))
        self.run(
            self.env.bot.db.execute(
                "UPDATE recordings SET ended_at = ? WHERE meeting_id = ? AND ended_at IS NOT NULL",
                (LONG_AGO, self.meeting.id),
            )
        )

    def where(self, index: int):
        """A place to speak: the channel, or a live thread (by index)."""
        live = [t for t in self.threads.values() if not t.deleted]
        if index == 0 or not live:
            return self.channel, None
        thread = live[(index - 1) % len(live)]
        return thread.handle, thread.handle.id

    @initialize(start=st.booleans(), thread=st.booleans())
    def begin(self, start: bool, thread: bool) -> None:
        """Often a recording under way with a thread in use, so that short examples reach far."""
        if start:
            self.start()
        if thread:
            self.say(0, 0, False)
            self.open_thread(0)
            self.say(1, 1, False)

    # -- messages ---------------------------------------------------------------------------------------
    def say(self, who: int, place: int, off: bool) -> None:
        member = self.members[who]
        channel, thread = self.where(place)
        number = self.tick()
        text = f"[off] L{number}" if off else f"L{number} said"
        message = self.run(member.actor.send(channel, text))
        eligible = self.recording and not off and not member.forgotten and not self.purged
        self.lines[message.id] = Line(message, who, thread, [text], eligible, number)

    def _live_lines(self) -> list[Line]:
        alive = {t.handle.id for t in self.threads.values() if not t.deleted}
        return [
            line for line in self.lines.values() if not line.deleted and (line.thread is None or line.thread in alive)
        ]

    def edit(self, pick: int, off: bool) -> None:
        candidates = [line for line in self._live_lines() if self._editable(line)]
        if not candidates:
            return
        line = candidates[pick % len(candidates)]
        number = self.tick()
        text = f"[off] E{number}" if off else f"{line.texts[0].removeprefix('[off] ').split()[0]} edit{number}"
        self.run(self.members[line.author].actor.edit(line.message, text))
        if off:
            line.deleted = True  # taken off the record afterwards: like a deletion
        elif line.text.startswith("[off]"):
            line.eligible = True  # put back on the record during the recording it was said in
        line.texts.append(text)

    def _editable(self, line: Line) -> bool:
        """An [off] line edited back on the record counts only during the recording it was said in
        (the catch-up after a restart cannot tell it from a missed line; after the recording, what
        it should do is not decided: see the closing note of issue 11)."""
        if not line.text.startswith("[off]"):
            return True
        author = self.members[line.author]
        return self.recording and not self.purged and line.said_at > self.started_at and not author.ever_forgotten

    def delete(self, pick: int) -> None:
        candidates = self._live_lines()
        if not candidates:
            return
        line = candidates[pick % len(candidates)]
        self.run(self.members[line.author].actor.delete(line.message))
        line.deleted = True

    # -- threads ----------------------------------------------------------------------------------------
    def open_thread(self, pick: int) -> None:
        starters = [line for line in self._live_lines() if line.thread is None and line.message.id not in self.threads]
        if not starters:
            return
        starter = starters[pick % len(starters)]
        number = self.tick()

        async def make():
            backend = self.env.backend
            made = backend.create_thread(
                self.channel.id, f"T{number} name", starter.message.author.id, message_id=starter.message.id
            )
            handle = ChannelHandle(self.env, self.world.guild, backend.channels[made.id])
            await self.env.settle()
            return handle

        handle = self.run(make())
        self.threads[handle.id] = Thread(handle, starter.author, f"T{number} name")
        self.thread_made_at[handle.id] = number

    def rename_thread(self, pick: int) -> None:
        live = [t for t in self.threads.values() if not t.deleted]
        if not live:
            return self.open_thread(pick)
        thread = live[pick % len(live)]
        number = self.tick()
        thread.name = f"T{number} renamed"

        async def rename():
            self.env.backend.edit_channel(thread.handle.id, {"name": thread.name})
            await self.env.settle()

        self.run(rename())

    def delete_thread(self, pick: int) -> None:
        live = [t for t in self.threads.values() if not t.deleted]
        if not live:
            return self.open_thread(pick)
        thread = live[pick % len(live)]

        async def delete():
            self.env.backend.delete_channel(thread.handle.id)
            await self.env.settle()

        self.run(delete())
        thread.deleted = True
        for line in self.lines.values():
            if line.thread == thread.handle.id:
                line.deleted = True

    # -- recordings -------------------------------------------------------------------------------------
    @precondition(lambda self: self.up and not self.recording and not self.purged)
    @rule()
    def start(self) -> None:
        result = self.run(self.world.chair.slash(self.channel, "meeting start", meeting=self.meeting.number))
        assert answer(result).startswith("Recording the"), answer(result)
        self.started_at = self.tick()
        self.recording = self.ever_recorded = True

    @precondition(lambda self: self.up and self.recording)
    @rule()
    def end(self) -> None:
        result = self.run(self.world.chair.slash(self.channel, "meeting end", meeting=self.meeting.number))
        assert "Recording of the" in answer(result) or "lines are in the record" in answer(result), answer(result)
        self.tick()
        self.recording = False

    # -- the bot goes down and comes back ----------------------------------------------------------------
    @precondition(lambda self: self.outages < MAX_OUTAGES)
    @rule(during=st.lists(AWAY, max_size=5), crash=st.booleans())
    def outage(self, during: list[tuple], crash: bool) -> None:
        """The bot goes down (stopped, or killed: no shutdown code runs), people go on, it comes back."""
        self.run(self.env.bot.unload_extension("cogs.capture"))  # it hears nothing from now on
        self.up = False
        for action, *args in during:
            getattr(self, action)(*args)
        self.run(self.ctx.harness.restart(crash=crash))
        self.up = True
        self.outages += 1

    # -- the rules: few, so that Hypothesis reaches the long sequences (end, purge, restart) often ---------
    @rule(lines=st.lists(SAY, min_size=1, max_size=4))
    def talk(self, lines: list[tuple[int, int, bool]]) -> None:
        for who, place, off in lines:
            self.say(who, place, off)

    @rule(how=st.sampled_from(["edit", "off", "delete"]), pick=PICK)
    def change(self, how: str, pick: int) -> None:
        """A line is edited, taken off the record by an edit, or deleted."""
        if how == "delete":
            self.delete(pick)
        else:
            self.edit(pick, how == "off")

    @rule(how=st.sampled_from(["open_thread", "rename_thread", "delete_thread"]), pick=PICK)
    def thread(self, how: str, pick: int) -> None:
        getattr(self, how)(pick)

    # -- purge, forget, remember -------------------------------------------------------------------------
    @precondition(lambda self: self.up and self.ever_recorded and not self.purged)
    @rule()
    def purge(self) -> None:
        if self.recording:
            self.end()  # a log is purged once its recording has ended
        chair = self.world.chair
        asked = self.run(chair.slash(self.world.general, "log purge", meeting=self.meeting.number))
        self.run(chair.click(asked.response, label="Purge the log"))
        assert "urged" in asked.response.content, asked.response.content
        self.purged = True

    @precondition(lambda self: self.up)
    @rule(who=st.integers(0, MEMBERS - 1))
    def forget(self, who: int) -> None:
        member = self.members[who]
        chair = self.world.chair
        asked = self.run(chair.slash(self.world.general, "log forget", member=member.actor))
        self.run(chair.click(asked.response, label="Remove their lines"))
        assert "Removed" in asked.response.content, asked.response.content
        member.last_forget = self.tick()
        member.forgotten = member.ever_forgotten = True

    @precondition(lambda self: self.up and any(m.forgotten for m in self.members))
    @rule(pick=st.integers(0, MEMBERS - 1))
    def remember(self, pick: int) -> None:
        forgotten = [m for m in self.members if m.forgotten]
        member = forgotten[pick % len(forgotten)]
        result = self.run(self.world.chair.slash(self.world.general, "log remember", member=member.actor))
        assert "again from now on" in answer(result), answer(result)
        member.forgotten = False
        member.remembered_after = self.tick()

    # -- the invariant ------------------------------------------------------------------------------------
    async def _exported(self) -> dict | None:
        bot = self.env.bot
        store = CaptureStore(bot.db)
        await bot.get_cog("CaptureCog").writer.flush()
        if await store.purge_info(self.meeting.id) is not None or not await store.has_log(self.meeting.id):
            assert not await bot.db.fetchval("SELECT COUNT(*) FROM messages WHERE meeting_id = ?", (self.meeting.id,))
            assert not await store.thread_names(self.meeting.id)
            return None
        meeting = await MeetingsRepo(bot.db).get(self.meeting.id)
        names = await names_for_meeting(bot, store, meeting, everywhere=True)
        out = io.BytesIO()
        await write_transcript(store, meeting, group_code="CWG-COP", fmt="json", names=names, out=out)
        return json.loads(out.getvalue())

    def _expected_thread_name(self, thread_id: int) -> str:
        thread = self.threads.get(thread_id)
        if thread is None or thread.deleted:
            return "Thread"
        owner = self.members[thread.owner]
        made = self.thread_made_at[thread_id]
        if owner.forgotten or (owner.ever_forgotten and owner.remembered_after > made):
            return "Thread"  # the creator was forgotten after making it: its name was their words
        return thread.name

    @invariant()
    def the_record_equals_the_model(self) -> None:
        if not self.up:
            return  # nothing to read while the bot is away; it catches up when it comes back
        document = self.run(self._exported())
        if document is None:
            assert self.purged or not self.ever_recorded
            return
        assert not self.purged
        entries: dict[int, dict] = {}
        for entry in document["entries"]:
            if entry["type"] == "thread":
                thread_id = int(entry["id"])
                assert entry["name"] == self._expected_thread_name(thread_id), (entry["name"], thread_id)
                inner = entry["messages"]
            else:
                thread_id, inner = None, [entry]
            for message in inner:
                if message["type"] == "notice":
                    continue
                message_id = int(message["id"])
                assert message_id not in entries, f"line {message_id} is in the record twice"
                entries[message_id] = {**message, "thread": thread_id}
        for message_id, entry in entries.items():
            line = self.lines.get(message_id)
            assert line is not None and line.eligible, f"{entry['text']!r} is in the record but was never recorded"
            assert entry["thread"] == line.thread
        for message_id, line in self.lines.items():
            entry = entries.get(message_id)
            if not line.eligible:
                assert entry is None
            elif line.deleted or self.members[line.author].last_forget > line.said_at:
                # Removed: absent (never stored) or a placeholder, never its text.
                if entry is not None:
                    assert entry.get("deleted") or entry.get("removed"), (line.texts, entry)
                    assert entry["text"] in ("[deleted]", "[removed]")
                    assert "versions" not in entry
            else:
                assert entry is not None, f"{line.text!r} was lost"
                assert entry["text"] == line.text and not entry.get("deleted") and not entry.get("removed")
                for version in entry.get("versions", []):
                    assert version["text"] in line.texts


async def test_the_record_always_equals_the_model(world, harness, simcord_env) -> None:
    RecordMachine.ctx = Context(asyncio.get_running_loop(), simcord_env, world, harness)
    await asyncio.get_running_loop().run_in_executor(
        None, lambda: run_state_machine_as_test(RecordMachine, settings=PROFILE)
    )
