"""Plain-text dump -> classified Blocks (`extract_blocks`, called by `api._run_text`).

Steps: strip a crawler header (`header`), split into bounded lines
(`lines`), compute line and context features (`features`), score them
with the shipped two-stage scorer (`scorer`), read the page type
(`pagetype`: a dump that is not an article is rescored by the scorer trained
on WCXB's pages), decide along the text ladder (`decide`). A site profile,
when corpus work gives one, is applied by the caller (`api`) on the Blocks,
as for HTML.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from copydesk.blocks import Page
from copydesk.loading import loading
from copydesk.options import Options
from copydesk.text import pagetype
from copydesk.text import warm as warm_state
from copydesk.text.decide import decide
from copydesk.text.features import line_matrix
from copydesk.text.header import split_header
from copydesk.text.lines import Lines, split_lines
from copydesk.text.scorer import Scorer, shipped, web

WARM_TEXT = ("Home | News | Sports\nWarm up\nThis short paragraph warms up the text path of a "
             "new worker before it receives real pages, so the first page is not slow.\n"
             "Copyright 2020\n")


def warm() -> None:
    """Ready every compiled loop now, once per process (see `text.warm`)."""
    if warm_state.ready():
        return
    with loading("text"):
        warm_state.begin()
        extract_blocks(WARM_TEXT, Options(), full=True)


def score_lines(lines: Lines, scorer: Scorer | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Line feature matrix and second-stage logits, one per line."""
    scorer = scorer or shipped()
    x = line_matrix(lines)
    return x, scorer.logits(x)


def extract_blocks(text: str, options: Options, full: bool = False) -> Page:
    """Classified Blocks of a text dump; `Page.date_crawled` and `Page.url` from its header.

    Dropped lines become Blocks only when a caller reads them: the
    explanation, metadata, or (`full`) site templates.
    """
    warm()  # the first dump of a process readies the compiled loops (a notice if they compile)
    header = split_header(text)
    lines = split_lines(header.body)
    notes = header.notes + lines.notes
    if not lines:
        return Page(blocks=[], rung="text:none", date_crawled=header.date_crawled,
                    url=header.url, notes=notes)
    scorer = shipped()
    x, logits = score_lines(lines, scorer)
    routed = route(x, logits, scorer)
    full = full or options.explain or options.metadata
    blocks, rung, attempts = decide(lines, x, routed.logits, routed.threshold, full=full)
    return Page(blocks=blocks, rung=rung, date_crawled=header.date_crawled, url=header.url,
                notes=notes, attempts=attempts, page_type=routed.page_type)


class Route(NamedTuple):
    """What the page type decided for a dump: its type, the line logits to decide on,
    their threshold, and the web scorer's share in them (0: the article scorer alone)."""

    page_type: str | None
    logits: np.ndarray
    threshold: float
    web_share: float


SKIP_SHARE = 0.01  # under this share the web scorer is not run (its lines would not count)


def route(x: np.ndarray, logits: np.ndarray, scorer: Scorer) -> Route:
    """The dump's page type and the lines' logits: the article scorer's (`logits`) when
    the page reads as an article (or holds no sentence), the web scorer's when it does
    not, a blend of the two probabilities near the route threshold
    (`text.pagetype.web_share`: the two golds label a listing's or a shop's short lines
    differently). The threshold blends alike, the web scorer's set by the page type
    (rounded to hundredths, the precision of the lines' reasons)."""
    model = pagetype.shipped()
    if model is None or not len(x):
        return Route(None, logits, scorer.threshold, 0.0)
    p = model.probabilities(pagetype.page_features(x, logits, scorer.threshold))
    page_type = model.types[int(np.argmax(p))]
    share = model.web_share(p, x)
    if share < SKIP_SHARE:
        return Route(page_type, logits, scorer.threshold, 0.0)
    other = web()
    threshold = model.web_threshold(p, other.threshold)
    threshold = round(share * threshold + (1.0 - share) * scorer.threshold, 2)
    if share > 1.0 - SKIP_SHARE:
        return Route(page_type, other.logits(x), threshold, 1.0)
    blend = share * _sigmoid(other.logits(x)) + (1.0 - share) * _sigmoid(logits)
    blend = np.clip(blend, 1e-12, 1.0 - 1e-12)
    return Route(page_type, np.log(blend / (1.0 - blend)), threshold, share)


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-a)))
