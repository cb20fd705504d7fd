"""Domain errors. Pure: never imports discord."""

from __future__ import annotations

from cogs.core import i18n

_ = i18n.translator("core").gettext

# The refusal of an organiser-only command or button, in the reader's language.
ORGANISER_ONLY = i18n.N_(
    "This command is for the meeting organisers (the chair and secretariat roles, or Manage Server)."
)
ORGANISER_ONLY_BUTTON = i18n.N_(
    "This button is for the meeting organisers (the chair and secretariat roles, or Manage Server)."
)
# The same, for another thing (``what`` is already translated by its feature: "Changing the ...").
ORGANISER_ONLY_WHAT = i18n.N_(
    "{what} is for the meeting organisers (the chair and secretariat roles, or Manage Server)."
)


def organiser_only_text(what: str | None = None) -> str:
    """The organiser refusal: ``This command is for ...``, or ``{what} is for ...``."""
    if what is None or what == "This command":
        return _(ORGANISER_ONLY)
    if what == "This button":
        return _(ORGANISER_ONLY_BUTTON)
    return _(ORGANISER_ONLY_WHAT, what=what)


class UserError(Exception):
    """A failure the user caused and can fix; its text is shown to them (ephemerally) as it is."""


class NotOrganiser(UserError):
    """The command is for the chair and secretariat."""

    def __init__(self, what: str | None = None) -> None:
        super().__init__(organiser_only_text(what))
