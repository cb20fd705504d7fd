"""The reports name the group with the official name set for the document's language (issue 13).

/setup group-name sets it per language; /report meeting and /report period (``language:``) use it.
English keeps its default full name when none is set, byte for byte; the other languages show the
code alone when none is set (never a guessed name), and ``CODE (name)`` in sentences when one is
(the catalog's sentences are written around the code), ``name (CODE)`` as the period report's subtitle.
"""

from __future__ import annotations

import re

import pytest
from test_reports_support import attachments, final, local_day, make_meeting

from cogs.core import house_style as hs
from cogs.core import i18n
from cogs.core.html_documents import plain
from cogs.reports import _text

FR = "Groupe de travail du Conseil sur la protection en ligne des enfants"
ZH = "理事会儿童在线保护工作组"
AR = "فريق العمل التابع للمجلس المعني بحماية الأطفال على الإنترنت"
RU = "Рабочая группа Совета по защите ребенка в онлайновой среде"
EN_DEFAULT = "the Council Working Group on Child Online Protection (CWG-COP)"


@pytest.fixture
async def meetings(world):
    await make_meeting(world, 19, local_day(-30))
    await make_meeting(world, 21, local_day(-10))
    return {"from": local_day(-40).isoformat(), "to": local_day(-1).isoformat()}


async def set_name(world, language: str, name: str | None = None) -> None:
    kwargs = {"name": name} if name is not None else {}
    r = await world.admin.slash(world.general, "setup group-name", language=language, **kwargs)
    assert "is saved" in r.response.content or "is cleared" in r.response.content, r.response.content


async def meeting_report(world, language: str) -> str:
    r = await world.chair.slash(world.general, "report meeting", meeting=19, language=language)
    return (await attachments(r))["cwg-cop-19-report.md"].decode()


async def period_report(world, period, language: str) -> tuple[str, str, str]:
    """(Markdown, HTML, the embed's description) of /report period."""
    r = await world.chair.slash(world.general, "report period", **period, language=language)
    files = await attachments(r)
    md = next(v.decode() for k, v in files.items() if k.endswith(".md"))
    html = next(v.decode() for k, v in files.items() if k.endswith(".html"))
    return md, html, final(r).embeds[0].description


def without_stamp(text: str) -> str:
    """The document without its "Generated" line (the time it was made)."""
    return "\n".join(line for line in text.splitlines() if "Generated" not in line)


async def test_a_french_report_names_the_group_with_the_french_name_set_and_the_code_alone_otherwise(
    world, meetings
) -> None:
    md = await meeting_report(world, "fr")
    assert "1.1\u2003La 19e réunion du CWG-COP s'est tenue le " in md
    md, html, _ = await period_report(world, meetings, "fr")
    assert md.startswith("# Rapport du CWG-COP, du ")
    assert md.splitlines()[2].startswith("- **Période:**")  # no subtitle: no name is guessed
    assert "1.1\u2003Le présent rapport porte sur les 2 réunions du CWG-COP tenues du " in md
    assert "Groupe de travail" not in md + html and "Council Working Group" not in md + html

    await set_name(world, "fr", FR)
    md = await meeting_report(world, "fr")
    assert f"1.1\u2003La 19e réunion du CWG-COP ({FR}) s'est tenue le " in md
    md, html, _ = await period_report(world, meetings, "fr")
    assert md.splitlines()[2] == f"**{FR} (CWG-COP)**"  # the subtitle: the name as set, then the code
    assert f"1.1\u2003Le présent rapport porte sur les 2 réunions du CWG-COP ({FR}) tenues du " in md
    assert f"2.1\u2003Le chat de la 19e réunion du CWG-COP ({FR}), tenue le " in md
    assert f"<bdi>{FR}</bdi> (CWG-COP)" in html  # the organisers' text, isolated as members' words are

    # Cleared: the code alone again.
    await set_name(world, "fr")
    md = await meeting_report(world, "fr")
    assert "1.1\u2003La 19e réunion du CWG-COP s'est tenue le " in md and FR not in md


async def test_english_is_unchanged_byte_for_byte_when_only_other_languages_have_a_name(world, meetings) -> None:
    before = await meeting_report(world, "en")
    md_before, html_before, embed_before = await period_report(world, meetings, "en")
    assert f"1.1\u2003The nineteenth meeting of {EN_DEFAULT} was held on " in before
    assert md_before.splitlines()[2] == "**Council Working Group on Child Online Protection (CWG-COP)**"
    assert f"1.1\u2003This report covers the 2 meetings of {EN_DEFAULT} held from " in md_before

    for language, name in (("fr", FR), ("ru", RU), ("zh", ZH), ("ar", AR)):
        await set_name(world, language, name)
    after = await meeting_report(world, "en")
    md_after, html_after, embed_after = await period_report(world, meetings, "en")
    assert without_stamp(after) == without_stamp(before)
    assert without_stamp(md_after) == without_stamp(md_before)
    assert without_stamp(html_after) == without_stamp(html_before)
    assert embed_after == embed_before  # the chair's own language is English


async def test_an_english_name_set_by_the_organisers_replaces_the_default(world, meetings) -> None:
    await set_name(world, "en", "Council Working Group on COP")
    md = await meeting_report(world, "en")
    assert "1.1\u2003The nineteenth meeting of the Council Working Group on COP (CWG-COP) was held on " in md
    md, _html, embed = await period_report(world, meetings, "en")
    assert md.splitlines()[2] == "**Council Working Group on COP (CWG-COP)**"
    assert plain(embed).startswith(
        "This report covers the 2 meetings of the Council Working Group on COP (CWG-COP) held"
    )
    await set_name(world, "en")
    assert f"1.1\u2003The nineteenth meeting of {EN_DEFAULT} was held on " in await meeting_report(world, "en")


async def test_each_document_uses_its_own_languages_name_only(world, meetings) -> None:
    await set_name(world, "fr", FR)
    await set_name(world, "zh", ZH)
    await set_name(world, "ar", AR)
    md = await meeting_report(world, "ru")  # no Russian name set: the code alone, never the French one
    assert "1.1\u200319-е собрание CWG-COP состоялось " in md and FR not in md
    md, _html, _embed = await period_report(world, meetings, "zh")
    assert md.splitlines()[2] == f"**{ZH}（CWG-COP）**"
    assert f"1.1\u2003本报告涵盖CWG-COP（{ZH}）在" in md and FR not in md
    md, html, _embed = await period_report(world, meetings, "ar")
    assert f"**{AR} (CWG-COP)**" in md
    assert f"<bdi>{AR}</bdi> (CWG-COP)" in html and f"CWG-COP (<bdi>{AR}</bdi>)" in html


async def test_the_names_reach_the_reports_after_a_restart(world, meetings, harness) -> None:
    await set_name(world, "fr", FR)
    await harness.restart()
    md = await meeting_report(world, "fr")
    assert f"1.1\u2003La 19e réunion du CWG-COP ({FR}) s'est tenue le " in md


async def test_the_embed_follows_the_members_language_and_its_name(world, meetings) -> None:
    await set_name(world, "fr", FR)
    await world.chair.slash(world.general, "language set", language="fr")
    _md, _html, embed = await period_report(world, meetings, "en")
    # Discord shows the isolate marks around the name as nothing at all.
    assert plain(embed).startswith(f"Le présent rapport porte sur les 2 réunions du CWG-COP ({FR}) tenues du ")


# ---------------------------------------------------------------------------------------------
# The wording, with plain values


@pytest.mark.parametrize(
    ("language", "names", "sentence", "heading"),
    [
        ("en", {}, EN_DEFAULT, "Council Working Group on Child Online Protection (CWG-COP)"),
        ("en", {"fr": FR}, EN_DEFAULT, "Council Working Group on Child Online Protection (CWG-COP)"),
        ("en", {"en": "The Working Group"}, "the Working Group (CWG-COP)", "Working Group (CWG-COP)"),
        ("fr", {}, "CWG-COP", None),
        ("fr", {"fr": FR}, f"CWG-COP (\u2068{FR}\u2069)", f"\u2068{FR}\u2069 (CWG-COP)"),
        ("zh", {"zh": ZH}, f"CWG-COP（\u2068{ZH}\u2069）", f"\u2068{ZH}\u2069（CWG-COP）"),
        ("ru", {"fr": FR}, "CWG-COP", None),
    ],
)
def test_the_group_is_named_with_the_documents_language(language, names, sentence, heading) -> None:
    with i18n.locale(language):
        assert _text.group_name("CWG-COP", names) == sentence
        assert _text.group_heading("CWG-COP", names) == heading


def test_another_code_without_a_name_is_the_code_alone_in_english_too() -> None:
    with i18n.locale("en"):
        assert _text.group_name("ITU-T-SG17") == "the ITU-T-SG17"
        assert _text.group_heading("ITU-T-SG17") == "ITU-T-SG17"
        assert _text.group_name("ITU-T-SG17", {"en": "Study Group 17"}) == "the Study Group 17 (ITU-T-SG17)"


def test_house_style_takes_the_organisers_english_name_without_doubling_the_article() -> None:
    assert hs.group_full("CWG-COP") == EN_DEFAULT
    assert hs.group_full("CWG-COP", None) == EN_DEFAULT
    assert hs.group_full("CWG-COP", "The Council Working Group") == "the Council Working Group (CWG-COP)"
    assert hs.group_full("CWG-COP", "Council Working Group") == "the Council Working Group (CWG-COP)"
    assert re.fullmatch(r"the Thematic Group \(X\)", hs.group_full("X", "Thematic Group"))
