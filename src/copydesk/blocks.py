"""Block: one unit of text with the features the classifier needs.

HTML paragraphs, headings, list items, quotes, table cells and the lines of a
plain-text dump all become Blocks; everything after segmentation (classify,
render, metadata, site templates, the inspector) works on Blocks only, so one
improvement serves both inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser's type, for the annotation only: blocks imports no parser
    from selectolax.lexbor import LexborHTMLParser

# Block kinds. Headings keep their level so Markdown can render them.
HEADING_KINDS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
KINDS = frozenset({"p", "li", "quote", "pre", "table", "caption", "line", *HEADING_KINDS})


@dataclass(slots=True)
class Block:
    """One unit of text and its features.

    - text: whitespace-normalised text of the unit.
    - kind: one of KINDS (`line` for a text-dump line).
    - index: position in reading order (0-based).
    - link_chars: characters of the text inside <a> elements.
    - container: id of the innermost element around the text (HTML), used to
      score regions rather than single blocks (-1 for none).
    - group: id of the block-level element that holds the block's own
      element (the div around a <p>): repeats within one group are kept.
    - markdown: the block rendered as Markdown when it differs from text
      (tables, lists, quotes, headings).
    - kept / reason: the classifier's decision and why.
    - score: the classifier's score, when a scorer decided.
    """

    text: str
    kind: str = "p"
    index: int = 0
    link_chars: int = 0
    depth: int = 0
    container: int = -1
    group: int = -1
    markdown: str | None = None
    list_depth: int = 0
    kept: bool = False
    reason: str = ""
    score: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)
    _words: int = field(default=-1, repr=False, compare=False)

    @property
    def link_density(self) -> float:
        """Share of the text that sits inside links (0..1)."""
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def words(self) -> int:
        """Whitespace-separated words (counted once: the rules ask many times)."""
        if self._words < 0:
            self._words = len(self.text.split())
        return self._words

    def decide(self, kept: bool, reason: str) -> None:
        """Record a classifier decision with its reason."""
        self.kept = kept
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decision:
    """One block's decision on one rung: kept or not, why, and the scorer's score.

    `score` is None when rules decided (the Block's score is left as it is);
    a learned scorer gives its probability. Immutable, so a rung's decisions
    can be kept beside the others' without copying the Blocks.
    """

    kept: bool
    reason: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class RungResult:
    """What one rung of the ladder decided, without touching the Blocks.

    - rung: its name (the Article's `rung` when it is chosen);
    - decisions: one Decision per Block, in reading order (a text dump's
      rungs decide lines, which become Blocks only once one is chosen);
    - kept_chars: the characters it keeps;
    - enough: did it find the article (the ladder stops at the first that did);
    - why: when not enough, why it fell short (for `explain`);
    - precise: a rung of the precise kind (HTML's region rungs): when no rung
      is enough, the first precise one keeping `settle_chars` is taken before
      a fallback rung runs (`copydesk.ladder.climb`).
    """

    rung: str
    decisions: Sequence[Decision]
    kept_chars: int
    enough: bool
    why: str = ""
    precise: bool = False


@dataclass(slots=True)
class Page:
    """A segmented and classified page: its Blocks (with decisions) and how.

    - rung: the step of the extraction ladder that produced the kept blocks.
    - tree: the parsed HTML document (metadata reads it), None for text.
    - date_crawled: a crawl date found in a text dump's header.
    - url: the page's own url, found in a text dump's header.
    - page_type: the predicted kind of page (`copydesk.pagetype`; of a text dump:
      `copydesk.text.pagetype`).
    - notes: short remarks for the explanation (caps hit, fallbacks taken).
    - attempts: every rung the ladder ran, in order (the chosen one included),
      so `explain` can say why the rejected ones fell short.
    """

    blocks: list[Block]
    rung: str
    tree: LexborHTMLParser | None = None
    date_crawled: str | None = None
    url: str | None = None
    notes: list[str] = field(default_factory=list)
    page_type: str | None = None
    attempts: tuple[RungResult, ...] = ()
