"""/meeting through the real bot (simcord), read as the chair and the delegates read it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest
from icalendar import Calendar

from storage.guild_settings import GuildSettingsRepo
from storage.meetings import MeetingsRepo
from storage.timeutil import utcnow

GENEVA = ZoneInfo("Europe/Zurich")


def future_day(days: int = 40) -> date:
    return (utcnow() + timedelta(days=days)).astimezone(GENEVA).date()


def geneva_instant(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=GENEVA).astimezone(UTC)


async def create(world, number: int = 19, day: date | None = None, member=None, **extra):
    day = day or future_day()
    options = {"number": number, "start": f"{day.isoformat()} 10:00", "end": "17:30", **extra}
    return await (member or world.chair).slash(world.general, "meeting create", **options)


async def snapshot(db) -> dict[str, list[tuple]]:
    out = {}
    for table in ("meetings", "agenda_items", "agenda_posts", "agenda_revisions", "meta"):
        rows = await db.fetchall(f"SELECT * FROM {table} ORDER BY rowid")
        out[table] = [tuple(r) for r in rows if table != "meta" or not str(r[0]).startswith("commands_hash")]
    return out


def events(world) -> dict:
    return world.env.backend.get_guild(world.guild.id).scheduled_events


def bot_role(world):
    guild = world.env.backend.get_guild(world.guild.id)
    return next(r for r in guild.roles.values() if r.managed)


async def set_bot_permission(world, name: str, value: bool) -> None:
    role = bot_role(world)
    perms = discord.Permissions(role.permissions)
    setattr(perms, name, value)
    world.env.backend.edit_role(world.guild.id, role.id, {"permissions": perms.value})
    await world.env.settle()


def capture(world, event: str) -> list[tuple]:
    seen: list[tuple] = []

    async def listener(*args):
        seen.append(args)

    world.bot.add_listener(listener, f"on_{event}")
    return seen


async def ics_of(world, number: int, member=None):
    r = await (member or world.delegate).slash(world.general, "meeting ics", meeting=number)
    assert r.ephemeral
    (attachment,) = r.response.attachments
    assert attachment.filename == f"cwg-cop-{number}.ics"
    (event,) = Calendar.from_ical(await attachment.read()).walk("VEVENT")
    return event


# -- creating -----------------------------------------------------------------------------------


async def test_chair_creates_a_meeting_that_everyone_can_read(world):
    created = capture(world, "meeting_created")
    day = future_day()
    r = await create(world, venue="ITU headquarters, Geneva", link="https://itu.zoom.us/j/123")
    assert r.ephemeral
    assert "The 19th meeting is scheduled" in r.response.content
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    assert meeting.starts_at == geneva_instant(day, 10)
    assert meeting.ends_at == geneva_instant(day, 17, 30)
    assert (meeting.title, meeting.timezone, meeting.channel_id) == (
        "19th meeting of the CWG-COP",
        "Europe/Zurich",
        world.meeting.id,
    )
    assert [args[0].id for args in created] == [meeting.id]

    # A delegate lists the meetings and sees each reader's local time plus Geneva time, ITU style.
    unix = int(meeting.starts_at.timestamp())
    listing = await world.delegate.slash(world.general, "meeting list")
    assert listing.ephemeral
    text = listing.response.embeds[0].description
    assert f"<t:{unix}:F> (<t:{unix}:R>)" in text
    assert f"{day.day} {day:%B %Y}, 10.00-17.30 hours Geneva time" in text

    shown = await world.delegate.slash(world.general, "meeting show", meeting=19)
    card = shown.response.embeds[0]
    assert card.title == "19th meeting of the CWG-COP"
    assert f"<t:{unix}:F>" in card.description and f"<t:{unix}:R>" in card.description
    assert "ITU headquarters, Geneva" in card.description
    assert "https://itu.zoom.us/j/123" in card.description
    assert f"<#{world.meeting.id}>" in card.description

    # Mirrored as a Discord scheduled event: external, located at the venue and link.
    (event,) = events(world).values()
    assert event.id == meeting.event_id
    assert event.entity_type == 3
    assert event.name == "19th meeting of the CWG-COP"
    assert event.entity_metadata["location"] == "ITU headquarters, Geneva · https://itu.zoom.us/j/123"
    assert datetime.fromisoformat(event.scheduled_start_time) == meeting.starts_at
    assert datetime.fromisoformat(event.scheduled_end_time) == meeting.ends_at


async def test_itu_times_other_zones_end_dates_and_titles(world):
    await GuildSettingsRepo(world.bot.db).update(world.guild.id, group_code="CWG-X")
    day = future_day(50)
    r = await world.secretary.slash(
        world.general,
        "meeting create",
        number=21,
        start=f"{day.isoformat()} 08.00",
        end=f"{(day + timedelta(days=1)).isoformat()} 12.00",
        timezone="America/New_York",
        channel=world.reminders,
    )
    assert "scheduled" in r.response.content
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 21)
    ny = ZoneInfo("America/New_York")
    assert meeting.starts_at == datetime(day.year, day.month, day.day, 8, tzinfo=ny).astimezone(UTC)
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=28)
    assert meeting.title == "21st meeting of the CWG-X"
    assert meeting.channel_id == world.reminders.id
    card = r.response.embeds[0].description
    assert "hours Geneva time" in card and "hours New York time" in card


BAD_CREATES = [
    ({"start": "2027-03-28 02:30", "end": "04:00"}, "does not exist in Europe/Zurich"),
    ({"start": "2027-10-31 02:30", "end": "05:00"}, "happens twice"),
    ({"end": "09:00"}, "must be after the start"),
    ({"end": "10:00"}, "must be after the start"),
    ({"start": "2020-01-10 10:00"}, "in the past"),
    ({"timezone": "Europe/Genevaa"}, "not a time zone"),
    ({"link": "javascript:alert(1)"}, "not a web link"),
    ({"link": "ftp://itu.int/x"}, "not a web link"),
    ({"link": "itu.zoom.us/j/1"}, "not a web link"),
    ({"start": "26.01.2027 10:00"}, "not a date"),
    ({"end": "half past five"}, "is not a date and time"),
    ({"title": "x" * 101}, "keep it to 100"),
]


@pytest.mark.parametrize(("override", "message"), BAD_CREATES)
async def test_bad_inputs_are_refused_and_nothing_is_stored(world, override, message):
    await create(world, number=18)
    before = await snapshot(world.bot.db)
    events_before = dict(events(world))
    r = await create(world, number=19, **override)
    assert r.ephemeral
    assert message in r.response.content
    assert await snapshot(world.bot.db) == before
    assert events(world) == events_before


async def test_a_number_already_used_is_refused(world):
    await create(world, number=19)
    before = await snapshot(world.bot.db)
    r = await create(world, number=19, day=future_day(80))
    assert "There is already a 19th meeting" in r.response.content
    assert await snapshot(world.bot.db) == before
    assert len(events(world)) == 1


@pytest.mark.parametrize("who", ["delegate", "outsider"])
async def test_non_organisers_cannot_create_edit_or_cancel(world, who):
    await create(world, number=19)
    before = await snapshot(world.bot.db)
    member = getattr(world, who)
    for name, options in (
        ("meeting create", {"number": 20, "start": f"{future_day(60)} 10:00", "end": "12:00"}),
        ("meeting edit", {"meeting": 19, "title": "Hijacked"}),
        ("meeting cancel", {"meeting": 19}),
    ):
        r = await member.slash(world.general, name, **options)
        assert r.ephemeral
        assert "for the meeting organisers" in r.response.content
    assert await snapshot(world.bot.db) == before
    # ...while anyone may read.
    assert (await member.slash(world.general, "meeting show", meeting=19)).response.embeds


# -- editing ------------------------------------------------------------------------------------


async def test_edit_moves_the_meeting_everywhere_and_bumps_the_calendar_sequence(world):
    await create(world, venue="Geneva")
    repo = MeetingsRepo(world.bot.db)
    before = await repo.by_number(world.guild.id, 19)
    first_ics = await ics_of(world, 19)
    changed = capture(world, "meeting_changed")

    new_day = future_day(45)
    r = await world.chair.slash(world.general, "meeting edit", meeting=19, start=f"{new_day} 14.00", venue="-")
    assert "Saved." in r.response.content
    after = await repo.by_number(world.guild.id, 19)
    assert after.starts_at == geneva_instant(new_day, 14)
    assert after.ends_at - after.starts_at == before.ends_at - before.starts_at  # the length is kept
    assert after.venue is None
    assert after.sequence == before.sequence + 1
    assert f"Start: <t:{int(before.starts_at.timestamp())}:F> → <t:{int(after.starts_at.timestamp())}:F>" in (
        r.response.content
    )
    assert "Venue: Geneva → (none)" in r.response.content
    ((old, new),) = changed
    assert (old.starts_at, new.starts_at) == (before.starts_at, after.starts_at)

    (event,) = events(world).values()
    assert datetime.fromisoformat(event.scheduled_start_time) == after.starts_at
    assert event.entity_metadata["location"] == "Online"

    second_ics = await ics_of(world, 19)
    assert str(first_ics["uid"]) == str(second_ics["uid"]) == f"meeting-{after.id}@{world.guild.id}.cwgcop"
    assert second_ics.decoded("sequence") == first_ics.decoded("sequence") + 1
    assert second_ics.decoded("dtstart") == after.starts_at
    assert second_ics.decoded("dtend") == after.ends_at


async def test_edit_refusals_store_nothing(world):
    await create(world, number=19)
    await create(world, number=20, day=future_day(90))
    before = await snapshot(world.bot.db)
    for options, message in (
        ({}, "Nothing to change"),
        ({"title": "19th meeting of the CWG-COP"}, "Nothing to change"),
        ({"number": 20}, "There is already a 20th meeting"),
        ({"end": "08:00"}, "must be after the start"),
        ({"start": "2020-05-05 10:00"}, "in the past"),
        ({"timezone": "Asia/Manila"}, "give the start"),
        ({"link": "www.itu.int"}, "not a web link"),
        ({"reinstate": True}, "not cancelled"),
    ):
        r = await world.chair.slash(world.general, "meeting edit", meeting=19, **options)
        assert message in r.response.content, options
    r = await world.chair.slash(world.general, "meeting edit", meeting=33, title="x")
    assert "no 33rd meeting" in r.response.content
    assert await snapshot(world.bot.db) == before


async def test_a_new_number_brings_a_new_default_title(world):
    await create(world, number=19)
    r = await world.chair.slash(world.general, "meeting edit", meeting=19, number=20)
    assert "Number: 19 → 20" in r.response.content
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 20)
    assert meeting.title == "20th meeting of the CWG-COP"
    (event,) = events(world).values()
    assert event.name == "20th meeting of the CWG-COP"


async def test_the_number_cannot_change_once_documents_carry_it(world):
    await create(world, number=19)
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    now = utcnow().isoformat()
    await world.bot.db.execute(
        "INSERT INTO contributions (meeting_id, kind, seq, title, source, submitter_id, received_at, updated_at) "
        "VALUES (?, 'contribution', 1, 'A paper', 'Ghana', 1, ?, ?)",
        (meeting.id, now, now),
    )
    r = await world.chair.slash(world.general, "meeting edit", meeting=19, number=20)
    assert "already has 1 registered document" in r.response.content
    assert (await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)) is not None


# -- cancelling ---------------------------------------------------------------------------------


async def test_cancel_is_announced_mirrored_and_shown(world):
    await create(world)
    cancelled = capture(world, "meeting_cancelled")
    r = await world.chair.slash(world.general, "meeting cancel", meeting=19, reason="No quorum expected")
    assert "is cancelled" in r.response.content
    assert f"<#{world.agenda.id}>" in r.response.content and f"<#{world.meeting.id}>" in r.response.content
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "No quorum expected")
    assert [args[0].id for args in cancelled] == [meeting.id]

    # What participants see: an announcement in the agenda and meeting channels.
    for channel in (world.agenda, world.meeting):
        notice = channel.last_message
        assert "**19th meeting of the CWG-COP** has been cancelled." in notice.content
        assert "Reason: No quorum expected" in notice.content
    (event,) = events(world).values()
    assert event.status == 4  # CANCELLED
    shown = await world.delegate.slash(world.general, "meeting show", meeting=19)
    assert shown.response.embeds[0].title.endswith("(cancelled)")
    listing = await world.delegate.slash(world.general, "meeting list")
    assert "~~**19.** 19th meeting of the CWG-COP~~ (cancelled)" in listing.response.embeds[0].description

    ics = await ics_of(world, 19)
    assert str(ics["status"]) == "CANCELLED"
    assert ics.decoded("sequence") == 1

    before = await snapshot(world.bot.db)
    again = await world.chair.slash(world.general, "meeting cancel", meeting=19)
    assert "already cancelled" in again.response.content
    edit = await world.chair.slash(world.general, "meeting edit", meeting=19, title="x")
    assert "reinstate:True" in edit.response.content
    assert await snapshot(world.bot.db) == before


async def test_a_cancelled_meeting_can_be_reinstated(world):
    await create(world)
    await world.chair.slash(world.general, "meeting cancel", meeting=19)
    day = future_day(70)
    r = await world.chair.slash(world.general, "meeting edit", meeting=19, reinstate=True, start=f"{day} 10:00")
    assert "Status: cancelled → scheduled" in r.response.content
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    assert meeting.status == "scheduled" and meeting.cancel_reason is None
    statuses = sorted(e.status for e in events(world).values())
    assert statuses == [1, 4]  # the old event stays cancelled; a new one mirrors the meeting
    assert events(world)[meeting.event_id].status == 1


# -- the scheduled event when Discord says no ----------------------------------------------------


async def test_without_create_events_the_meeting_works_and_the_organiser_is_told_once(world):
    await set_bot_permission(world, "manage_events", False)
    await set_bot_permission(world, "create_events", False)
    first = await create(world, number=19)
    assert "scheduled" in first.response.content
    assert "lack the **Create Events** permission" in first.response.content
    assert "Fix: Server Settings → Roles → **TestBot** → allow **Create Events**." in first.response.content
    second = await create(world, number=20, day=future_day(60))
    assert "scheduled" in second.response.content
    assert "Create Events" not in second.response.content
    assert events(world) == {}
    repo = MeetingsRepo(world.bot.db)
    assert (await repo.by_number(world.guild.id, 19)).event_id is None

    # Create Events alone is enough (today's Discord): the next change creates the event, moves it, and a
    # later loss is told again.
    await set_bot_permission(world, "create_events", True)
    await world.chair.slash(world.general, "meeting edit", meeting=19, venue="Geneva")
    event_id = (await repo.by_number(world.guild.id, 19)).event_id
    assert event_id in events(world)
    await world.chair.slash(world.general, "meeting edit", meeting=19, venue="ITU, Geneva")
    assert events(world)[event_id].entity_metadata["location"] == "ITU, Geneva"
    await set_bot_permission(world, "create_events", False)
    third = await world.chair.slash(world.general, "meeting edit", meeting=19, venue="Online")
    assert "Create Events" in third.response.content


async def test_a_refusal_by_discord_does_not_lose_the_meeting(world, harness):
    world.env.inject_error("POST", "/guilds/*/scheduled-events", status=500, message="Internal Server Error")
    r = await create(world)
    assert "scheduled" in r.response.content
    assert "Discord refused" in r.response.content
    meeting = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    assert meeting.event_id is None and events(world) == {}

    # A Forbidden answer counts as a missing permission.
    world.env.inject_error("POST", "/guilds/*/scheduled-events", status=403, code=50013, message="Missing Permissions")
    r = await create(world, number=20, day=future_day(60))
    assert "Create Events" in r.response.content

    # After a restart the database is the truth: the missing events are created.
    await harness.restart()
    await world.env.settle()
    repo = MeetingsRepo(world.bot.db)
    ids = {(await repo.by_number(world.guild.id, n)).event_id for n in (19, 20)}
    assert ids == set(events(world)) and None not in ids


# -- choosing a meeting -------------------------------------------------------------------------


async def test_autocomplete_lists_meetings_upcoming_first(world):
    await create(world, number=20, day=future_day(90))
    await create(world, number=19, day=future_day(30))
    choices = await world.delegate.autocomplete(world.general, "meeting show", "meeting", "")
    assert [c["value"] for c in choices] == [19, 20]
    assert choices[0]["name"].startswith("19th meeting · ")
    choices = await world.delegate.autocomplete(world.general, "meeting ics", "meeting", "20th")
    assert [c["value"] for c in choices] == [20]
