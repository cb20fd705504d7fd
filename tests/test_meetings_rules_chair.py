"""Who chairs a meeting, as plain values: a written name, a member, removal, and the members who are
never named from their account (youth participants, members who asked to be forgotten)."""

from __future__ import annotations

import pytest

from cogs.core.errors import UserError
from cogs.meetings import _rules
from cogs.meetings._rules import ChairMember, chair_fields, clean_chair_name

EXAMPLE = "`Ms Jane Doe (United Kingdom), Chair of the CWG-COP`"


def refusal(call, *args) -> str:
    with pytest.raises(UserError) as caught:
        call(*args)
    return str(caught.value)


def test_no_chair_option_changes_nothing():
    assert chair_fields(None, None) == {}


def test_a_written_name_alone_names_the_chair_without_an_account():
    assert chair_fields(None, "  Ms Jane   Doe ") == {"chair_name": "Ms Jane Doe", "chair_member_id": None}


def test_a_member_is_named_by_their_display_name_unless_a_name_is_written():
    member = ChairMember(7, " Jane  Doe ")
    assert chair_fields(member, None) == {"chair_name": "Jane Doe", "chair_member_id": 7}
    assert chair_fields(member, "Ms Jane Doe (United Kingdom)") == {
        "chair_name": "Ms Jane Doe (United Kingdom)",
        "chair_member_id": 7,
    }


def test_a_dash_removes_the_chair_but_not_together_with_a_member():
    assert chair_fields(None, " - ") == {"chair_name": None, "chair_member_id": None}
    assert refusal(chair_fields, ChairMember(7, "Jane"), "-") == (
        "Give either a chair or `chair_name:-` to remove the chair, not both."
    )


def test_a_bot_cannot_chair():
    assert refusal(chair_fields, ChairMember(7, "Helper", is_bot=True), None) == (
        "A bot cannot chair a meeting; choose a member, or write the name with `chair_name:`."
    )


@pytest.mark.parametrize(
    ("member", "why"),
    [
        (ChairMember(7, "Real Youth Name", youth=True), "They take part as a youth participant"),
        (ChairMember(7, "Gone Person", forgotten=True), "They asked to be removed from the record"),
        (ChairMember(7, "Both", youth=True, forgotten=True), "They take part as a youth participant"),
    ],
)
def test_youth_and_forgotten_members_are_never_named_from_their_account(member, why):
    assert refusal(chair_fields, member, None) == (
        f"{why}, so I will not put their account's name in the minutes. If they chair in an official capacity, "
        f"write the name as it should appear with `chair_name:` (e.g. {EXAMPLE})."
    )
    assert refusal(chair_fields, member, "Ms Jane Doe").startswith(why)


def test_a_chair_name_is_one_line_of_at_most_150_characters_without_mentions_or_links():
    assert clean_chair_name("c" * 150) == "c" * 150
    assert refusal(clean_chair_name, "c" * 151) == (
        f"The chair's name is 151 characters long; keep it to 150, e.g. {EXAMPLE}."
    )
    assert refusal(clean_chair_name, " ") == "The chair's name cannot be empty (write `-` to remove the chair)."
    assert refusal(clean_chair_name, None) == "The chair's name cannot be empty (write `-` to remove the chair)."
    for bad in ("@everyone", "<#123>", "https://x.org"):
        assert refusal(clean_chair_name, bad) == (
            f"Write the chair's name as it appears in documents, without mentions or links, e.g. {EXAMPLE}."
        )
    assert _rules.MAX_CHAIR == 150
