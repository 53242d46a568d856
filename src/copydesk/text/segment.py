"""Plain-text dump -> classified Blocks (`extract_blocks`, called by `api._run_text`).

Steps: strip a crawler header (`header`), split into bounded lines
(`lines`), compute line and context features (`features`), score them
with the shipped two-stage scorer (`scorer`), decide along the text ladder
(`decide`), then, when a site template is given (`Options.template`),
mark lines learned as that site's chrome (`copydesk.corpus.templates`).
"""

from __future__ import annotations

import numpy as np

from copydesk.blocks import Page
from copydesk.corpus.templates import apply_site_template
from copydesk.options import Options
from copydesk.text.decide import decide
from copydesk.text.features import line_matrix
from copydesk.text.header import split_header
from copydesk.text.lines import Lines, split_lines
from copydesk.text.scorer import Scorer, shipped


def score_lines(lines: Lines, scorer: Scorer | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Line feature matrix and second-stage logits, one per line."""
    scorer = scorer or shipped()
    x = line_matrix(lines)
    return x, scorer.logits(x)


def extract_blocks(text: str, url: str | None, options: Options) -> Page:
    """Classified Blocks of a text dump; `Page.date_crawled` from its header."""
    header = split_header(text)
    lines = split_lines(header.body)
    notes = header.notes + lines.notes
    if not lines:
        return Page(blocks=[], rung="text:none", date_crawled=header.date_crawled, notes=notes)
    scorer = shipped()
    x, logits = score_lines(lines, scorer)
    # Dropped lines become Blocks only for the callers that read them.
    full = options.explain or options.metadata or options.template is not None
    blocks, rung = decide(lines, x, logits, scorer.threshold, full=full)
    if options.template is not None:
        apply_site_template(options, url or header.url, blocks, notes)
    return Page(blocks=blocks, rung=rung, date_crawled=header.date_crawled, notes=notes)


