"""Agenda rules: item references, placement, how an agenda reads, and splitting to Discord's limits."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest
from factories import contribution, meeting
from simcord.components import validate_embeds

from cogs.agenda import _rules
from cogs.agenda._post import to_embeds
from cogs.agenda._rules import AgendaView, Edition
from cogs.core.errors import UserError
from storage.meetings import number_agenda

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def items_from(outline: list[tuple[int, int | None, int, str]]):
    """(id, parent_id, position, title) rows → numbered items, as storage returns them."""
    rows = [
        {"id": i, "meeting_id": 1, "parent_id": p, "position": pos, "title": t, "presenter": None, "minutes": None}
        for i, p, pos, t in outline
    ]
    return number_agenda(rows)


AGENDA = items_from(
    [
        (10, None, 1, "Opening of the meeting"),
        (11, None, 2, "Adoption of the agenda"),
        (12, None, 3, "Consideration of contributions"),
        (13, 12, 1, "Theme A: online safety"),
        (14, 12, 2, "Theme B: youth participation"),
        (15, None, 4, "Any other business"),
        (16, None, 5, "Closing of the meeting"),
    ]
)


def by_id(items, item_id):
    return next(i for i in items if i.id == item_id)


def doc(seq: int, item_id: int | None, *, title: str = "Contribution", status: str = "submitted", late=False):
    return contribution(id=seq, seq=seq, agenda_item_id=item_id, title=title, status=status, is_late=late)


def view(items=AGENDA, documents=(), edition=None, **meeting_overrides) -> AgendaView:
    return AgendaView(
        meeting=meeting(**meeting_overrides),
        group_code="CWG-COP",
        items=items,
        documents=list(documents),
        edition=edition or Edition(revision=0, published_at=NOW, first_published_at=NOW),
    )


# -- numbering and references -----------------------------------------------------------------


def test_numbers_are_derived_from_positions():
    assert [i.number for i in AGENDA] == ["1", "2", "3", "3.1", "3.2", "4", "5"]


def test_the_list_value_is_the_id_and_is_found_whatever_the_numbering():
    theme_b = by_id(AGENDA, 14)
    assert _rules.item_value(theme_b) == "id:14"
    assert _rules.find_item(AGENDA, "id:14", 19) is theme_b


@pytest.mark.parametrize(("typed", "item_id"), [("3.2", 14), ("item 4", 15), (" 1 ", 10), ("3.", 12)])
def test_a_typed_number_finds_the_item(typed, item_id):
    assert _rules.find_item(AGENDA, typed, 19).id == item_id


def test_a_unique_title_finds_the_item():
    assert _rules.find_item(AGENDA, "any other business", 19).id == 15
    assert _rules.find_item(AGENDA, "youth", 19).id == 14


def test_unclear_references_are_refused():
    with pytest.raises(UserError, match="matches several items"):
        _rules.find_item(AGENDA, "the meeting", 19)
    with pytest.raises(UserError, match=r"There is no item 3\.3"):
        _rules.find_item(AGENDA, "3.3", 19)
    with pytest.raises(UserError, match="not on the agenda"):
        _rules.find_item(AGENDA, "id:999", 19)
    with pytest.raises(UserError, match="No item"):
        _rules.find_item(AGENDA, "budget", 19)
    with pytest.raises(UserError, match="is empty"):
        _rules.find_item([], "1", 19)


def test_labels_fit_discord_choices():
    long = items_from([(1, None, 1, "x" * 300)])
    assert len(_rules.item_label(long[0])) == 100


# -- placing new items ------------------------------------------------------------------------


def test_a_new_item_goes_last_by_default():
    assert _rules.place_new(AGENDA, number=None, after=None) == _rules.Placement(None, 6, "6")


def test_a_new_item_at_a_number():
    assert _rules.place_new(AGENDA, number="2", after=None) == _rules.Placement(None, 2, "2")
    assert _rules.place_new(AGENDA, number="6", after=None) == _rules.Placement(None, 6, "6")
    assert _rules.place_new(AGENDA, number="3.1", after=None) == _rules.Placement(12, 1, "3.1")
    assert _rules.place_new(AGENDA, number="3.3", after=None) == _rules.Placement(12, 3, "3.3")
    assert _rules.place_new(AGENDA, number="4.1", after=None) == _rules.Placement(15, 1, "4.1")


def test_a_new_item_after_another_stays_at_its_level():
    assert _rules.place_new(AGENDA, number=None, after=by_id(AGENDA, 11)) == _rules.Placement(None, 3, "3")
    assert _rules.place_new(AGENDA, number=None, after=by_id(AGENDA, 13)) == _rules.Placement(12, 2, "3.2")


@pytest.mark.parametrize("number", ["0", "7", "3.4", "9.1", "3.0", "1.2.3", "two", "-1"])
def test_impossible_numbers_are_refused(number):
    with pytest.raises(UserError):
        _rules.place_new(AGENDA, number=number, after=None)


def test_number_and_after_together_are_refused():
    with pytest.raises(UserError, match="either"):
        _rules.place_new(AGENDA, number="2", after=by_id(AGENDA, 10))


def test_an_agenda_has_a_size_limit():
    big = items_from([(i, None, i, f"Item {i}") for i in range(1, _rules.MAX_ITEMS + 1)])
    with pytest.raises(UserError, match="at most"):
        _rules.place_new(big, number=None, after=None)


# -- moving -----------------------------------------------------------------------------------


def test_move_target_is_the_number_the_item_will_have():
    closing = by_id(AGENDA, 16)
    assert _rules.place_move(AGENDA, closing, "1") == _rules.Placement(None, 1, "1")
    opening = by_id(AGENDA, 10)
    # Without "Opening", item 2 is "Consideration of contributions", which has two sub-items.
    assert _rules.place_move(AGENDA, opening, "2.3") == _rules.Placement(12, 3, "2.3")


def test_a_sub_item_can_be_promoted_and_reordered():
    theme_b = by_id(AGENDA, 14)
    assert _rules.place_move(AGENDA, theme_b, "4") == _rules.Placement(None, 4, "4")
    assert _rules.place_move(AGENDA, theme_b, "3.1") == _rules.Placement(12, 1, "3.1")


def test_an_item_with_sub_items_cannot_become_a_sub_item():
    with pytest.raises(UserError, match="has sub-items"):
        _rules.place_move(AGENDA, by_id(AGENDA, 12), "2.1")


def test_moving_to_where_it_is_is_refused():
    with pytest.raises(UserError, match="already there"):
        _rules.place_move(AGENDA, by_id(AGENDA, 13), "3.1")


@pytest.mark.parametrize("target", ["0", "7", "3.3", "7.1", "x"])
def test_impossible_move_targets_are_refused(target):
    with pytest.raises(UserError):
        _rules.place_move(AGENDA, by_id(AGENDA, 14), target)


# -- how the agenda reads ---------------------------------------------------------------------


def test_the_post_lists_items_and_documents_under_them():
    documents = [
        doc(2, 13, title="Online safety in schools"),
        doc(3, 13, title="Withdrawn idea", status="withdrawn"),
        doc(4, 15, title="Late note", late=True),
        doc(5, None, title="Not assigned yet"),
    ]
    text = "\n".join(_rules.post_blocks(view(documents=documents)))
    assert "**3. Consideration of contributions**" in text
    assert "\u20033.1 Theme A: online safety" in text
    assert "CWG-COP-19/2: Online safety in schools (Ghana)" in text
    assert "~~CWG-COP-19/3: Withdrawn idea (Ghana)~~ (withdrawn)" in text
    assert "CWG-COP-19/4: Late note (Ghana) (late)" in text
    assert text.index("Theme A") < text.index("19/2") < text.index("Theme B")
    assert "**Documents not yet assigned to an item**" in text
    assert text.index("Not assigned yet") > text.index("Closing")


def test_the_header_shows_local_and_geneva_time_and_the_revision():
    header = _rules.post_header(view(edition=Edition(revision=2, note="Item 6 added", published_at=NOW)))
    assert "**Document CWG-COP-19/1**" in header
    unix = int(meeting().starts_at.timestamp())
    assert f"<t:{unix}:F> (<t:{unix}:R>)" in header
    assert "26 January 2027, 10.00-17.30 hours Geneva time (CET)" in header
    assert "**Rev.2** (28 November 2026): Item 6 added" in header
    assert _rules.post_title(view(edition=Edition(revision=2))) == "Draft agenda · 19th meeting of the CWG-COP (Rev.2)"


def test_a_cancelled_meeting_says_so_first():
    v = view(status="cancelled", cancel_reason="No quorum")
    assert _rules.post_title(v).startswith("CANCELLED · ")
    assert _rules.post_header(v).startswith("**This meeting has been cancelled.** Reason: No quorum")


def test_user_text_cannot_inject_markdown():
    items = items_from([(1, None, 1, "**Bold** [click](https://evil.example) ~~x~~")])
    block = _rules.post_blocks(view(items=items))[0]
    assert "\\*\\*Bold\\*\\* \\[click\\](https://evil.example) \\~\\~x\\~\\~" in block


def valid_for_discord(messages) -> None:
    for pages in messages:
        embeds = to_embeds(pages, cancelled=False)
        validate_embeds([e.to_dict() for e in embeds])  # simcord applies Discord's limits


def test_a_very_long_agenda_is_split_into_messages_discord_accepts():
    outline = []
    for top in range(1, 41):
        outline.append((top * 100, None, top, f"Top-level item number {top} " + "t" * 150))
        outline += [(top * 100 + s, top * 100, s, f"Sub-item {top}.{s} " + "s" * 150) for s in range(1, 4)]
    items = items_from(outline)
    documents = [doc(n, 100 + (n % 3) + 1, title="A long contribution title " + "d" * 200) for n in range(2, 60)]
    messages = _rules.post_pages(view(items=items, documents=documents))
    assert len(messages) > 3
    valid_for_discord(messages)
    text = "\n".join(p.description for pages in messages for p in pages)
    positions = [text.index(f"Top-level item number {top} ") for top in range(1, 41)]
    assert positions == sorted(positions)
    assert all(f"CWG-COP-19/{n}:" in text for n in range(2, 60))
    assert messages[0][0].title == "Draft agenda · 19th meeting of the CWG-COP"
    assert messages[1][0].title.endswith("(continued)")
    assert messages[-1][-1].footer.endswith(f"part {len(messages)} of {len(messages)}")


def test_one_item_with_hundreds_of_documents_is_split_inside_the_item():
    items = items_from([(1, None, 1, "Consideration of contributions")])
    documents = [doc(n, 1, title="Contribution " + "x" * 900) for n in range(2, 40)]
    messages = _rules.post_pages(view(items=items, documents=documents))
    valid_for_discord(messages)
    assert sum(len(pages) for pages in messages) > 5


def test_a_short_agenda_is_one_embed():
    messages = _rules.post_pages(view())
    assert len(messages) == 1 and len(messages[0]) == 1
    assert messages[0][0].footer == "Published 28 November 2026"


# -- export -----------------------------------------------------------------------------------


def test_markdown_export_is_document_1():
    text = _rules.export_markdown(
        view(documents=[doc(2, 13, title="Safety")], edition=Edition(revision=1, note="Moved", published_at=NOW))
    )
    assert text.startswith("# 19th meeting of the CWG-COP\n")
    assert "**Document CWG-COP-19/1** · Draft agenda (Rev.1)" in text
    assert "### 3 Consideration of contributions" in text
    assert "#### 3.1 Theme A: online safety" in text
    assert "- CWG-COP-19/2: Safety (Ghana)" in text
    assert "- **Rev.1** (28 November 2026): Moved" in text


def test_text_export_lines_up_numbers():
    text = _rules.export_text(view(edition=Edition(revision=None)))
    assert "Document CWG-COP-19/1 - Draft agenda (not yet published)" in text
    assert "\n1     Opening of the meeting\n" in text
    assert "\n    3.1   Theme A: online safety\n" in text


def test_embeds_use_discord_types():
    (pages,) = _rules.post_pages(view())
    assert isinstance(to_embeds(pages, cancelled=True)[0], discord.Embed)
