"""Site templates: lines and blocks that recur across the pages of one site, learned on the fly.

A site's menus, section lists, footers and "Most popular" boxes repeat on
every page it serves; its articles do not. `SiteTemplates` counts, per site,
on how many pages each block text has been seen, and marks a block of a
new page as template when its text was seen on enough pages. It works on
`copydesk.blocks.Block`, so text-dump lines and HTML blocks are served alike.

Usage (streaming, one pass, bounded memory):

    from copydesk import extract
    from copydesk.corpus.templates import SiteTemplates

    templates = SiteTemplates()
    for url, page in pages:                      # any order; sites interleaved
        article = extract(page, url, template=templates)          # site = url host
        article = extract(page, template=templates, site="herald")  # or an explicit key

Inside `extract`, the text mode calls `templates.process(site, blocks)`:
`observe` (count this page's distinct block texts) then `apply` (mark every
block whose text has been seen on at least `min_pages` pages of the site,
this one included, as `kept=False, reason="site template, seen on N pages"`).
A corpus engine that holds the blocks itself may call `observe` and
`apply` directly; `learn_then_apply` is the two-pass variant (observe all
pages of a site first, then apply to each), which spares the first pages
the warm-up.

Warm-up: a line is recognised as template from the `min_pages`-th page of a
site that carries it (default 2 for short lines, `min_pages_prose` = 3 for
prose lines of 15+ words, which may be quoted across follow-up stories). So
the first page of a site gets no template help in streaming mode, the second
page gets the chrome it shares with the first; a site needs 2 pages to
benefit, 3 for repeated prose. Pages are otherwise treated alike: template
removal only ever removes, and never removes so much that a page looks
like a copy of an earlier one (when template lines would cover more than
`max_share` of the kept text, only the short lines are removed: the page
is likely a duplicate, which is dedup's business, not a template).

Memory: per site at most `max_entries` counters (text hash -> pages seen,
last page seen); when full, the rarest and oldest counters are evicted
(so rotating "Most popular" headlines age out while menus stay). At most
`max_sites` sites are tracked, least recently used evicted. Defaults:
4,096 entries x ~150 bytes = ~0.6 MB per site, 1,000 sites = ~600 MB worst
case. Not thread-safe; one instance per worker process, with pages of a
site routed to the same worker, is the intended use.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from copydesk.blocks import Block
from copydesk.options import Options

_LAST = (1 << 32) - 1  # low half of a counter: the last page that carried the text
_PROSE_WORDS = 15  # a line this long is prose (the same cut as the text scorer's long_prose)


def text_key(text: str) -> int:
    """Stable 64-bit key of a block text: crc32 of the case-folded text plus its length.

    crc32 is deterministic across processes (Python's `hash` is salted);
    the length in the high bits makes collisions within a site negligible.
    """
    norm = text.casefold()
    # Most lines are already single-spaced: skip the split then (half the cost).
    # `isprintable` is False for every whitespace character `split` knows but " ".
    if not (norm.isprintable() and "  " not in norm and norm[:1] != " " and norm[-1:] != " "):
        norm = " ".join(norm.split())
    return (len(norm) << 32) | zlib.crc32(norm.encode("utf-8", "surrogatepass"))


@dataclass(slots=True)
class _Site:
    pages: int = 0
    # key -> pages seen << 32 | last page seen: one int, not a list (~150 bytes a
    # counter instead of ~180, by tracemalloc); sorting by it ranks the rarest,
    # then the oldest, first.
    counts: dict[int, int] = field(default_factory=dict)


@dataclass
class SiteTemplates:
    """Per-site counters of block texts across pages (see the module docstring)."""

    min_pages: int = 2
    min_pages_prose: int = 3
    max_share: float = 0.6
    max_entries: int = 4096
    max_sites: int = 1000
    _sites: OrderedDict[str, _Site] = field(default_factory=OrderedDict, repr=False)

    def _site(self, site: str) -> _Site:
        entry = self._sites.get(site)
        if entry is None:
            entry = self._sites[site] = _Site()
            if len(self._sites) > self.max_sites:
                self._sites.popitem(last=False)
        else:
            self._sites.move_to_end(site)
        return entry

    def observe(self, site: str, blocks: Iterable[Block]) -> None:
        """Count one page: each distinct block text once."""
        self.observe_keys(site, distinct(block_keys(blocks)))

    def observe_keys(self, site: str, keys: Iterable[int]) -> None:
        """Count one page given its distinct text keys (what a worker reports)."""
        entry = self._site(site)
        entry.pages += 1
        counts, stamp = entry.counts, (1 << 32) | (entry.pages & _LAST)
        for key in keys:
            counts[key] = ((counts.get(key, 0) >> 32) << 32) + stamp
        if len(entry.counts) > self.max_entries:
            _evict(entry, self.max_entries * 3 // 4)

    def pages_seen(self, site: str, text: str) -> int:
        """On how many observed pages of `site` this text appeared."""
        entry = self._sites.get(site)
        seen = entry.counts.get(text_key(text), 0) if entry else 0
        return seen >> 32

    def apply(self, site: str, blocks: Sequence[Block], keys: Sequence[int] | None = None) -> int:
        """Mark template blocks `kept=False`; return how many kept blocks were removed.

        `keys`: the blocks' `block_keys`, when the caller already has them.
        """
        entry = self._sites.get(site)
        if entry is None:
            return 0
        keys = block_keys(blocks) if keys is None else keys
        hits = self._hits(entry, blocks, keys)
        if not hits:
            return 0
        kept_chars = sum(len(b.text) for b in blocks if b.kept)
        hit_chars = sum(len(b.text) for b, _ in hits if b.kept)
        short_only = kept_chars > 0 and hit_chars > self.max_share * kept_chars
        removed = 0
        for block, n in hits:
            if short_only and block.words >= _PROSE_WORDS:
                continue
            removed += block.kept
            block.decide(False, f"site template, seen on {n} pages"
                         + ("" if block.kept or not block.reason else f" ({block.reason})"))
        return removed

    def _hits(self, entry: _Site, blocks: Sequence[Block],
              keys: Sequence[int]) -> list[tuple[Block, int]]:
        """(block, pages seen) of the blocks seen on enough pages to be template."""
        counts, low = entry.counts, min(self.min_pages, self.min_pages_prose)
        # Most blocks are seen on one page only: rule them out before counting words.
        seen = [(i, n) for i, key in enumerate(keys)
                if key and (n := counts.get(key, 0) >> 32) >= low]
        hits = []
        for i, n in seen:
            block = blocks[i]
            if n >= (self.min_pages_prose if block.words >= _PROSE_WORDS else self.min_pages):
                hits.append((block, n))
        return hits

    def process(self, site: str, blocks: Sequence[Block]) -> int:
        """Streaming step for one page: observe it, then apply what the site taught so far."""
        keys = block_keys(blocks)
        self.observe_keys(site, distinct(keys))
        return self.apply(site, blocks, keys)

    def learn_then_apply(self, site: str, pages: Sequence[Sequence[Block]]) -> list[int]:
        """Two-pass variant: observe every page of `site`, then apply to each."""
        for blocks in pages:
            self.observe(site, blocks)
        return [self.apply(site, blocks) for blocks in pages]

    def sites(self) -> list[str]:
        return list(self._sites)

    def pages_observed(self) -> int:
        """Pages counted over all sites still tracked."""
        return sum(s.pages for s in self._sites.values())

    def memory_entries(self) -> int:
        """Counters held over all sites (what the memory bound caps)."""
        return sum(len(s.counts) for s in self._sites.values())


def _evict(entry: _Site, keep: int) -> None:
    """Drop the rarest, least recently seen counters until `keep` remain."""
    ranked = sorted(entry.counts.items(), key=lambda kv: kv[1])  # (pages seen, last page)
    for key, _ in ranked[: len(ranked) - keep]:
        del entry.counts[key]


def site_key(site: str | None, url: str | None) -> str | None:
    """The site a page belongs to: an explicit key, else the url's host (without www.)."""
    if site:
        return site
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def apply_site_template(options: Options, url: str | None, blocks: list[Block],
                        notes: list[str]) -> None:
    """Observe and apply `options.template` for the page's site (text and HTML paths alike)."""
    site = site_key(options.site, url)
    if site is None:
        notes.append("site template skipped: no site key (give --site or a url)")
        return
    removed = options.template.process(site, blocks)
    notes.append(f"site template {site!r}: {removed} block(s) removed")


# ---------------------------------------------------------------------------
# Corpus-engine roles. `extract` calls `options.template.process(site, blocks)`;
# the engine gives workers one of these so the parent can keep its own copy of
# the counters (from the keys each page reports) without ever seeing a page.

PageKeys = tuple[str, list[int]]  # (site, distinct text keys of one page)


def block_keys(blocks: Iterable[Block]) -> list[int]:
    """`text_key` of each block, 0 for an empty one: computed once per page, used by
    both counting and applying (it is most of what templates cost)."""
    return [text_key(b.text) if b.text else 0 for b in blocks]


def distinct(keys: Iterable[int]) -> list[int]:
    """The distinct non-zero keys of one page, sorted (what one page adds to the counts)."""
    return sorted(set(keys) - {0})


@dataclass
class StreamTemplates(SiteTemplates):
    """Streaming role, in a worker: observe + apply, and remember the page's keys.

    The worker sends the keys back with the row; the parent replays them into
    its mirror (`observe_keys`), so a worker forked after a recycle or a crash
    starts with the counters its predecessor had, not from zero.
    """

    last: PageKeys | None = field(default=None, repr=False)

    def process(self, site: str, blocks: Sequence[Block]) -> int:
        keys = block_keys(blocks)
        self.last = (site, distinct(keys))
        self.observe_keys(site, self.last[1])
        return self.apply(site, blocks, keys)

    def take_page(self) -> PageKeys | None:
        """The keys of the page just processed (once), for the parent's mirror."""
        last, self.last = self.last, None
        return last


class KeyRecorder:
    """Learning role (first pass of two-pass, replay on resume): record keys, change nothing."""

    def __init__(self) -> None:
        self.last: PageKeys | None = None

    def process(self, site: str, blocks: Sequence[Block]) -> int:
        self.last = (site, distinct(block_keys(blocks)))
        return 0

    def take_page(self) -> PageKeys | None:
        last, self.last = self.last, None
        return last


class FrozenTemplates:
    """Applying role (second pass of two-pass): apply what was learned, count nothing.

    Counting again would see every page twice; applying alone gives every
    page, the first included, the counts of the whole site.
    """

    def __init__(self, learned: SiteTemplates) -> None:
        self.learned = learned

    def process(self, site: str, blocks: Sequence[Block]) -> int:
        return self.learned.apply(site, blocks)

    def take_page(self) -> PageKeys | None:
        return None

