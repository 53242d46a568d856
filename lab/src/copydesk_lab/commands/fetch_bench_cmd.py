"""`copydesk bench-fetch`: the fetcher's bars on a simulated local web
(`copydesk_lab.fetch.bench`); nothing leaves 127.0.0.0/8."""

from __future__ import annotations

import argparse
import json
from typing import Any

from copydesk_lab.fetch.bench import FetchBenchConfig, run_bench

_STEPS = ("speed", "memory", "resume", "huge", "feeds", "guard")


def register(sub: Any) -> None:
    d = FetchBenchConfig()
    p = sub.add_parser("bench-fetch", help="benchmark copydesk fetch on simulated local hosts")
    p.add_argument("--urls", type=int, default=d.urls)
    p.add_argument("--hosts", type=int, default=d.hosts, help="simulated hosts (127.0.1.x)")
    p.add_argument("--per-host", type=int, default=d.per_host)
    p.add_argument("--delay", type=float, default=d.delay)
    p.add_argument("--kills", type=int, default=d.kills, help="SIGKILLs before the last resume")
    p.add_argument("--feeds", type=int, default=d.feeds, help="generated feeds and sitemaps")
    p.add_argument("--huge-mb", type=int, default=d.huge_mb)
    p.add_argument("--workers", type=int, default=d.workers, help="extraction workers (feeds)")
    p.add_argument("--only", default=",".join(_STEPS), help=f"steps: {','.join(_STEPS)}")
    p.add_argument("--workdir", default=None)
    p.add_argument("--json", default=None, metavar="PATH", help="also write the figures here")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    only = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = set(only) - set(_STEPS)
    if unknown:
        print(f"copydesk: bench-fetch: unknown steps {sorted(unknown)}")
        return 2
    cfg = FetchBenchConfig(urls=args.urls, hosts=args.hosts, per_host=args.per_host,
                           delay=args.delay, kills=args.kills, feeds=args.feeds,
                           huge_mb=args.huge_mb, workers=args.workers, only=only,
                           workdir=args.workdir)
    figures = run_bench(cfg)
    text = json.dumps(figures, indent=1)
    print(text)
    if args.json:
        with open(args.json, "w") as handle:
            handle.write(text + "\n")
    return 0
