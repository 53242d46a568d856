"""`copydesk fetch SOURCE... -o crawl.warc.gz [--extract out.jsonl]`.

SOURCE: a URL, a file of URLs (one a line), or `-` for stdin; `--feed` and
`--sitemap` say the sources are feeds or sitemaps, `--auto` lets each body
decide. Every response goes into the WARC, every URL gets a row in
`OUT.log.jsonl`; `--extract` runs the corpus engine on the WARC as it grows.
Exit statuses as `copydesk extract` (docs/fetch.md). This module maps flags to
a `FetchJob` (and a `RunConfig` for --extract); `fetch_run` reports the run.
"""

from __future__ import annotations

import argparse
import math
import sys
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from copydesk.commands.corpus_run import EXIT_USAGE
from copydesk.fetcher import model as m
from copydesk.fetcher.config import FetchConfig
from copydesk.fetcher.sources import SourceError, read_seeds

if TYPE_CHECKING:  # the runner brings httpx: imported when the command runs
    from copydesk.fetcher.runner import FetchJob

# The `fetch` extra: what the crawler needs beyond the extractor.
FETCH_LIBRARIES = ("httpx", "brotli", "defusedxml", "fastwarc")

_D = FetchConfig()


def _number(kind: type, low: float, strict: bool = False) -> Any:
    def parse(text: str) -> Any:
        value = kind(text)
        if not math.isfinite(value) or value < low or (strict and value == low):
            raise argparse.ArgumentTypeError(f"{text!r}: must be {'>' if strict else '>='} {low}")
        return value
    return parse


def register(sub: Any) -> None:
    p = sub.add_parser("fetch", help="fetch URLs, feeds and sitemaps into a WARC (and extract)")
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="URL, file of URLs (one a line), or - for stdin")
    p.add_argument("-o", "--output", required=True, metavar="OUT.warc.gz",
                   help="the WARC to write (.warc or .warc.gz); the log is OUT.log.jsonl")
    p.add_argument("--extract", metavar="ROWS", default=None,
                   help="also extract the pages into ROWS (.jsonl, .jsonl.gz, .parquet)")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--feed", dest="kind", action="store_const", const=m.FEED,
                      help="the sources are RSS/Atom feeds: fetch their entries")
    kind.add_argument("--sitemap", dest="kind", action="store_const", const=m.SITEMAP,
                      help="the sources are sitemaps (indexes, .gz, news sitemaps)")
    kind.add_argument("--auto", dest="kind", action="store_const", const=m.AUTO,
                      help="each source is a page, a feed or a sitemap, as its body says")
    p.add_argument("--discover", action="store_true",
                   help="also fetch the sitemaps robots.txt lists and the feeds seed pages "
                        "announce (<link rel=alternate>)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted fetch into OUT")
    p.add_argument("--previous", metavar="OLD.warc.gz", default=None,
                   help="an earlier fetch: re-fetch its URLs conditionally (ETag / "
                        "Last-Modified); unchanged pages are 'not_modified'")
    _add_politeness(p)
    _add_limits(p)
    p.add_argument("--workers", type=_number(int, 1), default=None,
                   help="extraction worker processes (with --extract; default: cores)")
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(func=run_command, kind=m.PAGE)


def _add_politeness(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user-agent", default=_D.user_agent, help="User-Agent header")
    p.add_argument("--concurrency", type=_number(int, 1), default=_D.concurrency,
                   help=f"requests in flight overall (default {_D.concurrency})")
    p.add_argument("--per-host", type=_number(int, 1), default=_D.per_host,
                   help=f"requests in flight per host (default {_D.per_host})")
    p.add_argument("--delay", type=_number(float, 0), default=_D.delay,
                   help=f"seconds between two request starts on one host (default {_D.delay}; "
                        "robots.txt Crawl-delay when larger)")
    p.add_argument("--no-robots", action="store_true", help="ignore robots.txt (your own sites)")
    p.add_argument("--allow-net", default=None, metavar="CIDR,...",
                   help="connect only to these networks (e.g. 127.0.0.0/8); host names "
                        "other than localhost are then refused unresolved")


def _add_limits(p: argparse.ArgumentParser) -> None:
    p.add_argument("--connect-timeout", type=_number(float, 0, True), default=_D.connect_timeout)
    p.add_argument("--read-timeout", type=_number(float, 0, True), default=_D.read_timeout,
                   help="seconds without a byte before a request is given up")
    p.add_argument("--timeout", type=_number(float, 0, True), default=_D.total_timeout,
                   help=f"seconds for a whole attempt with its redirects "
                        f"(default {_D.total_timeout:g})")
    p.add_argument("--retries", type=_number(int, 0), default=_D.retries,
                   help=f"extra attempts on 429, 5xx, timeouts, resets (default {_D.retries})")
    p.add_argument("--backoff", type=_number(float, 0), default=_D.backoff,
                   help="first retry wait in seconds, doubled each time (Retry-After wins)")
    p.add_argument("--max-redirects", type=_number(int, 0), default=_D.max_redirects)
    p.add_argument("--max-bytes", type=_number(int, 1), default=_D.max_bytes,
                   help="bodies are cut at this many (decoded) bytes")


def config_from_args(args: argparse.Namespace) -> FetchConfig:
    nets = tuple(n.strip() for n in args.allow_net.split(",")) if args.allow_net else None
    return FetchConfig(
        user_agent=args.user_agent, concurrency=args.concurrency, per_host=args.per_host,
        delay=args.delay, connect_timeout=args.connect_timeout,
        read_timeout=args.read_timeout, total_timeout=args.timeout, retries=args.retries,
        backoff=args.backoff, max_redirects=args.max_redirects, max_bytes=args.max_bytes,
        robots=not args.no_robots, discover=args.discover, allow_networks=nets)


def job_from_args(args: argparse.Namespace) -> FetchJob:
    from copydesk.fetcher.runner import FetchJob  # every other command starts without httpx

    cfg = config_from_args(args)
    if cfg.allow_networks:
        from copydesk.fetcher.guard import parse_networks

        parse_networks(cfg.allow_networks)  # ValueError on a bad network
    return FetchJob(seeds=read_seeds(args.sources, args.kind), output=args.output, cfg=cfg,
                    resume=args.resume, previous=args.previous, sources=list(args.sources),
                    kind=args.kind)


def missing_fetch_libraries() -> list[str]:
    """The crawler's libraries (the `fetch` extra) that are not installed."""
    return [name for name in FETCH_LIBRARIES if find_spec(name) is None]


def run_command(args: argparse.Namespace) -> int:
    missing = missing_fetch_libraries()
    if missing:
        print(f"copydesk fetch needs {', '.join(missing)}, optional dependencies: "
              "pip install 'copydesk[fetch]'", file=sys.stderr)
        return EXIT_USAGE
    try:
        job = job_from_args(args)
    except (SourceError, ValueError) as exc:
        print(f"copydesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.extract:
        from copydesk.commands.fetch_and_extract import run_with_extract

        return run_with_extract(job, args)
    from copydesk.commands.fetch_run import run_fetch

    return run_fetch(job, quiet=args.quiet, progress=False if args.no_progress else None)
