"""The real bot sends reminders through the simulated Discord, with real (short) delays.

APScheduler runs on real time: the reminders that must fire here are due about a second ahead
(guild offsets of one minute, meetings opening a minute and a second from now). Notices due days
ahead (deadlines) are reached by telling the cog it is later than it is and running its sweep.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
from test_reminders_helpers import (  # noqa: F401 (no_job_errors is an autouse fixture)
    announce,
    cancel_meeting,
    change_settings,
    contents,
    create_meeting,
    edit_meeting,
    insert_agenda_post,
    ledger,
    new_meeting,
    no_job_errors,
    sweep,
    travel,
)

from cogs.core.timefmt import calendar_days_before, discord_ts
from cogs.reminders._cog import RemindMeButton
from storage.guild_settings import GuildSettingsRepo
from storage.reminders import RemindersRepo
from storage.timeutil import utcnow

SOON = timedelta(seconds=61.5)  # with a 1-minute offset: due in about a second and a half


def dms(member) -> list[str]:
    return contents(member.user.dm_channel)


def job_ids(bot) -> set[str]:
    return {job.id for job in bot.scheduler.get_jobs() if job.id.startswith("reminders:")}


# ---------------------------------------------------------------------------------------------
# Channel reminders, "starting now", deadline notices


async def test_channel_reminder_mentions_the_participant_role_once_with_everything_needed(world, simcord_env, db):
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1m")
    meeting = await new_meeting(
        world,
        starts_in=SOON,
        title="19th meeting of the CWG-COP @everyone",
        venue="ITU HQ, Geneva, Popov room",
        link="https://itu.zoom.us/j/123",
    )
    await insert_agenda_post(db, meeting.id, world.agenda.id, 1234567890)
    await announce(world, meeting)  # the reminder is due in about a second; settle waits for it

    (message,) = world.reminders.history()
    assert [r.id for r in message.role_mentions] == [world.participant_role.id]
    assert not message.mention_everyone  # a title can never ping everyone
    assert message.mentions == []
    text = message.content
    assert f"<@&{world.participant_role.id}>" in text
    assert "19th meeting of the CWG-COP" in text
    assert discord_ts(meeting.starts_at, "F") in text and discord_ts(meeting.starts_at, "R") in text
    assert "hours Geneva time" in text
    assert "ITU HQ, Geneva, Popov room" in text and "https://itu.zoom.us/j/123" in text
    assert f"https://discord.com/channels/{world.guild.id}/{world.agenda.id}/1234567890" in text
    assert "sent late" not in text
    assert ("channel", 60, f"channel:{world.reminders.id}", "sent", 0, None) in await ledger(db, meeting.id)

    await sweep(simcord_env)  # a second chance to fire changes nothing: it was delivered
    assert len(world.reminders.history()) == 1


async def test_starting_now_is_posted_in_the_meeting_channel_at_the_opening(world, simcord_env, db):
    meeting = await create_meeting(world, starts_in=timedelta(seconds=1))
    # The meeting channel also gets the chat-record notice (capture); exactly one "starting now".
    (message,) = [m for m in world.meeting.history() if "is starting now" in m.content]
    assert meeting.title in message.content
    assert message.role_mentions == [] and not message.mention_everyone
    assert world.reminders.history() == []  # the default offsets (7d ... 10m) had all passed: none created


async def test_deadline_notices_go_out_3_days_before_and_on_the_day(world, simcord_env, db, monkeypatch):
    meeting = await create_meeting(world, starts_in=timedelta(days=30))
    deadline = calendar_days_before(meeting.starts_at, 12, meeting.timezone)

    travel(monkeypatch, (deadline - timedelta(days=3) - utcnow()) + timedelta(seconds=5))
    await sweep(simcord_env)
    (three_days,) = world.reminders.history()
    assert [r.id for r in three_days.role_mentions] == [world.participant_role.id]
    assert "Contributions to the **19th meeting of the CWG-COP** are due <t:" in three_days.content
    assert discord_ts(deadline, "F") in three_days.content and "Geneva time" in three_days.content
    assert "sent late" not in three_days.content

    day_notice = next(r for r in await RemindersRepo(db).ledger(meeting.id) if r.key == ("deadline", 0))
    travel(monkeypatch, (day_notice.due_at - utcnow()) + timedelta(seconds=5))
    await sweep(simcord_env)
    assert len(world.reminders.history()) == 2
    assert "Last day for contributions" in world.reminders.last_message.content


# ---------------------------------------------------------------------------------------------
# Personal reminders


async def test_remind_me_sends_a_direct_message(world, simcord_env, db):
    meeting = await create_meeting(world, starts_in=SOON)
    r = await world.delegate.slash(world.general, "remind me", meeting="19", offsets="1m")
    assert r.ephemeral
    assert "I will send you a direct message before the **19th meeting of the CWG-COP**" in r.response.content
    assert "1 minute before" in r.response.content
    await simcord_env.settle()
    (dm,) = dms(world.delegate)
    assert dm.startswith("⏰ Your reminder: **19th meeting of the CWG-COP**")
    assert "You asked for this reminder in **CWG-COP**" in dm and "`/remind stop`" in dm
    assert dms(world.delegate2) == []
    personal = [row for row in await ledger(db, meeting.id) if row[0] == "personal"]
    assert personal == [("personal", 60, f"user:{world.delegate.id}", "sent", 0, None)]


async def test_closed_dms_are_recorded_and_the_member_is_mentioned_once_instead(world, simcord_env, db):
    simcord_env.inject_error(
        "POST",
        f"/channels/{world.delegate.user.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
        times=None,
    )
    repo = RemindersRepo(db)
    await repo.set_subscription(world.guild.id, world.delegate.id, None, "1m")
    await repo.set_subscription(world.guild.id, world.delegate2.id, None, "1m")
    meeting = await create_meeting(world, starts_in=SOON)

    assert dms(world.delegate) == []
    assert len(dms(world.delegate2)) == 1
    (fallback,) = world.reminders.history()
    assert [u.id for u in fallback.mentions] == [world.delegate.id]
    assert fallback.role_mentions == [] and not fallback.mention_everyone
    assert "could not send it by direct message" in fallback.content
    rows = {row[2]: row[3:] for row in await ledger(db, meeting.id) if row[0] == "personal"}
    assert rows[f"user:{world.delegate.id}"] == ("failed", 0, "dm_closed_mentioned")
    assert rows[f"user:{world.delegate2.id}"] == ("sent", 0, None)

    status = await world.chair.slash(world.general, "remind status", meeting=19)
    assert "1 sent, 1 failed (DMs closed, mentioned in the channel instead)" in status.response.content


async def test_remind_me_refuses_bad_input_and_stores_nothing(world, simcord_env, db):
    meeting = await create_meeting(world, starts_in=timedelta(days=30))
    bad = await world.delegate.slash(world.general, "remind me", meeting="19", offsets="2x")
    assert bad.ephemeral and "`2x` is not a reminder offset" in bad.response.content
    far = await world.delegate.slash(world.general, "remind me", meeting="19", offsets="9w")
    assert "out of range" in far.response.content
    unknown = await world.delegate.slash(world.general, "remind me", meeting="23")
    assert "There is no 23rd meeting" in unknown.response.content
    word = await world.delegate.slash(world.general, "remind me", meeting="soon")
    assert "`soon` is not a meeting" in word.response.content
    await cancel_meeting(world, meeting)
    cancelled = await world.delegate.slash(world.general, "remind me", meeting="19")
    assert "was cancelled" in cancelled.response.content
    soon = await create_meeting(world, starts_in=timedelta(minutes=30), number=20)
    passed = await world.delegate.slash(world.general, "remind me", meeting="20", offsets="1d,1h")
    assert "have passed, so nothing was set" in passed.response.content
    assert await db.fetchval("SELECT COUNT(*) FROM reminder_subscriptions") == 0
    assert not [row for row in await ledger(db, soon.id) if row[0] == "personal"]


async def test_remind_all_stop_one_and_list(world, simcord_env, db):
    first = await create_meeting(world, starts_in=timedelta(days=30))
    second = await create_meeting(world, starts_in=timedelta(days=60), number=20)
    me = await world.delegate.slash(world.general, "remind me", meeting="all", offsets="1d")
    assert "before every meeting of this server" in me.response.content and "2 upcoming meetings" in me.response.content
    user = f"user:{world.delegate.id}"
    for meeting in (first, second):
        assert ("personal", 86400, user, "pending", 0, None) in await ledger(db, meeting.id)

    stop = await world.delegate.slash(world.general, "remind stop", meeting="19")
    assert "No more direct messages for the **19th meeting" in stop.response.content
    assert ("personal", 86400, user, "cancelled", 0, "not_wanted") in await ledger(db, first.id)
    assert ("personal", 86400, user, "pending", 0, None) in await ledger(db, second.id)

    listed = await world.delegate.slash(world.general, "remind list")
    assert listed.ephemeral
    assert "Every meeting: 1 day before" in listed.response.content
    assert "19th meeting of the CWG-COP: none (you turned them off)" in listed.response.content
    assert "20th meeting of the CWG-COP, 1 day before" in listed.response.content

    again = await world.delegate.slash(world.general, "remind stop", meeting="19")
    assert "there is nothing to stop" in again.response.content
    everything = await world.delegate.slash(world.general, "remind stop", meeting="all")
    assert "no more direct-message reminders" in everything.response.content
    assert ("personal", 86400, user, "cancelled", 0, "not_wanted") in await ledger(db, second.id)
    assert await db.fetchval("SELECT COUNT(*) FROM reminder_subscriptions") == 0


async def test_meeting_autocomplete_offers_all_and_the_meetings(world, simcord_env):
    await create_meeting(world, starts_in=timedelta(days=30))
    choices = await world.delegate.autocomplete(world.general, "remind me", "meeting", "")
    assert [c["value"] for c in choices] == ["all", "19"]
    assert await world.delegate.autocomplete(world.general, "remind stop", "meeting", "19") == [
        {"name": choices[1]["name"], "value": "19"}
    ]


async def test_the_remind_me_button_toggles_and_works_after_a_restart(world, simcord_env, db, harness):
    meeting = await create_meeting(world, starts_in=timedelta(days=30))
    view = discord.ui.View(timeout=None)
    view.add_item(RemindMeButton(meeting.id))
    await world.bot.get_channel(world.agenda.id).send("Agenda of the 19th meeting", view=view)
    post = world.agenda.last_message

    on = await world.delegate.click(post, label="Remind me")
    assert on.ephemeral and "I will send you a direct message" in on.response.content
    assert "1 day before" in on.response.content and "1 hour before" in on.response.content
    sub = await RemindersRepo(db).subscription(world.guild.id, world.delegate.id, meeting.id)
    assert sub is not None and sub.offsets == "1d,1h"

    await harness.restart()
    off = await world.delegate.click(post, label="Remind me")
    assert off.ephemeral and "No more direct messages" in off.response.content
    assert await RemindersRepo(world.bot.db).subscription(world.guild.id, world.delegate.id, meeting.id) is None
    user = f"user:{world.delegate.id}"
    assert {row[3] for row in await ledger(world.bot.db, meeting.id) if row[2] == user} == {"cancelled"}


async def test_the_button_after_remind_all_opts_out_and_back_in(world, simcord_env, db):
    meeting = await create_meeting(world, starts_in=timedelta(days=30))
    await world.delegate.slash(world.general, "remind me", meeting="all", offsets="2h")
    view = discord.ui.View(timeout=None)
    view.add_item(RemindMeButton(meeting.id))
    await world.bot.get_channel(world.agenda.id).send("Agenda", view=view)
    post = world.agenda.last_message
    off = await world.delegate.click(post, label="Remind me")
    assert "No more direct messages" in off.response.content
    assert (await RemindersRepo(db).subscription(world.guild.id, world.delegate.id, meeting.id)).opted_out
    on = await world.delegate.click(post, label="Remind me")
    assert "2 hours before" in on.response.content
    assert await RemindersRepo(db).subscription(world.guild.id, world.delegate.id, meeting.id) is None
    user = f"user:{world.delegate.id}"
    assert [row[3] for row in await ledger(db, meeting.id) if row[2] == user] == ["pending"]


# ---------------------------------------------------------------------------------------------
# Following the meeting


async def test_reminders_follow_a_move_and_a_cancellation_and_jobs_follow_the_rows(world, simcord_env, db):
    meeting = await create_meeting(world, starts_in=timedelta(hours=3))
    repo = RemindersRepo(db)
    by_key = {r.key: r for r in await repo.ledger(meeting.id)}
    assert set(by_key) == {("channel", 3600), ("channel", 600), ("start", 0)}  # 7d and 1d were past already
    # Jobs only for what is due within the next hours: all three here.
    assert job_ids(world.bot) == {f"reminders:{r.id}" for r in by_key.values()}

    moved = await edit_meeting(
        world, meeting, starts_at=meeting.starts_at + timedelta(days=2), ends_at=meeting.ends_at + timedelta(days=2)
    )
    after = {r.key: r for r in await repo.ledger(meeting.id)}
    assert after[("channel", 3600)].due_at == moved.starts_at - timedelta(hours=1)
    assert after[("channel", 86400)].due_at == moved.starts_at - timedelta(days=1)  # now ahead: added
    assert job_ids(world.bot) == set()  # nothing due within the horizon any more: the sweep adds them later

    back = await edit_meeting(world, moved, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    assert len(job_ids(world.bot)) == 3
    states = {(row[0], row[1]): (row[3], row[5]) for row in await ledger(db, meeting.id)}
    assert states[("channel", 86400)] == ("skipped", "moved_past")  # its time passed when moved back
    await cancel_meeting(world, back)
    states = {(row[0], row[1]): (row[3], row[5]) for row in await ledger(db, meeting.id)}
    assert states == {
        ("channel", 86400): ("skipped", "moved_past"),
        ("channel", 3600): ("cancelled", "meeting_cancelled"),
        ("channel", 600): ("cancelled", "meeting_cancelled"),
        ("start", 0): ("cancelled", "meeting_cancelled"),
    }
    assert job_ids(world.bot) == set()
    assert world.reminders.history() == [] and world.meeting.history() == []


async def test_a_meeting_moved_so_close_that_a_reminder_has_passed_skips_it(world, simcord_env, db):
    meeting = await create_meeting(world, starts_in=timedelta(days=30))
    soon = utcnow() + timedelta(minutes=30)
    await edit_meeting(world, meeting, starts_at=soon, ends_at=soon + timedelta(hours=3))
    states = {(row[0], row[1]): (row[3], row[5]) for row in await ledger(db, meeting.id)}
    assert states[("channel", 86400)] == ("skipped", "moved_past")
    assert states[("channel", 3600)] == ("skipped", "moved_past")
    assert states[("channel", 600)] == ("pending", None)
    assert world.reminders.history() == []  # not sent late for the old time


async def test_changing_the_guild_offsets_reschedules_upcoming_meetings(world, simcord_env, db):
    meeting = await create_meeting(world, starts_in=timedelta(days=30))
    await change_settings(world, reminder_offsets="2d,30m")
    got = {(row[0], row[1]): row[3] for row in await ledger(db, meeting.id) if row[0] == "channel"}
    assert got == {
        ("channel", 604800): "cancelled",
        ("channel", 172800): "pending",
        ("channel", 86400): "cancelled",
        ("channel", 3600): "cancelled",
        ("channel", 1800): "pending",
        ("channel", 600): "cancelled",
    }


async def test_a_week_before_a_meeting_after_the_dst_change_is_168_hours(world, simcord_env, db):
    geneva = ZoneInfo("Europe/Zurich")
    await GuildSettingsRepo(db).update(world.guild.id, reminder_offsets="1w,1d")
    await RemindersRepo(db).set_subscription(world.guild.id, world.delegate.id, None, "1w")
    for number, local in ((19, datetime(2027, 3, 29, 10, 0)), (20, datetime(2027, 11, 1, 10, 0))):
        start = local.replace(tzinfo=geneva).astimezone(UTC)
        meeting = await create_meeting(world, at=start, number=number)
        due = {r.key: r.due_at for r in await RemindersRepo(db).ledger(meeting.id)}
        assert start - due[("channel", 604800)] == timedelta(hours=168)
        assert start - due[("personal", 604800)] == timedelta(hours=168)
        assert start - due[("channel", 86400)] == timedelta(hours=24)
        # The wall clock in Geneva moved by an hour between the reminder and the opening.
        assert due[("channel", 604800)].astimezone(geneva).hour == (9 if number == 19 else 11)


async def test_status_is_for_organisers(world, simcord_env, db):
    await create_meeting(world, starts_in=timedelta(days=30))
    refused = await world.delegate.slash(world.general, "remind status", meeting=19)
    assert refused.ephemeral and "for the meeting organisers" in refused.response.content
    r = await world.chair.slash(world.general, "remind status", meeting=19)
    assert r.ephemeral
    text = r.response.content
    assert text.startswith("**Reminders for the 19th meeting of the CWG-COP**")
    assert "Channel, 1 week before" in text and "Deadline notice, 3 days before the deadline" in text
    assert "Deadline notice, on the deadline day" in text and "“Starting now” post" in text
    assert "Total: 7 pending" in text


async def test_remind_list_is_not_crowded_out_by_reminders_in_other_servers(world, simcord_env, db):
    """Issue 11, defect 9: the LIMIT applied across all servers, then the guild filter left nothing."""
    from storage.timeutil import to_db
    from tests.factories import stored_meeting

    now = utcnow()
    for n in range(1, 13):  # twelve reminders due sooner, for the same member, in another server
        other = await stored_meeting(db, guild_id=world.guild.id + 1, number=n, starts_at=now + timedelta(days=n + 1))
        async with db.transaction() as tx:
            reminder = await tx.execute(
                "INSERT INTO reminders (meeting_id, kind, offset_seconds, due_at, created_at) "
                "VALUES (?, 'personal', 86400, ?, ?)",
                (other.id, to_db(other.starts_at - timedelta(days=1)), to_db(now)),
            )
            await tx.execute(
                "INSERT INTO reminder_deliveries (reminder_id, recipient, updated_at) VALUES (?, ?, ?)",
                (reminder, f"user:{world.delegate.id}", to_db(now)),
            )
    await create_meeting(world, starts_in=timedelta(days=30))
    await world.delegate.slash(world.general, "remind me", meeting="19", offsets="1d")
    listed = await world.delegate.slash(world.general, "remind list")
    assert "19th meeting of the CWG-COP, 1 day before" in listed.response.content
    assert "1st meeting" not in listed.response.content  # nothing from the other server
