"""Site templates in a corpus run (`copydesk extract --templates [stream|two-pass]`).

The per-page mechanism is `templates.SiteTemplates` (counts of block texts per
site, bounded memory). This module decides, for a batch run:

- **the site of a record**: `--site KEY` if given, else the url host (WARC and
  JSONL urls, `--url`), else the record's folder (a page file found under an
  input folder: `ROOT/sub/dir`; an explicit file: its folder's name), else its
  container (a WARC or JSONL file without urls: the file name; stdin: `<stdin>`).
- **stream**: one pass. Every page of a site is routed (crc32 of the site key,
  stable across processes unlike `hash()`) to the same worker, which holds a
  `TemplateRole("stream")`: page k of a site is cleaned with what pages 1..k taught.
  The pool keeps a mirror of the counters from the keys each row reports, so
  a worker recycled (`--worker-max-pages`) or crashed is replaced by a fork
  that has the same counters; only a crashed page is not learned.
- **two-pass**: a first pass extracts every page for its keys only
  (`TemplateRole("learn")`: no metadata, no rows) and counts its block
  texts in the parent, in input order; the second pass extracts with the
  learned counters as the profile (`TemplateRole("apply")`, inherited by
  every worker), so the first page of a site gets the same help as the last.
  Memory is the counters, never the pages. Costs one more extraction per
  page (minus metadata).
- **resume**: streaming replays the learning pass over the rows already
  committed before it continues, so the counters are exactly those an
  uninterrupted run would have had (no double count: nothing is learned from
  the committed rows but that replay). Two-pass simply learns again.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np

from copydesk.article import Article
from copydesk.corpus.config import RunConfig
from copydesk.corpus.items import Item, ReadStats
from copydesk.corpus.readers import iter_items
from copydesk.corpus.running import run_engine
from copydesk.corpus.summary import Summary
from copydesk.corpus.templates import SiteTemplates, TemplateRole
from copydesk.site_profile import PageKeys, site_key

MODES = ("stream", "two-pass")


def record_site(item: Item, site: str | None) -> str | None:
    """The site key of one record (see the module docstring for the order)."""
    return site_key(site, item.record.url) or item.group


def with_sites(items: Iterator[Item], site: str | None) -> Iterator[Item]:
    """Items with `record.site` set, so the worker and the router agree on it."""
    for item in items:
        item.record.site = record_site(item, site)
        yield item


def check(cfg: RunConfig) -> str | None:
    """Why these template flags cannot run, or None."""
    if cfg.templates is None:
        return None
    if cfg.templates not in MODES:
        return f"--templates must be one of {', '.join(MODES)}"
    if cfg.templates == "two-pass" and "-" in cfg.inputs:
        return "--templates two-pass reads the inputs twice and cannot re-read stdin"
    if cfg.templates == "stream" and cfg.engine == "ray":
        return ("--templates stream needs all pages of a site in one process; "
                "with --engine ray use --templates two-pass")
    return None


class KeyLearner:
    """A sink for the learning pass: counts each page's keys in input order, writes nothing."""

    def __init__(self, templates: SiteTemplates) -> None:
        self.templates = templates
        self.summary = Summary()
        self.next_seq = 0
        self.buffer: dict[int, PageKeys | None] = {}
        self.pages = 0

    def track(self, seq: int, prov: Any, key: str | None) -> None:
        return None

    def put(self, seq: int, article: Article, sig: np.ndarray | None,
            keys: PageKeys | None = None) -> None:
        self.buffer[seq] = keys
        while self.next_seq in self.buffer:
            page = self.buffer.pop(self.next_seq)
            if page is not None:
                self.templates.observe_keys(*page)
                self.pages += 1
            self.next_seq += 1


def learn(cfg: RunConfig, limit: int | None, stop: Any,
          only: Counter[str] | None = None) -> SiteTemplates:
    """Counters of the first `limit` records (all when None; with `only`, the records
    whose resume keys it holds: the committed ones), learned by the workers.

    Reads the inputs with a private copy of the read counters, so skipped
    records and file errors are not counted twice in the summary.
    """

    learned = SiteTemplates()
    if limit == 0:
        return learned
    read = dataclasses.replace(cfg.read, stats=ReadStats())
    options = cfg.options.replace(metadata=False, markdown=False, explain=False)
    learn_cfg = dataclasses.replace(cfg, options=options, dedup=False, templates="learn",
                                    read=read)
    items = with_sites(iter_items(cfg.inputs, read), cfg.site)
    if only is not None:
        items = _committed_only(items, only)
    run_engine(learn_cfg, itertools.islice(items, limit), KeyLearner(learned), 0, stop,
               TemplateRole("learn"))
    return learned


def _committed_only(items: Iterator[Item], committed: Counter[str]) -> Iterator[Item]:
    left = Counter(committed)
    for item in items:
        if item.key is not None and left[item.key] > 0:
            left[item.key] -= 1
            yield item


def worker_role(cfg: RunConfig, start: int, stop: Any,
                committed: Counter[str] | None = None) -> TemplateRole:
    """How the extracting workers serve templates (`cfg.templates` is stream or two-pass)."""
    if cfg.templates == "stream":
        return TemplateRole("stream", learn(cfg, start, stop, committed) if start
                            else SiteTemplates())
    return TemplateRole("apply", learn(cfg, None, stop))
