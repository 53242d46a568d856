"""Article -> output row: valid UTF-8 whatever the page contained.

Text fields are already scrubbed by `extract()`, but provenance (file names
with undecodable bytes, JSONL ids with lone surrogates) and reader-made rows
are not: every string goes through `clean_str` so JSONL is valid UTF-8 and
Parquet accepts it.
"""

from __future__ import annotations

import re
from typing import Any

from copydesk.article import Article

_BAD = re.compile("[\x00\ud800-\udfff\ufffe\uffff]")


def clean_str(value: str) -> str:
    """Drop NUL, lone surrogates and non-characters (everything else is valid UTF-8)."""
    return _BAD.sub("", value) if _BAD.search(value) else value


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_str(value)
    if isinstance(value, dict):  # a comment: {"text", "author", "date"}
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) if isinstance(v, dict) else clean_str(str(v))
                for v in value if v is not None]
    return value


def article_row(article: Article, *, explain: bool = False) -> dict[str, Any]:
    """The output row of `article` (OUTPUT_FIELDS order), every string clean."""
    row = {key: _clean(value) for key, value in article.to_dict().items()
           if key != "explanation"}
    if explain and article.explanation is not None:
        row["explanation"] = article.explanation.to_dict()
    return row


def text_block(row: dict[str, Any], field: str, header: bool) -> str:
    """One article in `--format text|markdown`: a `==> source <==` line first when
    several articles share the output (so they cannot be mistaken for paragraphs),
    the status when it is not ok, the body, and a blank line."""
    body = row.get(field) or row.get("text") or ""
    lines = []
    if header:
        lines.append(f"==> {row.get('source') or row.get('id')} <==")
    if row.get("status") != "ok":
        lines.append(f"[{row.get('status')}: {row.get('error')}]")
    if body:
        lines.append(body)
    return "\n".join(lines) + "\n\n"
