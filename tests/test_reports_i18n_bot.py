"""/report in ITU's six languages through the real bot (issue 13).

Replies (the embed) follow the member: their Discord client's locale or their ``/language set``
choice (the only way to Arabic). The report files follow the ``language:`` option, else the server's
first language (``/setup options languages:``), never the member's.
"""

from __future__ import annotations

import re

import pytest
from test_i18n_bot import client_locales  # noqa: F401 (a fixture)
from test_reports_support import answer, attachments, build_history, final, local_day, make_meeting

from storage.guild_settings import GuildSettingsRepo

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

# The embed's footer: the member's language.
FOOTER = {
    "en": "Organisers only · figures from this server's records · the full report is attached",
    "fr": "Réservé aux organisateurs · chiffres tirés des registres de ce serveur · le rapport complet est joint",
    "ru": "Только для организаторов · данные из записей этого сервера · полный отчет прилагается",
    "es": "Solo para los organizadores · cifras de los registros de este servidor · se adjunta el informe completo",
    "zh": "仅限组织者 · 数字来自本服务器的记录 · 完整报告见附件",
    "ar": "للمنظمين فقط · أرقام من سجلات هذا الخادم · التقرير الكامل مرفق",
}
# The meeting report's title and a heading, in the file's language.
MEETING_TITLE = {
    "en": "# Report on the 19th meeting of the CWG-COP",
    "fr": "# Rapport sur la 19e réunion du CWG-COP",
    "ru": "# Отчет: 19-е собрание CWG-COP",
    "es": "# Informe sobre la 19.ª reunión del CWG-COP",
    "zh": "# 关于CWG-COP第19次会议的报告",
    "ar": "# تقرير عن الاجتماع 19 لفريق CWG-COP",
}
MAIN_RESULTS = {
    "en": "## II. Main results",
    "fr": "## II. Principaux résultats",
    "ru": "## II. Основные итоги",
    "es": "## II. Principales resultados",
    "zh": "## 二、主要成果",
    "ar": "## ثانيًا - النتائج الرئيسية",
}
# The period report: its overview heading and "Geneva time" in the language's words.
OVERVIEW = {
    "en": "## I. Overview",
    "fr": "## I. Vue d'ensemble",
    "ru": "## I. Обзор",
    "es": "## I. Panorama general",
    "zh": "## 一、概述",
    "ar": "## أولًا - لمحة عامة",
}
GENEVA_TIME = {
    "en": "Geneva time",
    "fr": "heure de Genève",
    "ru": "женевское время",
    "es": "hora de Ginebra",
    "zh": "日内瓦时间",
    "ar": "بتوقيت جنيف",
}
# The period embed's first words (the member's language).
COVERS = {
    "en": "This report covers the 3 meetings",
    "fr": "Le présent rapport porte sur les 3 réunions",
    "ru": "Настоящий отчет охватывает 3 собрания",
    "es": "El presente informe abarca las 3 reuniones",
    "zh": "本报告涵盖CWG-COP在",
    "ar": "يتناول هذا التقرير 3 اجتماعات",
}
CLIENT = {"en": "en-GB", "fr": "fr", "ru": "ru", "es": "es-ES", "zh": "zh-CN"}  # Arabic: /language set only


async def choose(world, client_locales, how: str, language: str) -> None:  # noqa: F811
    if how == "client":
        client_locales[world.chair.id] = CLIENT[language]
    else:
        client_locales[world.chair.id] = "en-US"
        await world.chair.slash(world.general, "language set", language=language)


def period_args(h) -> dict[str, str]:
    return {"from": h.first.isoformat(), "to": h.last.isoformat()}


CASES = [("client", code) for code in CLIENT] + [("set", code) for code in LANGUAGES]


@pytest.mark.parametrize(("how", "language"), CASES)
async def test_reports_answer_in_the_members_language_and_files_in_the_chosen_one(
    world,
    db,
    simcord_env,
    client_locales,  # noqa: F811
    how,
    language,
) -> None:
    h = await build_history(world, db, simcord_env)
    await choose(world, client_locales, how, language)

    # /report meeting: the reply in the member's language; the file in the server's (English) by default.
    result = await world.chair.slash(world.general, "report meeting", meeting=19)
    assert final(result).embeds[0].footer.text == FOOTER[language]
    md = (await attachments(result))["cwg-cop-19-report.md"].decode()
    assert md.startswith(MEETING_TITLE["en"] + "\n")

    # language: chooses the file's language.
    result = await world.chair.slash(world.general, "report meeting", meeting=19, language=language)
    md = (await attachments(result))["cwg-cop-19-report.md"].decode()
    assert md.startswith(MEETING_TITLE[language] + "\n"), md[:200]
    assert MAIN_RESULTS[language] in md
    assert GENEVA_TIME[language] in md

    # /report period: the embed in the member's language, the files in the chosen one.
    result = await world.chair.slash(world.general, "report period", **period_args(h), language=language)
    embed = final(result).embeds[0]
    assert embed.footer.text == FOOTER[language]
    assert embed.description.startswith(COVERS[language]), embed.description[:200]
    files = await attachments(result)
    stem = f"cwg-cop-report-{h.first.isoformat()}-to-{h.last.isoformat()}"
    md, html = files[f"{stem}.md"].decode(), files[f"{stem}.html"].decode()
    assert OVERVIEW[language] in md and GENEVA_TIME[language] in md
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html


async def test_the_report_files_default_to_the_servers_first_language(world, db, simcord_env) -> None:
    h = await build_history(world, db, simcord_env)
    await GuildSettingsRepo(db).update(world.guild.id, languages="fr,en")
    result = await world.chair.slash(world.general, "report meeting", meeting=19)
    embed = final(result).embeds[0]
    assert embed.footer.text == FOOTER["en"]  # the member's client is English
    md = (await attachments(result))["cwg-cop-19-report.md"].decode()
    assert md.startswith(MEETING_TITLE["fr"] + "\n")

    result = await world.chair.slash(world.general, "report period", **period_args(h))
    files = await attachments(result)
    html = next(v.decode() for k, v in files.items() if k.endswith(".html"))
    assert '<html lang="fr" dir="ltr">' in html and "Vue d&#39;ensemble" in html
    # An explicit language: wins over the server's.
    result = await world.chair.slash(world.general, "report meeting", meeting=19, language="en")
    md = (await attachments(result))["cwg-cop-19-report.md"].decode()
    assert md.startswith(MEETING_TITLE["en"] + "\n")


async def test_arabic_period_report_isolates_names_and_numbers(world, db, simcord_env, client_locales) -> None:  # noqa: F811
    h = await build_history(world, db, simcord_env)
    result = await world.chair.slash(world.general, "report period", **period_args(h), language="ar")
    files = await attachments(result)
    html = next(v.decode() for k, v in files.items() if k.endswith(".html"))
    assert '<html lang="ar" dir="rtl">' in html
    assert "<bdi>Ms Chair</bdi>" in html  # the chair's name, isolated inside Arabic sentences
    assert re.search(r"الاجتماع 19", html)


async def test_the_report_options_are_localised_renamed_ones_too(world) -> None:
    """`from:`/`to:` are renamed parameters: Discord asks the translator for the shown name, "from"."""
    payload = {c["name"]: c for c in await world.bot.command_payload()}
    (period,) = [o for o in payload["report"]["options"] if o["name"] == "period"]
    options = {o["name"]: o for o in period["options"]}
    assert options["from"]["name_localizations"]["fr"] == "premier_jour"
    assert options["to"]["name_localizations"]["ru"] == "последний_день"
    assert options["language"]["name_localizations"]["es-ES"] == "idioma"
    assert [c["name"] for c in options["language"]["choices"]] == [
        "العربية",
        "中文",
        "English",
        "Français",
        "Русский",
        "Español",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "La période commence après sa fin (2027-03-01 est postérieur à 2027-01-01). Indiquez la date la plus "
            "ancienne dans `premier_jour` et la plus récente dans `dernier_jour`.",
        ),
        ("ar", "تبدأ الفترة بعد نهايتها (2027-03-01 بعد 2027-01-01)."),
        ("zh", "该期间的开始晚于结束（2027-03-01晚于2027-01-01）。请将较早的日期填入 `首日`"),
    ],
)
async def test_a_refusal_is_in_the_members_language(world, client_locales, language, expected) -> None:  # noqa: F811
    if language == "ar":
        await world.chair.slash(world.general, "language set", language="ar")
    else:
        client_locales[world.chair.id] = CLIENT[language]
    result = await world.chair.slash(world.general, "report period", **{"from": "2027-03-01", "to": "2027-01-01"})
    assert result.ephemeral and expected in answer(result)
    assert not final(result).attachments


async def test_date_suggestions_are_in_the_members_language(world, db, client_locales) -> None:  # noqa: F811
    await make_meeting(world, 19, local_day(3))
    client_locales[world.chair.id] = "ru"
    choices = await world.chair.autocomplete(world.general, "report period", "from", "")
    names = [c["name"] if isinstance(c, dict) else c.name for c in choices]
    assert names[0].endswith(" · сегодня") and any(n.endswith(" · собрание 19") for n in names), names


def test_a_chinese_chart_draws_every_glyph() -> None:
    """The chart in Chinese uses the machine's CJK font: no glyph is missing (drawn as an empty box)."""
    import warnings

    from cogs.reports import _chart
    from cogs.reports._rules import ChartData

    if _chart._cjk_family() is None:
        pytest.skip("no CJK font on this machine (.ci/run installs fonts-wqy-microhei)")
    data = ChartData(
        labels=("19\n2027年1月26日", "20\n2027年2月1日"),
        contributions=(3, 4),
        participants=(5, None),
        title="CWG-COP：每次会议的文稿和聊天参与者",
        contributions_label="文稿",
        participants_label="聊天参与者",
        not_recorded_label="聊天\n未录制",
        axis_label="数量",
        language="zh",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png, svg = _chart.draw(data), _chart.draw_svg(data)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == [] and png.startswith(b"\x89PNG") and svg.startswith("<svg")
