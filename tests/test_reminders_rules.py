"""The pure rules: offsets, due times (DST included), following a meeting, and when to send."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import factories
import pytest

from cogs.core.errors import UserError
from cogs.core.timefmt import parse_offsets
from cogs.reminders import _rules
from cogs.reminders._rules import Decision, decide, plan_meeting, wanted_reminders
from storage.guild_settings import GuildSettings
from storage.meetings import Meeting
from storage.reminders import Delivery, Reminder, Subscription

GENEVA = ZoneInfo("Europe/Zurich")
NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
SETTINGS = GuildSettings(guild_id=1, reminders_channel_id=500, meeting_channel_id=600, participant_role_id=700)


def geneva(*args: int) -> datetime:
    return datetime(*args, tzinfo=GENEVA).astimezone(UTC)


def meeting(start: datetime, **changes) -> Meeting:
    """Meeting 10 (the id the subscriptions below name), opening at ``start``, 7½ hours long."""
    return factories.meeting(id=10, starts_at=start, **changes)


def sub(user_id: int, offsets: str, meeting_id: int | None = None) -> Subscription:
    return Subscription(id=user_id, guild_id=1, user_id=user_id, meeting_id=meeting_id, offsets=offsets, created_at=NOW)


def existing(m: Meeting, settings=SETTINGS, subs=(), now=NOW, states: dict | None = None) -> list[Reminder]:
    """The rows a first reconcile would have written, with delivery states overridden by key."""
    changes = plan_meeting(m, settings, subs, [], now)
    out, next_id = [], 1
    for i, new in enumerate(changes.new_reminders, start=1):
        deliveries = []
        for recipient in new.recipients:
            state = (states or {}).get((new.kind, new.offset_seconds, recipient), "pending")
            deliveries.append(Delivery(next_id, i, recipient, state, False, None, now))
            next_id += 1
        out.append(Reminder(i, m.id, new.kind, new.offset_seconds, new.due_at, tuple(deliveries)))
    return out


# ---------------------------------------------------------------------------------------------
# Offsets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", (timedelta(minutes=30),)),
        ("2h", (timedelta(hours=2),)),
        ("1d12h", (timedelta(days=1, hours=12),)),
        ("1w", (timedelta(weeks=1),)),
        (" 1h, 1d ,10m", (timedelta(days=1), timedelta(hours=1), timedelta(minutes=10))),
        ("1h,60m", (timedelta(hours=1),)),
    ],
)
def test_offsets_are_read_longest_first_without_repeats(text, expected):
    assert parse_offsets(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2x", "not a reminder offset"),
        ("tomorrow", "not a reminder offset"),
        ("1h30", "not a reminder offset"),
        ("-1h", "not a reminder offset"),
        ("0m", "out of range"),
        ("9w", "out of range"),
        ("", "at least one offset"),
        ("1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,11m", "At most 10"),
    ],
)
def test_bad_offsets_are_refused_with_a_clear_message(text, words):
    with pytest.raises(UserError, match=words):
        parse_offsets(text)


def test_unreadable_stored_offsets_are_ignored_not_fatal():
    assert _rules.offsets_or_empty("1d,banana") == ()
    assert _rules.offsets_or_empty("") == ()
    assert _rules.offsets_or_empty("1d,1h") == (timedelta(days=1), timedelta(hours=1))


# ---------------------------------------------------------------------------------------------
# What a meeting should have


def test_a_meeting_gets_channel_deadline_and_start_notices():
    m = meeting(geneva(2027, 1, 26, 10, 0), channel_id=601)
    wanted = wanted_reminders(m, SETTINGS, [])
    assert sorted(wanted) == [
        ("channel", 600),
        ("channel", 3600),
        ("channel", 86400),
        ("channel", 604800),
        ("deadline", 0),
        ("deadline", 259200),
        ("start", 0),
    ]
    assert wanted[("channel", 86400)].due_at == m.starts_at - timedelta(days=1)
    assert wanted[("channel", 86400)].recipients == {"channel:500"}
    assert wanted[("start", 0)].due_at == m.starts_at
    assert wanted[("start", 0)].recipients == {"channel:601"}  # the meeting's own channel wins
    deadline = m.starts_at - timedelta(days=12)
    assert wanted[("deadline", 259200)].due_at == deadline - timedelta(days=3)
    # The deadline is 14 Jan 10.00 Geneva: the day notice goes out at 09.00 that morning.
    assert wanted[("deadline", 0)].due_at == geneva(2027, 1, 14, 9, 0)


def test_without_a_reminders_channel_only_the_start_post_and_personal_reminders_remain():
    settings = replace(SETTINGS, reminders_channel_id=None)
    wanted = wanted_reminders(meeting(NOW + timedelta(days=30)), settings, [sub(5, "1h")])
    assert sorted(wanted) == [("personal", 3600), ("start", 0)]


def test_no_deadline_notices_when_the_deadline_is_the_opening():
    wanted = wanted_reminders(meeting(NOW + timedelta(days=30)), replace(SETTINGS, contribution_deadline_days=0), [])
    assert not [k for k in wanted if k[0] == "deadline"]


def test_a_cancelled_meeting_wants_nothing():
    assert wanted_reminders(meeting(NOW + timedelta(days=30), status="cancelled"), SETTINGS, [sub(5, "1h")]) == {}


def test_personal_offsets_a_meeting_subscription_wins_over_every_meeting():
    subs = [
        sub(5, "1d,1h"),  # every meeting
        sub(6, "1d"),
        sub(6, "30m", meeting_id=10),  # ... but 30 minutes for this one
        sub(7, "1d"),
        sub(7, "", meeting_id=10),  # ... and not this one
        sub(8, "2h", meeting_id=11),  # another meeting
    ]
    wanted = wanted_reminders(meeting(NOW + timedelta(days=30)), SETTINGS, subs)
    personal = {k: w.recipients for k, w in wanted.items() if k[0] == "personal"}
    assert personal == {
        ("personal", 86400): {"user:5"},
        ("personal", 3600): {"user:5"},
        ("personal", 1800): {"user:6"},
    }
    assert _rules.is_subscribed(10, subs[2:3])
    assert not _rules.is_subscribed(10, subs[3:5])


# ---------------------------------------------------------------------------------------------
# Due times: UTC arithmetic from the meeting's instant, across DST


@pytest.mark.parametrize(
    ("start", "local_hour_7d_before"),
    [
        # Monday after the last Sunday of March 2027: CEST now, CET a week before.
        (geneva(2027, 3, 29, 10, 0), 9),
        # Monday after the last Sunday of October 2027: CET now, CEST a week before.
        (geneva(2027, 11, 1, 10, 0), 11),
    ],
)
def test_seven_days_before_is_exactly_168_hours_across_dst(start, local_hour_7d_before):
    wanted = wanted_reminders(meeting(start), SETTINGS, [sub(5, "1w,1d")])
    for kind in ("channel", "personal"):
        due = wanted[(kind, 7 * 86400)].due_at
        assert start - due == timedelta(hours=168)
        assert due.astimezone(GENEVA).hour == local_hour_7d_before  # the wall clock moved, the interval did not
    assert start.astimezone(GENEVA).hour == 10


def test_one_day_before_a_meeting_the_day_after_the_change_is_24_hours():
    start = geneva(2027, 3, 29, 10, 0)  # Sunday 28 March 2027 has only 23 hours in Geneva
    due = wanted_reminders(meeting(start), SETTINGS, [])[("channel", 86400)].due_at
    assert start - due == timedelta(hours=24)
    assert due.astimezone(GENEVA) == datetime(2027, 3, 28, 10, 0, tzinfo=GENEVA)


def test_deadline_day_notice_is_the_morning_or_one_hour_before():
    assert _rules.deadline_day_notice(geneva(2027, 1, 14, 10, 0), "Europe/Zurich") == geneva(2027, 1, 14, 9, 0)
    assert _rules.deadline_day_notice(geneva(2027, 1, 14, 16, 0), "Europe/Zurich") == geneva(2027, 1, 14, 9, 0)
    assert _rules.deadline_day_notice(geneva(2027, 1, 14, 8, 30), "Europe/Zurich") == geneva(2027, 1, 14, 7, 30)


# ---------------------------------------------------------------------------------------------
# Following the meeting


def test_a_new_meeting_gets_only_the_notices_still_ahead():
    m = meeting(NOW + timedelta(days=3))  # 7d and the 3-days-before-deadline notice are already past
    changes = plan_meeting(m, SETTINGS, [sub(5, "1w,1h")], [], NOW)
    keys = sorted((n.kind, n.offset_seconds) for n in changes.new_reminders)
    assert keys == [("channel", 600), ("channel", 3600), ("channel", 86400), ("personal", 3600), ("start", 0)]


def test_reconciling_twice_changes_nothing():
    m = meeting(NOW + timedelta(days=30))
    subs = [sub(5, "1d")]
    assert not plan_meeting(m, SETTINGS, subs, existing(m, subs=subs), NOW)


def test_a_moved_meeting_moves_every_pending_reminder():
    m = meeting(NOW + timedelta(days=30))
    rows = existing(m, subs=[sub(5, "1d")], states={("channel", 604800, "channel:500"): "sent"})
    later = replace(m, starts_at=m.starts_at + timedelta(days=7), ends_at=m.ends_at + timedelta(days=7))
    changes = plan_meeting(later, SETTINGS, [sub(5, "1d")], rows, NOW)
    assert len(changes.moves) == len(rows)
    assert dict(changes.moves)[rows[0].id] == rows[0].due_at + timedelta(days=7)
    assert not changes.states and not changes.new_deliveries and not changes.new_reminders  # the sent one stays sent


def test_a_reminder_whose_new_time_has_passed_is_skipped_not_sent_late():
    m = meeting(NOW + timedelta(days=30))
    rows = existing(m, subs=[sub(5, "1w")])
    sooner = replace(m, starts_at=NOW + timedelta(days=2), ends_at=NOW + timedelta(days=2, hours=3))
    changes = plan_meeting(sooner, SETTINGS, [sub(5, "1w")], rows, NOW)
    skipped = {did for did, state, detail in changes.states if state == "skipped" and detail == _rules.MOVED_PAST}
    week = {d.id for r in rows if r.offset_seconds == 604800 for d in r.deliveries}
    deadline = {d.id for r in rows if r.kind == "deadline" for d in r.deliveries}
    assert skipped == week | deadline
    # Moved back later, they were never sent: they are pending again.
    again = plan_meeting(m, SETTINGS, [sub(5, "1w")], _with_states(rows, dict.fromkeys(skipped, "skipped")), NOW)
    assert {did for did, state, _ in again.states if state == "pending"} == skipped


def test_cancelling_cancels_pending_deliveries_and_leaves_the_ledger():
    m = meeting(NOW + timedelta(days=30))
    rows = existing(m, subs=[sub(5, "1d")], states={("channel", 604800, "channel:500"): "sent"})
    changes = plan_meeting(replace(m, status="cancelled"), SETTINGS, [sub(5, "1d")], rows, NOW)
    pending = {d.id for r in rows for d in r.deliveries if d.state == "pending"}
    assert {did for did, state, detail in changes.states if (state, detail) == ("cancelled", "meeting_cancelled")} == (
        pending
    )
    assert not changes.moves and not changes.new_reminders and not changes.new_deliveries


def test_a_new_reminders_channel_takes_over_pending_notices_but_never_repeats_a_sent_one():
    m = meeting(NOW + timedelta(days=30))
    rows = existing(m, states={("channel", 604800, "channel:500"): "sent"})
    changes = plan_meeting(m, replace(SETTINGS, reminders_channel_id=501), [], rows, NOW)
    retargeted = dict(changes.retargets)
    sent_id = next(d.id for r in rows if r.offset_seconds == 604800 and r.kind == "channel" for d in r.deliveries)
    assert sent_id not in retargeted
    assert set(retargeted.values()) == {"channel:501"}
    assert len(retargeted) == 5  # channel 1d, 1h, 10m and both deadline notices
    assert not changes.new_deliveries


def test_unsubscribing_cancels_and_resubscribing_rearms():
    m = meeting(NOW + timedelta(days=30))
    rows = existing(m, subs=[sub(5, "1d"), sub(6, "1d")])
    gone = plan_meeting(m, SETTINGS, [sub(6, "1d")], rows, NOW)
    (did,) = [d.id for r in rows for d in r.deliveries if d.recipient == "user:5"]
    assert gone.states == [(did, "cancelled", "not_wanted")]
    back = plan_meeting(m, SETTINGS, [sub(5, "1d"), sub(6, "1d")], _with_states(rows, {did: "cancelled"}), NOW)
    assert back.states == [(did, "pending", None)]
    assert not back.new_deliveries


def test_offsets_removed_from_the_settings_are_cancelled_and_new_ones_added():
    m = meeting(NOW + timedelta(days=30))
    rows = existing(m)
    changes = plan_meeting(m, replace(SETTINGS, reminder_offsets="2d,1h"), [], rows, NOW)
    cancelled = {did for did, state, _ in changes.states if state == "cancelled"}
    by_id = {d.id: r.offset_seconds for r in rows for d in r.deliveries if r.kind == "channel"}
    assert sorted(by_id[d] for d in cancelled) == [600, 86400, 604800]
    assert [(n.kind, n.offset_seconds) for n in changes.new_reminders] == [("channel", 172800)]


def test_attempted_deliveries_are_never_touched():
    m = meeting(NOW + timedelta(days=30))
    states = {("personal", 86400, "user:5"): "sending", ("personal", 86400, "user:6"): "failed"}
    rows = existing(m, subs=[sub(5, "1d"), sub(6, "1d")], states=states)
    for target in (replace(m, status="cancelled"), replace(m, starts_at=NOW + timedelta(hours=2))):
        changes = plan_meeting(target, SETTINGS, [], rows, NOW)
        touched = {did for did, *_ in changes.states} | {did for did, _ in changes.retargets}
        attempted = {d.id for r in rows for d in r.deliveries if d.state in ("sending", "failed")}
        assert not touched & attempted


def _with_states(rows: list[Reminder], states: dict[int, str]) -> list[Reminder]:
    return [
        replace(r, deliveries=tuple(replace(d, state=states.get(d.id, d.state)) for d in r.deliveries)) for r in rows
    ]


# ---------------------------------------------------------------------------------------------
# When the job runs


def _reminder(kind: str, due: datetime, offset: int = 3600) -> Reminder:
    return Reminder(1, 10, kind, offset, due)


def test_decide_on_time_late_too_late_cancelled_and_early():
    m = meeting(NOW + timedelta(hours=1))
    due = m.starts_at - timedelta(hours=1)
    assert decide(_reminder("channel", due), m, SETTINGS, due + timedelta(seconds=2)) == Decision("send")
    assert decide(_reminder("channel", due), m, SETTINGS, due + timedelta(minutes=30)) == Decision("send", late=True)
    assert decide(_reminder("channel", due), m, SETTINGS, m.starts_at) == Decision("skip", "meeting_started")
    assert decide(_reminder("channel", due), replace(m, status="cancelled"), SETTINGS, due).action == "cancel"
    assert decide(_reminder("channel", due), None, None, due).action == "cancel"
    assert decide(_reminder("channel", due), m, SETTINGS, due - timedelta(minutes=5)).action == "wait"


def test_starting_now_has_a_short_grace_and_deadline_notices_stop_at_the_deadline():
    m = meeting(NOW + timedelta(days=20))
    start = _reminder("start", m.starts_at, 0)
    assert decide(start, m, SETTINGS, m.starts_at + timedelta(minutes=10)) == Decision("send", late=True)
    assert decide(start, m, SETTINGS, m.starts_at + timedelta(minutes=16)).action == "skip"
    deadline = m.starts_at - timedelta(days=12)
    notice = _reminder("deadline", deadline - timedelta(days=3), 259200)
    assert decide(notice, m, SETTINGS, deadline - timedelta(hours=1)) == Decision("send", late=True)
    assert decide(notice, m, SETTINGS, deadline) == Decision("skip", "deadline_passed")


def test_split_by_time():
    start = NOW + timedelta(hours=3)
    ahead, passed = _rules.split_by_time(start, parse_offsets("1d,1h,10m"), NOW)
    assert ahead == [timedelta(hours=1), timedelta(minutes=10)]
    assert passed == [timedelta(days=1)]


def test_recipients_round_trip():
    assert _rules.parse_recipient(_rules.user_recipient(42)) == ("user", 42)
    assert _rules.parse_recipient(_rules.channel_recipient(7)) == ("channel", 7)
    with pytest.raises(ValueError):
        _rules.parse_recipient("role:1")
