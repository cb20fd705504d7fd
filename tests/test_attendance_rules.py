"""Attendance rules on plain values: Member State names, delegation names, counting."""

from __future__ import annotations

import pytest

from cogs.attendance import _rules
from cogs.attendance._rules import Attendee, delegation, member_state, present_sentence, state_choices, tally
from cogs.attendance._states import MEMBER_STATES
from cogs.core.errors import UserError


def test_itu_has_194_member_states_each_named_once():
    names = [name for name, _aliases in MEMBER_STATES]
    assert len(names) == 194 == len(set(names))
    owners: dict[str, set[str]] = {}
    for name, aliases in MEMBER_STATES:
        for spelling in (name, *aliases):
            owners.setdefault(_rules.fold(spelling), set()).add(name)
    assert {s: o for s, o in owners.items() if len(o) > 1} == {}, "one spelling names two Member States"


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Brazil", "Brazil"),
        ("brasil", "Brazil"),
        ("  BRAZIL ", "Brazil"),
        ("Turkey", "Türkiye"),
        ("turkiye", "Türkiye"),
        ("Cote d'Ivoire", "Côte d'Ivoire"),
        ("the Netherlands", "Netherlands"),
        ("USA", "United States"),
        ("Holy See", "Vatican"),
        ("South Korea", "Korea (Republic of)"),
        ("Korea (Republic of)", "Korea (Republic of)"),
        ("viet nam", "Viet Nam"),
    ],
)
def test_member_states_are_recognised_however_written(typed, official):
    assert member_state(typed) == official


@pytest.mark.parametrize("typed", ["Atlantis", "", "Brazi", "Korea (Democratic)"])
def test_unknown_member_states_are_refused_with_what_to_do(typed):
    with pytest.raises(UserError, match="194 Member States"):
        member_state(typed)


def test_state_choices_put_names_that_start_with_the_text_first():
    assert state_choices("ger") == ["Germany", "Algeria", "Niger", "Nigeria"]
    assert state_choices("bras") == ["Brazil"]
    assert len(state_choices("")) == 25 and state_choices("", limit=3) == ["Afghanistan", "Albania", "Algeria"]


def test_other_delegations_keep_the_spelling_already_used_in_the_server():
    assert delegation("unicef", "organisation", ["UNICEF", "ITU"]) == ("UNICEF", "organisation")
    assert delegation("  Save the  Children ", "civil_society", []) == ("Save the Children", "civil_society")
    assert delegation("brasil", "member_state") == ("Brazil", "member_state")


def test_delegation_limits_and_bad_input():
    assert delegation("x" * _rules.NAME_MAX, "other")[0] == "x" * 100
    with pytest.raises(UserError, match="keep it to 100"):
        delegation("x" * 101, "other")
    with pytest.raises(UserError, match="Give the delegation's name"):
        delegation("   ", "other")
    with pytest.raises(UserError, match="Choose the type"):
        delegation("UNICEF", "company")
    with pytest.raises(UserError, match="control characters"):
        delegation("UNI\x07CEF", "other")
    with pytest.raises(UserError, match="letters or digits"):
        delegation("!!!", "other")


def test_role_for_takes_the_first_mapping_the_member_holds():
    mapped = [(10, "Ghana", "member_state"), (20, "UNICEF", "organisation")]
    assert _rules.role_for(mapped, [30, 20, 10]) == ("Ghana", "member_state")
    assert _rules.role_for(mapped, [20]) == ("UNICEF", "organisation")
    assert _rules.role_for(mapped, [99]) is None


def person(uid, delegation=None, kind=None, *, youth=False, pressed=True, spoke=False, anonymous=False):
    return Attendee(uid, f"m{uid}", delegation, kind, youth, pressed, spoke, anonymous)


def test_a_delegation_is_counted_once_however_many_of_its_people_came():
    a = tally(
        [
            person(1, "Ghana", "member_state"),
            person(2, "Ghana", "member_state", spoke=True, pressed=False),
            person(3, "Brazil", "member_state"),
            person(4, "UNICEF", "organisation"),
            person(5),
            person(6, youth=True, spoke=True),
            person(7, anonymous=True, pressed=False),
        ]
    )
    assert a.people == 7 and a.delegation_count == 3
    assert a.by_type == (("member_state", 2, 3), ("organisation", 1, 1))
    assert a.delegations == (("member_state", "Brazil", 1), ("member_state", "Ghana", 2), ("organisation", "UNICEF", 1))
    assert a.without_delegation == ("m5",)
    assert a.unnamed_without_delegation == 2 and a.youth == 1
    assert a.pressed == 5 and a.spoke_only == 1
    assert present_sentence(a) == (
        "7 participants from 2 Member States and 1 international organisation (3 without a stated delegation)."
    )


def test_the_sentence_reads_well_at_every_count():
    assert present_sentence(tally([])) == "No participant was recorded as present."
    assert present_sentence(tally([person(1)])) == "1 participant, none of whom stated a delegation."
    one_each = tally(
        [person(1, "Ghana", "member_state"), person(2, "ITU", "secretariat"), person(3, "X Corp", "sector_member")]
    )
    assert present_sentence(one_each) == "3 participants from 1 Member State, 1 Sector Member and the secretariat."


def test_an_anonymous_member_keeps_no_delegation_and_no_name():
    a = tally([person(1, "Ghana", "member_state", anonymous=True)])
    assert a.delegations == () and a.without_delegation == () and a.unnamed_without_delegation == 1 and a.youth == 0


def test_contributing_delegations_are_named_by_the_documents_sources():
    known = [("UNICEF", "organisation"), ("Ghana", "member_state")]
    sources = [
        ("Ghana", "member_state"),
        ("ghana", None),  # the same delegation once
        ("Brasil", "member_state"),  # a Member State however written, even if no member stated it
        ("unicef", "organisation"),
        ("Save the Children", "civil_society"),  # not a delegation of the server: not named
        ("Turkey", "organisation"),  # a Member State's name given as another type is not guessed
    ]
    assert _rules.contributing(sources, known) == [
        ("Brazil", "member_state"),
        ("Ghana", "member_state"),
        ("UNICEF", "organisation"),
    ]
    assert _rules.contributing([], known) == []
