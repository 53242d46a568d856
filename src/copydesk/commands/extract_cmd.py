"""`copydesk extract INPUT... [-o OUT] [--workers N] [--resume] [--dedup] [--engine local|ray]
[--templates [stream|two-pass]] [--site KEY]`.

Inputs: page files, folders (recursive), globs, .gz, WARC/WARC.gz, JSONL/JSONL.gz,
plain-text dumps, `-` for stdin. Output: JSONL to stdout, or OUT (.jsonl,
.jsonl.gz, .parquet) written atomically in resumable shards. One row per input
record; a bad page is an error row, not a non-zero exit. The work is done by
`copydesk.corpus.engine`; this module only maps flags to a `RunConfig`.
Exit statuses: docs/corpus.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from copydesk.commands.corpus_run import EXIT_STRICT, EXIT_USAGE, run
from copydesk.commands.extract_checks import (
    check_output_path,
    check_url,
    check_values,
    output_format,
)
from copydesk.corpus.config import RunConfig
from copydesk.corpus.items import ReadConfig
from copydesk.corpus.pool import MAX_TASKS
from copydesk.corpus.template_runs import MODES
from copydesk.options import Options

_TEMPLATES_HELP = (
    "remove lines and blocks that recur across the pages of a site (menus, footers, "
    "'Most popular'). stream (the default when the flag has no value): one pass, page k of "
    "a site is cleaned with what pages 1..k taught, so a site's first page gets no help "
    "and a line is removed from its 2nd page on (3rd for prose lines of 15+ words); "
    "two-pass: learn from all pages first, then extract (reads the inputs twice; not "
    "stdin). Site of a page: --site, else the url host, else its folder (or its WARC/JSONL "
    "file). Put the flag after the inputs, or write --templates=MODE")


def register(sub: Any) -> None:
    p = sub.add_parser("extract",
                       help="extract articles from pages, WARC, JSONL (files, folders, -)")
    p.add_argument("paths", nargs="*", metavar="INPUT",
                   help="file, folder (recursive), glob, WARC, JSONL, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="output file: .jsonl (default), .jsonl.gz or .parquet (default: stdout)")
    p.add_argument("--format", choices=["jsonl", "parquet", "text", "markdown"], default=None,
                   help="rows (JSONL or Parquet) or just the bodies (text, markdown); default: "
                        "from OUT's extension, else jsonl")
    p.add_argument("--input-format", choices=["html", "text"], default=None,
                   help="force the page format (default: guess per page)")
    p.add_argument("--url", default=None,
                   help="url of the page (one page file only: not a folder, glob or container)")
    p.add_argument("--keep-status", action="store_true",
                   help="extract HTTP responses whatever their status (default: non-2xx "
                        "responses are error rows 'HTTP 404: ...')")
    p.add_argument("--strict", action="store_true",
                   help=f"exit {EXIT_STRICT} when any row is an error")
    p.add_argument("--explain", action="store_true", help="add blocks and reasons to each row")
    p.add_argument("--comments", action="store_true",
                   help="return reader comments in a `comments` field (never in the body)")
    p.add_argument("--templates", nargs="?", const="stream", default=None, metavar="MODE",
                   help=_TEMPLATES_HELP)
    p.add_argument("--site", default=None, metavar="KEY",
                   help="one site key for every input (with --templates; default: url host, "
                        "else folder)")
    _add_scale_flags(p)
    _add_input_flags(p)
    p.set_defaults(func=run_command)


def _add_scale_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="worker processes (default: number of cores)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run into OUT")
    p.add_argument("--dedup", action="store_true",
                   help="mark exact and near duplicates (dup_of = id of the first copy)")
    p.add_argument("--engine", choices=["local", "ray"], default="local")
    p.add_argument("--address", default=None, help="Ray cluster address (with --engine ray)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="deadline per page in seconds (default 60)")
    p.add_argument("--worker-memory", type=int, default=4096, metavar="MB",
                   help="memory a worker may add to what it inherits (0: no limit)")
    p.add_argument("--worker-max-pages", type=int, default=MAX_TASKS, metavar="N",
                   help=f"recycle a worker after N pages (default {MAX_TASKS})")
    p.add_argument("--shard-records", type=int, default=10_000,
                   help="records per committed shard (default 10000)")
    p.add_argument("--shards", action="store_true",
                   help="keep the shards: OUT becomes a folder of part files")
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")


def _add_input_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jsonl-content", default="content", metavar="FIELD",
                   help="JSONL field holding the page (default: content)")
    p.add_argument("--jsonl-url", default="url", metavar="FIELD", help="JSONL url field")
    p.add_argument("--jsonl-id", default="id", metavar="FIELD", help="JSONL id field")
    p.add_argument("--jsonl-type", default=None, metavar="FIELD",
                   help="JSONL field holding the content type (default: content_type, mime, ...)")
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="folder walk: also take files matching GLOB (name or relative path), "
                        "e.g. '*.cgi' or '*'; repeatable")
    p.add_argument("--max-bytes", type=int, default=Options().max_bytes,
                   help=f"cap on one record's (decompressed) size in bytes (default "
                        f"{Options().max_bytes:,} = {Options().max_bytes >> 20} MB)")


def _inputs_and_templates(args: argparse.Namespace) -> tuple[list[str], str | None]:
    """(inputs, template mode). `--templates DIR` (no mode, then an input) is read as
    `--templates stream DIR`: argparse hands DIR to the optional flag."""
    paths, mode = list(args.paths), args.templates
    if mode is not None and mode not in MODES:
        if mode != "-" and not os.path.exists(mode):
            raise ValueError(f"--templates: unknown mode {mode!r} (choose from "
                             f"{', '.join(MODES)})")
        paths, mode = [mode, *paths], "stream"
    if not paths:
        raise ValueError("extract needs at least one INPUT (file, folder, glob or -)")
    return paths, mode


def config_from_args(args: argparse.Namespace) -> RunConfig:
    paths, templates = _inputs_and_templates(args)
    check_values(args)
    check_output_path(args.output, paths, args.shards)
    text_format = output_format(args.output, args.format, args.explain)
    check_url(args.url, paths)
    options = Options(input_format=args.input_format, explain=args.explain,
                      comments=args.comments, max_bytes=args.max_bytes)
    read = ReadConfig(jsonl_content=args.jsonl_content, jsonl_url=args.jsonl_url,
                      jsonl_id=args.jsonl_id, jsonl_type=args.jsonl_type,
                      max_bytes=args.max_bytes, input_format=args.input_format, url=args.url,
                      keep_status=args.keep_status, include=tuple(args.include))
    return RunConfig(
        inputs=paths, output=args.output, strict=args.strict,
        text_format=text_format,
        workers=args.workers, resume=args.resume, dedup=args.dedup,
        engine=args.engine, address=args.address, options=options, read=read,
        timeout=args.timeout, memory_mb=args.worker_memory or None,
        max_tasks=args.worker_max_pages,
        shard_records=args.shard_records, keep_shards=args.shards,
        progress=False if args.no_progress else None, quiet=args.quiet,
        templates=templates, site=args.site,
    )


def _url_inputs(paths: list[str]) -> list[str]:
    """Inputs that are URLs (`copydesk extract https://...`): extract reads files only."""
    return [p for p in paths if p.lower().startswith(("http://", "https://"))
            and not os.path.exists(p)]


def run_command(args: argparse.Namespace) -> int:
    urls = _url_inputs(list(args.paths))
    if urls:
        print(f"copydesk: {urls[0]} is a URL; `copydesk extract` reads files (pages, WARC, "
              f"JSONL). Fetch it first:\n  copydesk fetch {urls[0]} -o crawl.warc.gz "
              "--extract out.jsonl", file=sys.stderr)
        return EXIT_USAGE
    try:
        cfg = config_from_args(args)
    except ValueError as exc:
        print(f"copydesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if cfg.site and not cfg.templates:
        print("copydesk: note: --site only matters with --templates", file=sys.stderr)
    return run(cfg)
