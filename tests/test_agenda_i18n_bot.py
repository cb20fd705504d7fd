"""/agenda in the six languages, through the real bot (issue 13).

Replies follow the member's language (the Discord client's locale, or /language set, the only way to
Arabic); the published agenda post and its buttons follow the server's languages (with two, each
message carries both, the first leading, within Discord's limits); /agenda export follows its
``language:`` option, else the server's first language. Items are the chair's words: never translated.
"""

from __future__ import annotations

import re

import pytest
from test_agenda_bot import agenda_posts, create, numbered, post_text
from test_agenda_rules import NOW, items_from
from test_agenda_rules import view as rules_view
from test_capture_support import answer
from test_i18n_bot import client_locales  # noqa: F401  (the fixture)

from cogs.agenda import _rules
from cogs.agenda._rules import Edition
from cogs.core import i18n
from storage.agenda import AgendaRepo

# What each language's member reads in /agenda show: the title's words and the document line.
TITLE = {
    "en": "Draft agenda · 19th meeting of the CWG-COP",
    "fr": "Projet d'ordre du jour · 19th meeting of the CWG-COP",
    "ru": "Проект повестки дня · 19th meeting of the CWG-COP",
    "es": "Proyecto de orden del día · 19th meeting of the CWG-COP",
    "zh": "议程草案 · 19th meeting of the CWG-COP",
    "ar": "مشروع جدول الأعمال · 19th meeting of the CWG-COP",
}
DOCUMENT = {
    "en": "**Document CWG-COP-19/1**",
    "fr": "**Document CWG-COP-19/1**",
    "ru": "**Документ CWG-COP-19/1**",
    "es": "**Documento CWG-COP-19/1**",
    "zh": "**文件 CWG-COP-19/1**",
    "ar": "**الوثيقة CWG-COP-19/1**",
}
WHEN = {
    "en": "**When:** <t:",
    "fr": "**Quand:** <t:",
    "ru": "**Когда:** <t:",
    "es": "**Cuándo:** <t:",
    "zh": "**时间：** <t:",
    "ar": "**الموعد:** <t:",
}
PUBLISHED = {  # the footer
    "en": "Published ",
    "fr": "Publié le ",
    "ru": "Опубликовано ",
    "es": "Publicado el ",
    "zh": "发布于 ",
    "ar": "نُشر في ",
}
# The refusals: a delegate asks for an agenda not yet published; the chair names an item that is not there.
NOT_PUBLISHED = {
    "en": "The agenda of the 20th meeting has not been published yet.",
    "fr": "L'ordre du jour de la 20e réunion n'a pas encore été publié.",
    "ru": "20-е собрание: повестка дня еще не опубликована.",
    "es": "El orden del día de la 20.ª reunión aún no se ha publicado.",
    "zh": "第20次会议的议程尚未发布。",
    "ar": "لم يُنشر جدول أعمال الاجتماع 20 بعد.",
}
NO_ITEM = {
    "en": "There is no item 99 on the agenda of the 19th meeting.",
    "fr": "Il n'y a pas de point 99 à l'ordre du jour de la 19e réunion.",
    "ru": "19-е собрание: в повестке дня нет пункта 99.",
    "es": "No hay ningún punto 99 en el orden del día de la 19.ª reunión.",
    "zh": "第19次会议的议程上没有议程项目 99。",
    "ar": "لا يوجد البند 99 في جدول أعمال الاجتماع 19.",
}
CLIENT_LOCALES = [("en-GB", "en"), ("fr", "fr"), ("ru", "ru"), ("es-ES", "es"), ("es-419", "es"), ("zh-CN", "zh")]


async def published_agenda(world) -> None:
    """Meetings 19 (standard agenda, published) and 20 (nothing published), made in English."""
    await create(world)
    await create(world, number=20, days=60)
    await world.chair.slash(world.general, "agenda template", meeting=19)
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "is published and pinned" in answer(r)


async def reads_the_agenda_in(world, language: str) -> None:
    """The delegate's /agenda show and a refusal, the chair's refusal: all in ``language``."""
    shown = await world.delegate.slash(world.general, "agenda show", meeting=19)
    assert shown.ephemeral
    (embed,) = shown.response.embeds
    assert embed.title == TITLE[language]
    assert DOCUMENT[language] in embed.description
    assert WHEN[language] in embed.description
    assert embed.footer.text.startswith(PUBLISHED[language])
    assert "**5. Consideration of contributions**" in embed.description  # the items: the chair's words
    refused = await world.delegate.slash(world.general, "agenda show", meeting=20)
    assert refused.ephemeral and NOT_PUBLISHED[language] in answer(refused)
    refused = await world.chair.slash(world.general, "agenda edit", meeting=19, item="99", title="New")
    assert refused.ephemeral and NO_ITEM[language] in answer(refused)


@pytest.mark.parametrize(("client", "language"), CLIENT_LOCALES)
async def test_agenda_show_and_refusals_follow_the_client_locale(world, client_locales, client, language):  # noqa: F811
    await published_agenda(world)
    client_locales[world.delegate.id] = client
    client_locales[world.chair.id] = client
    await reads_the_agenda_in(world, language)
    # The published post did not change: it is in the server's language (English).
    (post,) = agenda_posts(world)
    assert post.embeds[0].title == TITLE["en"]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
async def test_agenda_show_and_refusals_follow_language_set(world, client_locales, language):  # noqa: F811
    await published_agenda(world)
    client_locales[world.delegate.id] = "en-US"
    client_locales[world.chair.id] = "en-US"
    for member in (world.delegate, world.chair):
        await member.slash(world.general, "language set", language=language)
    await reads_the_agenda_in(world, language)
    other = await world.delegate2.slash(world.general, "agenda show", meeting=19)  # unaffected
    assert other.response.embeds[0].title == TITLE["en"]


def embeds_within_discords_limits(messages) -> None:
    for message in messages:
        assert len(message.embeds) <= 10
        assert sum(len(e) for e in message.embeds) <= 6000
        for embed in message.embeds:
            assert len(embed.title or "") <= 256
            assert len(embed.description or "") <= 4096
            assert len(embed.footer.text or "") <= 2048
        for row in message.components:
            for button in row.children:
                assert len(button.label) <= 80


async def test_a_bilingual_server_publishes_a_bilingual_agenda(world, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="fr,en")
    meeting = await create(world)
    client_locales[world.chair.id] = "es-ES"  # the organiser's own language does not change the post
    r = await world.chair.slash(world.general, "agenda template", meeting=19)
    assert "El orden del día tipo del CWG-COP está listo" in answer(r)
    # The standard agenda is filled in the server's first language; from then on it is the chair's words.
    assert (await numbered(world, meeting.id))[:2] == ["1 Ouverture de la réunion", "2 Adoption de l'ordre du jour"]
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "El orden del día de la 19.ª reunión se ha publicado y fijado en" in answer(r)

    (post,) = agenda_posts(world)
    embeds_within_discords_limits([post])
    (embed,) = post.embeds
    assert embed.title == "Projet d'ordre du jour / Draft agenda · 19e réunion du CWG-COP"
    assert "**Quand: / When:** <t:" in embed.description
    assert "(heure de Genève, CET)" in embed.description or "(heure de Genève, CEST)" in embed.description
    assert "hours Geneva time" in embed.description
    assert embed.description.index("heure de Genève") < embed.description.index("hours Geneva time")
    assert "**1. Ouverture de la réunion** (Président)" in embed.description  # once, never translated
    assert embed.description.count("Ouverture de la réunion") == 1
    assert re.match(r"Publié le .+ / Published .+", embed.footer.text)
    labels = [c.label for row in post.components for c in row.children]
    assert labels == ["Me le rappeler / Remind me", "Enregistrer une contribution / Register a contribution"]

    # A member reading it with /agenda show reads it in their own language only.
    client_locales[world.delegate.id] = "ru"
    shown = await world.delegate.slash(world.general, "agenda show", meeting=19)
    assert shown.response.embeds[0].title == "Проект повестки дня · 19e réunion du CWG-COP"
    assert "Draft agenda" not in shown.response.embeds[0].title


async def test_a_long_bilingual_agenda_is_split_within_discords_limits(world, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="fr,en")
    meeting = await create(world)
    repo = AgendaRepo(world.bot.db)
    for top in range(1, 31):
        parent = await repo.add(meeting.id, title=f"Item {top} " + "long title " * 17, minutes=20)
        for sub in range(1, 4):
            await repo.add(meeting.id, title=f"Sub-item {top}.{sub} " + "words " * 30, parent_id=parent.id)
    r = await world.chair.slash(world.general, "agenda post", meeting=19)
    assert "takes" in answer(r)
    posts = agenda_posts(world)
    assert len(posts) >= 3
    embeds_within_discords_limits(posts)
    text = post_text(posts)
    assert [int(n) for n in re.findall(r"\*\*(\d+)\. Item", text)] == list(range(1, 31))
    assert "30.3 Sub-item 30.3" in text
    assert posts[1].embeds[0].title.endswith("(suite) / (continued)")
    last = posts[-1].embeds[-1].footer.text
    n = len(posts)
    assert re.fullmatch(rf"Publié le .+ · partie {n} sur {n} / Published .+ · part {n} of {n}", last)
    assert [bool(m.components) for m in posts] == [False] * (len(posts) - 1) + [True]
    labels = [c.label for row in posts[-1].components for c in row.children]
    assert labels == ["Me le rappeler / Remind me", "Enregistrer une contribution / Register a contribution"]


async def test_agenda_export_speaks_its_language_option_else_the_servers(world, client_locales):  # noqa: F811
    await world.admin.slash(world.general, "setup options", languages="ru,en")
    await create(world)
    await world.chair.slash(world.general, "agenda add", meeting=19, title="Opening", presenter="Chair", minutes=10)
    await world.chair.slash(world.general, "agenda post", meeting=19)

    r = await world.delegate.slash(world.general, "agenda export", meeting=19, format="md", language="fr")
    assert answer(r) == "The agenda of the 19th meeting."  # the reply: the member's language
    (attachment,) = r.response.attachments
    text = (await attachment.read()).decode()
    assert "**Document CWG-COP-19/1** · Projet d'ordre du jour" in text
    assert "- **Quand:** " in text and "(heure de Genève, C" in text
    assert "## Ordre du jour" in text
    assert "### 1 Opening (Chair, 10 min)" in text  # the chair's words, not translated

    r = await world.delegate.slash(world.general, "agenda export", meeting=19, format="txt")  # the server's first
    text = (await r.response.attachments[0].read()).decode()
    assert "Документ CWG-COP-19/1 - Проект повестки дня" in text
    assert "ПОВЕСТКА ДНЯ" in text

    r = await world.delegate.slash(world.general, "agenda export", meeting=19, format="txt", language="en")
    text = (await r.response.attachments[0].read()).decode()
    assert "Document CWG-COP-19/1 - Draft agenda" in text
    assert "\nAGENDA\n" in text


def test_a_footer_too_long_for_every_language_keeps_the_first_with_its_part():
    """Each language's footer carries its own "part 2 of 3"; one that does not fit is left out, whole."""
    view = rules_view(
        edition=Edition(revision=12, published_at=NOW, first_published_at=NOW, unpublished_changes=True),
        items=items_from([(k, None, k, f"Item {k} " + "words " * 150) for k in range(1, 40)]),
    )
    messages = _rules.post_pages(view, ("ru", "fr", "en"))
    assert len(messages) > 2
    for index, pages in enumerate(messages, start=1):
        footer = pages[-1].footer
        assert len(footer) <= _rules.FOOTER_LIMIT
        assert footer.startswith("Опубликовано ") and f"часть {index} из {len(messages)}" in footer
        assert "…" not in footer  # no language is cut in the middle
    with i18n.locale("en"):
        english = _rules.post_pages(view, ("en",))
    assert english[0][-1].footer.startswith("Published 28 November 2026 · Rev.12 · the draft has unpublished changes")
