"""Put a streamed page's late segments where its scripts would put them.

React's streaming server renderer (React 18+, used by Next.js's app router)
sends a page before its slow parts are ready. Where a part is pending it
writes a Suspense boundary, `<!--$?--><template id="B:1"></template>`
followed by a fallback (a spinner, grey skeleton boxes) and `<!--/$-->`; or,
inside a segment, a placeholder `<template id="P:2"></template>`. When the
part is ready it is appended at the end of the body as a hidden segment,
`<div hidden id="S:1">...</div>`, with a one-line script that moves it into
place: `$RC("B:1","S:1")` replaces the boundary's fallback by the segment's
children, `$RS("S:2","P:2")` replaces the placeholder. The boundary, the
placeholder and the segment share the number (React's `completeBoundary` and
`completeSegment` instructions of its Fizz instruction set).

A reader that does not run scripts sees the skeleton where the article should
be and the article itself hidden at the end of the page, after the footer:
the walk skips hidden elements, so the page comes out empty or as menus.
Archived pages often lack the scripts (crawlers and corpora strip them), so
the ids are what is read, not the calls: every hidden `S:n` whose `B:n` or
`P:n` is in the page is moved into place, as the browser would, in document
order (a segment may hold the placeholder of a later one). A segment with no
boundary or placeholder left for it stays where and as it was; a boundary
whose end comment is missing (pages saved without comments) keeps its
fallback beside the segment's text, as nothing says where the fallback ends.

WCXB: 33 of 1,497 pages stream segments this way; two articles had 0.10 and
0.12 of their gold in any block before (docs/html.md).
"""

from __future__ import annotations

from typing import Any

# A streamed segment's id; the boundary and the placeholder it fills.
_SEGMENT = "S:"
_BOUNDARY = "B:"
_PLACEHOLDER = "P:"
# In the source, quoted either way or not: the cheap test that a page streams at all.
_MARKS = ('id="S:', "id='S:", "id=S:")
_OPENERS = frozenset({"<!--$-->", "<!--$?-->", "<!--$!-->"})
_CLOSER = "<!--/$-->"


def streams_segments(text: str) -> bool:
    """Whether the page's source holds a streamed segment id (before parsing)."""
    return any(mark in text for mark in _MARKS)


def place_streamed_segments(body: Any, limit: int = 1000) -> int:
    """Move every hidden React segment of `body` into its boundary or placeholder;
    the number moved. The segments are looked up again after each move: moving
    one frees what it held, later segments nested in it included."""
    moved = 0
    while moved < limit:
        found = next((pair for seg in body.css(_SEGMENTS) if (pair := _target(body, seg))), None)
        if found is None:
            break
        segment, target = found
        for child in list(segment.iter(include_text=True)):
            target.insert_before(child)  # a copy, in place
        target.decompose()
        segment.decompose()
        moved += 1
    return moved


_SEGMENTS = "div[hidden][id^='S:']"


def _target(body: Any, segment: Any) -> tuple[Any, Any] | None:
    """The segment and the template it fills (its boundary's fallback dropped), or None."""
    number = (segment.attributes.get("id") or "")[len(_SEGMENT):]
    if not number:
        return None
    target = _first_template(body, _BOUNDARY + number, segment)
    if target is not None:
        _drop_fallback(target)
        return segment, target
    target = _first_template(body, _PLACEHOLDER + number, segment)
    return None if target is None else (segment, target)


def _first_template(body: Any, element_id: str, segment: Any) -> Any:
    """The first `<template id=element_id>` of `body` outside `segment`."""
    for node in body.css(f"template[id='{element_id}']"):
        if not _inside(node, segment):
            return node
    return None


def _drop_fallback(template: Any) -> None:
    """Remove what follows a boundary's template up to the boundary's end comment
    (nested boundaries included): the fallback the segment replaces. Pages saved
    without their comments have no end to find: their fallback ("Loading...")
    stays, and nothing after it is touched."""
    fallback: list[Any] = []
    depth = 0
    node = template.next
    while node is not None:
        if node.tag == "-comment":
            mark = node.html.strip()
            if mark == _CLOSER:
                if depth == 0:
                    for dropped in fallback:
                        dropped.decompose()
                    return
                depth -= 1
            elif mark in _OPENERS:
                depth += 1
        fallback.append(node)
        node = node.next


def _inside(node: Any, ancestor: Any) -> bool:
    """Whether `node` lies within `ancestor` (a segment never fills itself)."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


__all__ = ["place_streamed_segments", "streams_segments"]
