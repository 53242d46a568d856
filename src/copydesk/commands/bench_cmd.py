"""`copydesk bench`: placeholder until the benchmark module lands."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("bench", help="benchmark copydesk beside its peers on the corpora")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise SystemExit("copydesk bench: not implemented yet")
