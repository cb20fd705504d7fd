"""Attendance rules at their limits: the exact refusals, every delegation type in a sentence, names
folded for comparison, and counts where youth, anonymous and unknown-type members meet.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

import pytest

from cogs.attendance import _rules
from cogs.attendance._rules import Attendee, count_phrase, delegation, present_sentence, tally
from cogs.core.errors import UserError


def refusal(call, *args) -> str:
    with pytest.raises(UserError) as caught:
        call(*args)
    return str(caught.value)


def person(uid, name=None, kind=None, *, youth=False, pressed=True, spoke=False, anonymous=False, display=None):
    return Attendee(uid, display or f"m{uid}", name, kind, youth, pressed, spoke, anonymous)


def test_names_fold_without_accents_case_punctuation_or_a_leading_the():
    assert _rules.fold("  The  Côte-d'Ivoire! ") == "cote d ivoire"
    assert _rules.fold("Theatre Group") == "theatre group"
    assert _rules.fold("the") == ""


def test_an_unknown_member_state_is_refused_with_examples():
    assert refusal(_rules.member_state, "  Atlantis \n Republic ") == (
        "`Atlantis Republic` is not one of ITU's 194 Member States as I know them. Pick the name from "
        "the list as you type (for example `Brazil`, `Korea (Republic of)`, `Türkiye`); a Sector Member, "
        "an organisation or another kind of delegation takes another type."
    )


def test_delegation_refusals_say_what_to_fix():
    assert refusal(delegation, "UNICEF", None) == (
        "Choose the type of delegation from the list (Member State, Sector Member, ...)."
    )
    assert refusal(delegation, None, "other") == "Give the delegation's name (1 to 100 characters)."
    assert refusal(delegation, "x" * 101, "other") == "The delegation's name is 101 characters long; keep it to 100."
    assert refusal(delegation, "UNI\x07CEF", "other") == (
        "The delegation's name has control characters; type it as plain text."
    )
    assert refusal(delegation, "!!", "other") == "The delegation's name needs letters or digits."


def test_a_name_is_cleaned_to_one_line_of_at_most_100_characters():
    assert _rules.clean_name(None) == ""
    assert _rules.clean_name(" a \n b ") == "a b"
    assert _rules.clean_name("n" * 150) == "n" * 100


def test_a_known_spelling_is_kept_only_for_the_same_name():
    assert delegation("Save the Children", "civil_society", ["Save Children", "SAVE THE CHILDREN"]) == (
        "SAVE THE CHILDREN",
        "civil_society",
    )


@pytest.mark.parametrize(
    ("kind", "one", "two"),
    [
        ("member_state", "1 Member State", "2 Member States"),
        ("sector_member", "1 Sector Member", "2 Sector Members"),
        ("organisation", "1 international organisation", "2 international organisations"),
        ("academia", "1 academic institution", "2 academic institutions"),
        ("civil_society", "1 civil-society organisation", "2 civil-society organisations"),
        ("youth", "1 youth delegation", "2 youth delegations"),
        ("secretariat", "the secretariat", "the secretariat"),
        ("chair", "the chair", "the chair"),
        ("other", "1 other delegation", "2 other delegations"),
    ],
)
def test_each_delegation_type_reads_in_a_sentence(kind, one, two):
    assert (count_phrase(kind, 1), count_phrase(kind, 2)) == (one, two)


def test_type_labels_for_lists():
    assert _rules.TYPE_LABELS["organisation"] == "international organisation"
    assert list(_rules.TYPE_LABELS) == list(_rules.DELEGATION_TYPES)


def test_counts_where_youth_anonymous_and_unknown_types_meet():
    a = tally(
        [
            person(1, "unicef", "organisation"),
            person(2, "Ghana", "member_state", pressed=False, spoke=True),
            person(3, "Ghana", "member_state", pressed=False, spoke=False),
            person(4, "ITU", "mystery", display="zed"),
            person(5, youth=True, anonymous=True),
            person(6, "Kenya", "member_state", youth=True),
            person(7, display="Ábel"),
            person(8, "UNICEF", "organisation"),
        ]
    )
    assert a.people == 8
    assert a.by_type == (("member_state", 2, 3), ("organisation", 2, 2))
    assert a.delegations == (
        ("member_state", "Ghana", 2),
        ("member_state", "Kenya", 1),
        ("organisation", "UNICEF", 1),
        ("organisation", "unicef", 1),
    )
    assert a.without_delegation == ("Ábel", "zed")
    assert a.unnamed_without_delegation == 1
    assert a.youth == 1
    assert a.pressed == 6
    assert a.spoke_only == 1
    assert a.delegation_count == 4


def test_one_participant_and_several_without_delegation():
    assert present_sentence(tally([person(1, "Ghana", "member_state")])) == "1 participant from 1 Member State."
    two_unset = tally([person(1, "Ghana", "member_state"), person(2), person(3, youth=True)])
    assert present_sentence(two_unset) == "3 participants from 1 Member State (2 without a stated delegation)."


def test_delegations_are_listed_in_report_order_of_types_then_by_folded_name():
    a = tally(
        [
            person(1, "University of Zurich", "academia"),
            person(2, "zambia", "member_state"),
            person(3, "Ábeltown", "member_state"),
            person(4, "Brazil", "member_state"),
        ]
    )
    assert [(kind, name) for kind, name, _ in a.delegations] == [
        ("member_state", "Ábeltown"),
        ("member_state", "Brazil"),
        ("member_state", "zambia"),
        ("academia", "University of Zurich"),
    ]


def test_contributing_delegations_are_sorted_by_type_in_report_order_then_by_folded_name():
    known = [
        ("Academia Alliance", "academia"),
        ("UNICEF", "organisation"),
        ("Bureau de l'enfance", "civil_society"),
        ("Ärzte für Kinder", "civil_society"),
    ]
    sources = [(name, kind) for name, kind in known] + [("Ghana", "member_state")]
    assert _rules.contributing(sources, known) == [
        ("Ghana", "member_state"),
        ("UNICEF", "organisation"),
        ("Academia Alliance", "academia"),
        ("Ärzte für Kinder", "civil_society"),  # "arzte" before "bureau": accents do not sort last
        ("Bureau de l'enfance", "civil_society"),
    ]


def test_one_participant_without_a_stated_delegation_is_counted_in_the_singular():
    one_unset = tally([person(1, "Ghana", "member_state"), person(2)])
    assert present_sentence(one_unset) == "2 participants from 1 Member State (1 without a stated delegation)."


def test_the_arabic_sentence_takes_the_plural_form_of_its_count():
    """Arabic has six plural forms: one and two people, one and two without a delegation, each its own."""
    from cogs.core import i18n

    with i18n.locale("ar"):
        assert present_sentence(tally([person(1)])) == "مشارك واحد (1)، لم يذكر وفدًا."
        assert present_sentence(tally([person(1), person(2)])) == "مشاركان (2)، لم يذكر أيٌّ منهما وفدًا."
        one = present_sentence(tally([person(1, "Ghana", "member_state"), person(2)]))
        two = present_sentence(tally([person(1, "Ghana", "member_state"), person(2), person(3)]))
    assert one.endswith("(واحد دون وفد محدد).") and two.endswith("(اثنان دون وفد محدد).")
