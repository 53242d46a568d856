"""`copydesk serve`: placeholder until the inspector lands."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="local web inspector")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise SystemExit("copydesk serve: not implemented yet")
