"""Helpers shared by the reports tests (no tests here): a meeting history built through the real bot,
and every figure recomputed independently from the stored rows with plain SQL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from simcord import ChannelHandle

from storage.agenda import AgendaRepo
from storage.contributions import Change, ContributionsRepo, NewContribution
from storage.meetings import Meeting, MeetingsRepo
from storage.timeutil import utcnow

GENEVA = ZoneInfo("Europe/Zurich")
YOUTH_NICK = "Amira"
YOUTH_USERNAME = "amira_k"
FORGOTTEN_NAME = "delegate2"
LIVE = "is_notice = 0 AND deleted_at IS NULL AND forgotten = 0"
AGENDA = ["Opening", "Adoption of the agenda", "Approval of the report", "Updates", "Consideration of contributions"]


def answer(result) -> str:
    if result.followups:
        return result.followups[-1].content or ""
    return (result.response.content or "") if result.response else ""


def final(result):
    """The message a deferred command finally sent (its follow-up), or the direct response."""
    return result.followups[-1] if result.followups else result.response


async def attachments(result) -> dict[str, bytes]:
    return {a.filename: await a.read() for a in final(result).attachments}


def md_escape(text: str) -> str:
    """User text as the house style shows it in Markdown: a backslash before every markup sign."""
    return re.sub(r"([\\`*_\[\]<>|~&])", r"\\\1", text)


def local_day(offset_days: int) -> date:
    return utcnow().astimezone(GENEVA).date() + timedelta(days=offset_days)


async def make_meeting(world, number: int, day: date, *, chair_name: str | None = "Ms Chair") -> Meeting:
    """A meeting at 10.00-17.30 Geneva time on ``day``, through the meetings feature's repository."""
    starts = datetime.combine(day, time(10, 0), tzinfo=GENEVA)
    return await MeetingsRepo(world.bot.db).create(
        guild_id=world.guild.id,
        number=number,
        title=f"{number}th meeting of CWG-COP",
        starts_at=starts,
        ends_at=starts.replace(hour=17, minute=30),
        timezone="Europe/Zurich",
        created_by=world.chair.id,
        chair_name=chair_name,
    )


async def register(
    db,
    meeting: Meeting,
    title: str,
    source: str,
    *,
    kind: str = "contribution",
    source_type: str | None = "member_state",
    late: bool = False,
    then: str | None = None,
) -> None:
    """A document through the contributions repository; ``then`` = accepted, rejected or withdrawn."""
    repo = ContributionsRepo(db)
    doc = await repo.register(
        NewContribution(
            meeting_id=meeting.id,
            kind=kind,
            title=title,
            source=source,
            submitter_id=1,
            received_at=utcnow(),
            status="late" if late else "submitted",
            is_late=late,
            source_type=source_type,
        )
    )
    if then is not None:
        await repo.change(doc.id, actor_id=1, decide=lambda _c: Change(then, {"status": then}))


def make_thread(env, world, starter, name: str) -> ChannelHandle:
    thread = env.backend.create_thread(world.meeting.id, name, starter.author.id, message_id=starter.id)
    return ChannelHandle(env, world.guild, env.backend.channels[thread.id])


async def record(world, number: int) -> None:
    r = await world.chair.slash(world.meeting, "meeting start", meeting=number)
    assert answer(r).startswith("Recording the"), answer(r)


async def stop(world) -> None:
    r = await world.chair.slash(world.meeting, "meeting end")
    assert "Recording of the" in answer(r), answer(r)


@dataclass
class History:
    """The 18th to 21st meetings (the 20th cancelled) and a 30th outside the period."""

    m18: Meeting
    m19: Meeting
    m20: Meeting
    m21: Meeting
    m30: Meeting
    youth: object
    first: date
    last: date
    agreed19: list[str] = field(default_factory=list)  # as typed after "#agreed", in order (the undone one left out)
    actions19: list[str] = field(default_factory=list)


async def build_history(world, db, env) -> History:
    """Meetings, documents, recorded chats with minutes markers, a youth participant, a forgotten member,
    a deleted line, threads and a purged log, all through the real bot where a user would act."""
    chat = world.meeting
    youth = world.guild.add_member(env.create_user(YOUTH_USERNAME), roles=[world.participant_role], nick=YOUTH_NICK)
    assert "Participant 1" in answer(await youth.slash(world.general, "privacy youth on"))

    m18 = await make_meeting(world, 18, local_day(20))
    m19 = await make_meeting(world, 19, local_day(40))
    m20 = await make_meeting(world, 20, local_day(60))
    m21 = await make_meeting(world, 21, local_day(80), chair_name=None)
    m30 = await make_meeting(world, 30, local_day(500))
    await MeetingsRepo(db).update(m20.id, status="cancelled", cancel_reason="No quorum")
    agenda = AgendaRepo(db)
    items = {}
    for title in AGENDA:
        items[title] = await agenda.add(m19.id, title=title)
    await agenda.add(m19.id, title="Youth consultation", parent_id=items["Consideration of contributions"].id)

    # Documents. One through /contribution register, the rest through the repository.
    r = await world.delegate.slash(
        world.general,
        "contribution register",
        title="Age assurance: Ghana's experience",
        source="Ghana",
        meeting=19,
        source_type="member_state",
    )
    assert "Registered **CWG-COP-19/2**" in answer(r), answer(r)
    await register(db, m19, "Kenya's helpline", "Kenya")
    await register(db, m19, "Safety by design at scale", "Meta", source_type="sector_member")
    await register(db, m19, "COP guidelines update", "ITU secretariat", kind="information", source_type="secretariat")
    await register(db, m19, "UNICEF data", "UNICEF", kind="information", source_type="organisation")
    await register(db, m19, "Youth voices", "Youth panel", source_type="youth", late=True)
    await register(db, m19, "Brazil's law", "Brazil", late=True, then="accepted")
    await register(db, m19, "A paper withdrawn", "Chile", then="withdrawn")
    await register(db, m19, "A late paper refused", "Peru", late=True, then="rejected")
    await register(db, m19, "No source type given", "Someone", source_type=None)
    await register(db, m18, "An older paper", "France")
    for n in range(1, 10):
        await register(db, m21, f"Paper {n}", f"Country {n}")
    await register(db, m30, "Far away", "Japan")

    # The 19th meeting's chat.
    h = History(m18, m19, m20, m21, m30, youth, local_day(19), local_day(81))
    await record(world, 19)
    await world.chair.send(chat, "Good morning and welcome")
    await world.delegate.send(chat, "Good morning from Ghana")
    env.backend.advance_clock(60)
    await world.chair.send(chat, "#topic 1")
    await world.secretary.send(chat, "The secretariat welcomes everyone")
    env.backend.advance_clock(60)
    await world.chair.send(chat, "#topic 5")
    await world.delegate.send(chat, "#info Ghana presented CWG-COP-19/2")
    await youth.send(chat, "Young people want safety by design")
    await world.delegate2.send(chat, "Brazil supports this")
    h.agreed19.append("The meeting welcomed CWG-COP-19/2 <script>alert(1)</script>")
    await world.chair.send(chat, "#agreed " + h.agreed19[-1])
    h.actions19.append(f"{YOUTH_NICK}: summarise the youth consultation")
    await world.chair.send(chat, "#action " + h.actions19[-1])
    h.actions19.append(f"<@{youth.id}> present the results at the next meeting")
    await world.chair.send(chat, "#action " + h.actions19[-1])
    h.actions19.append("Secretariat: circulate the revised guidelines")
    await world.chair.send(chat, "#action " + h.actions19[-1])
    await world.chair.send(chat, "#agreed a wrong outcome")
    await world.secretary.send(chat, "#undo")
    regret = await world.delegate.send(chat, "a remark to delete")
    await world.delegate.delete(regret)
    starter = await world.chair.send(chat, "Comments on the guidelines in the thread, please")
    thread = make_thread(env, world, starter, "Guidelines")
    await env.settle()
    await world.admin.send(thread, "A comment from the thread only")
    await youth.send(thread, f"I agree, says {YOUTH_NICK}")
    await world.delegate2.send(thread, "Me too")
    env.backend.advance_clock(60)
    await world.chair.send(chat, "#topic Any other business")
    await world.delegate.send(chat, "Thank you, chair")
    h.agreed19.append(f"The next meeting will consider the youth consultation, as {YOUTH_NICK.upper()} proposed")
    await world.chair.send(chat, "#agreed " + h.agreed19[-1])
    await stop(world)
    asked = await world.chair.slash(world.general, "log forget", member=world.delegate2)
    await world.chair.click(asked.response, label="Remove their lines")

    # The 21st meeting's chat, purged afterwards (the minutes are kept).
    await record(world, 21)
    await world.chair.send(chat, "#topic 5 Contributions")
    await world.delegate.send(chat, "Ghana again")
    await world.secretary.send(chat, "Noted")
    await youth.send(chat, "The youth panel agrees")
    await world.chair.send(chat, "#agreed Outcome of the 21st meeting")
    await world.chair.send(chat, "#action Chair: write the report")
    await stop(world)
    asked = await world.chair.slash(world.general, "log purge", meeting=21)
    await world.chair.click(asked.response, label="Purge the log")
    assert await db.fetchval("SELECT COUNT(*) FROM log_purges WHERE meeting_id = ?", (m21.id,)) == 1
    return h


# ---------------------------------------------------------------------------------------------
# Every figure, recomputed with plain SQL on the stored rows

COUNTED_DOCS = "status IN ('submitted', 'accepted', 'late')"


async def sql_documents(db, meeting_id: int) -> dict:
    async def n(where: str, *args) -> int:
        return await db.fetchval(
            f"SELECT COUNT(*) FROM contributions WHERE meeting_id = ? AND {where}", (meeting_id, *args)
        )

    by_type = {}
    rows = await db.fetchall(
        "SELECT IFNULL(source_type, 'other'), kind, COUNT(*) FROM contributions "
        f"WHERE meeting_id = ? AND {COUNTED_DOCS} GROUP BY 1, 2",
        (meeting_id,),
    )
    for source_type, kind, count in rows:
        by_type.setdefault(source_type, [0, 0])[0 if kind == "contribution" else 1] = count
    return {
        "contributions": await n(f"kind = 'contribution' AND {COUNTED_DOCS}"),
        "information": await n(f"kind = 'information' AND {COUNTED_DOCS}"),
        "late": await n(f"is_late = 1 AND {COUNTED_DOCS}"),
        "late_accepted": await n("is_late = 1 AND status = 'accepted'"),
        "late_awaiting": await n("status = 'late'"),
        "withdrawn": await n("status = 'withdrawn'"),
        "not_accepted": await n("status = 'rejected'"),
        "by_type": by_type,
    }


async def sql_chat(db, meeting_id: int) -> dict:
    async def v(sql: str) -> int:
        return await db.fetchval(sql, (meeting_id,))

    return {
        "messages": await v(f"SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND {LIVE}"),
        "in_threads": await v(
            f"SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND {LIVE} AND thread_id IS NOT NULL"
        ),
        "present": await v(f"SELECT COUNT(DISTINCT author_id) FROM messages WHERE meeting_id = ? AND {LIVE}"),
        "in_channel": await v(
            f"SELECT COUNT(DISTINCT author_id) FROM messages WHERE meeting_id = ? AND {LIVE} AND thread_id IS NULL"
        ),
        "youth": await v(
            f"SELECT COUNT(DISTINCT author_id) FROM messages WHERE meeting_id = ? AND {LIVE} "
            "AND author_id IN (SELECT user_id FROM youth_members WHERE active = 1)"
        ),
        "deleted": await v(
            "SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND is_notice = 0 AND deleted_at IS NOT NULL "
            "AND forgotten = 0"
        ),
        "removed": await v("SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND is_notice = 0 AND forgotten = 1"),
    }


async def sql_purged_chat(db, meeting_id: int) -> dict:
    row = await db.fetchone(
        "SELECT COUNT(*), SUM(lines), SUM(author_id IN (SELECT user_id FROM youth_members WHERE active = 1)) "
        "FROM minutes_people WHERE meeting_id = ?",
        (meeting_id,),
    )
    return {"present": row[0], "messages": row[1] or 0, "youth": row[2] or 0}


async def sql_busiest(db, meeting_id: int) -> list[tuple[str, int]]:
    """(Geneva "HH.MM hours", count) of the three busiest minutes, earliest first on a tie."""
    rows = await db.fetchall(
        f"SELECT substr(created_at, 1, 16) AS minute, COUNT(*) FROM messages WHERE meeting_id = ? AND {LIVE} "
        "GROUP BY minute ORDER BY 2 DESC, minute LIMIT 3",
        (meeting_id,),
    )
    out = []
    for minute, count in rows:
        local = datetime.fromisoformat(minute + ":00+00:00").astimezone(GENEVA)
        out.append((f"{local.day} {local:%B %Y}, {local:%H.%M} hours", count))
    return out


async def sql_topics(db, meeting_id: int) -> list[tuple[str, int]]:
    """(label, messages) by #topic: a topic runs from its line to the next topic's line."""
    marks = await db.fetchall(
        f"SELECT created_at, content FROM messages WHERE meeting_id = ? AND {LIVE} AND content LIKE '#topic %' "
        "ORDER BY created_at",
        (meeting_id,),
    )
    out = []
    first = marks[0][0]
    before = await db.fetchval(
        f"SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND {LIVE} AND created_at < ?", (meeting_id, first)
    )
    if before:
        out.append(("Before the first #topic", before))
    for i, (at, content) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else "9999"
        count = await db.fetchval(
            f"SELECT COUNT(*) FROM messages WHERE meeting_id = ? AND {LIVE} AND created_at >= ? AND created_at < ?",
            (meeting_id, at, end),
        )
        text = content.removeprefix("#topic ").strip()
        title = await db.fetchval(
            "SELECT title FROM agenda_items WHERE meeting_id = ? AND parent_id IS NULL AND position = ?",
            (meeting_id, int(text)) if text.isdigit() else (meeting_id, -1),
        )
        out.append((f"{text} {title}" if title else text, count))
    return out


async def sql_participant_ids(db, meeting_ids: list[int]) -> set[int]:
    """Distinct participants over meetings: the log's authors, or the minutes kept for a purged meeting."""
    marks = ", ".join("?" for _ in meeting_ids)
    rows = await db.fetchall(
        f"SELECT author_id FROM messages WHERE meeting_id IN ({marks}) AND {LIVE} "
        f"AND meeting_id NOT IN (SELECT meeting_id FROM log_purges) "
        f"UNION SELECT author_id FROM minutes_people WHERE meeting_id IN ({marks}) "
        "AND meeting_id IN (SELECT meeting_id FROM log_purges)",
        (*meeting_ids, *meeting_ids),
    )
    return {r[0] for r in rows}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR", "the first chunk of a PNG is IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
