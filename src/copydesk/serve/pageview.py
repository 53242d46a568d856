"""What the page view shows, as one JSON payload.

The payload is the output record (`Article.to_dict()`) plus what the
extractor did: `blocks` in reading order with `kept`/`reason`, the metadata
`candidates`, the `rung` and `notes`. It also carries `original_url`, where
the sandboxed frame fetches the inspected page made inert by `sanitize`:
kept apart so the blocks arrive (and paint) without waiting for the
sanitiser or a second megabyte of JSON. The explanation is the one
`extract(..., explain=True)` produced while extracting, never a second pass.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from copydesk.api import extract_record
from copydesk.article import Article, Record
from copydesk.options import Options
from copydesk.serve.sanitize import sanitize_html, text_as_html


class OriginalStore:
    """The last few inspected pages, by unguessable token, sanitised on first view."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._pages: OrderedDict[str, tuple[bytes | str, str | None, str | None]] = OrderedDict()
        self._html: dict[str, str] = {}
        self._lock = threading.Lock()

    def put(self, content: bytes | str, input_format: str | None, encoding: str | None) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._pages[token] = (content, input_format, encoding)
            while len(self._pages) > self.size:
                old, _ = self._pages.popitem(last=False)
                self._html.pop(old, None)
        return token

    def html(self, token: str) -> str | None:
        with self._lock:
            found = self._pages.get(token)
            cached = self._html.get(token)
        if found is None or cached is not None:
            return cached
        page = original_html(*found)
        with self._lock:
            if token in self._pages:
                self._html[token] = page
        return page


def extract_payload(content: bytes | str, url: str | None = None,
                    input_format: str | None = None, source: str | None = None,
                    originals: OriginalStore | None = None) -> dict[str, Any]:
    """Extract one page with explanations and build the page-view payload."""
    start = time.perf_counter()
    record = Record(content=content, url=url or None, source=source, id=source,
                    input_format=input_format or None)
    article = extract_record(record, Options(explain=True))
    payload = article_payload(article)
    payload["original_url"] = None
    if originals is not None:
        token = originals.put(content, article.input_format, article.encoding)
        payload["original_url"] = f"/api/original/{token}"
    payload["elapsed_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return payload


def article_payload(article: Article) -> dict[str, Any]:
    """The record plus `blocks`, `candidates`, `notes`, `attempts` (the ladder's rungs
    tried; all empty when not explained)."""
    payload = article.to_dict()
    explained = payload.pop("explanation", None) or {}  # shown as the keys below
    explanation = article.explanation
    blocks = explanation.blocks if explanation is not None else []
    payload["blocks"] = [{"text": b.text, "kept": b.kept, "reason": b.reason, "kind": b.kind}
                         for b in blocks]
    payload["candidates"] = explanation.candidates if explanation is not None else {}
    payload["notes"] = explanation.notes if explanation is not None else []
    payload["attempts"] = explained.get("attempts", [])
    return payload


def stored_payload(row: dict[str, Any], note: str) -> dict[str, Any]:
    """Page view of a stored row when its source cannot be re-read.

    A row written with `--explain` still shows its blocks; otherwise the
    body's paragraphs are listed as kept (all we know) and `note` says why.
    """
    payload = {k: v for k, v in row.items() if k != "explanation"}
    explanation = row.get("explanation") or {}
    blocks = explanation.get("blocks") or [
        {"text": para, "kept": True, "reason": "stored record (no explanation saved)"}
        for para in str(row.get("text") or "").split("\n\n") if para.strip()]
    payload["blocks"] = blocks
    payload["candidates"] = explanation.get("candidates") or {}
    payload["notes"] = [*(explanation.get("notes") or []), note]
    payload["attempts"] = explanation.get("attempts") or []
    payload["original_url"] = None
    return payload


# Bounds of the original-page frame (the sanitiser's cost grows with the tags).
MAX_FRAME_TAGS = 20_000
MAX_FRAME_CHARS = 2_000_000


def original_html(content: bytes | str, input_format: str | None, encoding: str | None) -> str:
    """The inspected page for the sandboxed frame, inert whatever it contained."""
    text = content if isinstance(content, str) else _decode(content, encoding)
    if input_format == "html" and text.count("<") <= MAX_FRAME_TAGS:
        return sanitize_html(text)
    if input_format == "html":  # sanitising 99,000 divs took minutes: show the source
        note = (f"[copydesk: this page has more than {MAX_FRAME_TAGS:,} tags; its source is "
                "shown as text instead of the rendered page]\n\n")
        return text_as_html(note + text[:MAX_FRAME_CHARS])
    return text_as_html(text[:MAX_FRAME_CHARS])


def _decode(data: bytes, encoding: str | None) -> str:
    try:
        return data.decode(encoding or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def read_source(path: Path, cap: int) -> bytes:
    """Bytes of a source page (gunzipped when compressed), refusing over `cap`."""
    with path.open("rb") as handle:
        data = handle.read(cap + 1)
    if data[:2] == b"\x1f\x8b":
        import zlib

        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = inflater.decompress(data, cap + 1)
    if len(data) > cap:
        raise ValueError(f"source larger than {cap} bytes")
    return data
