"""The agenda in the other five languages, the singular of every plural refusal, and the refusals read whole.

Written against mutation testing (tools/mutate.py) after the six-language conversion: the non-English
branches (the meeting's time and the document reference), the public post in two or three server
languages (" / " between them, one per line where a sentence is long, a footer language left out when
all would be too long), the singular forms (n == 1) and what each refusal says, word for word. The
translations are those of ``cogs/agenda/locales/*.po``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from factories import contribution, meeting
from test_agenda_rules import items_from
from test_agenda_rules_documents import EM, NOW, REV2, bare_view, full_view, row

from cogs.agenda import _rules
from cogs.agenda._rules import AgendaView, Edition
from cogs.core import i18n
from cogs.core.errors import UserError
from storage.meetings import number_agenda

# The 19th meeting held in New York: 10.00-17.30 there, 16.00-23.30 in Geneva.
NEW_YORK = meeting(timezone="America/New_York", starts_at=datetime(2027, 1, 26, 15, 0, tzinfo=UTC))
ONE = items_from([(1, None, 1, "Only")])
TWO = items_from([(1, None, 1, "A"), (2, None, 2, "B")])
WITH_SUB = items_from([(1, None, 1, "A"), (2, 1, 1, "A1"), (3, None, 2, "B")])


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(UserError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def in_language(language: str, call, *args, **kwargs) -> str:
    with i18n.locale(language):
        return refusal(call, *args, **kwargs)


def by_language(**texts: str):
    """A render function giving ``texts[current language]``: the words of each language, as plain values."""
    return lambda: texts[i18n.current()]


# -- field limits: the singular form --------------------------------------------------------------


def test_a_title_one_character_too_long_reads_in_the_singular_where_the_language_says_so():
    """Russian takes its "one" form for 201 (…1 but not …11): the catalog's singular, not English."""
    assert (
        in_language("ru", _rules.clean_item_title, "t" * 201) == "Название содержит 201 символ; сократите его до 200."
    )
    assert in_language("fr", _rules.clean_item_title, "t" * 201) == "Le titre compte 201 caractères; limitez-le à 200."


def test_a_presenter_one_character_too_long_reads_in_the_singular_where_the_language_says_so():
    assert in_language("ru", _rules.clean_presenter, "p" * 101) == (
        "Имя докладчика содержит 101 символ; сократите его до 100."
    )
    assert in_language("es", _rules.clean_presenter, "p" * 101) == (
        "El nombre del presentador tiene 101 caracteres; limítelo a 100."
    )


def test_a_note_one_character_too_long_reads_in_the_singular_where_the_language_says_so():
    assert in_language("ru", _rules.clean_note, "n" * 301) == "Примечание содержит 301 символ; сократите его до 300."
    assert in_language("zh", _rules.clean_note, "n" * 301) == "说明长 301 个字符；请控制在 300 个字符以内。"


def test_planned_minutes_read_in_the_singular_for_one_and_in_each_arabic_form():
    assert _rules.minutes_text(1) == "1 min"
    assert _rules.minutes_text(2) == "2 min"
    with i18n.locale("ar"):
        assert [_rules.minutes_text(n) for n in (1, 2, 3, 11, 100)] == [
            "دقيقة واحدة",
            "دقيقتان",
            "3 دقائق",
            "11 دقيقة",
            "100 دقيقة",
        ]


# -- references: every refusal read whole ----------------------------------------------------------


def test_an_empty_agenda_is_refused_naming_the_meeting():
    assert refusal(_rules.find_item, [], "1", 19) == "The agenda of the 19th meeting is empty."
    assert in_language("fr", _rules.find_item, [], "1", 19) == "L'ordre du jour de la 19e réunion est vide."


def test_a_number_not_on_the_agenda_is_refused_naming_the_number_and_the_meeting():
    assert refusal(_rules.find_item, TWO, "2.1", 19) == "There is no item 2.1 on the agenda of the 19th meeting."
    assert in_language("fr", _rules.find_item, TWO, "3", 19) == (
        "Il n'y a pas de point 3 à l'ordre du jour de la 19e réunion."
    )


# -- placement: the limit, the singular, the refusals whole ------------------------------------------


def test_an_agenda_takes_its_150th_item_but_not_a_151st():
    full = items_from([(i, None, i, f"Item {i}") for i in range(1, _rules.MAX_ITEMS + 1)])
    assert _rules.place_new(full[:-1], number=None, after=None) == _rules.Placement(None, 150, "150")
    assert refusal(_rules.place_new, full, number=None, after=None) == (
        "An agenda holds at most 150 items and sub-items."
    )
    assert in_language("fr", _rules.place_new, full, number=None, after=None) == (
        "Un ordre du jour comporte au plus 150 points et sous-points."
    )


def test_with_one_other_item_the_position_refusal_is_singular():
    assert refusal(_rules.place_new, ONE, number="3", after=None) == (
        "There is 1 other item; choose a position from 1 to 2."
    )
    assert refusal(_rules.place_move, TWO, TWO[0], "3") == "There is 1 other item; choose a position from 1 to 2."
    assert in_language("fr", _rules.place_new, ONE, number="3", after=None) == (
        "Il y a 1 autre point; choisissez une position de 1 à 2."
    )


def test_with_no_other_item_the_only_position_is_1():
    assert refusal(_rules.place_new, [], number="2", after=None) == (
        "There are 0 other items; choose a position from 1 to 1."
    )
    assert in_language("ar", _rules.place_new, [], number="2", after=None) == (
        "لا توجد بنود أخرى؛ يُرجى اختيار موضع من 1 إلى 1."
    )


def test_a_sub_item_under_a_missing_item_of_a_one_item_agenda_is_refused_in_the_singular():
    assert refusal(_rules.place_new, ONE, number="2.1", after=None) == (
        "There is no item 2 to hold sub-item 2.1 (the agenda has 1 item)."
    )
    assert in_language("ru", _rules.place_new, ONE, number="2.1", after=None) == (
        "Нет пункта 2, к которому можно отнести подпункт 2.1 (в повестке дня 1 пункт)."
    )


def test_sub_positions_refused_with_one_sibling_and_with_none_as_the_language_counts_them():
    """English says "sub-item(s)" whatever the number; French and Arabic have a form for each."""
    assert refusal(_rules.place_new, WITH_SUB, number="1.3", after=None) == (
        "Item 1 has 1 sub-item(s) besides this one; choose 1.1 to 1.2."
    )
    assert in_language("fr", _rules.place_new, WITH_SUB, number="1.3", after=None) == (
        "Le point 1 a 1 sous-point en plus de celui-ci; choisissez entre 1.1 et 1.2."
    )
    assert refusal(_rules.place_new, WITH_SUB, number="2.2", after=None) == (
        "Item 2 has 0 sub-item(s) besides this one; choose 2.1 to 2.1."
    )
    assert in_language("ar", _rules.place_new, WITH_SUB, number="2.2", after=None) == (
        "ليس للبند 2 بنود فرعية غير هذا البند؛ يُرجى الاختيار من 2.1 إلى 2.1."
    )


def test_moving_an_item_to_its_own_place_is_refused_naming_it():
    theme = WITH_SUB[1]
    assert refusal(_rules.place_move, WITH_SUB, theme, "1.1") == "Item 1.1 is already there."
    assert in_language("fr", _rules.place_move, WITH_SUB, theme, "1.1") == "Le point 1.1 se trouve déjà à cette place."


# -- the standard agenda -------------------------------------------------------------------------


def test_the_standard_agenda_is_filled_in_in_the_current_language_with_its_presenters():
    english = _rules.standard_agenda()
    assert [(e.title, e.presenter) for e in english] == [
        ("Opening of the meeting", "Chair"),
        ("Adoption of the agenda", "Chair"),
        ("Approval of the report of the previous meeting", None),
        ("Updates from the secretariat", "Secretariat"),
        ("Consideration of contributions", None),
        ("Results of the youth online consultation", None),
        ("Input to the Council and the Plenipotentiary Conference; dates of the next meeting", None),
        ("Any other business", None),
        ("Closing of the meeting", "Chair"),
    ]
    with i18n.locale("fr"):
        french = _rules.standard_agenda()
    assert [(e.title, e.presenter) for e in french][:4] == [
        ("Ouverture de la réunion", "Président"),
        ("Adoption de l'ordre du jour", "Président"),
        ("Approbation du rapport de la réunion précédente", None),
        ("Informations actualisées communiquées par le secrétariat", "Secrétariat"),
    ]
    assert (french[-1].title, french[-1].presenter) == ("Clôture de la réunion", "Président")


# -- the bot's words in several languages ------------------------------------------------------------


def test_each_language_s_words_are_joined_by_a_slash_the_first_leading_and_the_same_words_once():
    words = by_language(fr="Ordre du jour", en="Agenda", es="Agenda")
    assert _rules.each(("fr", "en", "es"), words) == "Ordre du jour / Agenda"
    assert _rules.each(("fr", "fr", "en"), words, separator="\n") == "Ordre du jour\nAgenda"


def test_words_within_a_limit_keep_every_language_that_fits_exactly():
    words = by_language(fr="aaaa", en="bb", es="c")
    assert _rules.each_within(("fr", "en", "es"), words, 13) == "aaaa / bb / c"
    assert _rules.each_within(("fr", "en", "es"), words, 12) == "aaaa / bb"
    assert _rules.each_within(("fr", "en", "es"), words, 9) == "aaaa / bb"
    assert _rules.each_within(("fr", "en", "es"), words, 8) == "aaaa"
    assert _rules.each_within(("fr", "en"), words, 8, separator="\n") == "aaaa\nbb"


def test_the_first_language_is_never_left_out_only_cut_with_an_ellipsis():
    words = by_language(fr="aaaaaa", en="bb")
    assert _rules.each_within(("fr", "en"), words, 6) == "aaaaaa"
    assert _rules.each_within(("fr", "en"), words, 4) == "aaa…"


def test_the_post_is_in_the_view_s_languages_unless_others_are_given():
    view = replace(full_view(), languages=("fr", "en"))
    assert _rules.post_title(view) == (
        "ANNULÉE / CANCELLED · Projet d'ordre du jour / Draft agenda · 19th meeting of the CWG-COP (Rev.2)"
    )
    assert _rules.post_title(view, ("en",)) == "CANCELLED · Draft agenda · 19th meeting of the CWG-COP (Rev.2)"


def test_the_post_of_a_cancelled_revised_agenda_reads_in_french_and_english():
    view = full_view()
    codes = ("fr", "en")
    assert _rules.post_title(view, codes) == (
        "ANNULÉE / CANCELLED · Projet d'ordre du jour / Draft agenda · 19th meeting of the CWG-COP (Rev.2)"
    )
    assert _rules.post_header(view, codes) == (
        "**Cette réunion a été annulée.** Motif: No quorum\n"
        "**This meeting has been cancelled.** Reason: No quorum\n\n"
        "**Document CWG-COP-19/1**\n"
        "**Quand: / When:** <t:1800954000:F> (<t:1800954000:R>)\n"
        "26 janvier 2027, de 10:00 à 17:30 (heure de Genève, CET)\n"
        "26 January 2027, 10.00-17.30 hours Geneva time (CET)\n"
        "**Où: / Where:** ITU headquarters, Geneva\n"
        "**Participation en ligne: / Join online:** https://itu.zoom.us/j/123\n"
        "**Discussion de la réunion: / Meeting chat:** <#77>\n"
        "**Rev.2** (11 janvier 2027 / 11 January 2027): Item 3 added"
    )
    assert _rules.post_footer(view, codes) == (
        "Publié le 28 novembre 2026 · Rev.2 · le projet comporte des modifications non publiées / "
        "Published 28 November 2026 · Rev.2 · the draft has unpublished changes"
    )


def test_a_cancellation_without_reason_and_an_empty_agenda_read_one_language_per_line():
    view = bare_view(Edition(revision=None), status="cancelled")
    assert _rules.post_header(view, ("fr", "en")).split("\n\n")[0] == (
        "**Cette réunion a été annulée.**\n**This meeting has been cancelled.**"
    )
    assert _rules.post_blocks(view, ("fr", "en")) == [
        "*L'ordre du jour ne comporte encore aucun point.*\n*The agenda has no items yet.*"
    ]


def test_durations_and_document_marks_are_in_every_language_members_words_once():
    items = number_agenda([row(10, None, 1, "Opening", "Chair", 10), row(12, 10, 1, "Sub", None, 5)])
    docs = [
        contribution(id=1, seq=2, agenda_item_id=12, title="Late", is_late=True),
        contribution(id=2, seq=3, agenda_item_id=None, title="Gone", status="withdrawn"),
    ]
    view = AgendaView(meeting=meeting(), group_code="CWG-COP", items=items, documents=docs, edition=REV2)
    assert _rules.post_blocks(view, ("ru", "en")) == [
        "**1. Opening** (Chair, 10 мин / 10 min)\n"
        f"{EM}1.1 Sub (5 мин / 5 min)\n"
        f"{EM}{EM}• CWG-COP-19/2: Late (Ghana) (представлен с опозданием / late)",
        "**Документы, еще не отнесенные к пункту / Documents not yet assigned to an item**\n"
        f"{EM}• ~~CWG-COP-19/3: Gone (Ghana)~~ (отозван / withdrawn)",
    ]


def long_agenda(edition: Edition) -> AgendaView:
    """Three items of 2,000 characters: two messages."""
    items = number_agenda([row(top, None, top, f"Item {top} " + "t" * 2000) for top in range(1, 4)])
    return AgendaView(meeting=meeting(), group_code="CWG-COP", items=items, documents=[], edition=edition)


def test_a_two_message_post_says_continued_and_part_n_of_2_in_each_language():
    first = Edition(revision=0, published_at=NOW, first_published_at=NOW)
    messages = _rules.post_pages(long_agenda(first), ("fr", "en"))
    assert [[(p.title, p.footer) for p in pages] for pages in messages] == [
        [
            ("Projet d'ordre du jour / Draft agenda · 19th meeting of the CWG-COP", None),
            (None, "Publié le 28 novembre 2026 · partie 1 sur 2 / Published 28 November 2026 · part 1 of 2"),
        ],
        [
            (
                "Projet d'ordre du jour / Draft agenda · 19th meeting of the CWG-COP (suite) / (continued)",
                "Publié le 28 novembre 2026 · partie 2 sur 2 / Published 28 November 2026 · part 2 of 2",
            )
        ],
    ]
    assert messages[0][0].description.startswith("**Document CWG-COP-19/1**\n**Quand: / When:** ")
    assert messages[0][1].description.startswith("**2. Item 2 ")


def test_a_footer_language_that_would_pass_200_characters_is_left_out_never_the_first():
    """French and English footers with "part 1 of 2" make 190 characters; Spanish would make 294."""
    messages = _rules.post_pages(long_agenda(REV2), ("fr", "en", "es"))
    assert messages[0][-1].footer == (
        "Publié le 28 novembre 2026 · Rev.2 · le projet comporte des modifications non publiées · partie 1 sur 2 / "
        "Published 28 November 2026 · Rev.2 · the draft has unpublished changes · part 1 of 2"
    )
    assert messages[0][0].title == (
        "Projet d'ordre du jour / Draft agenda / Proyecto de orden del día · 19th meeting of the CWG-COP (Rev.2)"
    )


def test_a_one_message_post_in_two_languages():
    (pages,) = _rules.post_pages(full_view(), ("fr", "en"))
    assert [(p.title, p.footer) for p in pages] == [
        (
            "ANNULÉE / CANCELLED · Projet d'ordre du jour / Draft agenda · 19th meeting of the CWG-COP (Rev.2)",
            "Publié le 28 novembre 2026 · Rev.2 · le projet comporte des modifications non publiées / "
            "Published 28 November 2026 · Rev.2 · the draft has unpublished changes",
        )
    ]
    assert pages[0].description == "\n\n".join(
        [_rules.post_header(full_view(), ("fr", "en")), *_rules.post_blocks(full_view(), ("fr", "en"))]
    )
    assert "(retiré / withdrawn)" in pages[0].description


# -- Document 1 in another language ------------------------------------------------------------------


def test_document_1_gives_a_meeting_held_elsewhere_its_own_time_then_geneva_time_in_french():
    view = AgendaView(meeting=NEW_YORK, group_code="CWG-COP", items=ONE, documents=[], edition=REV2)
    with i18n.locale("fr"):
        text = _rules.export_markdown(view)
    assert text.splitlines()[2] == "**Document CWG-COP-19/1** · Projet d'ordre du jour (Rev.2)"
    assert text.splitlines()[4] == (
        "- **Quand:** 26 janvier 2027, de 10:00 à 17:30 (heure de New York, EST); "
        "26 janvier 2027, de 16:00 à 23:30 (heure de Genève, CET)"
    )


def test_document_1_gives_a_geneva_or_utc_meeting_its_time_once_in_french():
    with i18n.locale("fr"):
        geneva = _rules.export_markdown(bare_view(Edition(revision=None)))
        utc = _rules.export_markdown(bare_view(Edition(revision=None), timezone="UTC"))
    assert geneva.splitlines()[4] == "- **Quand:** 26 janvier 2027, de 10:00 à 17:30 (heure de Genève, CET)"
    # Only the time, once (how the zone itself is named is timefmt's: see its own tests).
    assert utc.splitlines()[4].startswith("- **Quand:** 26 janvier 2027, de 09:00 à 16:30 (")
    assert utc.splitlines()[4].count("2027") == 1


def test_document_1_in_english_gives_geneva_time_of_the_same_day_as_a_clock_range():
    view = AgendaView(meeting=NEW_YORK, group_code="CWG-COP", items=ONE, documents=[], edition=REV2)
    assert _rules.export_text(view).splitlines()[3] == (
        "When:  26 January 2027, 10.00-17.30 hours New York time (EST); 16.00-23.30 hours Geneva time (CET)"
    )


def test_document_1_names_itself_in_the_language_of_the_text():
    view = AgendaView(meeting=NEW_YORK, group_code="CWG-COP", items=ONE, documents=[], edition=REV2)
    with i18n.locale("es"):
        spanish = _rules.export_text(view)
    with i18n.locale("zh"):
        chinese = _rules.export_markdown(view)
    assert spanish.splitlines()[1] == "Documento CWG-COP-19/1 - Proyecto de orden del día (Rev.2)"
    assert spanish.splitlines()[3] == (
        "Cuándo:   26 de enero de 2027, de 10:00 a 17:30 (hora de Nueva York, EST); "
        "26 de enero de 2027, de 16:00 a 23:30 (hora de Ginebra, CET)"
    )
    assert chinese.splitlines()[2].startswith("**文件 CWG-COP-19/1** · ")


def test_a_cancellation_without_reason_is_followed_by_a_blank_line_in_the_text_export():
    view = bare_view(Edition(revision=None), status="cancelled")
    assert _rules.export_text(view).splitlines()[2:5] == ["", "THIS MEETING HAS BEEN CANCELLED.", ""]
