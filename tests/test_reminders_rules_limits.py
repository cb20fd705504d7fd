"""The reminder rules at their limits: a reconcile of several reminders at once (a channel change
included), deliveries revived in the right channel, exact boundaries of "due", "late" and "ahead",
the Geneva contribution deadline for a meeting held elsewhere, and the constants as stated rules.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import factories
import pytest

from cogs.contributions._rules import deadline_for
from cogs.reminders import _rules
from cogs.reminders._rules import Decision, decide, plan_meeting, wanted_reminders
from storage.guild_settings import GuildSettings
from storage.reminders import Delivery, NewReminder, Reminder, Subscription

GENEVA = ZoneInfo("Europe/Zurich")
NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
SETTINGS = GuildSettings(guild_id=1, reminders_channel_id=500, meeting_channel_id=600, participant_role_id=700)
DAY, HOUR = 86400, 3600


def meeting(start: datetime, **changes):
    return factories.meeting(id=10, starts_at=start, **changes)


def sub(user_id: int, offsets: str) -> Subscription:
    return Subscription(id=user_id, guild_id=1, user_id=user_id, meeting_id=None, offsets=offsets, created_at=NOW)


def delivery(did: int, rid: int, recipient: str, state: str = "pending") -> Delivery:
    return Delivery(did, rid, recipient, state, False, None, NOW)


# -- the deadline: Geneva calendar days, also for reminders (issue 11, defect 10) -------------------


def test_deadline_notices_use_the_geneva_deadline_for_a_meeting_held_in_new_york():
    # 30 March 2027, 10.00 EDT; on 18 March Geneva is still on CET while New York is on EDT.
    m = meeting(datetime(2027, 3, 30, 14, 0, tzinfo=UTC), timezone="America/New_York")
    assert _rules.contribution_deadline(m, 12) == datetime(2027, 3, 18, 15, 0, tzinfo=UTC)
    assert _rules.contribution_deadline(m, 12) == deadline_for(m, 12)


def test_a_one_day_contribution_deadline_still_gets_its_notices():
    m = meeting(NOW + timedelta(days=30))
    wanted = wanted_reminders(m, replace(SETTINGS, contribution_deadline_days=1), [])
    assert sorted(k for k in wanted if k[0] == "deadline") == [("deadline", 0), ("deadline", 3 * DAY)]
    assert wanted[("deadline", 3 * DAY)].due_at == m.starts_at - timedelta(days=4)


def test_the_deadline_day_morning_is_09_00_in_the_meetings_zone_not_the_machines(machine_in_chatham):
    # 14 January 2027 16.00 CET: already 15 January in Chatham; the notice is 09.00 CET on the 14th.
    deadline = datetime(2027, 1, 14, 15, 0, tzinfo=UTC)
    notice = _rules.deadline_day_notice(deadline, "Europe/Zurich")
    assert notice == datetime(2027, 1, 14, 8, 0, tzinfo=UTC)
    assert notice.tzinfo is UTC


# -- reconciling several reminders at once -----------------------------------------------------------


def test_a_reconcile_of_several_reminders_keeps_every_change_including_a_channel_change():
    """The reminders channel moved from 500 to 501, the 1h offset was removed, and member 6 subscribed."""
    m = meeting(NOW + timedelta(days=30))
    start = m.starts_at
    rows = [
        # 1 day before: the post already failed once in 500, and a stray pending one is left: never a second.
        Reminder(
            1,
            10,
            "channel",
            DAY,
            start - timedelta(days=1),
            (delivery(11, 1, "channel:500", "failed"), delivery(12, 1, "channel:501")),
        ),
        # 1 hour before: no longer wanted.
        Reminder(2, 10, "channel", HOUR, start - timedelta(hours=1), (delivery(21, 2, "channel:500"),)),
        # 10 minutes before: pending in the old channel, plus a duplicate pending one.
        Reminder(
            3,
            10,
            "channel",
            600,
            start - timedelta(minutes=10),
            (delivery(31, 3, "channel:500"), delivery(32, 3, "channel:500")),
        ),
        # 7 days before: cancelled earlier (in the old channel), wanted again: revived in the new channel.
        Reminder(4, 10, "channel", 7 * DAY, start - timedelta(days=7), (delivery(41, 4, "channel:500", "cancelled"),)),
        # Personal 1 day and 1 hour: member 5 has them; member 6 just subscribed.
        Reminder(5, 10, "personal", DAY, start - timedelta(days=1), (delivery(51, 5, "user:5"),)),
        Reminder(6, 10, "personal", HOUR, start - timedelta(hours=1), (delivery(61, 6, "user:5"),)),
    ]
    settings = replace(SETTINGS, reminders_channel_id=501, reminder_offsets="7d,1d,10m", contribution_deadline_days=0)
    for order in (rows, rows[::-1]):  # whichever reminder comes last, every other one's changes are kept
        changes = plan_meeting(m, settings, [sub(5, "1d,1h"), sub(6, "1d,1h")], order, NOW)
        assert sorted(changes.states) == [
            (12, "cancelled", "not_wanted"),
            (21, "cancelled", "not_wanted"),
            (32, "cancelled", "not_wanted"),
            (41, "pending", None),
        ]
        assert sorted(changes.retargets) == [(31, "channel:501"), (41, "channel:501")]
        assert sorted(changes.new_deliveries) == [(5, "user:6"), (6, "user:6")]
        assert changes.moves == []
        assert changes.new_reminders == [NewReminder(10, "start", 0, start, ("channel:600",))]


def test_a_revived_notice_prefers_the_delivery_already_in_the_right_channel():
    m = meeting(NOW + timedelta(days=30))
    due = m.starts_at - timedelta(days=7)
    dormant = (delivery(1, 1, "channel:500", "skipped"), delivery(2, 1, "channel:501", "cancelled"))
    changes = _rules.plan(
        {("channel", 7 * DAY): _rules.Wanted("channel", 7 * DAY, due, frozenset({"channel:501"}))},
        m,
        [Reminder(1, 10, "channel", 7 * DAY, due, dormant)],
        NOW,
    )
    assert (changes.states, changes.retargets) == ([(2, "pending", None)], [])


def test_a_channel_notice_without_any_delivery_gets_one_while_ahead():
    m = meeting(NOW + timedelta(days=30))
    due = m.starts_at - timedelta(days=1)
    wanted = {("channel", DAY): _rules.Wanted("channel", DAY, due, frozenset({"channel:500"}))}
    changes = _rules.plan(wanted, m, [Reminder(7, 10, "channel", DAY, due)], NOW)
    assert changes.new_deliveries == [(7, "channel:500")]


def test_a_notice_due_exactly_now_is_not_created_and_a_moved_one_due_now_is_skipped():
    m = meeting(NOW + timedelta(days=1))  # the 1-day notice is due exactly now
    assert ("channel", DAY) not in [
        (n.kind, n.offset_seconds) for n in plan_meeting(m, SETTINGS, [], [], NOW).new_reminders
    ]
    moved = Reminder(1, 10, "channel", DAY, NOW + timedelta(hours=5), (delivery(1, 1, "channel:500"),))
    changes = plan_meeting(m, SETTINGS, [], [moved], NOW)
    assert (1, "skipped", "moved_past") in changes.states


def test_a_notice_no_longer_wanted_for_a_meeting_still_on_says_not_wanted():
    m = meeting(NOW + timedelta(days=30))
    gone = Reminder(1, 10, "channel", 2 * DAY, m.starts_at - timedelta(days=2), (delivery(1, 1, "channel:500"),))
    assert plan_meeting(m, SETTINGS, [], [gone], NOW).states == [(1, "cancelled", "not_wanted")]


# -- when a job runs ---------------------------------------------------------------------------------


def job(kind: str, due: datetime, offset: int = HOUR) -> Reminder:
    return Reminder(1, 10, kind, offset, due)


def test_a_reminder_without_its_meeting_or_settings_is_cancelled():
    m = meeting(NOW + timedelta(hours=2))
    due = m.starts_at - timedelta(hours=1)
    assert decide(job("channel", due), m, None, due) == Decision("cancel", "meeting_cancelled")
    assert decide(job("channel", due), None, SETTINGS, due) == Decision("cancel", "meeting_cancelled")


def test_a_job_up_to_one_second_early_sends_and_earlier_waits():
    m = meeting(NOW + timedelta(hours=2))
    due = m.starts_at - timedelta(hours=1)
    assert decide(job("channel", due), m, SETTINGS, due - timedelta(seconds=1)) == Decision("send")
    assert decide(job("channel", due), m, SETTINGS, due - timedelta(seconds=1.5)) == Decision("wait")
    assert decide(job("channel", due), m, SETTINGS, due) == Decision("send")


def test_a_reminder_is_late_only_more_than_one_minute_after_its_time():
    m = meeting(NOW + timedelta(hours=2))
    due = m.starts_at - timedelta(hours=1)
    assert decide(job("channel", due), m, SETTINGS, due + timedelta(minutes=1)) == Decision("send")
    assert decide(job("channel", due), m, SETTINGS, due + timedelta(minutes=1, seconds=1)) == Decision(
        "send", late=True
    )


def test_starting_now_is_posted_up_to_15_minutes_after_the_opening_and_then_skipped():
    m = meeting(NOW + timedelta(days=1))
    start = job("start", m.starts_at, 0)
    assert decide(start, m, SETTINGS, m.starts_at + timedelta(minutes=14, seconds=59)).action == "send"
    assert decide(start, m, SETTINGS, m.starts_at + timedelta(minutes=15)) == Decision("skip", "meeting_started")


def test_starting_now_of_a_meeting_shorter_than_15_minutes_stops_at_its_end():
    m = meeting(NOW + timedelta(days=1))
    short = replace(m, ends_at=m.starts_at + timedelta(minutes=5))
    assert decide(job("start", m.starts_at, 0), short, SETTINGS, short.ends_at) == Decision("skip", "meeting_started")


# -- the rest ----------------------------------------------------------------------------------------


def test_an_offset_whose_time_is_exactly_now_has_passed():
    start = NOW + timedelta(hours=1)
    assert _rules.split_by_time(start, [timedelta(hours=1), timedelta(minutes=30)], NOW) == (
        [timedelta(minutes=30)],
        [timedelta(hours=1)],
    )


def test_a_bad_recipient_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"^not a recipient: 'role:1'$"):
        _rules.parse_recipient("role:1")


def test_members_who_subscribe_get_a_day_and_an_hour_by_default():
    assert _rules.offsets_or_empty(_rules.DEFAULT_PERSONAL_OFFSETS) == (timedelta(days=1), timedelta(hours=1))


@pytest.mark.parametrize("state", ["sending", "sent", "failed"])
def test_a_notice_being_or_already_sent_is_never_sent_a_second_time(state):
    m = meeting(NOW + timedelta(days=30))
    due = m.starts_at - timedelta(days=1)
    rows = [Reminder(1, 10, "channel", DAY, due, (delivery(1, 1, "channel:500", state), delivery(2, 1, "channel:501")))]
    changes = plan_meeting(m, replace(SETTINGS, reminders_channel_id=501, contribution_deadline_days=0), [], rows, NOW)
    assert (changes.states, changes.retargets) == ([(2, "cancelled", "not_wanted")], [])
