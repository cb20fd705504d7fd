"""Agenda references, placement and page splitting at their limits, with the exact refusals.

Written against mutation testing (tools/mutate.py): each test states one rule and fails if it breaks.
"""

from __future__ import annotations

import pytest
from test_agenda_rules import items_from

from cogs.agenda import _rules
from cogs.core.errors import UserError

AGENDA = items_from(
    [
        (10, None, 1, "Opening of the meeting"),
        (11, None, 2, "Adoption of the agenda"),
        (12, None, 3, "Consideration of contributions"),
        (13, 12, 1, "Theme A"),
        (14, 12, 2, "Theme A extended"),
        (15, None, 4, "Any other business"),
        (16, None, 5, "Closing of the meeting"),
    ]
)
HOW = "Write `3` for item 3 or `5.2` for sub-item 2 of item 5."


def by_id(item_id):
    return next(i for i in AGENDA if i.id == item_id)


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(UserError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# -- labels and matching ----------------------------------------------------------------------------


def test_labels_put_a_dot_after_top_level_numbers_only():
    assert _rules.item_label(by_id(12)) == "3. Consideration of contributions"
    assert _rules.item_label(by_id(13)) == "3.1 Theme A"


def test_a_label_of_exactly_100_characters_is_whole_and_a_longer_one_is_cut_with_an_ellipsis():
    exact = items_from([(1, None, 1, "x" * 97)])[0]  # "1. " + 97
    assert _rules.item_label(exact) == "1. " + "x" * 97
    longer = items_from([(1, None, 1, "x" * 98)])[0]
    assert _rules.item_label(longer) == "1. " + "x" * 96 + "…"


@pytest.mark.parametrize(
    ("typed", "matching"),
    [("", [10, 11, 12, 13, 14, 15, 16]), ("3", [12, 13, 14]), ("3.1 T", [13]), ("MEETING", [10, 16]), ("budget", [])],
)
def test_the_item_list_matches_the_label_start_or_any_part_of_the_title(typed, matching):
    assert [i.id for i in AGENDA if _rules.item_matches(i, typed)] == matching


# -- numbers and references --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0", "5.0", "0.1", "item 0"])
def test_item_and_sub_item_zero_do_not_exist(text):
    assert refusal(_rules.parse_number, text) == f"`{text}` is not an agenda number. {HOW}"


def test_a_missing_number_is_refused_showing_nothing_typed():
    assert refusal(_rules.parse_number, None) == f"`` is not an agenda number. {HOW}"


def test_a_typed_item_zero_is_refused_as_an_item():
    assert refusal(_rules.find_item, AGENDA, "0", 19) == f"`0` is not an agenda item. {HOW}"


def test_no_reference_at_all_matches_nothing():
    assert (
        refusal(_rules.find_item, AGENDA, None, 19) == "No item of the 19th meeting matches ``. Pick one from the list."
    )


def test_an_item_gone_from_the_list_is_refused_saying_to_pick_again():
    assert refusal(_rules.find_item, AGENDA, "id:999", 19) == (
        "That item is not on the agenda of the 19th meeting (any more). Pick one from the list."
    )


def test_an_exact_title_wins_over_titles_that_contain_it():
    assert _rules.find_item(AGENDA, "THEME A", 19).id == 13


def test_an_unclear_title_lists_at_most_five_candidates():
    many = items_from([(i, None, i, f"Session {i}") for i in range(1, 8)])
    assert refusal(_rules.find_item, many, "session", 19) == (
        "`session` matches several items (1 Session 1, 2 Session 2, 3 Session 3, 4 Session 4 and 5 Session 5). "
        "Pick one from the list or type its number."
    )


# -- placement ---------------------------------------------------------------------------------------


def test_number_and_after_together_is_refused_saying_which_to_give():
    assert refusal(_rules.place_new, AGENDA, number="2", after=by_id(10)) == (
        "Give either `number` or `after`, not both."
    )


def test_a_new_item_reads_its_number_and_a_moved_one_its_position():
    assert refusal(_rules.place_new, AGENDA, number="0", after=None) == f"`0` is not an agenda number. {HOW}"
    assert refusal(_rules.place_move, AGENDA, by_id(16), "0") == f"`0` is not an agenda position. {HOW}"


def test_top_level_positions_run_from_1_to_one_past_the_last():
    assert _rules.place_new(AGENDA, number="6", after=None) == _rules.Placement(None, 6, "6")
    assert refusal(_rules.place_new, AGENDA, number="7", after=None) == (
        "There are 5 other items; choose a position from 1 to 6."
    )


def test_a_sub_item_may_go_under_the_first_or_the_last_item_only_if_it_exists():
    assert _rules.place_new(AGENDA, number="1.1", after=None) == _rules.Placement(10, 1, "1.1")
    assert _rules.place_new(AGENDA, number="5.1", after=None) == _rules.Placement(16, 1, "5.1")
    assert refusal(_rules.place_new, AGENDA, number="6.1", after=None) == (
        "There is no item 6 to hold sub-item 6.1 (the agenda has 5 items)."
    )


def test_sub_positions_run_from_1_to_one_past_the_last_sibling():
    assert refusal(_rules.place_new, AGENDA, number="3.4", after=None) == (
        "Item 3 has 2 sub-item(s) besides this one; choose 3.1 to 3.3."
    )


def test_an_item_with_sub_items_cannot_go_under_another_saying_what_to_do():
    assert refusal(_rules.place_move, AGENDA, by_id(12), "2.1") == (
        "Item 3 has sub-items, so it cannot become a sub-item (two levels at most). Move or remove its sub-items first."
    )


# -- splitting to Discord's limits -----------------------------------------------------------------


def test_text_is_cut_with_an_ellipsis_only_past_the_limit():
    assert _rules._cut("abc", 3) == "abc"
    assert _rules._cut("abcd", 3) == "ab…"


def test_blocks_share_a_page_up_to_exactly_the_limit():
    assert _rules.pack(["a" * 10, "b" * 10], limit=22) == ["a" * 10 + "\n\n" + "b" * 10]
    assert _rules.pack(["a" * 10, "b" * 11], limit=22) == ["a" * 10, "b" * 11]
    assert _rules.pack([]) == [""]


def test_a_block_too_long_for_a_page_is_split_between_lines_up_to_exactly_the_limit():
    block = "\n".join(["a" * 10, "b" * 10, "c" * 10])
    assert _rules.pack([block], limit=21) == ["a" * 10 + "\n" + "b" * 10, "c" * 10]


def test_a_block_of_exactly_a_page_is_kept_whole_even_with_a_very_long_line():
    block = "x" * 1500 + "\n" + "y" * 2499
    assert len(block) == _rules.DESCRIPTION_LIMIT
    assert _rules.pack([block]) == [block]
    assert _rules.pack(["a", block]) == ["a", block]


def test_a_long_block_after_a_full_page_starts_a_clean_page():
    block = "\n".join(["a" * 10, "b" * 10, "c" * 10])
    assert _rules.pack(["z" * 10, block], limit=21) == ["z" * 10, "a" * 10 + "\n" + "b" * 10, "c" * 10]


def test_a_first_message_of_exactly_5500_characters_is_one_message():
    messages = _rules.paginate("Agenda", "h" * 2750, ["a" * 2750], "F")
    assert [[len(p.description) for p in pages] for pages in messages] == [[2750, 2750]]


def test_messages_hold_at_most_5500_characters_of_embeds_titled_and_footed_once():
    header = "h" * 4000
    messages = _rules.paginate("Agenda", header, ["a" * 2750, "b" * 2750], "Published")
    assert [[(p.title, len(p.description), p.footer) for p in pages] for pages in messages] == [
        [("Agenda", 4000, "Published · part 1 of 2")],
        [("Agenda (continued)", 2750, None), (None, 2750, "Published · part 2 of 2")],
    ]


def test_a_message_over_5500_characters_is_split():
    messages = _rules.paginate("Agenda", "h" * 2000, ["a" * 2000, "b" * 2000], "F")
    assert [[len(p.description) for p in pages] for pages in messages] == [[2000, 2000], [2000]]
