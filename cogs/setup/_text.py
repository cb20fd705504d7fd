"""What /setup says: the feature's translator and the names it gives things."""

from __future__ import annotations

from cogs.core import i18n
from cogs.core.i18n import N_, translator

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
    return ", ".join(f"{i18n.NATIVE_NAMES[c]} ({c})" for c in codes)
