"""The class/id strings of one page, gathered once for every reader of them.

Three parts of the extractor read the elements' class/id strings (`NodeInfo.hints`):
the region rules read their flags (`html.vocab.word_flags`), the block model the
learned weights of their words (`classify.blockfeatures.TokenTable`), the page-type
model counts of their words (`pagetype.features`). A page has a few hundred
distinct strings for a few thousand elements, so each reader works per distinct
string and spreads the result over the elements. Each used to find the distinct
strings on its own (and the block model looked their words up again); the walk
now does it once (`read_classes`) and hands the result on with the element table
(`html.segment.NodeTable.classes`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from copydesk.html.vocab import NO_FLAGS, WordFlags, hint_facts


@dataclass(frozen=True, slots=True)
class PageClasses:
    """The distinct class/id strings of a page and, per element, which one it has.

    `values[0]` is "" (no class, id nor role), the others in order of first
    appearance; `index[e]` is element e's position in `values`, `counts[i]` how
    many elements have `values[i]`, `words[i]` and `flags[i]` its
    `vocab.hint_words` and their `vocab.word_flags`.
    """

    values: list[str]
    index: list[int]
    counts: list[int]
    words: list[tuple[str, ...]]
    flags: list[WordFlags]


def read_classes(hints: Sequence[str]) -> PageClasses:
    """`PageClasses` of the elements' class/id strings, in element order: one
    `hint_facts` call for the distinct strings, and C calls (`dict.fromkeys`, `map`,
    `Counter`) over the elements, no Python frame per element."""
    position: dict[str, int] = {"": 0}
    position.update(dict.fromkeys(hints, 0))
    for i, value in enumerate(position):
        position[value] = i
    values = list(position)
    index = list(map(position.__getitem__, hints))
    counted = Counter(index)
    counts = [counted.get(i, 0) for i in range(len(values))]
    facts = hint_facts(values[1:])
    words: list[tuple[str, ...]] = [()]
    flags: list[WordFlags] = [NO_FLAGS]
    for value in values[1:]:
        value_words, value_flags = facts[value]
        words.append(value_words)
        flags.append(value_flags)
    return PageClasses(values, index, counts, words, flags)


class _Element(Protocol):
    @property
    def hints(self) -> str: ...


def classes_of(nodes: Sequence[_Element]) -> PageClasses:
    """The `PageClasses` of an element table: the walk's (`html.segment.NodeTable`),
    or read from the table's class/id strings (a table built by hand, or sliced)."""
    classes: PageClasses | None = getattr(nodes, "classes", None)
    if classes is not None and len(classes.index) == len(nodes):
        return classes
    return read_classes([node.hints for node in nodes])
