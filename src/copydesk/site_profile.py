"""The seam between corpus work and one page: a read-only, typed site profile.

Corpus work (`copydesk.corpus.templates`) learns, across the pages of a
site, on how many pages each block text appears; one page's extraction only
reads that. `extract_record(record, options, site_profile)` asks the
profile, for the blocks of its page, "on how many pages of this site was
each text seen, this page included" (`SiteProfile.pages_seen`), and
`remove_template` marks the blocks seen often enough as the site's chrome.
Nothing flows back through the profile: the page's own text keys come out
with the result (`PageKeys`), and the corpus layer decides whether to count
them. So the per-page path stays a pure function of its inputs.

The keys (`text_key`) are stable across processes, so a worker can report
them to a parent that keeps the counters.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from copydesk.blocks import Block
from copydesk.normalize import collapse_spaces, host_of

PROSE_WORDS = 15  # a line this long is prose (the same cut as the text scorer's long_prose)


@dataclass(frozen=True, slots=True)
class TemplateRule:
    """When a block is the site's template (see `corpus.templates` for the figures).

    - min_pages: pages of the site a short block must be seen on;
    - min_pages_prose: the same for prose blocks (`PROSE_WORDS`+ words), which
      follow-up stories may quote;
    - max_share: when template blocks would cover more than this share of
      the kept text, only the short ones go (the page is likely a copy of
      another: dedup's business, not a template).
    """

    min_pages: int = 2
    min_pages_prose: int = 3
    max_share: float = 0.6


class SiteProfile(Protocol):
    """What corpus work knows of the sites, read-only for one page."""

    @property
    def rule(self) -> TemplateRule: ...

    def pages_seen(self, site: str, keys: Sequence[int]) -> list[int]:
        """For each key (0: an empty block), the pages of `site` that carry its text,
        counting the page being extracted."""
        ...


class PageKeys(NamedTuple):
    """One page's contribution to its site's counts: the site and its distinct text keys."""

    site: str
    keys: list[int]


def text_key(text: str) -> int:
    """Stable 64-bit key of a block text: crc32 of the case-folded text plus its length.

    crc32 is deterministic across processes (Python's `hash` is salted);
    the length in the high bits makes collisions within a site negligible.
    """
    norm = text.casefold()
    # Most lines are already single-spaced: skip the split then (half the cost).
    # `isprintable` is False for every whitespace character `split` knows but " ".
    if not (norm.isprintable() and "  " not in norm and norm[:1] != " " and norm[-1:] != " "):
        norm = collapse_spaces(norm)
    return (len(norm) << 32) | zlib.crc32(norm.encode("utf-8", "surrogatepass"))


def block_keys(blocks: Iterable[Block]) -> list[int]:
    """`text_key` of each block, 0 for an empty one: computed once per page, used by
    both counting and applying (it is most of what templates cost)."""
    return [text_key(b.text) if b.text else 0 for b in blocks]


def distinct(keys: Iterable[int]) -> list[int]:
    """The distinct non-zero keys of one page, sorted (what one page adds to the counts)."""
    return sorted(set(keys) - {0})


def site_key(site: str | None, url: str | None) -> str | None:
    """The site a page belongs to: an explicit key, else the url's host (without www.)."""
    return site or host_of(url)


def remove_template(blocks: Sequence[Block], seen: Sequence[int], rule: TemplateRule) -> int:
    """Mark the blocks seen on enough pages `kept=False`; return how many kept blocks went.

    `seen[i]` is the number of pages of the site carrying `blocks[i]`'s text.
    """
    hits = _hits(blocks, seen, rule)
    if not hits:
        return 0
    kept_chars = sum(len(b.text) for b in blocks if b.kept)
    hit_chars = sum(len(b.text) for b, _ in hits if b.kept)
    short_only = kept_chars > 0 and hit_chars > rule.max_share * kept_chars
    removed = 0
    for block, n in hits:
        if short_only and block.words >= PROSE_WORDS:
            continue
        removed += block.kept
        block.decide(False, f"site template, seen on {n} pages"
                     + ("" if block.kept or not block.reason else f" ({block.reason})"))
    return removed


def _hits(blocks: Sequence[Block], seen: Sequence[int],
          rule: TemplateRule) -> list[tuple[Block, int]]:
    """(block, pages seen) of the blocks seen on enough pages to be template."""
    low = min(rule.min_pages, rule.min_pages_prose)
    # Most blocks are seen on one page only: rule them out before counting words.
    hits = []
    for i, n in enumerate(seen):
        if n < low:
            continue
        block = blocks[i]
        if n >= (rule.min_pages_prose if block.words >= PROSE_WORDS else rule.min_pages):
            hits.append((block, n))
    return hits


def apply_profile(profile: SiteProfile | None, site: str | None, blocks: Sequence[Block],
                  notes: list[str], want_keys: bool = False) -> PageKeys | None:
    """Remove the site's template from one page's blocks (when a profile is given)
    and return the page's keys (when asked, or a profile is given).

    Text and HTML pages alike; a page without a site key is left alone (noted).
    """
    if profile is None and not want_keys:
        return None
    if site is None:
        notes.append("site template skipped: no site key (give --site or a url)")
        return None
    keys = block_keys(blocks)
    if profile is not None:
        removed = remove_template(blocks, profile.pages_seen(site, keys), profile.rule)
        notes.append(f"site template {site!r}: {removed} block(s) removed")
    return PageKeys(site, distinct(keys))
