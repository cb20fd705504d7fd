"""Defect 4 of issue 11: no count that members control makes a query fail or grow without bound.

2,000 ``#topic`` lines from 1,500 members and 1,500 documents, stored through the capture and
contributions repositories, then read back through the real commands (simcord).
"""

from __future__ import annotations

from datetime import timedelta

from test_reports_support import answer, attachments, final, local_day, make_meeting

from storage.capture import CaptureStore, NewLine
from storage.contributions import ContributionsRepo, NewContribution
from storage.timeutil import to_db

TOPICS = 2000
MEMBERS = 1500
DOCUMENTS = 1500


async def test_a_report_of_two_thousand_topics_and_fifteen_hundred_members(world, db) -> None:
    meeting = await make_meeting(world, 19, local_day(-2))
    lines = [
        NewLine(
            message_id=10_000 + n,
            meeting_id=meeting.id,
            recording_id=None,
            channel_id=world.meeting.id,
            thread_id=None,
            author_id=1_000_000 + n % MEMBERS,
            author_name=f"Member {n % MEMBERS}",
            content=f"#topic Topic number {n}" if n % 2 == 0 else f"a remark {n}",
            created_at=to_db(meeting.starts_at + timedelta(seconds=5 * n)),
            reply_to=None,
            attachments=None,
            is_notice=0,
            by_organiser=1,
        )
        for n in range(2 * TOPICS)
    ]
    await CaptureStore(db).apply(lines)
    contributions = ContributionsRepo(db)
    for n in range(DOCUMENTS):
        await contributions.register(
            NewContribution(
                meeting_id=meeting.id,
                kind="contribution",
                title=f"Document {n}",
                source=f"Source {n}",
                submitter_id=1_000_000 + n,
                received_at=meeting.starts_at - timedelta(days=30),
            )
        )

    result = await world.chair.slash(world.general, "report meeting", meeting=19)
    assert "could not" not in answer(result).lower() and "logged" not in answer(result).lower(), answer(result)
    embed = final(result).embeds[0]
    assert f"**Chat** {2 * TOPICS} messages" in embed.description
    md = (await attachments(result))["cwg-cop-19-report.md"].decode()
    assert "Topic number 3998" in md and f"{DOCUMENTS} contributions" in md

    # the picker finds a document far down the list (no LIMIT before the typed filter)
    picked = await world.outsider.autocomplete(world.general, "contribution show", "number", "19/1400")
    assert [c["value"] for c in picked] == ["CWG-COP-19/1400"]
    assert len(await world.outsider.autocomplete(world.general, "contribution show", "number", "")) == 25

    listed = await world.delegate.slash(world.general, "contribution list", meeting=19)
    assert listed.response.embeds and "CWG-COP-19/2" in listed.response.embeds[0].description
