"""`copydesk bench-corpus`: throughput, memory, resume and dedup figures of the
corpus engine on the dev corpora (see `copydesk_lab.corpus.bench`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from copydesk_lab.corpus.bench import BenchConfig, run_bench
from copydesk_lab.paths import CORPORA_HELP, corpora_dir


def register(sub: Any) -> None:
    p = sub.add_parser("bench-corpus", help="benchmark the corpus engine (WARC in, rows out)")
    p.add_argument("--records", type=int, default=2500, help="records in the main WARC")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--corpora", default=None, help=CORPORA_HELP)
    p.add_argument("--workdir", default=None, help="where to build the inputs (default: tmp)")
    p.add_argument("--kills", type=int, default=5, help="SIGKILLs before the final resume")
    p.add_argument("--speed-records", type=int, default=600,
                   help="records of the 1-vs-N-workers runs")
    p.add_argument("--repeats", type=int, default=3, help="alternated 1/N runs (best counts)")
    p.add_argument("--dedup-originals", type=int, default=150)
    p.add_argument("--ray", action="store_true", help="also compare Ray rows with local rows")
    p.add_argument("--json", default=None, metavar="PATH", help="also write the figures here")
    p.add_argument("--templates", action="store_true",
                   help="only the site-template figures: precision/recall and speed without "
                        "templates, --templates stream and two-pass on generated multi-page sites")
    p.add_argument("--sites", type=int, default=30, help="generated sites (with --templates)")
    p.add_argument("--pages-per-site", type=int, default=6,
                   help="pages of each generated site (with --templates)")
    p.add_argument("--html", action="store_true",
                   help="with --templates: the same pages as HTML (each line a <p>)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.templates:
        return run_templates(args)
    cfg = BenchConfig(records=args.records, workers=args.workers, corpora=args.corpora,
                      workdir=args.workdir, kills=args.kills,
                      dedup_originals=args.dedup_originals, ray=args.ray,
                      speed_records=args.speed_records, repeats=args.repeats)
    result = run_bench(cfg)
    print_report(result, sys.stdout)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
    return 0


def run_templates(args: argparse.Namespace) -> int:
    from copydesk_lab.corpus.template_bench import report, run_template_bench

    result = run_template_bench(args.workers, args.sites, args.pages_per_site,
                                repeats=max(1, args.repeats), workdir=args.workdir,
                                as_html=args.html, corpora=corpora_dir(args.corpora))
    print(report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
    return 0


def print_report(r: dict[str, Any], out: Any) -> None:
    t, d, s, loop, v = r["throughput"], r["dedup"], r["resume"], r["extract_loop"], r["speed"]
    n = r["workers"]
    lines = [
        f"copydesk bench-corpus  ({r['date']}, {r['corpus_pages']} corpus pages, {n} workers)",
        f"one row per input      {t['rows']} rows / {t['input_records']} records: "
        f"{'yes' if t['one_row_per_input'] else 'NO'}  status {t['status']}",
        f"  PNG -> {t['png_row']!r}; empty -> {t['empty_row']!r}",
        f"records/s              1 worker {v['records_per_s_1']}, {n} workers "
        f"{v[f'records_per_s_{n}']} (speed-up {v['speedup']}x; best of {v['repeats']} "
        f"alternated runs on {v['records']} records; all: {v['all_records_per_s']})",
        f"records/CPU-second     1 worker {v['records_per_cpu_s_1']}, {n} workers "
        f"{v[f'records_per_cpu_s_{n}']}; extract() loop {loop['pages_per_cpu_s']} pages/CPU-s, "
        f"{loop['pages_per_s']} pages/s (load average {v['load_average_1min']} on "
        f"{os.cpu_count()} cores)",
        f"peak RSS (MB)          writer {t['peak_rss_mb_tenth']} -> {t['peak_rss_mb_full']} "
        f"for 10x input (growth {t['rss_growth_10x']}); largest worker "
        f"{t['worker_peak_rss_mb_tenth']} -> {t['worker_peak_rss_mb_full']} "
        f"(growth {t['worker_rss_growth_10x']})",
        f"resume                 {s['records']} records, SIGKILL after {s['kills_at_s']} s "
        f"({s['shards_before_final']} shards committed before the last resume): exact "
        f"{s['exact']} (duplicates {s['duplicates']}, missing {s['missing']})",
        f"dedup                  exact recall {d['exact_recall']}, near recall {d['near_recall']}, "
        f"precision {d['precision']}, first copies marked {d['first_copies_marked']}, "
        f"same-topic pairs merged {d['same_topic_pairs_merged']}/{d['originals']}",
        f"dedup cost             corpus pages: {loop['dedup_s']} s vs extraction "
        f"{loop['extraction_s']} s ({100 * loop['dedup_share_of_extraction']:.1f}%); "
        f"near-dup set: {d['dedup_s']} s vs {d['extraction_s']} s "
        f"({100 * d['dedup_share_of_extraction']:.1f}%)",
    ]
    if "ray" in r:
        lines.append(f"ray                    {r['ray']}")
    print("\n".join(lines), file=out)
