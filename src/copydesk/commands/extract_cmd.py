"""`copydesk extract PATH... [-o OUT] [--format jsonl|text|markdown]`.

Serial version for single pages and small folders; one output row per input,
an error row (not a non-zero exit) for a bad page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from copydesk.api import extract_record
from copydesk.article import Article, Record, Status
from copydesk.options import Options

_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".html.gz", ".htm.gz", ".txt.gz", ".gz")


def register(sub: Any) -> None:
    p = sub.add_parser("extract", help="extract articles from pages (files, folders, - for stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, folder (recursive) or -")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.add_argument("--format", choices=["jsonl", "text", "markdown"], default="jsonl")
    p.add_argument("--input-format", choices=["html", "text"], default=None,
                   help="force the input format (default: guess per page)")
    p.add_argument("--url", default=None, help="url of the page (single input)")
    p.add_argument("--explain", action="store_true", help="add blocks and reasons to each row")
    p.set_defaults(func=run)


def iter_paths(paths: list[str]) -> Iterator[str]:
    """Inputs in a stable order: files as given, folders walked sorted."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.lower().endswith(_PAGE_SUFFIXES):
                    yield str(child)
        else:
            yield raw


def read_record(path: str) -> Record:
    """Record for one path; a .gz is decompressed (capped) here."""
    if path == "-":
        return Record(content=sys.stdin.buffer.read(), source="<stdin>", id="stdin")
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = _gunzip_capped(data, Options().max_bytes)
    return Record(content=data, source=path, id=path)


def _gunzip_capped(data: bytes, cap: int) -> bytes:
    import zlib

    out = zlib.decompressobj(16 + zlib.MAX_WBITS)
    result = out.decompress(data, cap + 1)
    if len(result) > cap:
        raise ValueError(f"too large: decompressed size over {cap} bytes")
    return result


def _extract_path(path: str, options: Options, url: str | None) -> Article:
    try:
        record = read_record(path)
    except (OSError, ValueError, EOFError) as exc:
        return Article(status=Status.ERROR, error=f"cannot read: {exc}", id=path, source=path)
    record.url = url
    return extract_record(record, options)


def _write_row(out: TextIO, article: Article, fmt: str) -> None:
    if fmt == "jsonl":
        row = article.to_dict()
        if article.explanation is not None:
            row["explanation"] = article.explanation.to_dict()
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        out.write((article.markdown or article.text) + "\n\n")
    else:
        out.write(article.text + "\n\n")


def run(args: argparse.Namespace) -> int:
    options = Options(input_format=args.input_format, explain=args.explain)
    paths = list(iter_paths(args.paths))
    progress = _progress(len(paths))
    with _atomic_output(args.output) as out:
        for path in paths:
            _write_row(out, _extract_path(path, options, args.url), args.format)
            if progress is not None:
                progress.update(1)
    if progress is not None:
        progress.close()
    return 0


def _progress(total: int) -> Any:
    if total < 20 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="page", file=sys.stderr)


class _atomic_output:  # noqa: N801 - used as a context manager
    """Write to a temporary file beside OUT and rename it on success."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.tmp: str | None = None
        self.handle: TextIO | None = None

    def __enter__(self) -> TextIO:
        if not self.path:
            return sys.stdout
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        raw = os.fdopen(fd, "wb")
        stream = gzip.GzipFile(fileobj=raw, mode="wb") if target.name.endswith(".gz") else raw
        self.handle = _TextWrapper(stream, raw)
        return self.handle

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.handle is None or self.tmp is None or self.path is None:
            return
        self.handle.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)


class _TextWrapper:
    """Minimal text writer over a binary stream (and its underlying file)."""

    def __init__(self, stream: Any, raw: Any) -> None:
        self.stream, self.raw = stream, raw

    def write(self, text: str) -> int:
        return self.stream.write(text.encode("utf-8", "surrogatepass"))

    def close(self) -> None:
        self.stream.close()
        if self.raw is not self.stream:
            self.raw.close()
