"""A delegate and the chair, through the real bot: register (on time and late) → list → revise →
accept / reject → assign → withdraw → export."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from test_contributions_support import (
    PDF,
    STANDARD_AGENDA,
    add_agenda,
    answer,
    ephemeral_answer,
    make_meeting,
)

from storage.contributions import ContributionsRepo

PDF_V2 = PDF.replace(b"age assurance", b"age assurance, revised")


def ts(instant) -> str:
    return f"<t:{int(instant.timestamp())}:F>"


def geneva_deadline(meeting, days):
    local = meeting.starts_at.astimezone(ZoneInfo("Europe/Zurich"))
    return (local - timedelta(days=days)).astimezone(meeting.starts_at.tzinfo)


async def test_register_list_revise_decide_assign_withdraw_export(world, db, simcord_env):
    changed: list[int] = []

    async def on_contributions_changed(meeting_id: int) -> None:
        changed.append(meeting_id)

    world.bot.add_listener(on_contributions_changed)
    meeting = await make_meeting(db, world.guild.id, 19, starts_in=timedelta(days=20))
    items = await add_agenda(db, meeting.id, STANDARD_AGENDA)
    repo = ContributionsRepo(db)

    # -- a delegate registers on time, with the file: /2, the first contribution (/1 is the agenda)
    r = await world.delegate.slash(
        world.general,
        "contribution register",
        title="Age assurance: Ghana's experience",
        source="Ghana",
        agenda_item="4.1",
        source_type="member_state",
        file=("ghana-age-assurance.pdf", PDF),
        link="https://example.org/ghana",
        abstract="What Ghana learnt from two years of age assurance.",
    )
    text = ephemeral_answer(r)
    assert "Registered **CWG-COP-19/2**: “Age assurance: Ghana's experience”" in text
    assert "Received on time" in text
    assert ts(geneva_deadline(meeting, 12)) in text
    first_announcement = world.contributions.last_message
    embed = first_announcement.embeds[0]
    assert embed.title == "CWG-COP-19/2 · Age assurance: Ghana's experience"
    assert embed.description == "What Ghana learnt from two years of age assurance."
    [kept] = first_announcement.attachments
    assert kept.filename == "ghana-age-assurance.pdf"
    assert await kept.read() == PDF
    ghana_doc = await repo.by_number(world.guild.id, 19, "contribution", 2)
    assert (ghana_doc.status, ghana_doc.is_late, ghana_doc.source_type) == ("submitted", False, "member_state")
    assert ghana_doc.agenda_item_id == items["4.1"]
    assert ghana_doc.submitter_id == world.delegate.id
    assert (ghana_doc.file_name, ghana_doc.file_size) == ("ghana-age-assurance.pdf", len(PDF))
    assert ghana_doc.file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert ghana_doc.file_message_url == first_announcement.jump_url
    assert first_announcement.jump_url in text

    # -- the secretariat's information document: its own series ---------------------------------
    r = await world.secretary.slash(
        world.general,
        "contribution register",
        title="Update on the COP guidelines",
        source="ITU secretariat",
        kind="information",
        source_type="secretariat",
    )
    assert "Registered **CWG-COP-19/INF/1**" in ephemeral_answer(r)

    # -- closer to the meeting (a 25-day deadline): registered, but late -------------------------
    r = await world.admin.slash(world.general, "setup options", contribution_deadline_days=25)
    assert "Options saved" in answer(r)
    r = await world.delegate2.slash(
        world.general, "contribution register", title="Youth voices on safety by design", source="Brazil"
    )
    text = ephemeral_answer(r)
    assert "Registered **CWG-COP-19/3**" in text
    assert "registered as **late**" in text
    assert "chair's decision" in text
    assert ts(geneva_deadline(meeting, 25)) in text
    brazil_doc = await repo.by_number(world.guild.id, 19, "contribution", 3)
    assert (brazil_doc.status, brazil_doc.is_late) == ("late", True)
    assert world.contributions.last_message.embeds[0].fields[3].value == "Late: awaiting the chair"

    # -- anyone reads the list, in number order --------------------------------------------------
    r = await world.outsider.slash(world.general, "contribution list")
    assert r.response.ephemeral
    listing = r.response.embeds[0]
    assert listing.title == "Documents of the 19th meeting"
    lines = listing.description.splitlines()
    assert lines[0].startswith("**CWG-COP-19/2** Age assurance")
    assert lines[1] == "*Ghana · Submitted · item 4.1*"
    assert lines[2].startswith("**CWG-COP-19/3** Youth voices")
    assert lines[3] == "*Brazil · Late: awaiting the chair*"
    assert lines[4].startswith("**CWG-COP-19/INF/1** Update on the COP guidelines")
    assert listing.footer.text == "3 documents · CWG-COP-19/1 is the agenda (/agenda show)"

    # -- the delegate revises: (Rev.1), the earlier version kept ---------------------------------
    r = await world.delegate.slash(
        world.general,
        "contribution revise",
        number="CWG-COP-19/2",
        title="Age assurance: Ghana's experience (updated figures)",
        file=("ghana-age-assurance-v2.pdf", PDF_V2),
    )
    assert "**CWG-COP-19/2(Rev.1)** is registered as the new version" in ephemeral_answer(r)
    revised_announcement = world.contributions.last_message
    assert revised_announcement.embeds[0].title.startswith("CWG-COP-19/2(Rev.1) · ")
    assert revised_announcement.embeds[0].author.name == "Revised document: Rev.1"
    assert await revised_announcement.attachments[0].read() == PDF_V2
    ghana_doc = await repo.get(ghana_doc.id)
    assert (ghana_doc.revision, ghana_doc.number) == (1, "CWG-COP-19/2(Rev.1)")
    assert ghana_doc.file_sha256 == hashlib.sha256(PDF_V2).hexdigest()
    versions = await repo.revisions(ghana_doc.id)
    assert [(v.revision, v.file_name, v.file_message_url) for v in versions] == [
        (0, "ghana-age-assurance.pdf", first_announcement.jump_url),
        (1, "ghana-age-assurance-v2.pdf", revised_announcement.jump_url),
    ]

    # -- the chair accepts the late document; its submitter is told by DM ------------------------
    r = await world.chair.slash(
        world.general,
        "contribution accept",
        number="19/3",
        reason="Considered under item 4.2 at the chair's discretion",
    )
    text = ephemeral_answer(r)
    assert "**CWG-COP-19/3** is accepted." in text
    assert "told by direct message" in text
    dm = world.delegate2.user.dm_channel.last_message
    assert "CWG-COP-19/3" in dm.content and "was **accepted**" in dm.content
    assert "Reason: Considered under item 4.2" in dm.content
    brazil_doc = await repo.get(brazil_doc.id)
    assert (brazil_doc.status, brazil_doc.is_late) == ("accepted", True)
    announcement2 = next(
        m for m in world.contributions.history() if m.embeds and m.embeds[0].title.startswith("CWG-COP-19/3 ")
    )
    assert announcement2.embeds[0].fields[3].value.startswith("Accepted (received late)")

    # -- the chair rejects 19/2; the delegate's DMs are closed: told in the channel ---------------
    dm_channel = world.delegate.user.dm_channel
    simcord_env.inject_error(
        "POST",
        f"/channels/{dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
    )
    r = await world.chair.slash(world.general, "contribution reject", number="CWG-COP-19/2", reason="Out of scope")
    assert "direct messages are closed" in ephemeral_answer(r)
    notice = world.contributions.last_message
    assert notice.content.startswith(f"<@{world.delegate.id}> Your document **CWG-COP-19/2**")
    assert "was **not accepted**" in notice.content and "Reason: Out of scope" in notice.content
    pinged = simcord_env.backend.get_message(notice.channel.id, notice.id).ping_user_ids
    assert list(pinged) == [world.delegate.id]  # the chair named in it is not pinged
    assert (await repo.get(ghana_doc.id)).status == "rejected"

    # -- the chair places 19/3 under item 4.2 ----------------------------------------------------
    r = await world.chair.slash(world.general, "contribution assign", number="19/3", agenda_item="4.2")
    assert "is now under the agenda item" in ephemeral_answer(r)
    assert (await repo.get(brazil_doc.id)).agenda_item_id == items["4.2"]
    assert "placed under another agenda item" in world.delegate2.user.dm_channel.last_message.content
    r = await world.outsider.slash(world.general, "contribution list", agenda_item="4")
    numbers = [line.split("**")[1] for line in r.response.embeds[0].description.splitlines() if "**" in line]
    assert numbers == ["CWG-COP-19/2", "CWG-COP-19/3"]  # item 4 with its sub-items 4.1 and 4.2

    # -- the delegate withdraws 19/2: the number stays taken -------------------------------------
    r = await world.delegate.slash(world.general, "contribution withdraw", number="CWG-COP-19/2", reason="Merged")
    assert "never reused" in ephemeral_answer(r)
    assert (await repo.get(ghana_doc.id)).status == "withdrawn"
    r = await world.delegate.slash(world.general, "contribution register", title="A new one", source="Ghana")
    assert "Registered **CWG-COP-19/4**" in ephemeral_answer(r)

    # -- the full record ---------------------------------------------------------------------------
    r = await world.outsider.slash(world.general, "contribution show", number="CWG-COP-19/2")
    shown = r.response.embeds[0]
    assert shown.title.startswith("CWG-COP-19/2(Rev.1) · ")
    fields = {f.name: f.value for f in shown.fields}
    assert fields["Status"] == "Withdrawn\nMerged"
    assert "original" in fields["Versions"] and "Rev.1 (current)" in fields["Versions"]
    history = fields["History"].splitlines()
    assert [h.split(" by ")[0].split("> ")[1] for h in history] == [
        "registered",
        "revised",
        "not accepted",
        "withdrawn",
    ]
    assert history[2].endswith(f"<@{world.chair.id}>: Out of scope")

    # -- the document list, as ITU publishes it ----------------------------------------------------
    r = await world.outsider.slash(world.general, "contribution export", meeting=19, format="csv")
    assert r.response.ephemeral
    [exported] = r.response.attachments
    assert exported.filename == "cwg-cop-19-documents.csv"
    rows = list(csv.reader(io.StringIO((await exported.read()).decode("utf-8-sig"))))
    received = brazil_doc.received_at.astimezone(ZoneInfo("Europe/Zurich")).date().isoformat()
    assert rows == [
        ["Number", "Title", "Source", "Agenda item", "Date received", "Status"],
        [
            "CWG-COP-19/2(Rev.1)",
            "Age assurance: Ghana's experience (updated figures)",
            "Ghana",
            '="4.1"',
            received,
            "Withdrawn",
        ],
        ["CWG-COP-19/3", "Youth voices on safety by design", "Brazil", '="4.2"', received, "Accepted (late)"],
        ["CWG-COP-19/4", "A new one", "Ghana", "", received, "Late"],
        ["CWG-COP-19/INF/1", "Update on the COP guidelines", "ITU secretariat", "", received, "Submitted"],
    ]
    r = await world.delegate.slash(world.general, "contribution export", format="md")
    markdown = (await r.response.attachments[0].read()).decode()
    assert markdown.startswith(
        "# Documents of the 19th meeting of the CWG-COP\n\nDocument CWG-COP-19/1 is the agenda of the meeting.\n"
    )
    assert "| CWG-COP-19/3 | Youth voices on safety by design | Brazil | 4.2 |" in markdown

    # -- the agenda post was told every time --------------------------------------------------------
    # 4 registrations + revise, accept, reject, assign, withdraw
    assert changed == [meeting.id] * 9
