"""What /agenda says to people, in one place (for later translation). Pure: never imports discord."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cogs.agenda._rules import AgendaView, Edition, geneva_date, revision_mark
from cogs.core.timefmt import ordinal
from storage.meetings import AgendaItem, Meeting

if TYPE_CHECKING:
    from cogs.agenda._post import Published

CONFLICT = "The agenda changed at the same moment (someone else is editing it?). Please look again and retry."
OUTLINE_LIMIT = 3900


def outline(items: Sequence[AgendaItem], highlight: int | None) -> str:
    """The numbered items, the one just changed in bold; cut to fit one embed."""
    if not items:
        return "*No items yet.*"
    lines = []
    for item in items:
        indent = "\u2003" if item.parent_id is not None else ""
        text = f"{indent}{item.number}{'.' if item.parent_id is None else ''} {item.title}"
        lines.append(f"**{text.strip()}**" if item.id == highlight else text)
    out, size = [], 0
    for line in lines:
        if size + len(line) + 1 > OUTLINE_LIMIT:
            out.append(f"… and {len(lines) - len(out)} more")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def publish_hint(meeting: Meeting, revision: int | None) -> str:
    if revision is None:
        return f"Not published yet: `/agenda post meeting:{meeting.number}` publishes it in the agenda channel."
    return (
        f"The published agenda{revision_mark(revision)} stays as it is until you run "
        f"`/agenda post meeting:{meeting.number}`, which publishes these changes as Rev.{revision + 1}."
    )


def published(meeting: Meeting, result: Published) -> str:
    """Says what was done and what was not: the pin is claimed only when it happened."""
    where = f"<#{result.channel_id}>"
    pinned = " and pinned" if result.pinned else ""
    if not result.new_revision:
        text = (
            f"The agenda has not changed since it was published{revision_mark(result.revision)}, so there is no "
            f"new revision; I refreshed the post in {where}{' and pinned it' if result.pinned else ''}."
        )
    elif result.revision == 0:
        text = f"The agenda of the {ordinal(meeting.number)} meeting is published{pinned} in {where}."
    else:
        text = (
            f"Rev.{result.revision} of the agenda of the {ordinal(meeting.number)} meeting is published{pinned} "
            f"in {where}."
        )
    if len(result.message_ids) > 1:
        text += f" It is long, so it takes {len(result.message_ids)} messages."
    for problem in result.problems:
        text += "\n" + problem
    return text


def draft_status(meeting: Meeting, edition: Edition) -> str:
    if edition.revision is None and not edition.unpublished_changes:
        return f"Draft, not yet published: `/agenda post meeting:{meeting.number}` publishes it."
    if edition.revision is None:
        return (
            f"This draft has changes that are not published yet: `/agenda post meeting:{meeting.number}` "
            "publishes them as a new revision."
        )
    when = f" on {geneva_date(edition.published_at)}" if edition.published_at else ""
    return f"Published{revision_mark(edition.revision)}{when}; no unpublished changes."


def revision_suffix(view: AgendaView) -> str:
    revision = view.edition.revision
    if revision is None:
        return "-draft"
    return f"-rev{revision}" if revision else ""
