"""Site templates: lines and blocks that recur across the pages of one site, learned on the fly.

A site's menus, section lists, footers and "Most popular" boxes repeat on
every page it serves; its articles do not. `SiteTemplates` counts, per site,
on how many pages each block text has been seen, and marks a block of a
new page as template when its text was seen on enough pages. It works on
`copydesk.blocks.Block`, so text-dump lines and HTML blocks are served alike.

Usage (streaming, one pass, bounded memory):

    from copydesk import Record
    from copydesk.corpus.templates import SiteTemplates

    templates = SiteTemplates()
    for url, page in pages:                      # any order; sites interleaved
        article = templates.extract(Record(page, url))              # site = url host
        article = templates.extract(Record(page, site="herald"))    # or an explicit key

`extract` runs `copydesk.extract_record` with a read-only view of the
counters (`streaming()`: every text counts this page too), then counts the
page's distinct block texts (`observe_keys`). A block whose text has been
seen on at least `min_pages` pages of the site, this one included, comes
out `kept=False, reason="site template, seen on N pages"`. The two-pass
variant observes every page of a site first and then extracts with the
counters themselves as the profile (`extract_record(record, options,
templates)`), which spares the first pages the warm-up.

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

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from copydesk.api import extract_page
from copydesk.article import Article, Record
from copydesk.blocks import Block
from copydesk.options import Options
from copydesk.site_profile import (
    PageKeys,
    SiteProfile,
    TemplateRule,
    block_keys,
    distinct,
    remove_template,
    text_key,
)

_LAST = (1 << 32) - 1  # low half of a counter: the last page that carried the text


@dataclass(slots=True)
class _Site:
    pages: int = 0
    # key -> pages seen << 32 | last page seen: one int, not a list (~150 bytes a
    # counter instead of ~180, by tracemalloc); sorting by it ranks the rarest,
    # then the oldest, first.
    counts: dict[int, int] = field(default_factory=dict)


@dataclass
class SiteTemplates:
    """Per-site counters of block texts across pages (see the module docstring).

    As a `copydesk.site_profile.SiteProfile` it answers with the counts as
    learned (the two-pass profile: every page was counted before any is
    extracted); `streaming()` is the one-pass view.
    """

    min_pages: int = 2
    min_pages_prose: int = 3
    max_share: float = 0.6
    max_entries: int = 4096
    max_sites: int = 1000
    _sites: OrderedDict[str, _Site] = field(default_factory=OrderedDict, repr=False)

    @property
    def rule(self) -> TemplateRule:
        return TemplateRule(self.min_pages, self.min_pages_prose, self.max_share)

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

    def pages_seen(self, site: str, keys: Sequence[int]) -> list[int]:
        """Pages of `site` counted so far that carry each key (0 for key 0)."""
        entry = self._sites.get(site)
        if entry is None:
            return [0] * len(keys)
        counts = entry.counts
        return [counts.get(key, 0) >> 32 if key else 0 for key in keys]

    def pages_with(self, site: str, text: str) -> int:
        """On how many observed pages of `site` this text appeared."""
        return self.pages_seen(site, [text_key(text)])[0]

    def apply(self, site: str, blocks: Sequence[Block]) -> int:
        """Mark template blocks `kept=False` by the counts as they stand; return how
        many kept blocks were removed."""
        return remove_template(blocks, self.pages_seen(site, block_keys(blocks)), self.rule)

    def process(self, site: str, blocks: Sequence[Block]) -> int:
        """Streaming step for one page: observe it, then apply what the site taught so far."""
        self.observe(site, blocks)
        return self.apply(site, blocks)

    def learn_then_apply(self, site: str, pages: Sequence[Sequence[Block]]) -> list[int]:
        """Two-pass variant: observe every page of `site`, then apply to each."""
        for blocks in pages:
            self.observe(site, blocks)
        return [self.apply(site, blocks) for blocks in pages]

    def streaming(self) -> Streaming:
        """The one-pass view: the counts plus the page being extracted."""
        return Streaming(self)

    def extract(self, record: Record, options: Options | None = None) -> Article:
        """Streaming extraction of one page: extract with what the site taught so far
        (this page included), then count the page."""
        result = extract_page(record, options, self.streaming(), want_keys=True)
        if result.page_keys is not None:
            self.observe_keys(*result.page_keys)
        return result.article

    def sites(self) -> list[str]:
        return list(self._sites)

    def pages_observed(self) -> int:
        """Pages counted over all sites still tracked."""
        return sum(s.pages for s in self._sites.values())

    def memory_entries(self) -> int:
        """Counters held over all sites (what the memory bound caps)."""
        return sum(len(s.counts) for s in self._sites.values())


class Streaming:
    """Read-only one-pass profile: a page not yet counted sees each of its texts
    on one more page than the counters say (itself)."""

    def __init__(self, learned: SiteTemplates) -> None:
        self.learned = learned

    @property
    def rule(self) -> TemplateRule:
        return self.learned.rule

    def pages_seen(self, site: str, keys: Sequence[int]) -> list[int]:
        return [n + 1 if key else 0
                for key, n in zip(keys, self.learned.pages_seen(site, keys), strict=True)]


RoleMode = Literal["stream", "learn", "apply"]


@dataclass(frozen=True)
class TemplateRole:
    """How the workers of a corpus run serve site templates.

    - stream: extract with the counters so far (this page included), then
      count the page; its keys also go to the parent's mirror of the counters,
      so a replacement worker forks with them;
    - learn: the first pass of two-pass (and the replay before a streaming
      resume): extract nothing but the page's keys, for the parent to count;
    - apply: the second pass of two-pass: extract with the counters as learned
      (every page counted already), count nothing.
    """

    mode: RoleMode
    counts: SiteTemplates = field(default_factory=SiteTemplates)

    def profile(self) -> SiteProfile | None:
        """The read-only profile a page is extracted with."""
        if self.mode == "stream":
            return self.counts.streaming()
        return self.counts if self.mode == "apply" else None

    @property
    def want_keys(self) -> bool:
        """Whether pages report their keys (the parent counts them)."""
        return self.mode != "apply"

    def learned(self, page: PageKeys | None) -> None:
        """After one page in a worker: a streaming worker counts it itself."""
        if page is not None and self.mode == "stream":
            self.counts.observe_keys(*page)


def _evict(entry: _Site, keep: int) -> None:
    """Drop the rarest, least recently seen counters until `keep` remain."""
    ranked = sorted(entry.counts.items(), key=lambda kv: kv[1])  # (pages seen, last page)
    for key, _ in ranked[: len(ranked) - keep]:
        del entry.counts[key]


__all__ = ["PageKeys", "SiteTemplates", "Streaming", "TemplateRole", "text_key"]
