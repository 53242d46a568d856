"""`copydesk bench --mode text`: copydesk on plain-text dumps beside the baselines.

Datasets: the HTML corpora (AEB, Readability, newspaper4k, WCXB) flattened to
text by three independent tools (inscriptis, html-text, resiliparse's
plain-text mode; see `copydesk_lab.bench.devset`, the same flattening as the
trainer's), gold = the corpus bodies; WCXB is also scored with its own metric
(mean page word F1, per page type, snippet rates).
Each dataset/flattener pair is one table: copydesk (`extract(text,
input_format="text", metadata=False)`, like the peers, which extract only
the body) beside keep-all, the C4 line filter, jusText and trafilatura on
lines wrapped in `<p>` (`text_baselines`). Scored with the AEB metric,
timed with the shared runner. A second part measures site templates
(`copydesk.corpus.templates`) on multi-page sites (`text_sites`).

Note: the shipped text scorers were trained on these pages, so the tables are
in-sample; `cv_table` prints the trainers' out-of-fold scores (5-fold CV grouped
by site: the article scorer with the web scorer routed by the text page-type model,
stored in `data/text_pagetype.json` by `python -m copydesk_lab.text.pagetype_train`)
beside them, out of fold first.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from copydesk_lab.bench import devset, report
from copydesk_lab.bench.datasets import Page
from copydesk_lab.bench.peers import Extractor
from copydesk_lab.bench.runner import (
    TextResult,
    add_speed_ratios,
    run_text,
    stderr_progress,
    timing_rounds,
)
from copydesk_lab.bench.text_baselines import as_paragraph_html, c4_filter, keep_all
from copydesk_lab.paths import corpora_dir

# WCXB too: its pages flattened the same way, scored with the AEB metric and its own.
DEFAULT_DATASETS = devset.TRAIN_CORPORA
BASELINES = ("keep-all", "c4-lines", "justext-p", "trafilatura-p")


class _TextTool(Extractor):
    """An extractor over a text dump held in `Page.html_bytes` (UTF-8)."""

    def setup(self) -> None:
        return None

    def text(self, page: Page) -> str:
        return self.run(page.html_bytes.decode("utf-8"))

    def run(self, text: str) -> str:
        raise NotImplementedError


class CopydeskText(_TextTool):
    name, package = "copydesk", "copydesk"

    def setup(self) -> None:
        from copydesk import extract

        self._extract = extract

    def run(self, text: str) -> str:
        return self._extract(text, input_format="text", metadata=False, markdown=False).text


class KeepAll(_TextTool):
    name, package = "keep-all", "copydesk"

    def run(self, text: str) -> str:
        return keep_all(text)


class C4Lines(_TextTool):
    name, package = "c4-lines", "copydesk"

    def run(self, text: str) -> str:
        return c4_filter(text)


class JustextP(_TextTool):
    name, package = "justext-p", "justext"

    def setup(self) -> None:
        import justext

        self._mod = justext
        self._stop = justext.get_stoplist("English")

    def run(self, text: str) -> str:
        paras = self._mod.justext(as_paragraph_html(text), self._stop)
        return "\n".join(p.text for p in paras if not p.is_boilerplate)


class TrafilaturaP(_TextTool):
    name, package = "trafilatura-p", "trafilatura"

    def setup(self) -> None:
        import trafilatura

        self._mod = trafilatura

    def run(self, text: str) -> str:
        return self._mod.extract(as_paragraph_html(text)) or ""


_TOOLS: dict[str, type[_TextTool]] = {"keep-all": KeepAll, "c4-lines": C4Lines,
                                      "justext-p": JustextP, "trafilatura-p": TrafilaturaP}


def load_tools(names: list[str] | None) -> tuple[list[_TextTool], list[str]]:
    """copydesk plus the requested baselines (all by default); notes for skipped ones."""
    tools: list[_TextTool] = [CopydeskText()]
    notes: list[str] = []
    for name in BASELINES if names is None else names:
        if name not in _TOOLS:
            raise ValueError(f"unknown text baseline {name!r}; known: {', '.join(BASELINES)}")
        tools.append(_TOOLS[name]())
    ready = []
    for tool in tools:
        try:
            tool.setup()
            ready.append(tool)
        except ImportError as exc:
            notes.append(f"{tool.name}: skipped ({exc})")
    return ready, notes


def as_bench_pages(pages: list[devset.TextPage],
                   facts: dict[str, devset.GoldFacts] | None = None) -> list[Page]:
    """Bench pages of flattened dumps; `facts` (WCXB) adds the page type and the snippets,
    so the WCXB metric is scored as on the HTML pages."""
    out = []
    for p in pages:
        fact = (facts or {}).get(p.id)
        out.append(Page(id=p.id, html_bytes=p.text.encode("utf-8"), url=None, gold_text=p.gold,
                        site=p.site, dataset=f"{p.corpus}/{p.flattener}",
                        page_type=fact.page_type if fact else None,
                        must_have=fact.must_have if fact else [],
                        must_not=fact.must_not if fact else []))
    return out


def _summary(name: str, results: list[TextResult]) -> str:
    own = next(r for r in results if r.extractor == "copydesk")
    others = [r for r in results if r.extractor != "copydesk"]
    if not others:
        return ""
    best = max(others, key=lambda r: r.f1)
    return (f"{name}: copydesk F1 {own.f1:.3f} vs best baseline {best.extractor} "
            f"{best.f1:.3f} (margin {own.f1 - best.f1:+.3f}); copydesk "
            f"{own.pages_per_cpu_s:.0f} pages per CPU-second")


def run(args: argparse.Namespace, command: str) -> int:
    """Entry point from `copydesk bench --mode text` (see `commands.bench_cmd`);
    `command` is the command line that reproduces the run."""
    from copydesk_lab.bench import suite

    root = corpora_dir(args.corpora)
    names = (args.dataset or ",".join(DEFAULT_DATASETS)).split(",")
    flatteners = os.environ.get("COPYDESK_FLATTENERS", ",".join(devset.FLATTENERS)).split(",")
    try:
        peers = None if args.peers is None else (
            [] if args.peers.strip().lower() == "none" else args.peers.split(","))
        tools, notes = load_tools(peers)
    except ValueError as exc:
        print(f"copydesk bench: {exc}", file=sys.stderr)
        return 2
    head = {**suite.info(suite.SuiteOptions(Path("."), [], None, command)),
            "mode": "text", "flatteners": flatteners}
    out: dict[str, Any] = {**head, "notes": notes, "datasets": {}}
    sections = [report.preamble(head, args.markdown)]
    summaries = []
    pages_out = None
    if getattr(args, "pages", None):  # per-page scores, one JSON line each
        Path(args.pages).parent.mkdir(parents=True, exist_ok=True)
        pages_out = open(args.pages, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    for corpus in names:
        for flattener in flatteners:
            try:
                facts = devset.wcxb_facts(root) if corpus == "wcxb" else None
                pages = as_bench_pages(devset.load(corpus, flattener, root=root), facts)
            except FileNotFoundError as exc:
                notes.append(f"{corpus}: skipped ({exc})")
                break
            pages = pages[: args.limit] if args.limit else pages
            key = f"{corpus}/{flattener}"
            results = _run_tools(tools, pages, key, args, pages_out)
            out["datasets"][key] = {"pages": len(pages), "results": [r.to_dict() for r in results]}
            sections.append(report.render_text_section(key, len(pages), results, args.markdown))
            summaries.append(_summary(key, results))
    if pages_out is not None:
        pages_out.close()
    sections.append(cv_table(out["datasets"], args.markdown))
    sections += ["summary:", *summaries, *(f"note: {n}" for n in notes)]
    sections.append(_templates_section(out, args, root))
    print("\n".join(s for s in sections if s))
    if args.json:
        report.write_json(Path(args.json), out)
    return 0


def _run_tools(tools: list[_TextTool], pages: list[Page], key: str, args: argparse.Namespace,
               pages_out: TextIO | None = None) -> list[TextResult]:
    from copydesk_lab.bench.suite import _write_page_rows

    results = []
    for tool in tools:
        stderr_progress(f"[{key}] {tool.name}: {len(pages)} pages ...")
        result, predictions = run_text(tool, pages, repeat=1,
                                       bootstrap=max(0, args.bootstrap), trace=args.tracemalloc)
        if pages_out is not None:
            _write_page_rows(pages_out, tool.name, pages, predictions)
        stderr_progress(f"[{key}] {tool.name}: F1 {result.f1:.3f}, "
                        f"{result.pages_per_s:.1f} pages/s")
        results.append(result)
    timing_rounds(list(zip(results, tools, strict=True)), pages, max(1, args.repeat) - 1)
    add_speed_ratios(results, reference="trafilatura-p")
    return results


def cv_table(datasets: dict[str, Any], as_markdown: bool) -> str:
    """copydesk out of fold (the trainers' 5-fold CV grouped by site, `oof_source`)
    beside in-sample (this run, the shipped scorer that saw
    these pages), per dataset/flattener: AEB-metric F1 and, on WCXB, mean page word F1."""
    cv, seen = oof_source()
    rows = []
    for key, data in datasets.items():
        own = next((r for r in data["results"] if r["extractor"] == "copydesk"), None)
        fold = cv.get(f"{key}@0.5")
        if own is None:
            continue
        word = (own.get("word") or {}).get("f1") or {}
        rows.append((key, _fmt(fold, "f1"), _fmt(fold, "word_f1"), f"{own['f1']:.3f}",
                     _fmt(word, "all"), "yes" if key.split("/")[0] in seen else "no",
                     str(fold["pages"]) if fold else "n/a", str(data["pages"])))
    if not rows:
        return ""
    header = ("dataset / flattener", "F1 out of fold", "word F1 out of fold", "F1 shipped",
              "word F1 shipped", "trained on it", "pages (cv)", "pages (run)")
    title = ("copydesk text scorers routed by page type: out of fold (5-fold CV grouped by "
             "site, from the trainers; threshold 0.5) and as shipped in this run (in-sample "
             "where trained on the corpus, unseen pages where not)")
    table = report.markdown(header, rows) if as_markdown else report.aligned(header, rows)
    return f"{'### ' + title if as_markdown else title}\n\n{table}\n"


def oof_source() -> tuple[dict[str, Any], set[str]]:
    """copydesk's out-of-fold rows and the corpora it learnt from: the routed pair's
    (`data/text_pagetype.json`, `copydesk_lab.text.pagetype_train`) when a page-type
    model ships, else the article scorer's alone (`data/text_scorer.json`)."""
    from copydesk.text import pagetype
    from copydesk.text.scorer import shipped

    info = shipped().info
    seen = set(str(info.get("trained_on", "")).split(","))
    model = pagetype.shipped()
    if model is not None and model.info.get("cv_grouped_by_site_5fold"):
        return dict(model.info["cv_grouped_by_site_5fold"]), seen | {"wcxb"}
    return dict(info.get("cv_grouped_by_site_5fold") or {}), seen


def _fmt(row: dict[str, Any] | None, key: str) -> str:
    value = (row or {}).get(key)
    return "n/a" if value is None else f"{value:.3f}"


def _templates_section(out: dict[str, Any], args: argparse.Namespace, root: Path) -> str:
    from copydesk_lab.bench import text_sites

    result, text = text_sites.run(limit=args.limit, root=root)
    out["site_templates"] = result
    return text
