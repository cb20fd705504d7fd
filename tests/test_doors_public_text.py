"""Defect 11 of issue 11: user text in the bot's public posts is shown, never obeyed as markup.

Through the real bot (simcord): a delegate registers a document whose abstract and title carry a
masked link, a heading, subtext, a quote and mentions; the chair names an agenda item and gives a
cancellation reason the same way. Each public post is read back as participants see it.
"""

from __future__ import annotations

from test_agenda_bot import agenda_posts, create, post_text
from test_safe_text import live_markup, live_view, shown

from cogs.core.events import MEETING_CREATED
from tests.conftest import dispatch_and_settle

MASKED = "[Official ITU copy](https://evil.example/itu)"
HOSTILE = f"{MASKED}\n# ITU DECISION\n-# signed, the Secretary-General\n> quoted\n@everyone <@&{{role}}> ```"


def hostile_markup(text: str, role_id: int) -> list[str]:
    """Live markup that only user text could have put there (the bot's own bold and timestamps are fine)."""
    found = [k for k in live_markup(text) if k in ("masked link", "heading", "subtext", "block quote", "everyone")]
    view = live_view(text)
    return found + (["role mention"] if f"<@&{role_id}>" in view or "<@&1>" in view else [])


def public_texts(message) -> list[str]:
    out = [message.content or ""]
    for e in message.embeds:
        out += [e.title or "", e.description or "", *(f.value for f in e.fields)]
    return out


async def test_a_hostile_abstract_is_announced_as_plain_text(world):
    await create(world, 19)
    abstract = HOSTILE.format(role=world.participant_role.id)
    r = await world.delegate.slash(
        world.general, "contribution register", title=f"Real {MASKED}", source="Ghana <@&1>", abstract=abstract
    )
    assert "Registered" in (r.followups[-1].content if r.followups else r.response.content)
    announcement = world.contributions.last_message
    embed = announcement.embeds[0]
    for text in public_texts(announcement):
        assert hostile_markup(text, world.participant_role.id) == [], text
    assert shown(embed.description) == abstract  # every character the delegate typed, none obeyed
    assert shown(embed.title) == f"CWG-COP-19/2 · Real {MASKED}"


async def test_agenda_post_and_cancellation_notice_neutralise_organiser_text(world):
    meeting = await create(world, 19)
    await dispatch_and_settle(world.env, MEETING_CREATED, meeting)
    await world.chair.slash(world.general, "agenda add", meeting=19, title=f"Opening {MASKED} @here")
    await world.chair.slash(world.general, "agenda post", meeting=19, note=f"# New {MASKED}")
    posted = post_text(agenda_posts(world))
    assert "Opening" in posted and "Official ITU copy" in posted
    for message in agenda_posts(world):
        for text in public_texts(message):
            assert hostile_markup(text, world.chair_role.id) == [], text

    await world.chair.slash(
        world.general, "meeting cancel", meeting=19, reason=f"-# {MASKED} <@&{world.chair_role.id}>"
    )
    notices = [m for m in world.agenda.history() if "has been cancelled" in (m.content or "")]
    assert notices
    for text in public_texts(notices[-1]):
        assert hostile_markup(text, world.chair_role.id) == [], text
    assert f"Reason: -# {MASKED} <@&{world.chair_role.id}>" in shown(notices[-1].content)


def test_reminders_and_the_event_description_neutralise_the_meeting_text():
    from cogs.meetings._rules import event_fields
    from cogs.reminders import _text as reminders
    from tests.factories import meeting

    m = meeting(title=f"# 19th {MASKED} @everyone", venue=f"> {MASKED} <@&7>")
    texts = [
        reminders.channel_reminder(m, None, None, late=False),
        reminders.personal_reminder(m, None, "CWG-COP", late=False),
        reminders.starting_now(m, None, late=False),
        reminders.deadline_notice(m, 0, m.starts_at, None, late=False),
        event_fields(m, "10.00-17.30 hours").description,
    ]
    for text in texts:
        assert hostile_markup(text, 7) == [], text
        assert "Official ITU copy" in shown(text)
