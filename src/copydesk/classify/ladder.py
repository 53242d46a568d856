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
A rung "finds too little" when `enough` says so.

Each rung is a pure function of the Blocks and the page's `HtmlFeatures`
returning a `RungResult` (a `Decision` per block); `copydesk.ladder.climb`
runs them in order and chooses, and the chosen decisions are applied to
the Blocks once. When no rung finds enough, the first region rung that
kept `_MIN_ATTEMPT_CHARS` is chosen before the fallback rungs run. When a
block model is shipped (or set with `blockmodel.use_model`), it then
reviews every block, reading the rules' decisions among its features
(`+model`, see `scorer`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from copydesk import vocab
from copydesk.blocks import HEADING_KINDS, Block, Decision, RungResult
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
from copydesk.ladder import Rung, apply, climb, rule

_MIN_BODY_CHARS = 500  # Readability.js DEFAULT_CHAR_THRESHOLD: below this the next rung runs
_MIN_ATTEMPT_CHARS = 250  # the first region attempt keeping this much is chosen
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
                   threads_are_content: bool = False) -> tuple[list[Decision], int]:
    """The region rules' decision on every block, and the kept character count."""
    decisions: list[Decision] = []
    kept_chars = 0
    headline: str | None = None  # the first <h1>
    seen_prose = False
    for block in blocks:
        reason = rule_reason(block, ctx, strict, headline if seen_prose else None,
                             threads_are_content)
        decisions.append(rule(reason is None, reason or "in the article region"))
        if headline is None and block.kind == "h1":
            headline = block.text
        if reason is None:
            kept_chars += len(block.text)
            seen_prose = seen_prose or (block.kind == "p" and block.words >= _BODY_WORDS)
    return decisions, kept_chars


_BODY_WORDS = 10  # a paragraph this long is the story, not a kicker or a standfirst label


def _is_prose(block: Block) -> bool:
    return (block.words >= 10 and block.link_density < 0.3) or (
        block.kind in HEADING_KINDS and block.link_density < 0.5 and block.words >= 2)


def _keep_where(blocks: list[Block], test: Callable[[Block], bool],
                why: str) -> tuple[list[Decision], int]:
    decisions: list[Decision] = []
    kept_chars = 0
    for block in blocks:
        reason = link_reason(block) or chrome_reason(block) or (None if test(block) else why)
        decisions.append(rule(reason is None, reason or "prose"))
        kept_chars += len(block.text) if reason is None else 0
    return decisions, kept_chars


def analyse(blocks: list[Block], nodes: list[NodeInfo], strip_unlikely: bool = True,
            unlikely: list[bool] | None = None) -> tuple[Region | None, NodeContext]:
    """Region and per-element context: shared by the rules and the scorer's features."""
    unlikely = unlikely if unlikely is not None else unlikely_nodes(nodes)
    region = best_region(blocks, nodes, unlikely if strip_unlikely else None)
    return region, node_context(nodes, region_roots(region, nodes), unlikely)


@dataclass(slots=True)
class HtmlFeatures:
    """What HTML's rungs read besides the Blocks: the element table, the unlikely
    candidates, whether comment markup holds the content (a forum page), and the
    region analyses, computed once per "strip unlikely candidates" flag (two
    rungs share the one without stripping)."""

    nodes: list[NodeInfo]
    unlikely: list[bool]
    threads_are_content: bool = False
    _analyses: dict[bool, tuple[Region | None, NodeContext]] = field(default_factory=dict)

    def analysis(self, blocks: list[Block],
                 strip_unlikely: bool) -> tuple[Region | None, NodeContext]:
        got = self._analyses.get(strip_unlikely)
        if got is None:
            got = self._analyses[strip_unlikely] = analyse(blocks, self.nodes, strip_unlikely,
                                                           self.unlikely)
        return got


def html_features(nodes: list[NodeInfo], page_type: str | None = None) -> HtmlFeatures:
    """The features of one page; on a forum page (`page_type`) the posts are the
    content: comment and reply markup neither keeps them from voting for the
    region nor drops them (`thread_unlikely`)."""
    threads = page_type in THREAD_TYPES
    unlikely = thread_unlikely(nodes) if threads else unlikely_nodes(nodes)
    return HtmlFeatures(nodes, unlikely, threads)


def enough(kept_chars: int, blocks: list[Block], ctx: NodeContext) -> bool:
    """Did a rung find the article?

    At least 500 characters, and a fair share of the prose the page holds
    outside comments, menus and other unlikely places: a region that misses
    most of that prose picked the wrong element.
    """
    return not shortfall(kept_chars, blocks, ctx)


def shortfall(kept_chars: int, blocks: list[Block], ctx: NodeContext) -> str:
    """Why `kept_chars` is not enough (`enough`), or "" when it is."""
    if kept_chars < _MIN_BODY_CHARS:
        return f"kept {kept_chars} characters, under {_MIN_BODY_CHARS}"
    prose = sum(len(b.text) for b in blocks
                if _is_prose(b) and b.kind not in HEADING_KINDS and not ctx.unlikely[b.container])
    if kept_chars >= _MIN_PROSE_SHARE * prose:
        return ""
    return (f"kept {kept_chars} characters, under {_MIN_PROSE_SHARE:.0%} of the page's "
            f"{prose} characters of prose")


_GAP = 6  # blocks of non-prose the article may be interrupted by (figures, ads, pull quotes)
_EXTEND_WORDS = 12


def _extends_article(block: Block, reason: str, ctx: NodeContext) -> bool:
    node = block.container
    return (block.words >= _EXTEND_WORDS and block.link_density < 0.15
            and block.text[-1:] in _TERMINAL and not ctx.unlikely[node]
            and not ctx.boiler_tag[node] and block.kind not in ("caption", "h1")
            and not is_related(reason))


def extend_article(blocks: list[Block], decisions: list[Decision], ctx: NodeContext) -> int:
    """Take in prose that continues the region in reading order; return added chars.

    Split layouts put parts of one story in separate wrappers (a figure or an
    ad between them). Starting from the region's first and last kept block,
    prose blocks met within `_GAP` blocks are added, with a heading right
    before them; the walk stops at comments, menus or a longer gap.
    `decisions` (the rung's own, one per block) is updated in place.
    """
    kept = [i for i, d in enumerate(decisions) if d.kept]
    if not kept:
        return 0
    added = 0
    for start, step in ((kept[-1], 1), (kept[0], -1)):
        gap, i = 0, start + step
        while 0 <= i < len(blocks) and gap <= _GAP:
            block, decision = blocks[i], decisions[i]
            if ctx.unlikely[block.container] or ctx.boiler_tag[block.container]:
                break
            if not decision.kept and _extends_article(block, decision.reason, ctx):
                decisions[i] = rule(True, "continues the article next to its region")
                added += len(block.text)
                gap = 0
            elif decision.kept:
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
_STRIPS = {name: strip for name, strip, _ in _REGION_RUNGS}


def region_rung(blocks: list[Block], features: HtmlFeatures, name: str, strip_unlikely: bool,
                strict: bool) -> RungResult | None:
    """One region rung's decisions, or None when no element gets a vote.

    The region rules, then related-content boxes out; when that is not
    enough, prose continuing the region in (`+extended`).
    """
    region, ctx = features.analysis(blocks, strip_unlikely)
    if region is None:
        return None
    decisions, kept = _keep_by_rules(blocks, ctx, strict, features.threads_are_content)
    kept -= drop_related_sections(blocks, decisions, features.nodes, ctx)
    why = shortfall(kept, blocks, ctx)
    if not why:
        return RungResult(name, tuple(decisions), kept, True, precise=True)
    added = extend_article(blocks, decisions, ctx)
    name = name + "+extended" if added else name
    why = shortfall(kept + added, blocks, ctx)
    return RungResult(name, tuple(decisions), kept + added, not why, why, precise=True)


def density_rung(blocks: list[Block], features: HtmlFeatures) -> RungResult:
    """Every block on the page that reads as prose (enough at `_MIN_BODY_CHARS`)."""
    decisions, kept = _keep_where(blocks, _is_prose, "not prose")
    found = kept >= _MIN_BODY_CHARS
    why = "" if found else f"kept {kept} characters, under {_MIN_BODY_CHARS}"
    return RungResult("density", tuple(decisions), kept, found, why)


def all_text_rung(blocks: list[Block], features: HtmlFeatures) -> RungResult:
    """Every non-link block: the last resort, always enough."""
    decisions, kept = _keep_where(blocks, lambda b: True, "")
    return RungResult("all-text", tuple(decisions), kept, True)


def rule_rungs(blocks: list[Block], features: HtmlFeatures) -> Iterator[Rung]:
    """HTML's rule rungs in ladder order, bound to one page (run by `ladder.climb`;
    each is bound when the climb reaches it)."""
    for rung in _REGION_RUNGS:
        yield Rung(partial(region_rung, blocks, features, *rung))
    yield Rung(partial(density_rung, blocks, features), fallback=True)
    yield Rung(partial(all_text_rung, blocks, features), fallback=True)


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """What the rule ladder chose: the rung's result, every attempt, and the region
    analysis behind it (the block model's features read it)."""

    rung: str
    region: Region | None = None
    ctx: NodeContext | None = None
    result: RungResult | None = None
    attempts: tuple[RungResult, ...] = ()


def choose_by_rules(blocks: list[Block], nodes: list[NodeInfo],
                    page_type: str | None = None) -> RuleOutcome:
    """Run the rule rungs until one finds the article; decide nothing on the Blocks.

    When no region rung finds enough, the first one (in ladder order) that
    kept at least `_MIN_ATTEMPT_CHARS` characters is chosen. When none kept
    that much, the prose-density rung decides if it keeps `_MIN_BODY_CHARS`,
    else every block is kept. The region analysis returned is the chosen
    region rung's, else the first region attempt's.
    """
    features = html_features(nodes, page_type)
    chosen = climb(rule_rungs(blocks, features), _MIN_ATTEMPT_CHARS)
    if chosen is None:  # (all-text always decides)
        return RuleOutcome("none")
    result, attempts = chosen.chosen, chosen.attempts
    basis = result if result.precise else (attempts[0] if attempts[0].precise else None)
    region, ctx = (None, None) if basis is None else features.analysis(
        blocks, _STRIPS[basis.rung.removesuffix("+extended")])
    return RuleOutcome(result.rung, region, ctx, result, attempts)


def decide_by_rules(blocks: list[Block], nodes: list[NodeInfo],
                    page_type: str | None = None) -> RuleOutcome:
    """`choose_by_rules`, its decisions applied to the Blocks (every block gets kept/reason)."""
    outcome = choose_by_rules(blocks, nodes, page_type)
    if outcome.result is not None:
        apply(blocks, outcome.result)
    return outcome


@dataclass(frozen=True, slots=True)
class Classified:
    """The rung that decided a page's Blocks and every attempt (for `explain`)."""

    rung: str
    attempts: tuple[RungResult, ...] = ()


def html_ladder(blocks: list[Block], nodes: list[NodeInfo],
                page_type: str | None = None,
                type_probs: dict[str, float] | None = None) -> Classified:
    """Decide every block (kept, reason): the rules' choice, applied once, then the
    block model's review when one is active (the rung gains "+model").

    The model reads the rules' decisions among its features, so they are on
    the Blocks when it runs; its own decisions are applied over them.
    `page_type` is the page's predicted type (`copydesk.pagetype`); `type_probs`
    every type's probability, which the block model reads.
    """
    if not blocks:
        return Classified("none")
    from copydesk.classify.scorer import model_review

    outcome = decide_by_rules(blocks, nodes, page_type)
    review = model_review(blocks, nodes, outcome.rung, outcome.region, outcome.ctx,
                          type_probs=type_probs, page_type=page_type)
    if review is None:
        return Classified(outcome.rung, outcome.attempts)
    apply(blocks, review)
    return Classified(review.rung, (*outcome.attempts, review))


def classify_html(blocks: list[Block], nodes: list[NodeInfo],
                  page_type: str | None = None) -> str:
    """Decide every block (kept, reason) and return the rung that decided (`html_ladder`)."""
    return html_ladder(blocks, nodes, page_type).rung
