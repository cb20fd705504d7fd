"""What /setup says: the feature's translator and the names it gives things."""

from __future__ import annotations

from cogs.core import i18n
from cogs.core.house_style import GROUP_NAMES
from cogs.core.i18n import N_, translator
from cogs.core.safe_text import inline

T = translator("setup")
_, _n = T.gettext, T.ngettext

# The bot's places, as /setup names them (cogs.core.permissions keys).
PLACE_NAMES = {
    "agenda": N_("agenda channel"),
    "contributions": N_("contributions channel"),
    "reminders": N_("reminders channel"),
    "meeting": N_("meeting chat"),
}


def place_name(place: str) -> str:
    return _(PLACE_NAMES[place])


def options_list(*names: str) -> str:
    """```chair`, `secretariat` or `participant``` with the option names the member's picker shows."""
    return i18n.format_list([f"`{i18n.option(n)}`" for n in names], style="or")


def not_set() -> str:
    return _("not set")


def languages_text(codes: tuple[str, ...]) -> str:
    """``Français (fr), English (en)``: each language in its own script, with its code."""
    return ", ".join(language_label(c) for c in codes)


def language_label(code: str) -> str:
    """``Français (fr)``."""
    return f"{i18n.NATIVE_NAMES[code]} ({code})"


def group_name_line(code: str, language: str, name: str | None) -> str:
    """One language's line of ``/setup show``: the name set, English's default, or the code alone.

    The name keeps its own direction inside an Arabic answer (isolated), and is shown as typed (no markup).
    """
    label = language_label(language)
    if name:
        return _("{language}: {name}", language=label, name=i18n.isolate(inline(name)))
    default = GROUP_NAMES.get(code) if language == i18n.SOURCE else None
    if default:
        return _("{language}: {name} (the default)", language=label, name=i18n.isolate(default))
    return _("{language}: not set (the code alone, {code})", language=label, code=code)


def group_names_text(code: str, names: dict[str, str]) -> str:
    """The group's name in each of the six languages, in ITU's order (``/setup show``)."""
    return "\n".join(group_name_line(code, language, names.get(language)) for language in i18n.LANGUAGES)
