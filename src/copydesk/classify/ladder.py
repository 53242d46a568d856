"""The extraction ladder for HTML: try the precise method first, relax when it finds too little.

Rungs, in order (the Article's `rung` says which one produced the body):
1. `region`: the best-scored element (see `regions`, Readability's
   algorithm with unlikely candidates left out of the vote) and its
   siblings, with the block rules (`filters`, markup markers) inside it;
2. `region-all`: the same with unlikely candidates voting too (sites whose
   whole page sits in an element named like a header or a menu);
3. `region-relaxed`: the same without the markup-marker rules;
   a region rung that found too little may take in adjacent prose
   (`+extended`, see `extend_article`);
4. `density`: every block on the page that reads as prose;
5. `all-text`: every non-link block: tiny pages, last resort.
A rung "finds too little" when `enough` says so. When a block model is
shipped (or set with `blockmodel.use_model`), it then decides every block,
reading the rules' decisions among its features (`+model`, see `scorer`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from copydesk import vocab
from copydesk.blocks import HEADING_KINDS, Block
from copydesk.classify.context import NodeContext, node_context
from copydesk.classify.filters import (
    byline_reason,
    chrome_reason,
    headline_reason,
    link_reason,
)
from copydesk.classify.regions import Region, best_region, class_weight, unlikely_nodes
from copydesk.classify.sections import drop_related_sections, is_related
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import BOILERPLATE_TAGS, UNLIKELY_WORDS

_MIN_BODY_CHARS = 500  # Readability.js DEFAULT_CHAR_THRESHOLD: below this the next rung runs
_MIN_ATTEMPT_CHARS = 250  # the first region attempt keeping this much is replayed
_SIBLING_SHARE = 0.2  # Readability.js: siblings scoring >= 20% of the top join it


def region_roots(region: Region | None, nodes: list[NodeInfo]) -> list[int]:
    """The root plus the siblings that belong to the article.

    Readability.js's sibling step: a sibling joins when it scores at least
    20% of the root, or when it is prose itself (80+ characters, under 25%
    links, no boilerplate marker); a heading joins when the sibling after it
    joins (the section title of a split article).
    """
    if region is None:
        return []
    root = region.root
    parent = nodes[root].parent
    if parent < 0:
        return [root]
    threshold = max(10.0, region.score * _SIBLING_SHARE)
    siblings = [i for i in range(parent + 1, len(nodes)) if nodes[i].parent == parent]
    joined = [s == root or _sibling_joins(s, region, nodes, threshold) for s in siblings]
    for i in range(len(siblings) - 2, -1, -1):
        if not joined[i] and joined[i + 1] and nodes[siblings[i]].tag in _HEADING_TAGS:
            joined[i] = True
    return [s for s, j in zip(siblings, joined, strict=True) if j]


_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_PROSE_CHARS = 80  # Readability.js sibling rule: paragraphs over 80 chars ...
_PROSE_LINKS = 0.25  # ... with link density under 0.25


def _sibling_joins(node: int, region: Region, nodes: list[NodeInfo], threshold: float) -> bool:
    info = nodes[node]
    if info.tag in BOILERPLATE_TAGS or class_weight(info) < 0:
        return False
    if region.scores.get(node, 0.0) >= threshold:
        return True
    chars = region.chars[node]
    return chars >= _PROSE_CHARS and region.link_chars[node] < _PROSE_LINKS * chars


def rule_reason(block: Block, ctx: NodeContext, strict: bool,
                headline: str | None = None, threads_are_content: bool = False) -> str | None:
    """Why the region rules drop `block`, or None when they keep it.

    The first <h1> is the headline (reported as `title`), and so is any
    <h1> before the body starts or repeating it; another <h1> below the
    headline and the story's first paragraph is one of its section headings
    (pages that mark every heading as h1). `headline` is the first <h1>'s
    text once the body has started, None before. `threads_are_content`
    (a forum page): comment and reply markup holds the posts, so it does not
    drop a block.
    """
    node = block.container
    if ctx.region[node] < 0:
        return "outside the article region"
    marker = ctx.neg_since_root[node]
    if marker and (strict or _is_comments(marker)) \
            and not (threads_are_content and _is_comments(marker)):
        return marker
    is_section = headline is not None and block.text != headline
    return ((None if is_section else headline_reason(block)) or link_reason(block)
            or chrome_reason(block) or byline_reason(block))


_COMMENT_MARKERS = ("'comment'", "'comments'", "'disqus'", "'respond'", "'reply'", "'replies'")


def _is_comments(marker: str) -> bool:
    """Comment threads stay out even on the relaxed rung: they are never the article."""
    return marker.endswith(_COMMENT_MARKERS)


# Page types whose content is a thread of posts marked up like comments.
THREAD_TYPES = frozenset({"forum"})
_THREAD_WORDS = frozenset({"comment", "comments", "disqus", "replies", "reply", "respond",
                           "remark", "community", "shoutbox"})


def thread_unlikely(nodes: list[NodeInfo]) -> list[bool]:
    """`regions.unlikely_nodes` for a forum page: an element that is an unlikely
    candidate only for its comment words (a post, a reply list) is a likely one."""
    out = [False] * len(nodes)
    for i, info in enumerate(nodes):
        parent = info.parent
        flagged = (info.flags.unlikely and info.tag not in _NEVER_UNLIKELY
                   and not _UNLIKELY_NOT_THREAD.isdisjoint(info.words))
        out[i] = flagged or (parent >= 0 and out[parent])
    return out


_NEVER_UNLIKELY = frozenset({"body", "a", "article", "main"})  # as in `regions`
_UNLIKELY_NOT_THREAD = UNLIKELY_WORDS - _THREAD_WORDS


def _keep_by_rules(blocks: list[Block], ctx: NodeContext, strict: bool,
                   threads_are_content: bool = False) -> int:
    """Decide every block with the region rules; return the kept character count."""
    kept_chars = 0
    headline: str | None = None  # the first <h1>
    seen_prose = False
    for block in blocks:
        reason = rule_reason(block, ctx, strict, headline if seen_prose else None,
                             threads_are_content)
        block.decide(reason is None, reason or "in the article region")
        if headline is None and block.kind == "h1":
            headline = block.text
        if reason is None:
            kept_chars += len(block.text)
            seen_prose = seen_prose or (block.kind == "p" and block.words >= _BODY_WORDS)
    return kept_chars


_BODY_WORDS = 10  # a paragraph this long is the story, not a kicker or a standfirst label


def _is_prose(block: Block) -> bool:
    return (block.words >= 10 and block.link_density < 0.3) or (
        block.kind in HEADING_KINDS and block.link_density < 0.5 and block.words >= 2)


def _keep_where(blocks: list[Block], test: Callable[[Block], bool], why: str) -> int:
    kept_chars = 0
    for block in blocks:
        reason = link_reason(block) or chrome_reason(block) or (None if test(block) else why)
        block.decide(reason is None, reason or "prose")
        kept_chars += len(block.text) if reason is None else 0
    return kept_chars


def analyse(blocks: list[Block], nodes: list[NodeInfo], strip_unlikely: bool = True,
            unlikely: list[bool] | None = None) -> tuple[Region | None, NodeContext]:
    """Region and per-element context: shared by the rules and the scorer's features."""
    unlikely = unlikely if unlikely is not None else unlikely_nodes(nodes)
    region = best_region(blocks, nodes, unlikely if strip_unlikely else None)
    return region, node_context(nodes, region_roots(region, nodes), unlikely)


def enough(kept_chars: int, blocks: list[Block], ctx: NodeContext) -> bool:
    """Did a rung find the article?

    At least 500 characters, and a fair share of the prose the page holds
    outside comments, menus and other unlikely places: a region that misses
    most of that prose picked the wrong element.
    """
    if kept_chars < _MIN_BODY_CHARS:
        return False
    prose = sum(len(b.text) for b in blocks
                if _is_prose(b) and b.kind not in HEADING_KINDS and not ctx.unlikely[b.container])
    return kept_chars >= _MIN_PROSE_SHARE * prose


_GAP = 6  # blocks of non-prose the article may be interrupted by (figures, ads, pull quotes)
_EXTEND_WORDS = 12


def _extends_article(block: Block, ctx: NodeContext) -> bool:
    node = block.container
    return (block.words >= _EXTEND_WORDS and block.link_density < 0.15
            and block.text[-1:] in _TERMINAL and not ctx.unlikely[node]
            and not ctx.boiler_tag[node] and block.kind not in ("caption", "h1")
            and not is_related(block))


def extend_article(blocks: list[Block], ctx: NodeContext) -> int:
    """Take in prose that continues the region in reading order; return added chars.

    Split layouts put parts of one story in separate wrappers (a figure or an
    ad between them). Starting from the region's first and last kept block,
    prose blocks met within `_GAP` blocks are added, with a heading right
    before them; the walk stops at comments, menus or a longer gap.
    """
    kept = [i for i, b in enumerate(blocks) if b.kept]
    if not kept:
        return 0
    added = 0
    for start, step in ((kept[-1], 1), (kept[0], -1)):
        gap, i = 0, start + step
        while 0 <= i < len(blocks) and gap <= _GAP:
            block = blocks[i]
            if ctx.unlikely[block.container] or ctx.boiler_tag[block.container]:
                break
            if not block.kept and _extends_article(block, ctx):
                block.decide(True, "continues the article next to its region")
                added += len(block.text)
                gap = 0
            elif block.kept:
                gap = 0
            else:
                gap += 1
            i += step
    return added


_TERMINAL = frozenset(vocab.SENTENCE_END + vocab.CLOSERS)


_MIN_PROSE_SHARE = 0.15

# (rung name, Readability's "strip unlikely candidates" flag, strict path rules)
_REGION_RUNGS = (("region", True, True), ("region-all", False, True),
                 ("region-relaxed", False, False))


@dataclass(slots=True)
class Decision:
    """What the rule ladder decided: the rung, and the region analysis it used."""

    rung: str
    region: Region | None = None
    ctx: NodeContext | None = None


def _run_region_rung(blocks: list[Block], nodes: list[NodeInfo], rung: tuple[str, bool, bool],
                     unlikely: list[bool], threads_are_content: bool = False,
                     ) -> tuple[Decision, int, bool] | None:
    """One region rung: (decision, kept chars, enough?) or None when no region exists."""
    name, strip_unlikely, strict = rung
    region, ctx = analyse(blocks, nodes, strip_unlikely, unlikely)
    if region is None:
        return None
    kept = _keep_by_rules(blocks, ctx, strict, threads_are_content)
    kept -= drop_related_sections(blocks, nodes, ctx)
    if enough(kept, blocks, ctx):
        return Decision(name, region, ctx), kept, True
    added = extend_article(blocks, ctx)
    name = name + "+extended" if added else name
    return Decision(name, region, ctx), kept + added, enough(kept + added, blocks, ctx)


def decide_by_rules(blocks: list[Block], nodes: list[NodeInfo],
                    page_type: str | None = None) -> Decision:
    """Run the rule rungs until one finds the article; every block gets kept/reason.

    When no region rung finds enough, the first one (in ladder order) that
    kept at least `_MIN_ATTEMPT_CHARS` characters is run again to restore its
    decisions (Readability.js falls back to an earlier attempt too, though
    it picks its longest). When none kept that much, the prose-density rung
    decides if it keeps `_MIN_BODY_CHARS`, else every block is kept.
    On a forum page (`page_type`) the posts are the content: comment and
    reply markup neither keeps them from voting for the region nor drops
    them (`thread_unlikely`).
    """
    threads = page_type in THREAD_TYPES
    unlikely = thread_unlikely(nodes) if threads else unlikely_nodes(nodes)
    attempts: list[tuple[int, int]] = []  # (kept chars, rung index)
    first: Decision | None = None
    for index, rung in enumerate(_REGION_RUNGS):
        result = _run_region_rung(blocks, nodes, rung, unlikely, threads)
        if result is None:
            continue
        decision, kept, found = result
        if found:
            return decision
        first = first or decision
        attempts.append((kept, index))
    usable = [a for a in attempts if a[0] >= _MIN_ATTEMPT_CHARS]
    best = usable[0] if usable else (0, -1)
    if best[0] < _MIN_ATTEMPT_CHARS:
        fallback = first or Decision("none")
        if _keep_where(blocks, _is_prose, "not prose") >= _MIN_BODY_CHARS:
            return Decision("density", fallback.region, fallback.ctx)
        _keep_where(blocks, lambda b: True, "")
        return Decision("all-text", fallback.region, fallback.ctx)
    replay = _run_region_rung(blocks, nodes, _REGION_RUNGS[best[1]], unlikely, threads)
    assert replay is not None  # the same rung found a region a moment ago
    return replay[0]


def classify_html(blocks: list[Block], nodes: list[NodeInfo],
                  page_type: str | None = None) -> str:
    """Decide every block (kept, reason) and return the rung that decided.

    The rule ladder decides first; when a block model is active it then
    decides every block, reading the rules' decisions among its features,
    and the rung name gains "+model". `page_type` is the page's predicted
    type (`copydesk.pagetype`), for decisions that depend on it.
    """
    if not blocks:
        return "none"
    from copydesk.classify.scorer import decide_with_model

    decision = decide_by_rules(blocks, nodes, page_type)
    if decide_with_model(blocks, nodes, decision.rung, decision.region, decision.ctx,
                         keep_rules=page_type in THREAD_TYPES):
        return decision.rung + "+model"
    return decision.rung
