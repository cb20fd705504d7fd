"""What /agenda says to people, in one place. Pure: never imports discord.

Every message goes through the agenda catalog (``cogs/agenda/locales``); replies are in the
member's language (set for the interaction), the published post in the server's (see ``_rules``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cogs.agenda._rules import AgendaView, Edition, geneva_date, revision_mark
from cogs.core import i18n
from cogs.core.i18n import N_, translator
from cogs.core.meeting_choice import meeting_name
from storage.meetings import AgendaItem, Meeting

if TYPE_CHECKING:
    from cogs.agenda._post import Published

T = translator("agenda")
_, _n = T.gettext, T.ngettext

CONFLICT = N_("The agenda changed at the same moment (someone else is editing it?). Please look again and retry.")
OUTLINE_LIMIT = 3900


def post_command(meeting: Meeting) -> str:
    """``/agenda post meeting:19`` as the member's picker shows it."""
    return f"{i18n.command('agenda post', 'meeting')}{meeting.number}"


def outline(items: Sequence[AgendaItem], highlight: int | None) -> str:
    """The numbered items, the one just changed in bold; cut to fit one embed."""
    if not items:
        return _("*No items yet.*")
    lines = []
    for item in items:
        indent = "\u2003" if item.parent_id is not None else ""
        text = f"{indent}{item.number}{'.' if item.parent_id is None else ''} {item.title}"
        lines.append(f"**{text.strip()}**" if item.id == highlight else text)
    out, size = [], 0
    for line in lines:
        if size + len(line) + 1 > OUTLINE_LIMIT:
            more = len(lines) - len(out)
            out.append(_n("… and {n} more", "… and {n} more", more, n=more))
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def publish_hint(meeting: Meeting, revision: int | None) -> str:
    if revision is None:
        return _("Not published yet: `{command}` publishes it in the agenda channel.", command=post_command(meeting))
    return _(
        "The published agenda{revision} stays as it is until you run `{command}`, "
        "which publishes these changes as {next_revision}.",
        revision=revision_mark(revision),
        command=post_command(meeting),
        next_revision=f"Rev.{revision + 1}",
    )


def published(meeting: Meeting, result: Published) -> str:
    """Says what was done and what was not: the pin is claimed only when it happened."""
    where = f"<#{result.channel_id}>"
    name = meeting_name(meeting.number)
    if not result.new_revision:
        if result.pinned:
            text = _(
                "The agenda has not changed since it was published{revision}, so there is no new revision; "
                "I refreshed the post in {channel} and pinned it.",
                revision=revision_mark(result.revision),
                channel=where,
            )
        else:
            text = _(
                "The agenda has not changed since it was published{revision}, so there is no new revision; "
                "I refreshed the post in {channel}.",
                revision=revision_mark(result.revision),
                channel=where,
            )
    elif result.revision == 0:
        if result.pinned:
            text = _("The agenda of the {meeting} is published and pinned in {channel}.", meeting=name, channel=where)
        else:
            text = _("The agenda of the {meeting} is published in {channel}.", meeting=name, channel=where)
    elif result.pinned:
        text = _(
            "{revision} of the agenda of the {meeting} is published and pinned in {channel}.",
            revision=f"Rev.{result.revision}",
            meeting=name,
            channel=where,
        )
    else:
        text = _(
            "{revision} of the agenda of the {meeting} is published in {channel}.",
            revision=f"Rev.{result.revision}",
            meeting=name,
            channel=where,
        )
    count = len(result.message_ids)
    if count > 1:
        text += " " + _n(
            "It is long, so it takes {n} message.", "It is long, so it takes {n} messages.", count, n=count
        )
    for problem in result.problems:
        text += "\n" + problem
    return text


def draft_status(meeting: Meeting, edition: Edition) -> str:
    if edition.revision is None and not edition.unpublished_changes:
        return _("Draft, not yet published: `{command}` publishes it.", command=post_command(meeting))
    if edition.revision is None:
        return _(
            "This draft has changes that are not published yet: `{command}` publishes them as a new revision.",
            command=post_command(meeting),
        )
    if edition.published_at:
        return _(
            "Published{revision} on {date}; no unpublished changes.",
            revision=revision_mark(edition.revision),
            date=geneva_date(edition.published_at),
        )
    return _("Published{revision}; no unpublished changes.", revision=revision_mark(edition.revision))


def revision_suffix(view: AgendaView) -> str:
    revision = view.edition.revision
    if revision is None:
        return "-draft"
    return f"-rev{revision}" if revision else ""
