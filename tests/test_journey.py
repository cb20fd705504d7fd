"""One meeting from end to end, through every feature's real commands, as its people live it.

Each feature has its own thorough tests; this one checks the seams between them: the agenda's
buttons reach the contributions and reminders features, an edit of the meeting moves reminders
and the published agenda, and the chat record and minutes follow the agenda and documents.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from storage.contributions import ContributionsRepo
from storage.meetings import MeetingsRepo
from storage.reminders import RemindersRepo
from storage.timeutil import utcnow

GENEVA = ZoneInfo("Europe/Zurich")


def texts(result) -> str:
    return "\n".join(m.content or "" for m in [result.response, *result.followups] if m is not None)


def embed_text(message) -> str:
    parts = []
    for e in message.embeds:
        parts += [e.title or "", e.description or ""] + [f"{f.name}\n{f.value}" for f in e.fields]
    return "\n".join(parts)


async def test_a_meeting_from_scheduling_to_minutes(world):
    chair, delegate, delegate2 = world.chair, world.delegate, world.delegate2
    day = (utcnow() + timedelta(days=40)).astimezone(GENEVA).date()

    # The chair schedules the 19th meeting and publishes the standard agenda.
    r = await chair.slash(world.general, "meeting create", number=19, start=f"{day} 10:00", end="17:30")
    assert "The 19th meeting is scheduled" in texts(r)
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    await chair.slash(world.general, "agenda template", meeting=19)
    r = await chair.slash(world.general, "agenda post", meeting=19)
    (post,) = [m for m in world.agenda.pinned_messages() if m.author.id == world.bot.user.id]
    assert "Document CWG-COP-19/1" in embed_text(post)
    assert "10.00-17.30 hours Geneva time" in embed_text(post)

    # Channel reminders were planned at the server's offsets, in UTC from the opening.
    ledger = await RemindersRepo(world.bot.db).ledger(meeting.id)
    channel = {r.key[1]: r.due_at for r in ledger if r.key[0] == "channel"}
    assert channel == {
        int(o.total_seconds()): meeting.starts_at - o
        for o in (timedelta(days=7), timedelta(days=1), timedelta(hours=1), timedelta(minutes=10))
    }

    # A delegate registers a contribution from the agenda's button; it is document 2, under item 5.
    shown = await delegate.click(post, label="Register a contribution")
    r = await delegate.submit_modal(
        shown, {"title": "Protecting children in online games", "source": "Ghana", "agenda_item": "5"}
    )
    assert "Registered **CWG-COP-19/2**" in texts(r)
    (doc,) = await ContributionsRepo(world.bot.db).for_meeting(meeting.id)
    assert doc.number == "CWG-COP-19/2" and doc.source == "Ghana"
    assert "CWG-COP-19/2" in embed_text(world.agenda.pinned_messages()[0]), "the agenda lists the document"

    # Another delegate asks to be reminded, from the same post.
    r = await delegate2.click(post, label="Remind me")
    assert r.ephemeral
    r = await delegate2.slash(world.general, "remind list")
    assert "• 19th meeting of the CWG-COP: 1 day, 1 hour before" in texts(r)
    personal = {
        r.key[1]: r.due_at for r in await RemindersRepo(world.bot.db).ledger(meeting.id) if r.key[0] == "personal"
    }
    assert personal == {86400: meeting.starts_at - timedelta(days=1), 3600: meeting.starts_at - timedelta(hours=1)}

    # The chair moves the meeting a day later: reminders and the published agenda follow.
    later = day + timedelta(days=1)
    r = await chair.slash(world.general, "meeting edit", meeting=19, start=f"{later} 10:00")
    moved = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    assert moved.starts_at - meeting.starts_at == timedelta(days=1)
    ledger = await RemindersRepo(world.bot.db).ledger(meeting.id)
    assert {r.due_at for r in ledger if r.key[0] == "channel"} == {d + timedelta(days=1) for d in channel.values()}
    assert {r.due_at for r in ledger if r.key[0] == "personal"} == {d + timedelta(days=1) for d in personal.values()}
    assert f"{later.day} {later:%B %Y}, 10.00-17.30 hours" in embed_text(world.agenda.pinned_messages()[0])

    # On the day: the chair starts the record; the chat makes the minutes.
    r = await chair.slash(world.meeting, "meeting start", meeting=19)
    assert any("recorded for the chair's report" in m.content for m in world.meeting.history())
    await chair.send(world.meeting, "#topic 5")
    await delegate.send(world.meeting, "Ghana introduced CWG-COP-19/2.")
    await chair.send(world.meeting, "#agreed to welcome CWG-COP-19/2 and include it in the report to Council")
    await chair.send(world.meeting, "#action Ghana: share the survey data with the secretariat")
    await delegate.send(world.meeting, "[off] going for coffee")
    await chair.slash(world.meeting, "meeting end", meeting=19)

    r = await chair.slash(world.general, "minutes export", meeting=19, format="md")
    files = [a for m in [r.response, *r.followups] if m is not None for a in m.attachments]
    minutes = (await files[0].read()).decode()
    assert "to welcome CWG-COP-19/2 and include it in the report to Council" in minutes
    assert "share the survey data with the secretariat" in minutes
    assert "CWG-COP-19/2" in minutes
    assert "going for coffee" not in minutes

    r = await chair.slash(world.general, "log export", meeting=19, format="txt")
    files = [a for m in [r.response, *r.followups] if m is not None for a in m.attachments]
    transcript = (await files[0].read()).decode()
    assert "Ghana introduced CWG-COP-19/2." in transcript
    assert "going for coffee" not in transcript

    # A delegate cannot read the record.
    r = await delegate.slash(world.general, "log export", meeting=19, format="txt")
    assert r.ephemeral and "organisers" in texts(r)
