"""`copydesk bench`: copydesk beside its peers on the dev corpora, in one process.

Modes: body text of HTML pages (default), `--metadata` (per-field accuracy),
`--mode text` (plain-text dumps; implemented in `copydesk_lab.bench.text_mode`).
Tables go to stdout, progress to stderr, `--json OUT` writes everything.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from copydesk_lab.paths import CORPORA_HELP

_DEFAULTS = {"mode": "html", "limit": None, "repeat": 1, "bootstrap": 1000,
             "memory": "inprocess"}


def register(sub: Any) -> None:
    p = sub.add_parser("bench", help="benchmark copydesk beside its peers on the corpora",
                       description=__doc__)
    p.add_argument("--mode", choices=["html", "text"], default="html",
                   help="html pages (default) or plain-text dumps")
    p.add_argument("--metadata", action="store_true",
                   help="score metadata fields instead of the body text")
    p.add_argument("--strip-structured", action="store_true",
                   help="--metadata on the pages without JSON-LD, OpenGraph, meta author/date, "
                        "Dublin Core, microdata and <time datetime> (the visible paths alone)")
    p.add_argument("--corpora", metavar="DIR", default=None,
                   help=CORPORA_HELP)
    p.add_argument("--dataset", metavar="NAMES", default=None,
                   help="comma list: aeb,readability,newspaper4k,wcxb (default: those present; "
                        "--metadata: readability,newspaper4k,wcxb)")
    p.add_argument("--peers", metavar="NAMES", default=None,
                   help="comma list of peers, or 'none' (default: every installed peer)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="first N pages per dataset")
    p.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="timed passes per extractor; the fastest is kept (default 1)")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="bootstrap resamples for the standard deviations (default 1000)")
    p.add_argument("--tracemalloc", action="store_true",
                   help="also report the tracemalloc peak (an extra untimed pass)")
    p.add_argument("--memory", choices=["inprocess", "isolated"], default="inprocess",
                   help="peak memory measured in the benchmark process (default) or in a "
                        "fresh process per extractor (an extra untimed pass each)")
    p.add_argument("--with-metadata", action="store_true",
                   help="run copydesk with metadata on in the body benchmark (default off, "
                        "as peers extract only the body)")
    p.add_argument("--json", metavar="OUT", default=None, help="write machine-readable results")
    p.add_argument("--pages", metavar="OUT", default=None,
                   help="write per-page scores (body) or per-field verdicts (--metadata) as "
                        "JSON lines, for error analysis")
    p.add_argument("--cv-models", metavar="DIR", default=None,
                   help="fold models of the block classifier (python -m copydesk_lab.classify."
                        "train --cv-models DIR): adds 'copydesk (cv)', each page scored by the "
                        "model that did not see its site, and 'copydesk (rules)'")
    p.add_argument("--markdown", action="store_true", help="print Markdown tables (for the README)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.mode == "text":
        return _run_text_mode(args)
    from copydesk_lab.bench import report, suite
    from copydesk_lab.bench.peers import resolve_names
    from copydesk_lab.paths import corpora_dir

    corpora = corpora_dir(args.corpora)
    default = suite.META_DATASETS if args.metadata else suite.HTML_DATASETS
    try:
        if not corpora.is_dir():
            raise FileNotFoundError(f"corpora folder not found: {corpora} (use --corpora DIR)")
        names = suite.resolve_datasets(args.dataset, default, corpora)
        peers = _peer_names(args.peers, resolve_names)
    except (ValueError, FileNotFoundError) as exc:
        print(f"copydesk bench: {exc}", file=sys.stderr)
        return 2
    opts = suite.SuiteOptions(corpora=corpora, datasets=names, peers=peers,
                              command=command_line(args), limit=args.limit,
                              repeat=max(1, args.repeat), bootstrap=max(0, args.bootstrap),
                              tracemalloc=args.tracemalloc,
                              copydesk_metadata=args.with_metadata, memory=args.memory,
                              cv_models=Path(args.cv_models) if args.cv_models else None,
                              strip_structured=args.strip_structured)
    runner = suite.run_meta_suite if args.metadata else suite.run_html_suite
    if args.pages:
        Path(args.pages).parent.mkdir(parents=True, exist_ok=True)
        with open(args.pages, "w", encoding="utf-8") as pages_out:
            opts.pages_out = pages_out
            results, text = runner(opts, as_markdown=args.markdown)
    else:
        results, text = runner(opts, as_markdown=args.markdown)
    print(text)
    if args.json:
        report.write_json(Path(args.json), results)
    return 0


def _peer_names(raw: str | None, resolve: Any) -> list[str] | None:
    if raw is None:
        return None
    if raw.strip().lower() == "none":
        return []
    return list(resolve(raw, ()))


def _run_text_mode(args: argparse.Namespace) -> int:
    """Hand over to the text-dump benchmark, with the command line that reproduces it."""
    from copydesk_lab.bench import text_mode

    return text_mode.run(args, command_line(args))


def command_line(args: argparse.Namespace) -> str:
    """The `copydesk bench ...` command that reproduces this run (options as given)."""
    parts = ["copydesk", "bench"]
    for key in ("mode", "corpora", "dataset", "peers", "limit", "repeat", "bootstrap", "memory",
                "json", "pages", "cv_models"):
        value = getattr(args, key, None)
        if value is not None and value != _DEFAULTS.get(key):
            parts += [f"--{key.replace('_', '-')}", str(value)]
    for flag in ("metadata", "strip_structured", "tracemalloc", "with_metadata", "markdown"):
        if getattr(args, flag, False):
            parts.append("--" + flag.replace("_", "-"))
    return shlex.join(parts)

