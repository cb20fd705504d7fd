"""/agenda through the real bot (simcord): what the chair does and what every participant then reads."""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest

from cogs.core.custom_ids import REGISTER, REMIND_ME, REMIND_ME_TEMPLATE
from cogs.core.interactions import guarded
from storage.agenda import AgendaRepo
from storage.guild_settings import GuildSettingsRepo
from storage.meetings import MeetingsRepo
from storage.timeutil import utcnow
from tests.conftest import dispatch_and_settle

GENEVA = ZoneInfo("Europe/Zurich")


def future_day(days: int = 40) -> date:
    return (utcnow() + timedelta(days=days)).astimezone(GENEVA).date()


async def create(world, number: int = 19, days: int = 40):
    r = await world.chair.slash(
        world.general, "meeting create", number=number, start=f"{future_day(days)} 10:00", end="17:30", venue="Geneva"
    )
    assert "scheduled" in r.response.content, r.response.content
    return await MeetingsRepo(world.bot.db).by_number(world.guild.id, number)


async def snapshot(db) -> dict[str, list[tuple]]:
    out = {}
    for table in ("meetings", "agenda_items", "agenda_posts", "agenda_revisions"):
        out[table] = [tuple(r) for r in await db.fetchall(f"SELECT * FROM {table} ORDER BY rowid")]
    return out


async def numbered(world, meeting_id: int) -> list[str]:
    return [f"{i.number} {i.title}" for i in await MeetingsRepo(world.bot.db).agenda(meeting_id)]


async def positions_are_consecutive(world, meeting_id: int) -> bool:
    rows = await world.bot.db.fetchall(
        "SELECT parent_id, position FROM agenda_items WHERE meeting_id = ? ORDER BY parent_id, position",
        (meeting_id,),
    )
    groups: dict = {}
    for r in rows:
        groups.setdefault(r["parent_id"], []).append(r["position"])
    return all(p == list(range(1, len(p) + 1)) for p in groups.values())


def agenda_posts(world) -> list[discord.Message]:
    """The bot's agenda messages in the agenda channel, as any participant sees them."""
    return [m for m in world.agenda.history() if m.type is discord.MessageType.default and m.embeds]


def post_text(messages) -> str:
    return "\n".join(
        f"{e.title or ''}\n{e.description or ''}\n{e.footer.text or ''}" for m in messages for e in m.embeds
    )


def custom_ids(message: discord.Message) -> list[str]:
    return [c.custom_id for row in message.components for c in row.children]


async def item_value(world, number: int, typed: str) -> str:
    """Pick an item the way a user does: from the autocomplete list."""
    choices = await world.chair.autocomplete(world.general, "agenda edit", "item", typed, meeting=number)
    assert choices, f"no item matches {typed!r}"
    return choices[0]["value"]


# -- the whole journey ----------------------------------------------------------------------------


async def test_chair_prepares_publishes_revises_and_cancels_while_participants_follow(world):
    meeting = await create(world)

    # Before anything is published a delegate is told so.
    r = await world.delegate.slash(world.general, "agenda show", meeting=19)
    assert "has not been published yet" in r.response.content

    # 1. The standard agenda.
    r = await world.chair.slash(world.general, "agenda template", meeting=19)
    assert r.ephemeral and "standard CWG-COP agenda is in place" in r.response.content
    assert "Not published yet" in r.response.content
    assert (await numbered(world, meeting.id))[:2] == ["1 Opening of the meeting", "2 Adoption of the agenda"]

    # 2. Sub-items under "Consideration of contributions" (item 5), by number and by "after".
    r = await world.chair.slash(world.general, "agenda add", meeting=19, title="Theme A: online safety", number="5.1")
    assert "Added item **5.1**" in r.response.content
    assert "**5.1 Theme A: online safety**" in r.response.embeds[0].description
    after = await item_value(world, 19, "Theme A")
    r = await world.chair.slash(
        world.general, "agenda add", meeting=19, title="Theme B: youth voices", after=after, presenter="Youth rep"
    )
    assert "Added item **5.2**" in r.response.content
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Election of vice-chairs", number="3")

    # 3. Move and remove: numbering stays consecutive.
    youth = await item_value(world, 19, "youth online")
    r = await world.chair.slash(world.general, "agenda move", meeting=19, item=youth, position="6.3")
    assert "it is now **6.3**" in r.response.content
    r = await world.chair.slash(world.general, "agenda remove", meeting=19, item="4")  # typed: item 4
    assert "Removed item **4** (Approval of the report of the previous meeting)" in r.response.content
    expected = [
        "1 Opening of the meeting",
        "2 Adoption of the agenda",
        "3 Election of vice-chairs",
        "4 Updates from the secretariat",
        "5 Consideration of contributions",
        "5.1 Theme A: online safety",
        "5.2 Theme B: youth voices",
        "5.3 Results of the youth online consultation",
        "6 Input to the Council and the Plenipotentiary Conference; dates of the next meeting",
        "7 Any other business",
        "8 Closing of the meeting",
    ]
    assert await numbered(world, meeting.id) == expected
    assert await positions_are_consecutive(world, meeting.id)

    # 4. Publish: one pinned embed in the agenda channel, with both buttons.
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "is published and pinned" in r.response.content
    (post,) = agenda_posts(world)
    assert post.pinned
    embed = post.embeds[0]
    assert embed.title == "Draft agenda · 19th meeting of the CWG-COP"
    assert "**Document CWG-COP-19/1**" in embed.description
    assert "**5. Consideration of contributions**" in embed.description
    assert "\u20035.2 Theme B: youth voices (Youth rep)" in embed.description
    unix = int(meeting.starts_at.timestamp())
    assert f"<t:{unix}:F> (<t:{unix}:R>)" in embed.description
    assert "10.00-17.30 hours Geneva time" in embed.description
    assert custom_ids(post) == [REMIND_ME.format(meeting_id=meeting.id), REGISTER.format(meeting_id=meeting.id)]
    assert [c.label for row in post.components for c in row.children] == ["Remind me", "Register a contribution"]
    repo = AgendaRepo(world.bot.db)
    assert [r.revision for r in await repo.revisions(meeting.id)] == [0]

    # A delegate reads the published agenda.
    r = await world.delegate.slash(world.general, "agenda show", meeting=19)
    assert r.ephemeral and r.response.embeds[0].description == embed.description

    # 5. The chair edits the draft: the published agenda does not change until it is reposted.
    item = await item_value(world, 19, "Updates from")
    r = await world.chair.slash(world.general, "agenda edit", meeting=19, item=item, title="Secretariat report")
    assert "publishes these changes as Rev.1" in r.response.content
    (post,) = agenda_posts(world)
    assert "Updates from the secretariat" in post.embeds[0].description
    r = await world.delegate.slash(world.general, "agenda show", meeting=19)
    assert "Secretariat report" not in r.response.embeds[0].description
    r = await world.chair.slash(world.general, "agenda show", meeting=19)
    assert "changes that are not published yet" in r.response.content
    assert "Secretariat report" in r.response.embeds[0].description

    # A meeting change is followed at once (no new revision): the post shows the new time.
    new_day = future_day(47)
    await world.chair.slash(world.general, "meeting edit", meeting=19, start=f"{new_day} 14:00")
    moved = await MeetingsRepo(world.bot.db).by_number(world.guild.id, 19)
    (post,) = agenda_posts(world)
    assert f"<t:{int(moved.starts_at.timestamp())}:F>" in post.embeds[0].description
    assert "14.00-21.30 hours Geneva time" in post.embeds[0].description
    assert post.embeds[0].title == "Draft agenda · 19th meeting of the CWG-COP"
    assert "Updates from the secretariat" in post.embeds[0].description

    # 6. Repost: the same message becomes (Rev.1) with the note and date.
    r = await world.chair.slash(world.general, "agenda post", meeting=19, note="Item 4 renamed")
    assert "Rev.1 of the agenda of the 19th meeting is published" in r.response.content
    (revised,) = agenda_posts(world)
    assert revised.id == post.id and revised.pinned
    assert revised.embeds[0].title == "Draft agenda · 19th meeting of the CWG-COP (Rev.1)"
    assert re.search(r"\*\*Rev\.1\*\* \(\d{1,2} \w+ \d{4}\): Item 4 renamed", revised.embeds[0].description)
    assert "4. Secretariat report" in revised.embeds[0].description
    assert len(world.agenda.pinned_messages()) == 1
    revisions = await repo.revisions(meeting.id)
    assert [(r.revision, r.note) for r in revisions] == [(0, None), (1, "Item 4 renamed")]
    assert "Updates from the secretariat" in revisions[0].body and "Secretariat report" in revisions[1].body

    # Posting again without changes makes no revision.
    r = await world.chair.slash(world.general, "agenda post", meeting=19, note="again")
    assert "no new revision" in r.response.content
    assert len(await repo.revisions(meeting.id)) == 2
    assert [m.id for m in agenda_posts(world)] == [post.id]

    # 7. Cancel: the post says so, loses its buttons, and the agenda is frozen.
    await world.chair.slash(world.general, "meeting cancel", meeting=19, reason="Postponed to the spring")
    (cancelled,) = agenda_posts(world)[:1]
    assert cancelled.id == post.id
    assert cancelled.embeds[0].title.startswith("CANCELLED · ")
    assert "**This meeting has been cancelled.** Reason: Postponed to the spring" in cancelled.embeds[0].description
    assert cancelled.components == []
    assert "has been cancelled" in world.agenda.last_message.content
    r = await world.delegate.slash(world.general, "agenda show", meeting=19)
    assert r.response.embeds[0].title.startswith("CANCELLED")
    before = await snapshot(world.bot.db)
    r = await world.chair.slash(world.general, "agenda add", meeting=19, title="Late item")
    assert "is cancelled" in r.response.content
    assert await snapshot(world.bot.db) == before


# -- refusals ---------------------------------------------------------------------------------


async def test_bad_agenda_inputs_are_refused_and_nothing_is_stored(world):
    await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    contributions = await item_value(world, 19, "Consideration")
    before = await snapshot(world.bot.db)
    attempts = [
        ("agenda add", {"title": "X", "number": "12"}, "choose a position from 1 to 10"),
        ("agenda add", {"title": "X", "number": "5.2"}, "choose 5.1 to 5.1"),
        ("agenda add", {"title": "X", "number": "12.1"}, "There is no item 12"),
        ("agenda add", {"title": "X", "number": "5.1.1"}, "is not an agenda number"),
        ("agenda add", {"title": "X", "number": "2", "after": contributions}, "either `number` or `after`"),
        ("agenda add", {"title": "   "}, "needs a title"),
        ("agenda add", {"title": "x" * 201}, "keep it to 200"),
        ("agenda add", {"title": "X", "after": "id:999999"}, "not on the agenda"),
        ("agenda edit", {"item": "42"}, "There is no item 42"),
        ("agenda edit", {"item": contributions}, "Nothing to change"),
        ("agenda edit", {"item": "meeting"}, "matches several items"),
        ("agenda remove", {"item": "id:0"}, "not on the agenda"),
        ("agenda move", {"item": contributions, "position": "5"}, "already there"),
        ("agenda move", {"item": contributions, "position": "10"}, "choose a position from 1 to 9"),
        ("agenda move", {"item": "1", "position": "one"}, "not an agenda position"),
        ("agenda template", {}, "already has 9 item(s)"),
        ("agenda post", {"note": "n" * 301}, "keep it to 300"),
    ]
    for command, options, message in attempts:
        r = await world.chair.slash(world.general, command, meeting=19, **options)
        assert r.ephemeral
        assert message in r.response.content, (command, options, r.response.content)
    # Sub-items cannot have sub-items; an item with sub-items cannot become one.
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Theme A", number="5.1")
    before = await snapshot(world.bot.db)
    theme = await item_value(world, 19, "Theme A")
    r = await world.chair.slash(world.general, "agenda move", meeting=19, item=contributions, position="2.1")
    assert "has sub-items" in r.response.content
    r = await world.chair.slash(world.general, "agenda add", meeting=19, title="Deeper", after=theme, number="5.1.1")
    assert "not an agenda number" in r.response.content or "either" in r.response.content
    assert await snapshot(world.bot.db) == before
    assert agenda_posts(world) == []


async def test_items_of_another_meeting_are_not_accepted(world):
    await create(world, 19)
    await create(world, 20, days=80)
    await world.chair.slash(world.general, "agenda template", meeting=20)
    foreign = (await world.chair.autocomplete(world.general, "agenda edit", "item", "Closing", meeting=20))[0]["value"]
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Only item")
    before = await snapshot(world.bot.db)
    r = await world.chair.slash(world.general, "agenda remove", meeting=19, item=foreign)
    assert "not on the agenda of the 19th meeting" in r.response.content
    assert await snapshot(world.bot.db) == before


@pytest.mark.parametrize("who", ["delegate", "outsider"])
async def test_non_organisers_cannot_change_or_post_the_agenda(world, who):
    await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    before = await snapshot(world.bot.db)
    member = getattr(world, who)
    for command, options in (
        ("agenda add", {"title": "Mine"}),
        ("agenda edit", {"item": "1", "title": "Mine"}),
        ("agenda remove", {"item": "1"}),
        ("agenda move", {"item": "1", "position": "2"}),
        ("agenda template", {"replace": True}),
        ("agenda post", {}),
    ):
        r = await member.slash(world.general, command, meeting=19, **options)
        assert r.ephemeral and "for the meeting organisers" in r.response.content
    assert await snapshot(world.bot.db) == before
    assert agenda_posts(world) == []


async def test_nothing_to_post_and_no_agenda_channel(world):
    await create(world)
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "is empty" in r.response.content
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await GuildSettingsRepo(world.bot.db).update(world.guild.id, agenda_channel_id=None)
    before = await snapshot(world.bot.db)
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "no agenda channel" in r.response.content
    assert await snapshot(world.bot.db) == before


# -- autocomplete -----------------------------------------------------------------------------


async def test_item_autocomplete_follows_the_chosen_meeting(world):
    m19 = await create(world, 19)
    await create(world, 20, days=80)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Theme A", number="5.1")
    choices = await world.chair.autocomplete(world.general, "agenda move", "item", "", meeting=19)
    assert len(choices) == 10
    items = await MeetingsRepo(world.bot.db).agenda(m19.id)
    assert [c["value"] for c in choices] == [f"id:{i.id}" for i in items]
    assert choices[4]["name"] == "5. Consideration of contributions"
    assert choices[5]["name"] == "5.1 Theme A"
    assert [
        c["name"] for c in await world.chair.autocomplete(world.general, "agenda remove", "item", "5.", meeting=19)
    ] == ["5. Consideration of contributions", "5.1 Theme A"]
    assert await world.chair.autocomplete(world.general, "agenda remove", "item", "", meeting=20) == []
    assert await world.chair.autocomplete(world.general, "agenda remove", "item", "") == []


# -- documents under items --------------------------------------------------------------------


async def add_document(world, meeting_id: int, seq: int, title: str, item_id: int | None, status="submitted"):
    now = utcnow().isoformat()
    await world.bot.db.execute(
        "INSERT INTO contributions (meeting_id, kind, seq, title, source, agenda_item_id, submitter_id, status, "
        "received_at, updated_at) VALUES (?, 'contribution', ?, ?, ?, ?, 1, ?, ?, ?)",
        (meeting_id, seq, title, "Philippines", item_id, status, now, now),
    )


async def test_the_agenda_is_document_1_and_the_first_registered_contribution_is_2(world):
    """The agenda and the contributions share one numbered series: registering never takes /1."""

    def answer(r) -> str:  # the receipt comes as a follow-up when the bot deferred
        return (r.followups[-1] if r.followups else r.response).content

    await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await world.chair.slash(world.general, "agenda post", meeting=19)
    r = await world.delegate.slash(
        world.general, "contribution register", title="Online safety in schools", source="Ghana", agenda_item="5"
    )
    assert "Registered **CWG-COP-19/2**" in answer(r)
    r = await world.secretary.slash(
        world.general, "contribution register", title="Secretariat update", source="ITU", kind="information"
    )
    assert "Registered **CWG-COP-19/INF/1**" in answer(r)

    (post,) = agenda_posts(world)
    text = post.embeds[0].description
    assert "**Document CWG-COP-19/1**" in text
    assert "CWG-COP-19/2: Online safety in schools (Ghana)" in text
    assert "CWG-COP-19/INF/1: Secretariat update (ITU)" in text
    assert "CWG-COP-19/1:" not in text  # no document is listed under the agenda's own number

    r = await world.outsider.slash(world.general, "contribution show", number="19/1")
    assert r.ephemeral and "CWG-COP-19/1 is the agenda of the 19th meeting" in r.response.content
    assert "`/agenda show meeting:19`" in r.response.content


async def test_the_post_lists_documents_under_items_and_follows_them(world):
    meeting = await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Theme A", number="5.1")
    items = {i.title: i for i in await MeetingsRepo(world.bot.db).agenda(meeting.id)}
    await add_document(world, meeting.id, 2, "Contribution from the Philippines", items["Theme A"].id)
    await world.chair.slash(world.general, "agenda post", meeting=19)
    (post,) = agenda_posts(world)
    text = post.embeds[0].description
    assert "\u2003\u2003• CWG-COP-19/2: Contribution from the Philippines (Philippines)" in text
    assert text.index("5.1 Theme A") < text.index("CWG-COP-19/2")

    # The contributions feature registers more and withdraws one, then tells everyone.
    await add_document(world, meeting.id, 3, "Youth survey", items["Results of the youth online consultation"].id)
    await add_document(world, meeting.id, 4, "Unsorted paper", None)
    await world.bot.db.execute("UPDATE contributions SET status = 'withdrawn' WHERE seq = 2")
    await dispatch_and_settle(world.env, "contributions_changed", meeting.id)
    (post,) = agenda_posts(world)
    text = post.embeds[0].description
    assert "~~CWG-COP-19/2: Contribution from the Philippines (Philippines)~~ (withdrawn)" in text
    assert "CWG-COP-19/3: Youth survey (Philippines)" in text
    assert "**Documents not yet assigned to an item**" in text and "CWG-COP-19/4: Unsorted paper" in text
    assert post.embeds[0].title == "Draft agenda · 19th meeting of the CWG-COP"  # a refresh is not a revision
    assert len(await AgendaRepo(world.bot.db).revisions(meeting.id)) == 1

    # Starting again from the template tells the chair which documents lost their item.
    r = await world.chair.slash(world.general, "agenda template", meeting=19, replace=True)
    assert "2 document(s) assigned to the old items are now unassigned" in r.response.content
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM contributions WHERE agenda_item_id IS NOT NULL") == 0


# -- long agendas -----------------------------------------------------------------------------


async def test_a_very_long_agenda_is_split_and_shrinks_back(world):
    meeting = await create(world)
    repo = AgendaRepo(world.bot.db)
    for top in range(1, 31):
        parent = await repo.add(meeting.id, title=f"Item {top} " + "long title " * 17)
        for sub in range(1, 4):
            await repo.add(meeting.id, title=f"Sub-item {top}.{sub} " + "words " * 30, parent_id=parent.id)
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "takes" in r.response.content
    posts = agenda_posts(world)
    assert len(posts) >= 3
    assert all(m.pinned for m in posts)
    assert all(sum(len(e) for e in m.embeds) <= 6000 for m in posts)
    assert [bool(m.components) for m in posts] == [False] * (len(posts) - 1) + [True]
    text = post_text(posts)
    assert [int(n) for n in re.findall(r"\*\*(\d+)\. Item", text)] == list(range(1, 31))
    assert "30.3 Sub-item 30.3" in text
    assert posts[-1].embeds[-1].footer.text.endswith(f"part {len(posts)} of {len(posts)}")
    ids = tuple(m.id for m in posts)
    assert (await repo.post(meeting.id)).message_ids == ids
    r = await world.delegate.slash(world.general, "agenda show", meeting=19)
    assert len(r.followups) == len(posts) - 1

    # Back to the standard agenda: the first message is edited, the others are removed.
    await world.chair.slash(world.general, "agenda template", meeting=19, replace=True)
    await world.chair.slash(world.general, "agenda post", meeting=19, note="Shortened")
    (post,) = agenda_posts(world)
    assert post.id == ids[0]
    assert post.embeds[0].title.endswith("(Rev.1)")
    assert custom_ids(post)
    assert (await repo.post(meeting.id)).message_ids == (ids[0],)


# -- restarts and persistence -----------------------------------------------------------------


class RemindMeProbe(discord.ui.DynamicItem[discord.ui.Button], template=REMIND_ME_TEMPLATE):
    """Stands in for the reminders feature's handler: proves where a click lands."""

    clicks: list[int] = []

    def __init__(self, meeting_id: int) -> None:
        super().__init__(discord.ui.Button(label="Remind me", custom_id=REMIND_ME.format(meeting_id=meeting_id)))
        self.meeting_id = meeting_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["meeting_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        RemindMeProbe.clicks.append(self.meeting_id)
        await interaction.response.send_message("noted", ephemeral=True)


async def test_after_a_restart_the_post_is_still_edited_in_place_and_its_buttons_work(world, harness):
    meeting = await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await world.chair.slash(world.general, "agenda post", meeting=19)
    (post,) = agenda_posts(world)

    await harness.restart()
    RemindMeProbe.clicks = []
    world.bot.add_dynamic_items(RemindMeProbe)
    r = await world.delegate.click(post, label="Remind me")
    assert r.response.content == "noted"
    assert RemindMeProbe.clicks == [meeting.id]

    await world.chair.slash(world.general, "agenda add", meeting=19, title="Any news", number="8")
    r = await world.chair.slash(world.general, "agenda post", meeting=19, note="Item 8 added")
    assert "Rev.1" in r.response.content
    (revised,) = agenda_posts(world)
    assert revised.id == post.id
    assert "**8. Any news**" in revised.embeds[0].description
    # The meeting listeners of the restarted bot still follow changes.
    await world.chair.slash(world.general, "meeting edit", meeting=19, venue="Room A, ITU")
    assert "**Where:** Room A, ITU" in agenda_posts(world)[0].embeds[0].description


async def test_a_deleted_post_is_restored_by_posting_again(world):
    meeting = await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await world.chair.slash(world.general, "agenda post", meeting=19)
    (post,) = agenda_posts(world)
    world.env.backend.delete_message(world.agenda.id, post.id)
    await world.env.settle()
    # Automatic refreshes do not resurrect it...
    await add_document(world, meeting.id, 2, "A paper", None)
    await dispatch_and_settle(world.env, "contributions_changed", meeting.id)
    await add_document(world, meeting.id, 3, "Another paper", None)
    await dispatch_and_settle(world.env, "contributions_changed", meeting.id)
    assert agenda_posts(world) == []
    # ...the chair's repost does (no new revision: the agenda did not change).
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "no new revision" in r.response.content
    (restored,) = agenda_posts(world)
    assert restored.pinned and restored.id != post.id
    assert (await AgendaRepo(world.bot.db).post(meeting.id)).message_ids == (restored.id,)


# -- reading and exporting --------------------------------------------------------------------


async def test_export_is_document_1_published_for_participants_draft_for_organisers(world):
    await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    r = await world.delegate.slash(world.general, "agenda export", meeting=19, format="md")
    assert "has not been published yet" in r.response.content

    await world.chair.slash(world.general, "agenda post", meeting=19)
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Unpublished idea")

    r = await world.delegate.slash(world.general, "agenda export", meeting=19, format="md")
    (attachment,) = r.response.attachments
    assert attachment.filename == "cwg-cop-19-1-agenda.md"
    text = (await attachment.read()).decode()
    assert text.startswith("# 19th meeting of the CWG-COP\n")
    assert "**Document CWG-COP-19/1** · Draft agenda" in text
    assert "### 9 Closing of the meeting (Chair)" in text
    assert "Unpublished idea" not in text

    r = await world.chair.slash(world.general, "agenda export", meeting=19, format="txt")
    (attachment,) = r.response.attachments
    assert attachment.filename == "cwg-cop-19-1-agenda-draft.txt"
    text = (await attachment.read()).decode()
    assert "Document CWG-COP-19/1 - Draft agenda (not yet published)" in text
    assert "10    Unpublished idea" in text
    assert "not published yet" in r.response.content


async def test_meeting_show_links_the_published_agenda(world):
    meeting = await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await world.chair.slash(world.general, "agenda post", meeting=19)
    (post,) = agenda_posts(world)
    r = await world.delegate.slash(world.general, "meeting show", meeting=19)
    url = f"https://discord.com/channels/{world.guild.id}/{world.agenda.id}/{post.id}"
    assert f"[Posted in <#{world.agenda.id}>]({url})" in r.response.embeds[0].description
    assert meeting.id


def message_edits(world) -> int:
    return sum(
        1
        for entry in world.env.http_requests
        if entry.method == "PATCH" and entry.path.startswith(f"/channels/{world.agenda.id}/messages/")
    )


async def test_a_refresh_that_changes_nothing_sends_nothing(world):
    meeting = await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await world.chair.slash(world.general, "agenda post", meeting=19)
    edits = message_edits(world)
    await dispatch_and_settle(world.env, "contributions_changed", meeting.id)
    assert message_edits(world) == edits
    await add_document(world, meeting.id, 2, "A paper", None)
    await dispatch_and_settle(world.env, "contributions_changed", meeting.id)
    assert message_edits(world) == edits + 1


async def test_on_restart_posts_catch_up_with_changes_whose_event_was_lost(world, harness):
    meeting = await create(world)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    await world.chair.slash(world.general, "agenda post", meeting=19)
    # The process "stopped" after committing a change and before dispatching its event.
    await MeetingsRepo(world.bot.db).update(meeting.id, venue="Room B, ITU")
    await harness.restart()
    await world.env.settle()
    (post,) = agenda_posts(world)
    assert "**Where:** Room B, ITU" in post.embeds[0].description
    # A restart with nothing to catch up on edits nothing.
    edits = message_edits(world)
    await harness.restart()
    await world.env.settle()
    assert message_edits(world) == edits
