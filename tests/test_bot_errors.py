"""The tree-wide error path and mention safety, with a test-only extension that misbehaves."""

from __future__ import annotations

import logging

import pytest

from bot import EXTENSIONS, MeetingBot
from cogs.core.interactions import UNEXPECTED


@pytest.fixture
def simcord_bot(settings, db):
    return MeetingBot(settings, db, extensions=(*EXTENSIONS, "tests.boom_extension"))


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def errors_logged():
    handler = Collect()
    logger = logging.getLogger("cogs.core.interactions")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


async def test_an_unexpected_error_is_logged_and_the_user_is_told(world, errors_logged):
    r = await world.delegate.slash(world.general, "boom")
    assert r.ephemeral
    assert r.response.content == UNEXPECTED
    assert any("Unexpected error in interaction boom" in rec.getMessage() for rec in errors_logged)
    tracebacks = [logging.Formatter().formatException(rec.exc_info) for rec in errors_logged if rec.exc_info]
    assert any("RuntimeError: a bug" in t for t in tracebacks), "the traceback is in the log"
    world.env.errors  # noqa: B018 (acknowledge the RuntimeError simcord captured: it was expected here)


async def test_a_user_error_after_defer_is_answered_as_a_followup(world):
    r = await world.delegate.slash(world.general, "oops")
    assert r.ephemeral
    messages = [r.response, *r.followups]
    assert [m.content for m in messages if m.content] == ["That date is in the past; choose a future date."]


async def test_a_failing_button_is_answered_not_left_hanging(world, errors_logged):
    await world.delegate.slash(world.general, "explode")
    message = world.general.last_message
    r = await world.delegate.click(message, label="Explode")
    assert r.ephemeral
    assert r.response.content == UNEXPECTED
    tracebacks = [logging.Formatter().formatException(rec.exc_info) for rec in errors_logged if rec.exc_info]
    assert any("KeyError: 'a bug in a button'" in t for t in tracebacks)
    world.env.errors  # noqa: B018


async def test_guarded_callbacks_answer_user_errors(world):
    r = await world.delegate.slash(world.general, "guarded")
    assert r.response.content == "Guarded and answered."


async def test_user_text_can_never_ping_everyone_or_roles(world):
    await world.delegate.slash(world.general, "echo", text=f"@everyone @here <@&{world.participant_role.id}> hi")
    message = world.general.last_message
    assert "@everyone" in message.content
    assert not message.mention_everyone
    post = [e for e in world.env.http_requests if e.method == "POST" and e.path.endswith("/messages")][-1]
    assert post.json["allowed_mentions"]["parse"] == []
