"""The group's official name per language (/setup group-name), as a plain-value rule: what is kept, and
each refusal read whole. Written against mutation testing (tools/mutate.py runs tests/test_setup_rules*.py).
"""

from __future__ import annotations

import pytest

from cogs.core import i18n
from cogs.core.errors import UserError
from cogs.setup._rules import GROUP_NAME_LIMIT, clean_group_name

CODE = "CWG-COP"


def refusal(text: str, code: str = CODE) -> str:
    with pytest.raises(UserError) as caught:
        clean_group_name(text, code)
    return str(caught.value)


def test_a_name_is_kept_with_its_spaces_tidied_and_in_nfc():
    assert clean_group_name("  Groupe   de travail\tdu Conseil  ", CODE) == "Groupe de travail du Conseil"
    assert clean_group_name("Cafe\u0301", CODE) == "Caf\u00e9"  # one é, as typed on another keyboard
    assert clean_group_name("مجموعة العمل", CODE) == "مجموعة العمل"


@pytest.mark.parametrize("text", ["Line one\nline two", "Line one\rline two", "a\u2028b"])
def test_a_name_on_two_lines_is_refused(text):
    assert refusal(text) == "Write the name on one line: it contains a line break."


def test_an_empty_name_says_how_to_clear_instead():
    assert refusal("   ") == "The name is empty. Write the group's name, or leave `name` out to clear it."


def test_the_limit_is_150_characters_after_tidying():
    assert GROUP_NAME_LIMIT == 150
    assert clean_group_name("n" * 150, CODE) == "n" * 150
    assert clean_group_name("n" * 150 + "   ", CODE) == "n" * 150
    assert refusal("n" * 151) == "The name is 151 characters long; the limit is 150 characters. Shorten it."


def test_markup_and_mentions_are_refused_each_named_once():
    assert refusal("**Bold** @everyone") == (
        "The name cannot contain `*` `@` (Discord formatting or mentions). Write it as plain text."
    )
    assert refusal("a `code`") == (
        "The name cannot contain `` ` `` (Discord formatting or mentions). Write it as plain text."
    )
    for character in "_~|[]<>#\\":
        assert f"`{character}`" in refusal(f"name {character} here")


@pytest.mark.parametrize("text", ["see https://itu.int", "WWW.itu.int group", "ftp://x"])
def test_a_web_address_is_refused(text):
    assert refusal(text) == "The name cannot contain a web address. Write it as plain text."


@pytest.mark.parametrize("character", ["\u202e", "\u2066", "\u2069", "\x00", "\x07"])
def test_invisible_control_characters_are_refused(character):
    assert refusal(f"Group{character}name") == (
        "The name contains invisible control characters. Type it again as plain text."
    )


def test_the_code_in_brackets_at_the_end_is_left_to_the_documents():
    assert refusal("Groupe de travail (cwg-cop)") == "Leave out the code `CWG-COP`: the documents add it themselves."
    assert refusal("Group (XYZ)", "XYZ") == "Leave out the code `XYZ`: the documents add it themselves."
    assert clean_group_name("Groupe CWG-COP de travail", CODE) == "Groupe CWG-COP de travail"  # not at the end
    assert clean_group_name("Groupe (CWG-COP) de travail", CODE) == "Groupe (CWG-COP) de travail"


def test_the_length_refusal_is_in_the_members_language_with_its_plural():
    """Russian says 150 with its own plural form (the catalog's entry is found by the English pair)."""
    with i18n.locale("ru"):
        text = refusal("n" * 151)
    assert "151" in text and "150" in text and "characters" not in text
