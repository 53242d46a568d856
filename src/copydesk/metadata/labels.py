"""Labelled dates in visible text: "Published : Mar 23, 2020 - 11:58  Updated : ...".

Shared by the HTML dateline reader and the text-dump reader: a line is cut
at each "published"/"updated" label (in the languages of `vocab`) and each
piece is tagged with the field it feeds.
"""

from __future__ import annotations

import re

from copydesk.metadata.vocab import MODIFIED_RE, PUBLISHED_RE

_ANY_LABEL_RE = re.compile(f"(?:{PUBLISHED_RE.pattern})|(?:{MODIFIED_RE.pattern})", re.IGNORECASE)


def split_labelled(line: str) -> list[tuple[str, str]]:
    """[(field, text)]: field is date_published, date_modified, or "date" (no label)."""
    line = line[:400]
    pieces: list[tuple[str, str]] = []
    matches = list(_ANY_LABEL_RE.finditer(line))
    if not matches:
        return [("date", line)]
    if matches[0].start() > 0 and line[: matches[0].start()].strip():
        pieces.append(("date", line[: matches[0].start()]))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        field = "date_modified" if MODIFIED_RE.match(match.group(0)) else "date_published"
        pieces.append((field, line[match.end() : end]))
    return pieces


def has_label(line: str) -> bool:
    """True when the line carries a published/updated label."""
    return bool(_ANY_LABEL_RE.search(line[:400]))
