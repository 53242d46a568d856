"""Site templates on multi-page sites: precision and recall with and without them.

Two test sets of flattened pages (html-text flattener), both run through
`copydesk.extract_record` with the site's `SiteTemplates` (streaming: its
`extract`; two-pass: the counters as the site profile):

1. **real**: every site of the AEB and Readability corpora with two or more
   pages (same url host; Readability: the page folder's name without its
   number), pages in id order. Few pages per site, so this mostly measures
   the harm side: template removal must not cost recall.
2. **generated**: sites built around real article bodies with real site
   chrome. For each of `SITES` donor pages (AEB), the chrome is the donor's
   own flattened page above and below its article (lines before the first
   and after the last gold line); each site serves `PAGES_PER_SITE`
   articles whose bodies are the flattened article regions (first to last
   gold line, in-article captions and ads included) of other AEB pages,
   gold = their gold bodies. Each page also gets a rotating "Most popular"
   box of five headlines drawn from other pages' titles (changes per page,
   like the real thing). Donors and bodies never overlap; deterministic.

Each set is scored three ways: no template; streaming (one pass, page k
sees pages 1..k); two-pass (all pages of a site observed first). Streaming
is also scored on pages after the warm-up (page 2 onwards of each site).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copydesk.api import extract_record
from copydesk.article import Record
from copydesk.corpus.templates import SiteTemplates
from copydesk.options import Options
from copydesk.site_profile import SiteProfile
from copydesk.text.lines import split_lines
from copydesk_lab.bench import devset
from copydesk_lab.bench.metric import PageScore, corpus_score, score_page

SITES = 30
PAGES_PER_SITE = 6
FLATTENER = "html-text"


@dataclass(slots=True)
class SitePage:
    site: str
    text: str
    gold: str


def real_sites(limit: int | None = None, root: Path | None = None) -> list[SitePage]:
    """Pages of corpus sites with at least two pages, grouped by site."""
    by_site: dict[str, list[SitePage]] = defaultdict(list)
    for corpus in ("aeb", "readability"):
        for page in devset.load(corpus, FLATTENER, root=root)[:limit]:
            by_site[f"{corpus}:{page.site}"].append(SitePage(page.site, page.text, page.gold))
    return [p for pages in by_site.values() if len(pages) >= 2 for p in pages]


def _regions(page: devset.TextPage) -> tuple[list[str], list[str], list[str]] | None:
    """(above, article, below) lines of a flattened page, by its gold labels."""
    texts = split_lines(page.text).texts
    labels = devset.line_labels(texts, page.gold)
    body = [i for i, y in enumerate(labels) if y]
    if len(body) < 2:
        return None
    return texts[: body[0]], texts[body[0]: body[-1] + 1], texts[body[-1] + 1:]


def generated_sites(sites: int = SITES, per_site: int = PAGES_PER_SITE,
                    root: Path | None = None) -> list[SitePage]:
    """Sites of real chrome around real article regions (see the module docstring)."""
    rng = random.Random(7)
    pages = [p for p in devset.load("aeb", FLATTENER, root=root) if p.gold.strip()]
    cut = [(p, r) for p in pages if (r := _regions(p)) is not None]
    donors, bodies = cut[:sites], cut[sites:]
    titles = [r[0][0] for _, r in cut if r[0]]
    out = []
    for s, (donor, (above, _, below)) in enumerate(donors):
        for k in range(per_site):
            page, (_, article, _) = bodies[(s * per_site + k) % len(bodies)]
            popular = ["MOST POPULAR", *rng.sample(titles, 5)]
            text = "\n".join([*above, *article, *popular, *below])
            out.append(SitePage(f"site{s}:{donor.site}", text, page.gold))
    return out


_OPTIONS = Options(input_format="text", metadata=False, markdown=False)


def _extract(page: SitePage, profile: SiteProfile | None = None) -> str:
    return extract_record(Record(page.text, site=page.site), _OPTIONS, profile).text


def _stream(page: SitePage, templates: SiteTemplates) -> str:
    return templates.extract(Record(page.text, site=page.site), _OPTIONS).text


def score_set(pages: list[SitePage]) -> dict[str, dict[str, float]]:
    """Scores without templates, streaming, streaming after warm-up, and two-pass."""
    plain = [score_page(_extract(p), p.gold) for p in pages]
    streaming_tpl = SiteTemplates()
    stream = [score_page(_stream(p, streaming_tpl), p.gold) for p in pages]
    two_pass = SiteTemplates()
    for p in pages:  # first pass: count every page
        _stream(p, two_pass)
    second = [score_page(_extract(p, two_pass), p.gold) for p in pages]
    later = _after_warm_up(pages)
    return {
        "no template": _row(plain),
        "streaming": _row(stream),
        "no template, pages 2+": _row([plain[i] for i in later]),
        "streaming, pages 2+": _row([stream[i] for i in later]),
        "two-pass": _row(second),
    }


def _after_warm_up(pages: list[SitePage]) -> list[int]:
    seen: dict[str, int] = defaultdict(int)
    later = []
    for i, page in enumerate(pages):
        seen[page.site] += 1
        if seen[page.site] >= 2:
            later.append(i)
    return later


def _row(scores: list[PageScore]) -> dict[str, float]:
    s = corpus_score(scores)
    return {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
            "f1": round(s.f1, 4), "pages": len(scores)}


def run(limit: int | None = None, root: Path | None = None) -> tuple[dict[str, Any], str]:
    """Both sets; results dict and a printable table."""
    result: dict[str, Any] = {}
    lines = ["== site templates (html-text flattener; see "
             "copydesk_lab.bench.text_sites)"]
    sets = (("real", real_sites(limit, root)), ("generated", generated_sites(root=root)))
    for name, pages in sets:
        rows = score_set(pages)
        result[name] = rows
        sites = len({p.site for p in pages})
        lines.append(f"{name}: {len(pages)} pages on {sites} sites")
        for mode, row in rows.items():
            lines.append(f"  {mode:24s} P {row['precision']:.3f}  R {row['recall']:.3f}  "
                         f"F1 {row['f1']:.3f}  ({row['pages']} pages)")
    return result, "\n".join(lines) + "\n"
