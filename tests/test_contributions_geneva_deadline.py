"""Issue 11, defect 10: Council Decision 556 deadlines are Geneva calendar days, whatever the meeting's
zone. Through the real bot: a meeting held in New York gets its deadline stated in Geneva time, and
its document list dates each document by its Geneva date."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from test_contributions_support import ephemeral_answer, make_meeting

from cogs.core.timefmt import calendar_days_before, itu_time
from storage.timeutil import to_db


async def test_a_meeting_held_in_new_york_states_its_deadline_in_geneva_time(world, db):
    meeting = await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=30), timezone="America/New_York")
    r = await world.delegate.slash(world.general, "contribution register", title="Age assurance", source="Ghana")
    text = ephemeral_answer(r)
    deadline = calendar_days_before(meeting.starts_at, 12, "Europe/Zurich")
    assert f"<t:{int(deadline.timestamp())}:F>" in text
    assert itu_time(deadline) in text  # "..., 10.00 hours Geneva time (CET)"
    assert "New York time" not in text

    r = await world.delegate.slash(world.general, "contribution show", number="19/2")
    fields = {f.name: f.value for f in r.response.embeds[0].fields}
    assert itu_time(deadline) in fields["Deadline"]


async def test_the_document_list_dates_documents_by_their_geneva_date(world, db):
    await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=30), timezone="America/New_York")
    await world.delegate.slash(world.general, "contribution register", title="Age assurance", source="Ghana")
    # Received at 23.30 UTC on 1 January: 2 January in Geneva, still 1 January in New York.
    received = datetime(2027, 1, 1, 23, 30, tzinfo=UTC)
    await db.execute("UPDATE contributions SET received_at = ? WHERE seq = 2", (to_db(received),))
    for fmt, expected in (("csv", "2027-01-02"), ("md", "| 2 January 2027 |")):
        r = await world.outsider.slash(world.general, "contribution export", meeting=19, format=fmt)
        [exported] = r.response.attachments
        text = (await exported.read()).decode("utf-8-sig")
        if fmt == "csv":
            assert list(csv.reader(io.StringIO(text)))[1][4] == expected
        else:
            assert expected in text
