"""Shared builders for the inspector tests: a small news page and output files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from copydesk.article import OUTPUT_FIELDS

PARAGRAPHS = [
    "The city council voted on Tuesday to extend the night bus network to three new districts, "
    "a decision that officials said would serve more than forty thousand residents.",
    "Transport officials said the first routes would open in the spring, once drivers have been "
    "hired and trained, and that fares would stay the same as on daytime services.",
    "Opposition members questioned the cost of the plan, which the council estimates at twelve "
    "million a year, and asked for a review of ridership after the first twelve months.",
]


def news_page(extra_head: str = "", extra_body: str = "") -> str:
    """A small article page with a menu and a footer around three paragraphs."""
    menu = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in
                   ("Home", "Politics", "Business", "Sports", "Opinion", "Weather"))
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<!doctype html><html><head><title>Night buses reach three new districts</title>"
        f"{extra_head}</head><body><nav><ul>{menu}</ul></nav>"
        f"<article><h1>Night buses reach three new districts</h1>{body}</article>{extra_body}"
        "<footer><p>Copyright 2024 Example Daily. All rights reserved.</p></footer>"
        "</body></html>"
    )


def output_row(number: int, **changes: Any) -> dict[str, Any]:
    """One output record (all OUTPUT_FIELDS) with predictable values."""
    row: dict[str, Any] = {name: None for name in OUTPUT_FIELDS}
    row.update(
        id=f"page-{number}", source=f"pages/{number}.html",
        url=f"https://news{number % 3}.example/a/{number}",
        status="ok", title=f"Story number {number}", authors=[], tags=[],
        text=f"Body of story {number}. The harbour froze early this year.\n\nSecond paragraph.",
        language="en" if number % 2 else "de",
        date_published=f"2024-01-{1 + number % 28:02d}T10:00:00",
        site_name=f"News {number % 3}", content_hash=f"h{number}",
    )
    row.update(changes)
    return row


def sample_rows(count: int = 30) -> list[dict[str, Any]]:
    """Rows with a mix of statuses, a duplicate and one unique search word."""
    rows = [output_row(n) for n in range(max(count, 8))]
    rows[3].update(status="error", error="cannot read: [Errno 2] No such file", text="", title=None)
    rows[4].update(status="empty", error="no article found", text="", title=None)
    rows[5].update(dup_of="page-1")
    rows[7].update(title="Zebra crossing rules change", text="A zebra crossing story.\n\nMore.")
    return rows[:count]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path
