"""`copydesk bench-serve`: the inspector benchmark (1 MB page view, 100,000-row search)."""

from __future__ import annotations

from typing import Any

from copydesk_lab.serve import bench


def register(sub: Any) -> None:
    p = sub.add_parser("bench-serve", help="benchmark the inspector (page view, corpus search)",
                       description=bench.__doc__)
    bench.add_arguments(p)
    p.set_defaults(func=bench.run)
