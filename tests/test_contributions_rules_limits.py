"""The contribution rules at their limits: every limit at and past its boundary, the exact refusals a
member reads, Geneva deadlines and dates for a meeting held elsewhere, decisions as whole changes.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import factories
import pytest

from cogs.contributions import _rules
from cogs.core.errors import UserError
from storage.contributions import Change
from storage.meetings import AgendaItem

doc = factories.contribution
MB = 1024 * 1024


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(UserError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def item(item_id: int, number: str, title: str = "Item") -> AgendaItem:
    return AgendaItem(
        id=item_id, meeting_id=1, parent_id=None, position=1, title=title, presenter=None, minutes=None, number=number
    )


# -- text fields ------------------------------------------------------------------------------


def test_reason_is_optional_one_line_and_at_most_500_characters():
    assert _rules.clean_reason(None) is None
    assert _rules.clean_reason("   ") is None
    assert _rules.clean_reason("  Out of\n scope ") == "Out of scope"
    assert _rules.clean_reason("r" * 500) == "r" * 500
    assert refusal(_rules.clean_reason, "r" * 501) == (
        "The reason is too long (501 characters); keep it to 500 characters or fewer."
    )


def test_empty_title_refusal_says_the_range():
    assert refusal(_rules.clean_title, None) == "The title is empty. Give a title of 1 to 200 characters."


def test_abstract_of_exactly_1000_characters_is_kept_and_no_abstract_is_none():
    assert _rules.clean_abstract(None) is None
    assert _rules.clean_abstract("a" * 1000) == "a" * 1000
    assert refusal(_rules.clean_abstract, "a" * 1001) == (
        "The abstract is too long (1001 characters); keep it to 1000 characters or fewer "
        "(the full text belongs in the document)."
    )


def test_link_of_exactly_500_characters_is_kept_and_no_link_is_none():
    assert _rules.clean_link(None) is None
    url = "https://example.org/" + "p" * 480
    assert len(url) == 500
    assert _rules.clean_link(url) == url
    assert refusal(_rules.clean_link, url + "q").startswith(f"`{(url + 'q')[:100]}` is not a web link")


def test_link_refusal_shows_the_first_100_characters_and_an_example():
    bad = "ftp://" + "f" * 200
    assert refusal(_rules.clean_link, bad) == (
        f"`{bad[:100]}` is not a web link I can keep. Give a full http:// or https:// address "
        "(up to 500 characters), e.g. `https://www.itu.int/md/S22-CWGCOP18-C-0003/en`."
    )


def test_source_type_is_optional_and_one_of_the_list():
    assert _rules.clean_source_type(None) is None
    assert _rules.clean_source_type("youth") == "youth"
    assert refusal(_rules.clean_source_type, "pirates") == "`pirates` is not a source type; pick one from the list."


def test_kind_defaults_to_contribution_and_is_one_of_two():
    assert _rules.clean_kind(None) == "contribution"
    assert _rules.clean_kind("contribution") == "contribution"
    assert _rules.clean_kind("information") == "information"
    assert refusal(_rules.clean_kind, "memo") == ("`memo` is not a document kind; choose contribution or information.")


# -- files ------------------------------------------------------------------------------------


def test_allowed_types_may_be_written_with_leading_dots_spaces_and_capitals():
    assert _rules.allowed_types(" .PDF, .docx ,, txt ") == ("pdf", "docx", "txt")
    assert _rules.allowed_types(".xlsx,xls") == ("xlsx", "xls")  # only dots are stripped, not letters


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1000 * 1024, "1000 KB"),  # divided by 1024, not 1025 (999 KB)
        (MB - 1, "1024 KB"),
        (MB, "1.0 MB"),
        (100 * MB, "100.0 MB"),  # divided by 1024², not 1025·1024 (99.9 MB)
    ],
)
def test_sizes_are_shown_in_bytes_kb_then_mb(size, shown):
    assert _rules.human_size(size) == shown


def check(name: str, size: int = 10, **kwargs) -> str:
    options = {"max_mb": 25, "allowed": "pdf,docx", "upload_limit": None} | kwargs
    return _rules.check_file(name, size, **options)


def test_a_file_name_with_an_extra_dot_is_judged_by_its_last_dot():
    assert check("CWG-COP-19.3 Ghana.docx") == "CWG-COP-19.3 Ghana.docx"
    assert check("report.v2.PDF") == "report.v2.pdf"


def test_the_folder_part_of_a_file_name_is_dropped():
    assert check("C:\\Users\\ana\\docs.old\\Age assurance.pdf") == "Age assurance.pdf"
    assert check("a/b.c/d.pdf") == "d.pdf"


def test_a_name_that_is_only_punctuation_becomes_document():
    assert check("__ ..pdf") == "document.pdf"


def test_only_spaces_dots_and_underscores_are_trimmed_from_the_name():
    assert check("XylophoneX.pdf") == "XylophoneX.pdf"
    assert check(" _Report_ .pdf") == "Report.pdf"


def test_a_long_name_is_cut_to_120_characters_keeping_the_extension():
    safe = check("n" * 300 + ".docx")
    assert safe == "n" * 115 + ".docx"
    assert len(safe) == 120


def test_a_file_without_extension_is_refused_saying_so():
    assert refusal(check, "README") == (
        "`README` is a file without an extension; this server accepts .pdf, .docx. Convert it or share a link instead."
    )


def test_file_refusals_show_the_first_100_characters_of_the_name():
    long = "x" * 150 + ".exe"
    assert refusal(check, long).startswith(f"`{long[:100]}` is a .exe file;")
    assert refusal(check, "y" * 150 + ".pdf", 0) == f"`{'y' * 100}` is empty. Attach the document itself."
    too_big = refusal(check, "z" * 150 + ".pdf", 2 * MB, max_mb=1)
    assert too_big == (
        f"`{'z' * 100}` is 2.0 MB; this server accepts files up to 1 MB. "
        "Compress it, or upload it elsewhere and give the `link` instead."
    )
    over_upload = refusal(check, "w" * 150 + ".pdf", 2 * MB, upload_limit=MB)
    assert over_upload == (
        f"`{'w' * 100}` is 2.0 MB, more than Discord lets me re-post in this server "
        "(1.0 MB). Upload it elsewhere and give the `link` instead."
    )


def test_file_size_limits_are_inclusive():
    assert check("one-byte.pdf", 1) == "one-byte.pdf"
    assert check("at-limit.pdf", 25 * MB) == "at-limit.pdf"
    assert check("at-upload.pdf", 8 * MB, upload_limit=8 * MB) == "at-upload.pdf"
    assert refusal(check, "over.pdf", 25 * MB + 1).startswith(
        "`over.pdf` is 25.0 MB; this server accepts files up to 25"
    )


# -- deadlines: Geneva calendar days (issue 11, defect 10) ------------------------------------


def new_york_meeting():
    """The 19th meeting held in New York, opening 30 March 2027 at 10.00 EDT (16.00 CEST in Geneva).

    The US moved its clocks on 14 March, Geneva only on 28 March: twelve days before, 18 March, Geneva
    is on CET (UTC+1) and New York already on EDT (UTC-4)."""
    start = datetime(2027, 3, 30, 14, 0, tzinfo=UTC)
    return factories.meeting(starts_at=start, ends_at=start + timedelta(hours=7), timezone="America/New_York")


def test_the_deadline_is_counted_in_geneva_calendar_days_whatever_the_meetings_zone():
    # 18 March 2027, 16.00 CET (the opening's Geneva clock time) = 15.00 UTC; counting in New York
    # (10.00 EDT) would put it an hour earlier.
    assert _rules.deadline_for(new_york_meeting(), 12) == datetime(2027, 3, 18, 15, 0, tzinfo=UTC)


def test_a_document_received_before_the_geneva_deadline_is_on_time_for_a_meeting_abroad():
    timing = _rules.timing(new_york_meeting(), datetime(2027, 3, 18, 14, 30, tzinfo=UTC), 12)
    assert (timing.late, timing.status) == (False, "submitted")
    timing = _rules.timing(new_york_meeting(), datetime(2027, 3, 18, 15, 0, 1, tzinfo=UTC), 12)
    assert (timing.late, timing.status) == (True, "late")


def test_received_exactly_at_the_deadline_is_on_time():
    assert not _rules.timing(new_york_meeting(), datetime(2027, 3, 18, 15, 0, tzinfo=UTC), 12).late


def test_refusals_for_closed_meetings_say_where_to_register_instead():
    cancelled = factories.meeting(status="cancelled")
    assert refusal(_rules.ensure_open, cancelled, datetime(2027, 1, 1, tzinfo=UTC)) == (
        "The 19th meeting was cancelled, so it takes no documents. Register it for another meeting."
    )
    ended = factories.meeting()
    assert refusal(_rules.ensure_open, ended, ended.ends_at) == (
        "The 19th meeting has ended, so it takes no more documents. Register it for the next meeting."
    )


# -- numbers and agenda items ------------------------------------------------------------------


def test_a_missing_number_is_refused_showing_a_blank_and_the_forms():
    assert refusal(_rules.parse_number, None) == (
        "` ` is not a document number. Pick one from the list, or type it as `CWG-COP-19/3`, `19/3` or `19/INF/1`."
    )


def test_a_wrong_number_is_quoted_up_to_60_characters():
    text = "n" * 80
    assert refusal(_rules.parse_number, text).startswith(f"`{'n' * 60}` is not a document number.")


def test_picker_matches_a_number_typed_with_spaces():
    assert _rules.matches(doc(), "19 / 3")
    assert not _rules.matches(doc(), "19 / 4")


def test_no_agenda_item_text_means_none_and_a_word_is_refused():
    items = [item(5, "5"), item(51, "5.1")]
    assert _rules.find_agenda_item(items, None, 19) is None
    assert refusal(_rules.find_agenda_item, items, "Youth", 19) == (
        "The 19th meeting has no agenda item `Youth`. "
        "Its items are 5, 5.1; give one of those numbers (e.g. `5.1`) or leave it empty."
    )


def test_agenda_item_refusals_quote_40_characters_and_the_last_item_as_example():
    items = [item(1, "1"), item(5, "5"), item(7, "7")]
    text = "q" * 60
    assert refusal(_rules.find_agenda_item, items, text, 19) == (
        f"The 19th meeting has no agenda item `{'q' * 40}`. "
        "Its items are 1, 5, 7; give one of those numbers (e.g. `7`) or leave it empty."
    )
    assert refusal(_rules.find_agenda_item, [], text, 19) == (
        f"The 19th meeting has no agenda items yet, so `{'q' * 40}` cannot be used. "
        "Leave the agenda item empty; an organiser can assign it later."
    )


# -- decisions: the whole change and the exact refusal -------------------------------------------


def test_accept_reject_withdraw_record_status_reason_and_history_line():
    assert _rules.accept("On time")(doc()) == Change(
        "accepted", {"status": "accepted", "status_reason": "On time"}, "On time"
    )
    assert _rules.reject("Out of scope")(doc()) == Change(
        "rejected", {"status": "rejected", "status_reason": "Out of scope"}, "Out of scope"
    )
    assert _rules.withdraw("Merged")(doc()) == Change(
        "withdrawn", {"status": "withdrawn", "status_reason": "Merged"}, "Merged"
    )


@pytest.mark.parametrize(
    ("decision", "status", "message"),
    [
        ("accept", "accepted", "CWG-COP-19/3 is already accepted."),
        ("reject", "rejected", "CWG-COP-19/3 is already marked as not accepted."),
        ("withdraw", "withdrawn", "CWG-COP-19/3 is already withdrawn."),
        ("accept", "withdrawn", "CWG-COP-19/3 was withdrawn, so it cannot be accepted. "),
        ("reject", "withdrawn", "CWG-COP-19/3 was withdrawn, so it cannot be rejected. "),
        ("assign", "withdrawn", "CWG-COP-19/3 was withdrawn, so it cannot be assigned. "),
        ("revise", "withdrawn", "CWG-COP-19/3 was withdrawn, so it cannot be revised. "),
    ],
)
def test_decision_refusals_name_the_document_and_why(decision, status, message):
    # The decision is made here, not at collection: it is the code under test.
    made = _rules.revise(title="T") if decision == "revise" else getattr(_rules, decision)(None)
    text = refusal(made, doc(status=status))
    assert text == message or text == message + "Its number stays reserved."


def test_a_rejected_document_may_still_be_accepted_and_an_accepted_one_rejected():
    assert _rules.accept(None)(doc(status="rejected")).action == "accepted"
    assert _rules.reject(None)(doc(status="accepted")).action == "rejected"


def test_assigning_says_the_item_and_unassigning_says_no_item():
    target = item(51, "5.1", "Youth consultation")
    assert _rules.assign(target)(doc()) == Change("assigned", {"agenda_item_id": 51}, "item 5.1: Youth consultation")
    assert _rules.assign(None)(doc(agenda_item_id=51)) == Change("assigned", {"agenda_item_id": None}, "no agenda item")
    assert refusal(_rules.assign(None), doc()) == "CWG-COP-19/3 is already under no agenda item."


def test_the_history_line_of_an_assignment_is_cut_at_200_characters():
    target = item(51, "5.1", "t" * 300)
    assert _rules.assign(target)(doc()).detail == ("item 5.1: " + "t" * 300)[:200]


def test_a_revision_keeps_a_new_abstract_and_link_and_says_so():
    change = _rules.revise(abstract="New summary", link="https://example.org/v2")(
        doc(abstract="Old summary", link="https://example.org/v1")
    )
    assert change == Change(
        "revised",
        {"abstract": "New summary", "link": "https://example.org/v2", "revision": 1},
        "Rev.1: new abstract, link",
    )


def test_a_revision_first_giving_an_abstract_or_link_keeps_it():
    assert _rules.revise(abstract="A")(doc()).updates == {"abstract": "A", "revision": 1}
    assert _rules.revise(link="https://example.org/x")(doc()).updates == {
        "link": "https://example.org/x",
        "revision": 1,
    }


def test_an_unchanged_abstract_or_link_is_not_a_revision():
    same = doc(abstract="Same", link="https://example.org/same")
    text = refusal(_rules.revise(abstract="Same", link="https://example.org/same"), same)
    assert text == (
        "Nothing to revise: give a new `title`, `abstract`, `link` or `file` for CWG-COP-19/3 "
        "that differs from the current version."
    )
    assert _rules.revise(title="New", abstract="Same")(same).updates == {"title": "New", "revision": 1}


def test_a_revised_file_replaces_name_size_and_fingerprint():
    change = _rules.revise(file=_rules.NewFile("v2.pdf", 2048, "c" * 64))(doc(revision=2, file_sha256="a" * 64))
    assert change == Change(
        "revised",
        {"file_name": "v2.pdf", "file_size": 2048, "file_sha256": "c" * 64, "file_message_url": None, "revision": 3},
        "Rev.3: new file v2.pdf",
    )
    assert refusal(_rules.revise(file=_rules.NewFile("v1.pdf", 1, "a" * 64)), doc(file_sha256="a" * 64)) == (
        "`v1.pdf` is the same file as the current version of CWG-COP-19/3."
    )


# -- exports: Geneva dates, Excel-safe cells, Markdown table ----------------------------------------


def test_export_statuses_as_itu_writes_them():
    assert _rules.export_status(doc(status="rejected")) == "Not accepted"
    assert _rules.export_status(doc(status="late", is_late=True)) == "Late"
    assert _rules.export_status(doc(status="accepted", is_late=True)) == "Accepted (late)"
    assert _rules.export_status(doc(status="submitted")) == "Submitted"


def test_export_agenda_item_is_blank_without_an_item_or_for_an_unknown_one():
    rows = _rules.export_rows([doc(agenda_item_id=None), doc(id=2, seq=4, agenda_item_id=99)], {51: "5.1"})
    assert [r.agenda_item for r in rows] == ["", ""]


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_starting_character_is_made_plain_text(first):
    assert _rules._spreadsheet_safe(first + "1+1") == "'" + first + "1+1"
    assert _rules._spreadsheet_safe("1" + first) == "1" + first


def near_midnight():
    """Received on 1 January 2027 at 23.30 UTC: already 2 January in Geneva (00.30 CET)."""
    return [doc(received_at=datetime(2027, 1, 1, 23, 30, tzinfo=UTC))]


def test_csv_date_received_is_the_geneva_date_with_crlf_rows():
    data = _rules.to_csv(_rules.export_rows(near_midnight(), {}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 2
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][4] == "2027-01-02"
    assert rows[1][3] == ""  # no agenda item: an empty cell


def test_markdown_date_received_is_the_geneva_date():
    text = _rules.to_markdown(_rules.export_rows(near_midnight(), {}), heading="Documents").decode()
    assert text.splitlines()[2:4] == [
        "| Number | Title | Source | Agenda item | Date received | Status |",
        "|---|---|---|---|---|---|",
    ]
    assert "| 2 January 2027 |" in text


def test_markdown_cells_escape_backslashes_and_join_lines():
    assert _rules._md_cell("a\\b|c\nd") == "a\\\\b\\|c d"


def test_an_empty_markdown_export_says_no_documents():
    assert _rules.to_markdown([], heading="Documents").decode() == "# Documents\n\nNo documents registered.\n"


# -- refusals read whole (mutation testing after the six-language conversion) ----------------------


def test_assigning_to_the_item_it_is_under_names_the_document_and_the_item():
    under = doc(agenda_item_id=51)
    text = refusal(_rules.assign(item(51, "5.1")), under)
    assert text == f"{under.number} is already under agenda item 5.1."


def test_a_file_of_another_type_is_refused_with_the_whole_sentence_and_a_name_cut_at_100():
    long_name = "n" * 101 + ".exe"
    text = refusal(_rules.check_file, long_name, 10, max_mb=25, allowed="pdf,docx", upload_limit=None)
    assert text == (
        f"`{'n' * 100}` is a .exe file; this server accepts .pdf, .docx. Convert it or share a link instead."
    )


@pytest.mark.parametrize(("size", "words"), [(1, "1 byte"), (2, "2 bytes"), (1023, "1023 bytes"), (1024, "1 KB")])
def test_a_size_in_bytes_is_a_real_plural(size, words):
    assert _rules.human_size(size) == words


def test_the_markdown_list_dates_a_document_in_the_zone_it_is_given():
    """23.30 UTC on 1 January is 2 January in Geneva but still 1 January in New York."""
    received = datetime(2027, 1, 1, 23, 30, tzinfo=UTC)
    rows = [_rules.ExportRow("CWG-COP-19/2", "T", "Ghana", "5", received, "Accepted")]
    assert "| 2 January 2027 |" in _rules.to_markdown(rows, heading="D", tz_name="Europe/Zurich").decode()
    assert "| 1 January 2027 |" in _rules.to_markdown(rows, heading="D", tz_name="America/New_York").decode()


@pytest.mark.parametrize(
    ("name", "size", "upload_limit"),
    [
        ("n" * 101, 10, None),  # no extension
        ("n" * 101 + ".pdf", 0, None),  # empty
        ("n" * 101 + ".pdf", 26 * MB, None),  # over the server's size
        ("n" * 101 + ".pdf", 11 * MB, 10 * MB),  # over what Discord lets the bot re-post
    ],
)
def test_every_file_refusal_cuts_a_long_name_at_100_characters(name, size, upload_limit):
    text = refusal(_rules.check_file, name, size, max_mb=25, allowed="pdf", upload_limit=upload_limit)
    shown = text.split("`")[1]
    assert shown.startswith("n" * 100) and not shown.startswith("n" * 101)
