"""The contribution rules, with plain values: validation, deadlines, numbers, decisions, exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import factories
import pytest

from cogs.contributions import _rules
from cogs.core.errors import UserError
from storage.meetings import AgendaItem, Meeting

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)


# The document these tests decide on and export: CWG-COP-19/3, "Age assurance" from Ghana, submitted by
# user 100, received on 1 January 2027.
doc = factories.contribution


def meeting(start: datetime, **changes) -> Meeting:
    """A meeting opening at ``start`` and lasting 7 hours."""
    return factories.meeting(starts_at=start, ends_at=start + timedelta(hours=7), **changes)


def item(item_id: int, number: str, title: str = "Item", parent_id: int | None = None) -> AgendaItem:
    return AgendaItem(
        id=item_id,
        meeting_id=1,
        parent_id=parent_id,
        position=1,
        title=title,
        presenter=None,
        minutes=None,
        number=number,
    )


# -- text fields ----------------------------------------------------------------------------


def test_title_is_trimmed_to_one_line():
    assert _rules.clean_title("  Age \n assurance  ") == "Age assurance"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_empty_title_is_refused_with_the_limit(value):
    with pytest.raises(UserError, match=r"title is empty.*1 to 200"):
        _rules.clean_title(value)


def test_title_limit_is_200_characters():
    assert _rules.clean_title("x" * 200) == "x" * 200
    with pytest.raises(UserError, match=r"too long \(201 characters\).*200"):
        _rules.clean_title("x" * 201)


def test_source_limit_is_100_characters():
    assert _rules.clean_source("y" * 100) == "y" * 100
    with pytest.raises(UserError, match="100"):
        _rules.clean_source("y" * 101)
    with pytest.raises(UserError, match="source is empty"):
        _rules.clean_source(" ")


def test_abstract_keeps_paragraphs_and_has_a_limit():
    assert _rules.clean_abstract("One.\n\n\n\nTwo  words.") == "One.\n\nTwo words."
    assert _rules.clean_abstract("   ") is None
    with pytest.raises(UserError, match="1000"):
        _rules.clean_abstract("z" * 1001)


@pytest.mark.parametrize(
    "url",
    ["https://www.itu.int/md/S22-CWGCOP18-C-0003/en", "http://example.org/doc.pdf", "HTTPS://EXAMPLE.ORG/x"],
)
def test_web_links_are_kept(url):
    assert _rules.clean_link(f"  {url} ") == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/doc.pdf",
        "javascript:alert(1)",
        "www.itu.int/doc",
        "https://",
        "https://exa mple.org/x",
        "https://example.org/" + "a" * 500,
    ],
)
def test_other_links_are_refused(url):
    with pytest.raises(UserError, match="http:// or https://"):
        _rules.clean_link(url)


def test_empty_link_means_none():
    assert _rules.clean_link("  ") is None


# -- files ----------------------------------------------------------------------------------

ALLOWED = "pdf,docx,pptx"


def test_accepted_file_gets_a_safe_name():
    name = _rules.check_file("C:\\Users\\me\\Ghana <final>.PDF", 1000, max_mb=25, allowed=ALLOWED, upload_limit=None)
    assert name == "Ghana _final.pdf"


def test_file_type_refusal_lists_accepted_types():
    with pytest.raises(UserError, match=r"\.exe file.*\.pdf, \.docx, \.pptx"):
        _rules.check_file("setup.exe", 10, max_mb=25, allowed=ALLOWED, upload_limit=None)
    with pytest.raises(UserError, match="without an extension"):
        _rules.check_file("README", 10, max_mb=25, allowed=ALLOWED, upload_limit=None)


def test_file_size_refusals_say_the_limit():
    with pytest.raises(UserError, match="up to 2 MB"):
        _rules.check_file("a.pdf", 2 * 1024 * 1024 + 1, max_mb=2, allowed=ALLOWED, upload_limit=None)
    with pytest.raises(UserError, match="Discord lets me re-post"):
        _rules.check_file("a.pdf", 11 * 1024 * 1024, max_mb=25, allowed=ALLOWED, upload_limit=10 * 1024 * 1024)
    with pytest.raises(UserError, match="empty"):
        _rules.check_file("a.pdf", 0, max_mb=25, allowed=ALLOWED, upload_limit=None)


def test_sha256_is_hex():
    assert _rules.sha256(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


# -- deadlines ------------------------------------------------------------------------------


def test_deadline_is_calendar_days_before_at_the_same_geneva_time_across_dst():
    # 2027-04-06 10:00 CEST (08:00 UTC); 12 days earlier is 25 March 10:00 CET (09:00 UTC).
    m = meeting(datetime(2027, 4, 6, 8, 0, tzinfo=UTC))
    assert _rules.deadline_for(m, 12) == datetime(2027, 3, 25, 9, 0, tzinfo=UTC)


def test_on_time_then_late():
    m = meeting(NOW + timedelta(days=20))
    assert _rules.timing(m, NOW, 12) == _rules.Timing(deadline=NOW + timedelta(days=8), late=False)
    assert _rules.timing(m, NOW + timedelta(days=8), 12).late is False  # at the deadline: on time
    late = _rules.timing(m, NOW + timedelta(days=8, seconds=1), 12)
    assert late.late and late.status == "late"


def test_during_the_meeting_is_late_but_accepted_after_the_end_refused():
    m = meeting(NOW - timedelta(hours=1))
    assert _rules.timing(m, NOW, 12).late
    with pytest.raises(UserError, match="has ended"):
        _rules.timing(m, NOW + timedelta(hours=6), 12)


def test_cancelled_meeting_takes_no_documents():
    with pytest.raises(UserError, match="cancelled"):
        _rules.timing(meeting(NOW + timedelta(days=30), status="cancelled"), NOW, 12)


def test_information_documents_follow_the_posting_deadline():
    assert _rules.deadline_days("information", 12, 7) == 7
    assert _rules.deadline_days("contribution", 12, 7) == 12


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CWG-COP-19/3", (19, "contribution", 3)),
        ("cwg-cop-19/3", (19, "contribution", 3)),
        ("19/3", (19, "contribution", 3)),
        (" 19 / 3 ", (19, "contribution", 3)),
        ("CWG-COP-19/INF/1", (19, "information", 1)),
        ("19/inf/12", (19, "information", 12)),
        ("CWG-COP-18/5(Rev.1)", (18, "contribution", 5)),
        ("CWG-COP-18/5 (Rev. 2)", (18, "contribution", 5)),
        ("OTHER-GROUP-7/2", (7, "contribution", 2)),
    ],
)
def test_numbers_typed_or_picked(text, expected):
    ref = _rules.parse_number(text)
    assert (ref.meeting_number, ref.kind, ref.seq) == expected


@pytest.mark.parametrize("text", ["", "3", "CWG-COP-19", "19/", "/3", "19/INF", "nineteen/3", "19/3/4"])
def test_not_numbers(text):
    with pytest.raises(UserError, match="not a document number"):
        _rules.parse_number(text)


def test_picker_matches_number_title_or_source():
    c = doc()
    assert _rules.matches(c, "")
    assert _rules.matches(c, "19/3")
    assert _rules.matches(c, "assurance")
    assert _rules.matches(c, "ghana")
    assert not _rules.matches(c, "19/4")
    assert not _rules.matches(c, "education")


# -- agenda items ---------------------------------------------------------------------------

ITEMS = [item(1, "1", "Opening"), item(5, "5", "Contributions"), item(51, "5.1", "Age assurance", parent_id=5)]


@pytest.mark.parametrize("text", ["5.1", "item 5.1", "5.1 Age assurance", "5.1."])
def test_agenda_item_by_number(text):
    assert _rules.find_agenda_item(ITEMS, text, 19).id == 51


def test_no_agenda_item_given():
    assert _rules.find_agenda_item(ITEMS, "  ", 19) is None


def test_unknown_agenda_item_lists_the_real_ones():
    with pytest.raises(UserError, match=r"no agenda item `5\.2`.*1, 5, 5\.1"):
        _rules.find_agenda_item(ITEMS, "5.2", 19)
    with pytest.raises(UserError, match="no agenda items yet"):
        _rules.find_agenda_item([], "1", 19)


# -- decisions ------------------------------------------------------------------------------


def test_accept_late_document_keeps_it_marked_late():
    change = _rules.accept("Considered under 5.1")(doc(status="late", is_late=True))
    assert change.action == "accepted"
    assert change.updates == {"status": "accepted", "status_reason": "Considered under 5.1"}


@pytest.mark.parametrize(
    ("decision", "status", "message"),
    [
        (_rules.accept(None), "accepted", "already accepted"),
        (_rules.accept(None), "withdrawn", "withdrawn"),
        (_rules.reject(None), "rejected", "already"),
        (_rules.reject(None), "withdrawn", "withdrawn"),
        (_rules.withdraw(None), "withdrawn", "already withdrawn"),
        (_rules.assign(None), "withdrawn", "withdrawn"),
        (_rules.revise(title="New"), "withdrawn", "withdrawn"),
    ],
)
def test_decisions_refused(decision, status, message):
    with pytest.raises(UserError, match=message):
        decision(doc(status=status))


def test_assign_and_unassign():
    target = ITEMS[2]
    change = _rules.assign(target)(doc())
    assert change.updates == {"agenda_item_id": 51}
    assert change.detail == "item 5.1: Age assurance"
    with pytest.raises(UserError, match=r"already under agenda item 5\.1"):
        _rules.assign(target)(doc(agenda_item_id=51))
    assert _rules.assign(None)(doc(agenda_item_id=51)).updates == {"agenda_item_id": None}


def test_revise_bumps_the_revision_and_says_what_changed():
    new_file = _rules.NewFile("v2.pdf", 10, "b" * 64)
    change = _rules.revise(title="Age assurance, revised", file=new_file)(doc(revision=1, file_sha256="a" * 64))
    assert change.action == "revised"
    assert change.updates["revision"] == 2
    assert change.updates["title"] == "Age assurance, revised"
    assert change.updates["file_message_url"] is None
    assert change.detail == "Rev.2: new title, file v2.pdf"


def test_revise_with_nothing_new_is_refused():
    with pytest.raises(UserError, match="Nothing to revise"):
        _rules.revise(title="Age assurance")(doc())
    with pytest.raises(UserError, match="same file"):
        _rules.revise(file=_rules.NewFile("x.pdf", 1, "a" * 64))(doc(file_sha256="a" * 64))


def test_submitter_or_organiser_may_manage():
    assert _rules.may_manage(doc(), 100, False)
    assert _rules.may_manage(doc(), 200, True)
    assert not _rules.may_manage(doc(), 200, False)


# -- exports --------------------------------------------------------------------------------


def export_docs():
    """A meeting's documents, out of order: contributions /2 to /5 (/1 is the agenda) and INF/1."""
    return [
        doc(id=3, kind="information", seq=1, title="Secretariat update", source="Secretariat"),
        doc(id=2, seq=3, title='=HYPERLINK("http://x")', source="Côte d'Ivoire", status="late", is_late=True),
        doc(id=1, seq=2, title="Pipes | in title", agenda_item_id=51, status="accepted", revision=1),
        doc(id=4, seq=4, title="Gone", status="withdrawn"),
        doc(id=5, seq=5, title="Late but fine", status="accepted", is_late=True),
    ]


def test_export_rows_in_number_order_with_itu_status():
    rows = _rules.export_rows(export_docs(), {51: "5.1"})
    assert [r.number for r in rows] == [
        "CWG-COP-19/2(Rev.1)",
        "CWG-COP-19/3",
        "CWG-COP-19/4",
        "CWG-COP-19/5",
        "CWG-COP-19/INF/1",
    ]
    assert [r.status for r in rows] == ["Accepted", "Late", "Withdrawn", "Accepted (late)", "Submitted"]
    assert rows[0].agenda_item == "5.1"


def test_csv_is_excel_friendly_and_formula_safe():
    data = _rules.to_csv(_rules.export_rows(export_docs(), {51: "5.1"}), "Europe/Zurich")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Number", "Title", "Source", "Agenda item", "Date received", "Status"]
    # The agenda item stays text in spreadsheet programs (a bare 5.10 would become the number 5.1).
    assert rows[1] == ["CWG-COP-19/2(Rev.1)", "Pipes | in title", "Ghana", '="5.1"', "2027-01-01", "Accepted"]
    assert rows[2][1] == '\'=HYPERLINK("http://x")'
    assert rows[2][2] == "Côte d'Ivoire"


def test_csv_keeps_agenda_item_5_10_as_text_and_nothing_else_becomes_a_formula():
    docs = export_docs()
    rows = _rules.export_rows(docs, {51: "5.10"})
    data = _rules.to_csv(rows, "Europe/Zurich").decode("utf-8-sig")
    cells = list(csv.reader(io.StringIO(data)))
    assert cells[1][3] == '="5.10"'
    # Only our own digits-and-dot item numbers start with "="; user text that does is neutralised.
    formulas = [c for row in cells[1:] for c in row if c.startswith(("=", "+", "-", "@"))]
    assert formulas == ['="5.10"']
    odd = _rules.ExportRow("CWG-COP-19/9", "t", "s", '5.1"+HYPERLINK("x")', rows[0].received, "Submitted")
    assert list(csv.reader(io.StringIO(_rules.to_csv([odd], "UTC").decode("utf-8-sig"))))[1][3] == (
        '5.1"+HYPERLINK("x")'
    )


def test_markdown_table_escapes_pipes():
    text = _rules.to_markdown(
        _rules.export_rows(export_docs(), {51: "5.1"}), heading="Documents", tz_name="Europe/Zurich"
    ).decode()
    lines = text.splitlines()
    assert lines[0] == "# Documents"
    assert lines[2] == "| Number | Title | Source | Agenda item | Date received | Status |"
    assert lines[4] == "| CWG-COP-19/2(Rev.1) | Pipes \\| in title | Ghana | 5.1 | 1 January 2027 | Accepted |"
    assert len(lines) == 4 + 5


def test_markdown_export_can_say_where_document_1_is():
    rows = _rules.export_rows(export_docs(), {51: "5.1"})
    note = "Document CWG-COP-19/1 is the agenda of the meeting."
    lines = _rules.to_markdown(rows, heading="Documents", tz_name="Europe/Zurich", note=note).decode().splitlines()
    assert lines[:5] == [
        "# Documents",
        "",
        note,
        "",
        "| Number | Title | Source | Agenda item | Date received | Status |",
    ]
    assert lines[6].startswith("| CWG-COP-19/2(Rev.1) |")


def test_empty_markdown_export_says_so():
    assert b"No documents registered." in _rules.to_markdown([], heading="x", tz_name="Europe/Zurich")


def test_user_text_keeps_its_characters_in_discord_markdown():
    from cogs.contributions import _text
    from cogs.core.safe_text import inline

    assert inline("my_doc *draft* [v2] `x` ~~y~~ a|b <@1>") == (
        "my\\_doc \\*draft\\* \\[v2\\] \\`x\\` \\~\\~y\\~\\~ a\\|b \\<@1\\>"
    )
    line = _text.list_line(doc(title="my_doc *draft*", source="Ghana_MoE"), None)
    assert line == "**CWG-COP-19/3** my\\_doc \\*draft\\*\n*Ghana\\_MoE · Submitted*"
