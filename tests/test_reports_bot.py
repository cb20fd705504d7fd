"""/report through the real bot: every figure and outcome line checked against the stored rows."""

from __future__ import annotations

import re
import threading

import pytest
from test_reports_support import (
    FORGOTTEN_NAME,
    GENEVA,
    YOUTH_NICK,
    YOUTH_USERNAME,
    answer,
    attachments,
    build_history,
    final,
    local_day,
    make_meeting,
    md_escape,
    png_size,
    sql_busiest,
    sql_chat,
    sql_documents,
    sql_participant_ids,
    sql_purged_chat,
    sql_topics,
)

from cogs.reports import _chart
from storage.meetings import MeetingsRepo

SOURCE_LABELS = {
    "member_state": "Member States",
    "sector_member": "Sector Members",
    "organisation": "International organisations",
    "youth": "Youth",
    "secretariat": "Secretariat",
    "other": "Other or not given",
}
EM = "\u2003"


def people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def no_youth_name(text: str) -> None:
    for name in (YOUTH_NICK, YOUTH_USERNAME):
        assert name.lower() not in text.lower(), f"the youth participant's name {name!r} appears"


async def test_the_meeting_report_matches_the_database(world, db, simcord_env) -> None:
    h = await build_history(world, db, simcord_env)
    result = await world.chair.slash(world.general, "report meeting", meeting=19)
    assert result.ephemeral
    files = await attachments(result)
    assert list(files) == ["cwg-cop-19-report.md"]
    md = files["cwg-cop-19-report.md"].decode()
    embed = final(result).embeds[0]
    embed_text = "\n".join([embed.title, embed.description, *(f"{f.name}\n{f.value}" for f in embed.fields)])
    assert embed.title == "Report on the 19th meeting of the CWG-COP"
    assert len(embed) <= 6000 and all(len(f.value) <= 1024 for f in embed.fields)

    # Documents, recomputed.
    d = await sql_documents(db, h.m19.id)
    assert (d["contributions"], d["information"], d["late"], d["withdrawn"], d["not_accepted"]) == (6, 2, 2, 1, 1)
    documents = (
        f"{d['contributions']} contributions and {d['information']} information documents "
        f"({d['contributions'] + d['information']} documents in total). {d['late']} were received after the deadline "
        f"({d['late_accepted']} accepted by the chair, {d['late_awaiting']} awaiting the chair's decision). "
        f"Not counted: {d['withdrawn']} withdrawn and {d['not_accepted']} not accepted by the chair."
    )
    assert f"1.2{EM}Documents: {documents}" in md
    assert f"**Documents** {documents}" in embed.description
    for source_type, (contributions, information) in d["by_type"].items():
        assert f"| {SOURCE_LABELS[source_type]} | {contributions} | {information} |" in md
    assert f"| **Total** | **{d['contributions']}** | **{d['information']}** |" in md

    # Participants and messages, recomputed.
    c = await sql_chat(db, h.m19.id)
    assert (c["present"], c["youth"], c["deleted"], c["removed"]) == (5, 1, 1, 2)
    participants = (
        f"{people(c['present'])} took part in the meeting chat: {c['in_channel']} in the meeting channel and "
        f"{c['present'] - c['in_channel']} only in threads, including {c['youth']} youth participant "
        "(counted, never named)."
    )
    assert f"1.3{EM}Participants: {participants}" in md
    assert f"**Participants** {participants}" in embed.description
    peaks = [(when, n) for when, n in await sql_busiest(db, h.m19.id) if n >= 3]  # a busy minute has 3 or more
    busiest = "; ".join(f"{when} ({n} messages)" for when, n in peaks)
    chat = (
        f"{c['messages']} messages ({c['in_threads']} of them in threads). Not counted: {c['deleted']} deleted and "
        f"{c['removed']} removed at a member's request. Busiest minutes (3 messages or more): {busiest}."
    )
    assert f"1.4{EM}Chat activity: {chat}" in md
    assert f"**Chat** {chat}" in embed.description

    # Messages by agenda item, recomputed from the #topic lines.
    topics = await sql_topics(db, h.m19.id)
    assert [label for label, _ in topics] == [
        "Before the first #topic",
        "1 Opening",
        "5 Consideration of contributions",
        "Any other business",
    ]
    assert sum(n for _, n in topics) == c["messages"]
    for label, n in topics:
        assert f"| {label} | {n} |" in md
        assert f"{label}: **{n}**" in embed_text
    assert f"| **Total** | **{c['messages']}** |" in md

    # Outcomes: the #agreed and #action lines, the undone one left out, the youth participant never named.
    assert "2.1\u2003The main results of the nineteenth meeting, held on" in md
    for text in h.agreed19:
        shown = text.replace(YOUTH_NICK.upper(), "Participant 1")
        assert f"- {md_escape(shown)}" in md
        assert f"• {shown}" in embed_text
    assert "wrong outcome" not in md
    assert "- Participant 1: summarise the youth consultation" in md
    assert "- Participant 1: present the results at the next meeting" in md
    assert "- Secretariat: circulate the revised guidelines" in md
    results = md.split("## II. Main results")[1].split("### Notes on the figures")[0]
    assert results.count("\n- ") == len(h.agreed19) + len(h.actions19)
    assert "\\<script\\>alert(1)\\</script\\>" in md and "<script>" not in md

    # Dates, chair, and privacy.
    assert "1.1\u2003The nineteenth meeting of the Council Working Group on Child Online Protection (CWG-COP)" in md
    assert ", 10.00-17.30 hours Geneva time (CE" in md and "chaired by Ms Chair." in md
    for text in (md, embed_text):
        no_youth_name(text)
        assert FORGOTTEN_NAME not in text


async def test_the_period_report_matches_the_database(world, db, simcord_env, monkeypatch) -> None:
    h = await build_history(world, db, simcord_env)
    drawn_in: list[threading.Thread] = []
    draw = _chart.draw

    def spy(data):
        drawn_in.append(threading.current_thread())
        return draw(data)

    monkeypatch.setattr(_chart, "draw", spy)
    result = await world.chair.slash(
        world.general, "report period", **{"from": h.first.isoformat(), "to": h.last.isoformat()}
    )
    assert result.ephemeral
    stem = f"cwg-cop-report-{h.first.isoformat()}-to-{h.last.isoformat()}"
    files = await attachments(result)
    assert sorted(files) == [f"{stem}.html", f"{stem}.md", f"{stem}.png"]
    md, html, png = files[f"{stem}.md"].decode(), files[f"{stem}.html"].decode(), files[f"{stem}.png"]
    embed = final(result).embeds[0]
    assert embed.image.url.endswith(f"{stem}.png")  # the chart shows in the embed

    # The chart was drawn off the event loop, after the interaction was deferred.
    assert drawn_in and drawn_in[0] is not threading.main_thread()
    callbacks = [e for e in world.env.http_requests if "/callback" in e.path and e.method == "POST"]
    assert callbacks[-1].json["type"] == 5  # deferred first ("thinking")

    # Which meetings: the 18th, 19th and 21st; the 20th cancelled and said so; the 30th outside.
    assert "the nineteenth (" in md and "the twenty-first (" in md and "the eighteenth (" in md
    assert "thirtieth" not in md and "Far away" not in md
    assert "The twentieth meeting (planned for" in md and "was cancelled; it is not counted." in md

    # The growth table, row by row, from plain SQL.
    rows = {}
    for m in (h.m18, h.m19, h.m21):
        d = await sql_documents(db, m.id)
        if m is h.m18:
            c = None
        elif m is h.m21:
            c = await sql_purged_chat(db, m.id)
        else:
            c = await sql_chat(db, m.id)
        rows[m.number] = (d, c)
    d18, _ = rows[18]
    d19, c19 = rows[19]
    d21, c21 = rows[21]
    assert (
        f"| 18th | {_short(h.m18)} | {d18['contributions']} | {d18['information']} | not recorded | not recorded |"
        in md
    )
    assert (
        f"| 19th | {_short(h.m19)} | {d19['contributions']} (+{d19['contributions'] - d18['contributions']}) | "
        f"{d19['information']} | {c19['present']} | {c19['messages']} |"
    ) in md
    assert (
        f"| 21st | {_short(h.m21)} | {d21['contributions']} (+{d21['contributions'] - d19['contributions']}) | "
        f"{d21['information']} | {c21['present']} (−{c19['present'] - c21['present']}) | "
        f"{c21['messages']} (−{c19['messages'] - c21['messages']}) |"
    ) in md
    everyone = await sql_participant_ids(db, [h.m18.id, h.m19.id, h.m21.id])
    total_contributions = sum(rows[n][0]["contributions"] for n in rows)
    total_messages = c19["messages"] + c21["messages"]
    assert (
        f"| **Total** |  | **{total_contributions}** | **{sum(rows[n][0]['information'] for n in rows)}** | "
        f"**{len(everyone)} different** | **{total_messages}** |"
    ) in md
    assert f"{len(everyone)} different people took part in the meeting chats (including 1 youth participant" in md
    assert f"writing {total_messages} messages; the chat was recorded at 2 of the 3 meetings." in md
    assert f"The twenty-first meeting had the largest number of contributions ({d21['contributions']} in total)." in md
    assert f"The nineteenth meeting had the largest number of participants ({c19['present']})." in md

    # Main results of each meeting, in the Chair's report style.
    assert "2.1\u2003The chat of the eighteenth meeting of the Council Working Group" in md
    assert "2.2\u2003The main results of the nineteenth meeting, held on" in md
    assert "- Action item for Participant 1: summarise the youth consultation" in md
    assert "2.3\u2003The main results of the twenty-first meeting, held on" in md
    assert "- Outcome of the 21st meeting" in md and "- Action item for Chair: write the report" in md
    purged_on = "The raw chat log was purged on"
    assert purged_on in md and "no longer available" in md

    # The chart: a real PNG of a sensible size.
    width, height = png_size(png)
    assert 600 <= width <= 2000 and 300 <= height <= 1000
    assert 5_000 <= len(png) <= 500_000
    assert f"![Contributions and chat participants per meeting]({stem}.png)" in md

    # The HTML page: self-contained, user text escaped, the chart embedded.
    assert html.startswith("<!DOCTYPE html>")
    outside = [u for u in re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html) if not u.startswith(("data:", "#"))]
    assert [u for u in outside if not u.startswith("https://discord.com/")] == []
    assert "<link" not in html and "<script" not in html and "@import" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<svg") == 1 and "Contributions and chat participants per meeting" in html
    assert f"{len(everyone)} different" in html

    for text in (md, html, embed.description, embed.title):
        no_youth_name(text)
        assert FORGOTTEN_NAME not in text

    # The purged meeting's own report: figures from the minutes kept.
    result = await world.secretary.slash(world.general, "report meeting", meeting=21)
    md21 = (await attachments(result))["cwg-cop-21-report.md"].decode()
    assert f"{people(c21['present'])} took part in the meeting chat, including 1 youth participant" in md21
    assert f"1.4{EM}Chat activity: {c21['messages']} messages. The raw chat log was purged on" in md21
    assert "Chair:** the Chair role (no name was recorded for this meeting)" in md21


def _short(meeting) -> str:
    from zoneinfo import ZoneInfo

    local = meeting.starts_at.astimezone(ZoneInfo("Europe/Zurich"))
    return f"{local.day} {local:%b %Y}"


async def test_reports_are_for_organisers(world, db) -> None:
    await make_meeting(world, 19, local_day(30))
    for command, options in (
        ("report meeting", {"meeting": 19}),
        ("report period", {"from": "2026-01-01", "to": "2030-12-31"}),
    ):
        refused = await world.delegate.slash(world.general, command, **options)
        assert refused.ephemeral and "for the meeting organisers" in answer(refused)
        assert not final(refused).attachments and not final(refused).embeds
    allowed = await world.admin.slash(world.general, "report meeting", meeting=19)  # Manage Server
    md = (await attachments(allowed))["cwg-cop-19-report.md"].decode()
    assert "1.3\u2003Participants: The meeting chat was not recorded, so there are no participation" in md
    assert "2.1\u2003The chat of the nineteenth meeting, held on" in md and "was not recorded" in md
    assert "1.4" not in md  # no chat figures for a chat that was not recorded
    # Council-facing text: no "bot", no "database" (house style), in the report nor in its summary.
    assert re.search(r"\b(?:bot|bot's|database)\b", md, re.IGNORECASE) is None, md
    assert "was not recorded, so no results were noted from it." in md


async def test_a_period_without_meetings_says_so_and_draws_nothing(world, db) -> None:
    cancelled = await make_meeting(world, 19, local_day(30))
    await MeetingsRepo(db).update(cancelled.id, status="cancelled", cancel_reason="No quorum")
    await make_meeting(world, 20, local_day(400))
    first, last = local_day(1), local_day(60)
    result = await world.chair.slash(
        world.general, "report period", **{"from": first.isoformat(), "to": last.isoformat()}
    )
    message = final(result)
    assert result.ephemeral and message.attachments == []
    text = message.embeds[0].description
    assert text.startswith("No meetings of the CWG-COP took place from ")
    assert "nothing to report and no chart to draw" in text
    assert "The nineteenth meeting (planned for" in text and "was cancelled" in text


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2027-03-01", "2027-01-01", "starts after it ends"),
        ("2027-13-01", "2027-12-31", "is not a date"),
        ("1 Jan 2027", "2027-12-31", "YYYY-MM-DD"),
        ("2001-01-01", "2027-12-31", "longer than ten years"),
        ("1999-01-01", "2000-01-02", "out of range"),
    ],
)
async def test_a_period_that_makes_no_sense_is_refused_clearly(world, first, last, expected) -> None:
    result = await world.chair.slash(world.general, "report period", **{"from": first, "to": last})
    assert result.ephemeral and expected in answer(result)
    assert not final(result).attachments


async def test_a_cancelled_meeting_has_nothing_to_report(world, db) -> None:
    meeting = await make_meeting(world, 20, local_day(30))
    await MeetingsRepo(db).update(meeting.id, status="cancelled", cancel_reason="No quorum")
    result = await world.chair.slash(world.general, "report meeting", meeting=20)
    assert "was cancelled (No quorum): there is nothing to report" in answer(result)
    assert not final(result).attachments


async def test_a_report_during_the_recording_gives_the_figures_so_far(world, db) -> None:
    meeting = await make_meeting(world, 19, local_day(30))
    r = await world.chair.slash(world.meeting, "meeting start", meeting=19)
    assert "Recording the" in answer(r)
    await world.delegate.send(world.meeting, "Good morning")
    await world.chair.send(world.meeting, "#agreed to start on time")
    await world.chair.send(world.meeting, f"#action <@{world.outsider.id}> send the list")  # never spoke
    result = await world.chair.slash(world.general, "report meeting", meeting=19)
    embed = final(result).embeds[0]
    assert "still being recorded: the chat figures are those so far" in embed.description
    live = await db.fetchval(
        "SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND is_notice = 0 AND deleted_at IS NULL", (meeting.id,)
    )
    assert f"**Chat** {live} messages." in embed.description
    assert embed.fields[0].name == "Main results (agreed)" and embed.fields[0].value == "• to start on time"
    assert embed.fields[1].value == "• outsider: send the list"  # looked up: the member list is not cached
    assert "No #topic markers were used" in (await attachments(result))["cwg-cop-19-report.md"].decode()


async def test_dates_are_suggested_from_the_meetings(world, db) -> None:
    meeting = await make_meeting(world, 19, local_day(30))
    choices = await world.chair.autocomplete(world.general, "report period", "from", "")
    values = [c["value"] for c in choices]
    assert values[0] == local_day(0).isoformat()
    assert meeting.starts_at.astimezone(GENEVA).date().isoformat() in values
    typed = await world.chair.autocomplete(world.general, "report period", "to", "meeting 19")
    assert [c["name"] for c in typed] == [f"{local_day(30).isoformat()} · meeting 19"]
