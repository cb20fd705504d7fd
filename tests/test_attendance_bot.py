"""Attendance by delegation through the real bot: a meeting where members with and without
delegations press "I am present", speak, or only listen; read back and recomputed from the database."""

from __future__ import annotations

from test_capture_support import answer, exported, make_meeting, start_recording
from test_reports_support import attachments

from storage.capture import CaptureStore


async def notice_of(world, db):
    (recording,) = await CaptureStore(db).open_recordings()
    return next(m for m in world.meeting.history() if m.id == recording.start_message_id)


async def delegations(db) -> set[tuple[int, str, str]]:
    return {(r["user_id"], r["name"], r["type"]) for r in await db.fetchall("SELECT * FROM delegations")}


async def independent_count(db, meeting_id: int) -> tuple[int, set[str]]:
    """People present and Member States among them, straight from the tables (not the feature's query)."""
    people = {
        r[0]
        for r in await db.fetchall(
            "SELECT user_id FROM attendance WHERE meeting_id = ? AND user_id IS NOT NULL "
            "UNION SELECT author_id FROM messages WHERE meeting_id = ? AND is_notice = 0 AND author_id != 0",
            (meeting_id, meeting_id),
        )
    }
    anonymous = await db.fetchval(
        "SELECT COUNT(*) FROM attendance WHERE meeting_id = ? AND user_id IS NULL", (meeting_id,)
    )
    states = set()
    for user in people:
        stated = await db.fetchone("SELECT name, type FROM delegations WHERE user_id = ?", (user,))
        if stated is not None and stated["type"] == "member_state":
            states.add(stated["name"])
    return len(people) + anonymous, states


async def test_a_meeting_counts_who_pressed_who_spoke_and_by_delegation(world, db, simcord_env) -> None:
    meeting = await make_meeting(world)
    unicef_role = world.guild.create_role("UNICEF")
    unicef = world.guild.add_member(simcord_env.create_user("unicef"), roles=[unicef_role, world.participant_role])
    youth = world.guild.add_member(simcord_env.create_user("youth"), roles=[world.participant_role])

    ghana = await world.delegate.slash(world.general, "delegation set", name="ghana", type="member_state")
    assert ghana.ephemeral and "**Ghana** (Member State)" in answer(ghana)
    brazil = await world.delegate2.slash(world.general, "delegation set", name="Brasil", type="member_state")
    assert "**Brazil** (Member State)" in answer(brazil)
    mapped = await world.chair.slash(
        world.general, "delegation role", role=unicef_role, name="UNICEF", type="organisation"
    )
    assert "now count for **UNICEF** (International organisation)" in answer(mapped)
    await youth.slash(world.general, "privacy youth on")

    for title, source, kind in (("Child safety", "ghana", "member_state"), ("Youth", "unicef", "organisation")):
        registered = await world.delegate.slash(
            world.contributions, "contribution register", meeting=19, title=title, source=source, source_type=kind
        )
        assert "Registered" in answer(registered), answer(registered)
    await start_recording(world)
    notice = await notice_of(world, db)
    pressed = await world.delegate.click(notice, label="I am present")
    assert pressed.ephemeral and "counted as present at the 19th meeting" in answer(pressed)
    assert "Your delegation: **Ghana** (Member State)" in answer(pressed)
    again = await world.delegate.click(notice, label="I am present")
    assert "already counted as present" in answer(again)
    via_role = await unicef.click(notice, label="I am present")
    assert "Your delegation: **UNICEF**" in answer(via_role)
    await youth.click(notice, label="I am present")
    await world.delegate2.send(world.meeting, "Brazil supports the proposal")  # speaks, never presses
    await world.secretary.send(world.meeting, "Noted")  # speaks, no delegation
    await youth.send(world.meeting, "Young people want a say")
    # world.outsider only listens: not counted (nothing tells the bot they are there)
    await simcord_env.settle()

    report = await world.chair.slash(world.general, "meeting attendance", meeting=19)
    text = answer(report)
    assert report.ephemeral
    assert "5 participants from 2 Member States and 1 international organisation" in text
    assert "(2 without a stated delegation)" in text
    assert "3 pressed “I am present”; 2 counted because they spoke" in text
    assert "Youth participants present: 1 (counted, never named)" in text
    assert "- Brazil (Member State): 1" in text and "- Ghana (Member State): 1" in text
    assert "- UNICEF (international organisation): 1" in text
    assert "secretary" in text  # an organiser without a delegation is named for the organisers to fix
    assert "youth" not in text.split("**No delegation stated**")[1].split("\n- and")[0]  # never named
    assert "1 participant not named" in text

    people, states = await independent_count(db, meeting.id)
    assert people == 5 and states == {"Ghana", "Brazil"}

    # The minutes state it in their header, in every format (no names: the header is counts only).
    present = "5 participants from 2 Member States and 1 international organisation (2 without a stated delegation)."
    for fmt in ("md", "html"):
        _name, minutes = await exported(
            await world.chair.slash(world.general, "minutes export", meeting=19, format=fmt)
        )
        assert present in minutes, fmt
    shown = await world.chair.slash(world.general, "minutes show", meeting=19)
    assert f"Present: {present}" in shown.response.embeds[0].description

    # The meeting report (1.3) and the period report (a table of delegations per meeting, and the chart).
    report = await attachments(await world.chair.slash(world.general, "report meeting", meeting=19))
    assert f"Present: {present}" in report["cwg-cop-19-report.md"].decode()
    assert "Delegations that contributed: Ghana (Member State), UNICEF (international organisation)." in (
        report["cwg-cop-19-report.md"].decode()
    )
    day = meeting.starts_at.date().isoformat()
    period = await attachments(await world.chair.slash(world.general, "report period", **{"from": day, "to": day}))
    md = next(v.decode() for k, v in period.items() if k.endswith(".md"))
    assert "| Meeting | Date | Present | Member States | Sector Members | Other delegations |" in md
    table = md.split("| Meeting | Date | Present |", 1)[1]
    row = next(line for line in table.splitlines() if line.startswith("| 19th |"))
    assert row.split("|")[3:7] == [" 5 ", " 2 ", " 0 ", " 1 "]
    html = next(v.decode() for k, v in period.items() if k.endswith(".html"))
    assert "delegations present per meeting" in html  # the chart's title: its third series


async def test_refusals_leave_nothing_written(world, db) -> None:
    await make_meeting(world)
    unknown = await world.delegate.slash(world.general, "delegation set", name="Atlantis", type="member_state")
    assert unknown.ephemeral and "not one of ITU's 194 Member States" in answer(unknown)
    other = await world.delegate.slash(
        world.general, "delegation set", name="Ghana", type="member_state", member=world.delegate2
    )
    assert "Only the chair and the secretariat" in answer(other)
    assert await delegations(db) == set()
    for command, options in (
        ("meeting attendance", {"meeting": 19}),
        ("delegation list", {}),
        ("delegation role", {"role": world.participant_role, "name": "Ghana", "type": "member_state"}),
    ):
        refused = await world.delegate.slash(world.general, command, **options)
        assert "for the meeting organisers" in answer(refused), command
    assert await db.fetchval("SELECT COUNT(*) FROM delegation_roles") == 0

    chair_sets = await world.chair.slash(
        world.general, "delegation set", name="Philippines", type="member_state", member=world.delegate2
    )
    assert "**Philippines** (Member State)" in answer(chair_sets)
    shown = await world.delegate2.slash(world.general, "delegation show")
    assert "**Philippines**" in answer(shown) and "set by an organiser" in answer(shown)
    assert await delegations(db) == {(world.delegate2.id, "Philippines", "member_state")}


async def test_names_are_one_delegation_whatever_the_spelling(world, db) -> None:
    await world.delegate.slash(world.general, "delegation set", name="UNICEF", type="organisation")
    await world.delegate2.slash(world.general, "delegation set", name="unicef ", type="organisation")
    assert {name for _u, name, _t in await delegations(db)} == {"UNICEF"}
    choices = await world.delegate.autocomplete(world.general, "delegation set", "name", "bras")
    assert [c["value"] for c in choices] == ["Brazil"]
    korea = await world.delegate.autocomplete(world.general, "delegation set", "name", "south kor")
    assert [c["value"] for c in korea] == ["Korea (Republic of)"]


async def test_the_button_works_after_a_restart_and_not_after_the_end(world, db, harness) -> None:
    await make_meeting(world)
    await start_recording(world)
    notice = await notice_of(world, db)
    await harness.restart()
    pressed = await world.delegate.click(notice, label="I am present")
    assert "counted as present at the 19th meeting" in answer(pressed)
    await world.chair.slash(world.meeting, "meeting end")
    late = await world.delegate2.click(notice, label="I am present")
    assert late.ephemeral and "is not being recorded now" in answer(late)
    users = [r["user_id"] for r in await world.bot.db.fetchall("SELECT user_id FROM attendance")]
    assert users == [world.delegate.id]


async def test_forget_removes_the_delegation_and_keeps_an_anonymous_count(world, db, simcord_env) -> None:
    meeting = await make_meeting(world)
    await world.delegate.slash(world.general, "delegation set", name="Ghana", type="member_state")
    await start_recording(world)
    await world.delegate.click(await notice_of(world, db), label="I am present")
    await world.delegate.send(world.meeting, "Ghana speaks")
    await simcord_env.settle()
    asked = await world.chair.slash(world.general, "log forget", member=world.delegate)
    await world.chair.click(asked.response, label="Remove their lines")
    rows = await db.fetchall("SELECT user_id, name, role_name FROM attendance WHERE meeting_id = ?", (meeting.id,))
    assert [tuple(r) for r in rows] == [(None, None, None)]
    assert await delegations(db) == set()
    report = answer(await world.chair.slash(world.general, "meeting attendance", meeting=19))
    assert "1 participant, none of whom stated a delegation." in report
    assert "Members counted anonymously at their request: 1." in report
    assert "Delegate of Ghana" not in report and "Ghana" not in report
    refused = await world.delegate.click(await notice_of(world, db), label="I am present")
    assert "the record keeps nothing about you" in answer(refused)
    assert await db.fetchval("SELECT COUNT(*) FROM attendance WHERE user_id IS NOT NULL") == 0
