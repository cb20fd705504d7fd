"""What the language feature says."""

from __future__ import annotations

from cogs.core.i18n import translator

T = translator("language")
_, _n = T.gettext, T.ngettext
