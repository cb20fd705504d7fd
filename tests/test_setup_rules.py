"""The per-server option rules, with plain values: group code, zone, offsets, day limits, file types."""

from __future__ import annotations

import pytest

from cogs.core.errors import UserError
from cogs.setup import _rules


def refusal(call, *args) -> str:
    with pytest.raises(UserError) as caught:
        call(*args)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "code"), [(" cwg-cop ", "CWG-COP"), ("CG", "CG"), ("A" * 20, "A" * 20), ("ITU-T-SG17", "ITU-T-SG17")]
)
def test_a_group_code_is_2_to_20_capitals_digits_and_hyphens(text, code):
    assert _rules.clean_group_code(text) == code


@pytest.mark.parametrize("text", ["C", "A" * 21, "19-COP", "CWG--COP", "CWG-", "CWG COP", "CWG_COP", ""])
def test_other_group_codes_are_refused_saying_the_form(text):
    assert refusal(_rules.clean_group_code, text) == (
        f"`{text}` is not a group code. Use 2 to 20 capital letters, digits and hyphens, "
        "starting with a letter, e.g. `CWG-COP`."
    )


def test_a_zone_is_kept_by_its_iana_name():
    assert _rules.clean_timezone(" America/New_York ") == "America/New_York"
    assert _rules.clean_timezone("utc") == "UTC"
    with pytest.raises(UserError, match="not a time zone"):
        _rules.clean_timezone("Geneva")


def test_offsets_are_stored_longest_first_in_short_form():
    assert _rules.clean_offsets("10m, 1d,60m,1h, 7d") == "1w,1d,1h,10m"
    with pytest.raises(UserError, match="not a reminder offset"):
        _rules.clean_offsets("soon")


def test_day_limits_are_inclusive_and_the_refusal_names_the_option():
    assert _rules.clean_days("retention_days", 1, 1, 3650) == 1
    assert _rules.clean_days("retention_days", 3650, 1, 3650) == 3650
    assert refusal(_rules.clean_days, "retention_days", 0, 1, 3650) == (
        "`retention_days` must be between 1 and 3650 days (you gave 0)."
    )
    assert refusal(_rules.clean_days, "retention_days", 3651, 1, 3650) == (
        "`retention_days` must be between 1 and 3650 days (you gave 3651)."
    )


def test_file_types_are_lower_case_without_dots_or_repeats():
    assert _rules.clean_file_types(" .PDF, docx,,pdf , .odt ") == "pdf,docx,odt"
    assert _rules.clean_file_types("abcdefgh") == "abcdefgh"
    assert _rules.clean_file_types(".xlsx,xls") == "xlsx,xls"  # only dots are stripped, not letters


@pytest.mark.parametrize("text", ["", " , ", "abcdefghi", "p df", "pdf,*.doc", "pdf/docx"])
def test_other_file_type_lists_are_refused_with_an_example(text):
    assert refusal(_rules.clean_file_types, text) == (
        f"`{text}` is not a list of file types. Write extensions separated by commas, e.g. `pdf,docx,pptx`."
    )


def test_languages_are_itus_six_in_the_order_given_each_once():
    assert _rules.clean_languages(" fr, en ,fr") == "fr,en"
    assert _rules.clean_languages("ar,zh,en,fr,ru,es") == "ar,zh,en,fr,ru,es"
    assert refusal(_rules.clean_languages, "fr,de") == (
        "`de` is not one of the six languages. Write codes separated by commas, in order, "
        "e.g. `fr,en`: ar, zh, en, fr, ru, es."
    )
    for empty in ("", " , "):
        assert refusal(_rules.clean_languages, empty) == (
            "Give at least one language, e.g. `en` or `fr,en`: ar, zh, en, fr, ru, es."
        )
