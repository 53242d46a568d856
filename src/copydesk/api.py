"""`extract()`: one page in, one Article out; never raises, never hangs on its own input.

The steps, in order (each a small module of its own):
1. guard: size caps, binary sniffing (`decode`);
2. decode bytes as a browser would (`decode`), scrub control characters;
3. decide HTML or plain text (`sniff_format`, or the `input_format` option);
4. segment into Blocks (`html.segment`, `text.segment`);
5. classify Blocks along the extraction ladder (`classify`);
6. read metadata (`metadata`), render text and Markdown (`render`).
Any failure becomes `Article(status=error, error=reason)`.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from copydesk import render
from copydesk.article import Article, BlockDecision, Explanation, Record, Status
from copydesk.blocks import Block
from copydesk.decode import Decoded, decode_bytes, scrub
from copydesk.errors import CopydeskError, InputError, TooLargeError
from copydesk.metadata import Metadata, finish, from_html, from_text
from copydesk.metadata.model import FIELDS
from copydesk.options import Options

_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|br|span|a\s)[\s>/]",
    re.IGNORECASE,
)
# Markup-only starts (`<b><i>...`, `<table>`): enough when the text begins with `<`.
_TAG_START = re.compile(r"<(?:b|i|em|strong|font|u|s|table|tr|td|ul|ol|li|h[1-6]|img|section|"
                        r"main|header|nav|form|center|script|style|noscript|iframe|svg)[\s>/]",
                        re.IGNORECASE)


# What a format-specific path hands back: blocks, metadata, rung, notes.
_Run = tuple[list[Block], Metadata, str, list[str]]


def extract(content: bytes | str, url: str | None = None, **options: Any) -> Article:
    """Extract the article of one page (HTML or a plain-text dump).

    `content` is the page as bytes (decoded as a browser would) or str.
    Keyword options are those of `copydesk.Options` (for example
    `input_format="text"`, `explain=True`, `http_charset="utf-8"`).
    Always returns an Article; its `status` is ok, empty or error.
    """
    opts = Options.from_kwargs(**options)
    return extract_record(Record(content=content, url=url), opts)


def extract_record(record: Record, options: Options | None = None) -> Article:
    """Extract one Record; corpus engines call this in their workers."""
    opts = _merge_record_options(record, options or Options())
    try:
        article = _extract(record, opts)
    except CopydeskError as exc:
        article = Article(status=Status.ERROR, error=str(exc))
    except RecursionError:
        article = Article(status=Status.ERROR, error="too deeply nested to process")
    except MemoryError:
        article = Article(status=Status.ERROR, error="out of memory while processing")
    except Exception as exc:  # the caller must always get a record
        article = Article(status=Status.ERROR, error=f"internal error: {type(exc).__name__}: {exc}")
    return _with_provenance(article, record, opts)


def _merge_record_options(record: Record, opts: Options) -> Options:
    """Record fields (what the container knew) fill options left unset."""
    changes: dict[str, Any] = {}
    if record.http_charset and not opts.http_charset:
        changes["http_charset"] = record.http_charset
    if record.date_crawled and not opts.date_crawled:
        changes["date_crawled"] = record.date_crawled
    if record.input_format and not opts.input_format:
        changes["input_format"] = record.input_format
    if record.site and not opts.site:
        changes["site"] = record.site
    return opts.replace(**changes) if changes else opts


def _with_provenance(article: Article, record: Record, opts: Options) -> Article:
    article.id = record.id or article.id
    article.source = record.source
    article.url = scrub(record.url) if record.url else record.url  # JSON-safe, like the text
    if article.date_crawled is None:
        article.date_crawled = opts.date_crawled
    return article


def decode_content(content: bytes | str, opts: Options) -> Decoded:
    """Size guard, then bytes -> str; str passes through (scrubbed)."""
    size = len(content)
    if size > opts.max_bytes:
        raise TooLargeError(f"too large: {size} bytes (cap {opts.max_bytes})")
    if isinstance(content, bytes):
        return decode_bytes(content, opts.http_charset)  # scrubbed when needed
    return Decoded(scrub(content), "str")


def sniff_format(text: str) -> str:
    """"html" when the start of the text looks like markup, else "text"."""
    head = text[:4096].lstrip()
    if head.startswith("<") and (_HTML_HINT.search(head[:1024]) or _TAG_START.match(head)):
        return "html"
    hits = len(_HTML_HINT.findall(head))
    return "html" if hits >= 3 else "text"


def _extract(record: Record, opts: Options) -> Article:
    decoded = decode_content(record.content, opts)
    if not decoded.text.strip():
        return Article(status=Status.EMPTY, error="empty input", encoding=decoded.encoding)
    fmt = opts.input_format or sniff_format(decoded.text)
    if fmt == "html":
        blocks, meta, rung, notes = _run_html(decoded.text, record.url, opts, decoded.utf8)
    elif fmt == "text":
        blocks, meta, rung, notes = _run_text(decoded.text, record.url, opts)
    else:
        raise InputError(f"unknown input_format {fmt!r}")
    return _build_article(blocks, meta, rung, notes, fmt, decoded, opts)


def _run_html(text: str, url: str | None, opts: Options, utf8: bytes | None = None) -> _Run:
    from copydesk.html import extract_blocks

    page = extract_blocks(text, url, opts, utf8)  # utf8: the input bytes when they are UTF-8
    meta = from_html(page.tree, url, opts) if opts.metadata else Metadata()
    return page.blocks, meta, page.rung, page.notes


def _run_text(text: str, url: str | None, opts: Options) -> _Run:
    from copydesk.text import extract_blocks

    page = extract_blocks(text, url, opts)
    meta = Metadata()
    if opts.metadata:  # (Options.replace costs ~15 us: only when metadata is read)
        opts_crawled = opts.replace(date_crawled=page.date_crawled or opts.date_crawled)
        meta = from_text(page.blocks, url, opts_crawled)
    meta.date_crawled = meta.date_crawled or page.date_crawled
    return page.blocks, meta, page.rung, page.notes


def content_hash(text: str) -> str:
    """Exact-duplicate key: sha1 of the case-folded body with whitespace collapsed."""
    folded = text.casefold()
    # Fast path (~3x cheaper than split/join on a 5 KB body): paragraphs joined by one
    # blank line and no other whitespace than single inner spaces. Exact: every
    # whitespace character but " " is non-printable (categories Cc, Zs, Zl, Zp).
    normal = folded.replace("\n\n", " ")
    if not (normal.isprintable() and "  " not in normal and normal[:1] != " "
            and normal[-1:] != " "):
        normal = " ".join(folded.split())
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()


def _build_article(blocks: list[Block], meta: Metadata, rung: str, notes: list[str], fmt: str,
                   decoded: Decoded, opts: Options) -> Article:
    body_blocks = render.unique_blocks(blocks)
    text = render.to_text(body_blocks)
    if opts.metadata:
        meta = finish(meta, text, opts)
    article = Article(
        status=Status.OK if text else Status.EMPTY,
        error=None if text else "no article found",
        text=text,
        markdown=render.to_markdown(body_blocks) if opts.markdown and text else None,
        content_hash=content_hash(text) if text else None,
        input_format=fmt,
        rung=rung,
        encoding=decoded.encoding,
    )
    _copy_metadata(meta, article)
    if opts.explain:
        article.explanation = Explanation(
            blocks=[BlockDecision(b.text, b.kept, b.reason, b.kind) for b in blocks],
            rung=rung,
            candidates=meta.candidates,
            notes=[*notes, f"encoding: {decoded.encoding}", *decoded.flags],
        )
    return article


def _copy_metadata(meta: Metadata, article: Article) -> None:
    """The metadata fields (`metadata.model.FIELDS`) onto the Article; lists copied."""
    for name in (*FIELDS, "date_crawled"):
        value = getattr(meta, name)
        setattr(article, name, list(value) if isinstance(value, list) else value)
