"""The `copydesk` command: extract, bench, serve.

Each subcommand lives in its own module and registers itself here, so this
file stays a table of contents.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from copydesk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copydesk",
        description="Turn scraped news and web pages into clean, structured articles.",
    )
    parser.add_argument("--version", action="version", version=f"copydesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from copydesk.commands import bench_cmd, corpus_bench_cmd, extract_cmd, serve_cmd

    extract_cmd.register(sub)
    bench_cmd.register(sub)
    serve_cmd.register(sub)
    corpus_bench_cmd.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `copydesk` script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("copydesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
