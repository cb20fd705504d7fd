"""The agenda as members read it, whole: the post (title, header, blocks, footer) and both exports of a
cancelled, revised agenda with presenters, durations, sub-items and documents of every status.

Written against mutation testing (tools/mutate.py): the whole text is compared, so any changed word,
mark, indent or date fails.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from factories import contribution, meeting

from cogs.agenda import _rules
from cogs.agenda._rules import AgendaView, Edition
from cogs.core.errors import UserError
from storage.meetings import number_agenda

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
EM = "\u2003"


def row(item_id, parent_id, position, title, presenter=None, minutes=None):
    return {
        "id": item_id,
        "meeting_id": 1,
        "parent_id": parent_id,
        "position": position,
        "title": title,
        "presenter": presenter,
        "minutes": minutes,
    }


ITEMS = number_agenda(
    [
        row(10, None, 1, "Opening", "Chair", 10),
        row(12, None, 2, "Contributions"),
        row(13, 12, 1, "Theme *A*", "Ghana"),
        row(15, None, 3, "Closing", None, 5),
    ]
)
DOCS = [
    contribution(id=1, seq=2, agenda_item_id=12, title="Age assurance", source="Ghana"),
    contribution(id=2, seq=3, agenda_item_id=13, title="Gone", status="withdrawn"),
    contribution(id=3, seq=4, agenda_item_id=13, title="No", status="rejected"),
    contribution(id=4, seq=5, agenda_item_id=13, title="Late one", status="late", is_late=True),
    contribution(id=5, seq=6, agenda_item_id=None, title="Loose", source="Kenya"),
]
# Rev.2 published on 10 January 2027 at 23.30 UTC: already 11 January in Geneva.
REV2 = Edition(
    revision=2,
    note="Item 3 added",
    published_at=datetime(2027, 1, 10, 23, 30, tzinfo=UTC),
    first_published_at=NOW,
    unpublished_changes=True,
)


def full_view(**meeting_changes) -> AgendaView:
    changes = {"status": "cancelled", "cancel_reason": "No quorum", "channel_id": 77} | meeting_changes
    return AgendaView(meeting=meeting(**changes), group_code="CWG-COP", items=ITEMS, documents=DOCS, edition=REV2)


def test_the_post_of_a_cancelled_revised_agenda_reads_in_full():
    view = full_view()
    assert _rules.post_title(view) == "CANCELLED · Draft agenda · 19th meeting of the CWG-COP (Rev.2)"
    assert _rules.post_header(view) == (
        "**This meeting has been cancelled.** Reason: No quorum\n\n"
        "**Document CWG-COP-19/1**\n"
        "**When:** <t:1800954000:F> (<t:1800954000:R>)\n"
        "26 January 2027, 10.00-17.30 hours Geneva time (CET)\n"
        "**Where:** ITU headquarters, Geneva\n"
        "**Join online:** https://itu.zoom.us/j/123\n"
        "**Meeting chat:** <#77>\n"
        "**Rev.2** (11 January 2027): Item 3 added"
    )
    assert _rules.post_blocks(view) == [
        "**1. Opening** (Chair, 10 min)",
        "**2. Contributions**\n"
        f"{EM}• CWG-COP-19/2: Age assurance (Ghana)\n"
        f"{EM}2.1 Theme \\*A\\* (Ghana)\n"
        f"{EM}{EM}• ~~CWG-COP-19/3: Gone (Ghana)~~ (withdrawn)\n"
        f"{EM}{EM}• ~~CWG-COP-19/4: No (Ghana)~~ (not accepted)\n"
        f"{EM}{EM}• CWG-COP-19/5: Late one (Ghana) (late)",
        "**3. Closing** (5 min)",
        f"**Documents not yet assigned to an item**\n{EM}• CWG-COP-19/6: Loose (Kenya)",
    ]
    assert _rules.post_footer(view) == "Published 28 November 2026 · Rev.2 · the draft has unpublished changes"


def test_the_markdown_export_reads_in_full():
    assert _rules.export_markdown(full_view()) == (
        "# 19th meeting of the CWG-COP\n\n"
        "**Document CWG-COP-19/1** · Draft agenda (Rev.2)\n\n"
        "**This meeting has been cancelled.** Reason: No quorum\n\n"
        "- **When:** 26 January 2027, 10.00-17.30 hours Geneva time (CET)\n"
        "- **Where:** ITU headquarters, Geneva\n"
        "- **Join online:** <https://itu.zoom.us/j/123>\n"
        "- **Rev.2** (11 January 2027): Item 3 added\n\n"
        "## Agenda\n\n"
        "### 1 Opening (Chair, 10 min)\n\n"
        "### 2 Contributions\n\n"
        "- CWG-COP-19/2: Age assurance (Ghana)\n\n"
        "#### 2.1 Theme \\*A\\* (Ghana)\n\n"
        "- CWG-COP-19/3: Gone (Ghana) \\[withdrawn\\]\n"
        "- CWG-COP-19/4: No (Ghana) \\[not accepted\\]\n"
        "- CWG-COP-19/5: Late one (Ghana) (late)\n\n"
        "### 3 Closing (5 min)\n\n"
        "## Documents not yet assigned to an item\n\n"
        "- CWG-COP-19/6: Loose (Kenya)\n"
    )


def test_the_text_export_reads_in_full():
    assert _rules.export_text(full_view()) == (
        "19th meeting of the CWG-COP\n"
        "Document CWG-COP-19/1 - Draft agenda (Rev.2)\n\n"
        "THIS MEETING HAS BEEN CANCELLED. Reason: No quorum\n\n"
        "When:  26 January 2027, 10.00-17.30 hours Geneva time (CET)\n"
        "Where: ITU headquarters, Geneva\n"
        "Join:  https://itu.zoom.us/j/123\n"
        "Rev.2 (11 January 2027): Item 3 added\n\n"
        "AGENDA\n\n"
        "1     Opening (Chair, 10 min)\n"
        "2     Contributions\n"
        "      - CWG-COP-19/2: Age assurance (Ghana)\n"
        "    2.1   Theme *A* (Ghana)\n"
        "          - CWG-COP-19/3: Gone (Ghana) [withdrawn]\n"
        "          - CWG-COP-19/4: No (Ghana) [not accepted]\n"
        "          - CWG-COP-19/5: Late one (Ghana) (late)\n"
        "3     Closing (5 min)\n\n"
        "Documents not yet assigned to an item:\n"
        "      - CWG-COP-19/6: Loose (Kenya)\n"
    )


def bare_view(edition: Edition, items=(), **meeting_changes) -> AgendaView:
    changes = {"venue": None, "link": None} | meeting_changes
    return AgendaView(meeting=meeting(**changes), group_code="CWG-COP", items=items, documents=[], edition=edition)


def test_an_unpublished_empty_agenda_without_venue_or_link():
    view = bare_view(Edition(revision=None, unpublished_changes=True))
    assert _rules.post_title(view) == "Draft agenda · 19th meeting of the CWG-COP"
    assert _rules.post_header(view) == (
        "**Document CWG-COP-19/1**\n"
        "**When:** <t:1800954000:F> (<t:1800954000:R>)\n"
        "26 January 2027, 10.00-17.30 hours Geneva time (CET)"
    )
    assert _rules.post_blocks(view) == ["*The agenda has no items yet.*"]
    assert _rules.post_footer(view) == "Draft, not yet published (unpublished changes)"
    assert _rules.post_footer(bare_view(Edition(revision=None))) == "Draft, not yet published"
    assert _rules.export_markdown(view) == (
        "# 19th meeting of the CWG-COP\n\n"
        "**Document CWG-COP-19/1** · Draft agenda (not yet published)\n\n"
        "- **When:** 26 January 2027, 10.00-17.30 hours Geneva time (CET)\n\n"
        "## Agenda\n\n"
        "*No items yet.*\n"
    )
    assert _rules.export_text(view) == (
        "19th meeting of the CWG-COP\n"
        "Document CWG-COP-19/1 - Draft agenda (not yet published)\n\n"
        "When:  26 January 2027, 10.00-17.30 hours Geneva time (CET)\n\n"
        "AGENDA\n"
    )


def test_the_last_item_with_documents_and_several_unassigned_documents():
    items = number_agenda([row(10, None, 1, "Opening"), row(12, None, 2, "Contributions")])
    docs = [
        contribution(id=1, seq=2, agenda_item_id=12, title="Age assurance", source="Ghana"),
        contribution(id=2, seq=3, agenda_item_id=None, title="Loose", source="Kenya"),
        contribution(id=3, seq=4, agenda_item_id=None, title="Gone", status="withdrawn"),
    ]
    view = AgendaView(meeting=meeting(), group_code="CWG-COP", items=items, documents=docs, edition=REV2)
    assert _rules.post_blocks(view)[1:] == [
        f"**2. Contributions**\n{EM}• CWG-COP-19/2: Age assurance (Ghana)",
        f"**Documents not yet assigned to an item**\n{EM}• CWG-COP-19/3: Loose (Kenya)\n"
        f"{EM}• ~~CWG-COP-19/4: Gone (Ghana)~~ (withdrawn)",
    ]
    assert _rules.export_markdown(view).endswith(
        "## Documents not yet assigned to an item\n\n"
        "- CWG-COP-19/3: Loose (Kenya)\n- CWG-COP-19/4: Gone (Ghana) \\[withdrawn\\]\n"
    )
    assert _rules.export_text(view).endswith(
        "Documents not yet assigned to an item:\n"
        "      - CWG-COP-19/3: Loose (Kenya)\n      - CWG-COP-19/4: Gone (Ghana) [withdrawn]\n"
    )


def test_the_first_edition_has_no_revision_line_in_the_exports():
    view = bare_view(Edition(revision=0, published_at=NOW, first_published_at=NOW))
    assert not [line for line in _rules.export_markdown(view).splitlines() if "Rev." in line]
    assert not [line for line in _rules.export_text(view).splitlines() if "Rev." in line]


def test_a_first_edition_with_a_note_and_a_cancellation_without_reason():
    view = bare_view(Edition(revision=0, note="Provisional", published_at=NOW), status="cancelled")
    assert _rules.post_header(view).splitlines()[0] == "**This meeting has been cancelled.**"
    assert _rules.post_header(view).splitlines()[-1] == "**Note:** Provisional"
    assert _rules.post_footer(view) == "Published 28 November 2026"
    assert _rules.export_markdown(view).splitlines()[4] == "**This meeting has been cancelled.**"
    assert _rules.export_text(view).splitlines()[3] == "THIS MEETING HAS BEEN CANCELLED."
    assert _rules.post_footer(bare_view(Edition(revision=0))) == "Published"


def test_a_revision_without_a_note_shows_only_its_date():
    view = bare_view(Edition(revision=1, published_at=NOW, first_published_at=NOW))
    assert _rules.post_header(view).splitlines()[-1] == "**Rev.1** (28 November 2026)"
    assert "- **Rev.1** (28 November 2026)" in _rules.export_markdown(view).splitlines()
    assert "Rev.1 (28 November 2026)" in _rules.export_text(view).splitlines()


# -- fields --------------------------------------------------------------------------------------


def refusal(call, *args) -> str:
    with pytest.raises(UserError) as caught:
        call(*args)
    return str(caught.value)


def test_item_fields_have_limits_stated_in_the_refusal():
    assert _rules.clean_item_title(" a \n b ") == "a b"
    assert refusal(_rules.clean_item_title, None) == "The item needs a title, e.g. `Consideration of contributions`."
    assert _rules.clean_presenter(" Ms \n Chair ") == "Ms Chair"
    assert _rules.clean_note(" Item 3 \n added ") == "Item 3 added"
    assert _rules.clean_item_title("t" * 200) == "t" * 200
    assert refusal(_rules.clean_item_title, "t" * 201) == "The title is 201 characters long; keep it to 200."
    assert refusal(_rules.clean_item_title, " ") == "The item needs a title, e.g. `Consideration of contributions`."
    assert _rules.clean_presenter("p" * 100) == "p" * 100
    assert _rules.clean_presenter("  ") is None
    assert _rules.clean_presenter(None) is None
    assert refusal(_rules.clean_presenter, "p" * 101) == "The presenter is 101 characters long; keep it to 100."
    assert _rules.clean_note("n" * 300) == "n" * 300
    assert _rules.clean_note(" ") is None
    assert _rules.clean_note(None) is None
    assert refusal(_rules.clean_note, "n" * 301) == "The note is 301 characters long; keep it to 300."


def test_a_draft_note_is_not_shown_before_the_agenda_is_published():
    view = bare_view(Edition(revision=None, note="Internal remark"))
    assert "Internal remark" not in _rules.post_header(view)
