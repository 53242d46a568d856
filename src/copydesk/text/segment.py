"""Plain-text dump -> classified Blocks (`extract_blocks`, called by `api._run_text`).

Steps: strip a crawler header (`header`), split into bounded lines
(`lines`), compute line and context features (`features`), score them
with the shipped two-stage scorer (`scorer`), decide along the text ladder
(`decide`), then, when a site template is given (`Options.template`),
mark lines learned as that site's chrome (`copydesk.corpus.templates`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np

from copydesk.blocks import Block, Page
from copydesk.options import Options
from copydesk.text.decide import decide
from copydesk.text.features import line_matrix
from copydesk.text.header import split_header
from copydesk.text.lines import Lines, split_lines
from copydesk.text.scorer import Scorer, shipped


def score_lines(lines: Lines, scorer: Scorer | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Line feature matrix and second-stage probabilities, one per line."""
    scorer = scorer or shipped()
    x = line_matrix(lines)
    return x, 1.0 / (1.0 + np.exp(-scorer.logits(x)))


def extract_blocks(text: str, url: str | None, options: Options) -> Page:
    """Classified Blocks of a text dump; `Page.date_crawled` from its header."""
    header = split_header(text)
    lines = split_lines(header.body)
    notes = header.notes + lines.notes
    if not lines:
        return Page(blocks=[], rung="text:none", date_crawled=header.date_crawled, notes=notes)
    scorer = shipped()
    x, prob = score_lines(lines, scorer)
    blocks, rung = decide(lines, x, prob, scorer.threshold)
    if options.template is not None:
        _apply_template(options, url or header.url, blocks, notes)
    return Page(blocks=blocks, rung=rung, date_crawled=header.date_crawled, notes=notes)


def site_key(options: Options, url: str | None) -> str | None:
    """The site a page belongs to: `Options.site`, else the url's host."""
    if options.site:
        return options.site
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _apply_template(options: Options, url: str | None, blocks: list[Block],
                    notes: list[str]) -> None:
    site = site_key(options, url)
    if site is None:
        notes.append("site template skipped: no site key (give --site or a url)")
        return
    removed = options.template.process(site, blocks)
    notes.append(f"site template {site!r}: {removed} block(s) removed")
