"""The `copydesk` command: extract, fetch, serve, and the lab's commands when installed.

Each subcommand lives in its own module and registers itself here, so this
file stays a table of contents. A run registers only the command it runs
when it can tell which (`command_of`): importing every command's module and
the lab's costs a one-page call about half a second. Benchmarks and trainers live in the lab
(`lab/`, package `copydesk_lab`), which adds its commands through the
`copydesk.commands` entry-point group; copydesk never imports the lab.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from typing import Any, TextIO

from copydesk import loading
from copydesk.version import __version__

COMMAND_GROUP = "copydesk.commands"
# Commands the lab provides; without it they explain how to install it.
LAB_COMMANDS: tuple[str, ...] = ("bench", "bench-corpus", "bench-serve")
# What a part's first compilation costs, said on a terminal (`copydesk.loading.compiling`).
COMPILE_NOTICES = {"text": "copydesk: compiling the text-mode kernels (once after an install, "
                           "about 30 s; cached for later runs)"}
LAB_INSTALL_HINT = ("is part of copydesk's lab, which is not installed; from the repository "
                    "run: pip install -e ./lab")


BUILT_IN: tuple[str, ...] = ("extract", "fetch", "serve")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the command `only` when it is one
    (built in, or a lab command by its entry point's name)."""
    parser = argparse.ArgumentParser(
        prog="copydesk",
        description="Turn scraped news and web pages into clean, structured articles.",
    )
    parser.add_argument("--version", action="version", version=f"copydesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if only in BUILT_IN:
        _register_built_in(sub, only)
        return parser
    lab = sorted(entry_points(group=COMMAND_GROUP), key=lambda e: e.name)
    if only is not None and any(e.name == only for e in lab):
        lab = [e for e in lab if e.name == only]
    elif only in LAB_COMMANDS:
        lab = []
    else:
        only = None
        for name in BUILT_IN:
            _register_built_in(sub, name)
    for entry in lab:
        entry.load().register(sub)
    for name in LAB_COMMANDS:
        if name not in sub.choices and only in (None, name):
            _register_missing(sub, name)
    return parser


def _register_built_in(sub: Any, name: str) -> None:
    if name == "extract":
        from copydesk.commands import extract_cmd as module
    elif name == "fetch":
        from copydesk.commands import fetch_cmd as module  # type: ignore[no-redef]
    else:
        from copydesk.commands import serve_cmd as module  # type: ignore[no-redef]
    module.register(sub)


def compile_notice(part: str, stream: TextIO | None = None) -> None:
    """One line on a terminal when a part compiles (none in a pipe or a log)."""
    out = sys.stderr if stream is None else stream
    if out.isatty():
        print(COMPILE_NOTICES.get(part, f"copydesk: compiling {part} (once after an install)"),
              file=out, flush=True)


def command_of(argv: Sequence[str]) -> str | None:
    """The command an argument list runs: its first argument, unless that is an option."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def _register_missing(sub: Any, name: str) -> None:
    """A placeholder for a lab command: any arguments, one clear message."""
    p = sub.add_parser(name, help="(needs the lab: pip install -e ./lab)", add_help=False)
    p.set_defaults(func=lambda _args: _lab_missing(name), lab_missing=True)


def _lab_missing(name: str) -> int:
    print(f"copydesk {name} {LAB_INSTALL_HINT}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `copydesk` script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    loading.on_compile(compile_notice)
    parser = build_parser(command_of(argv))
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "lab_missing", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("copydesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
