"""`extract()`: one page in, one Article out; never raises, never hangs on its own input.

The steps, in order (each a small module of its own):
1. guard: size caps, binary sniffing (`decode`);
2. decode bytes as a browser would (`decode`), scrub control characters;
3. decide HTML or plain text (`sniff_format`, or the `input_format` option);
4. segment into Blocks (`html.segment`, `text.segment`);
5. classify Blocks along the extraction ladder (`classify`);
6. with a site profile (corpus work learned the site's template), mark the
   blocks seen on enough of the site's pages (`site_profile`);
7. read metadata (`metadata`), render text and Markdown (`render`).
Any failure becomes `Article(status=error, error=reason)`.

Pure: the Article depends only on the Record, the Options and the read-only
site profile; what corpus work may learn from the page (its template keys)
is returned beside the Article (`extract_page`), never written back.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from copydesk import render
from copydesk.article import Article, BlockDecision, Explanation, Record, RungAttempt, Status
from copydesk.blocks import Page
from copydesk.classify.page import extract_blocks as html_blocks
from copydesk.decode import Decoded, decode_bytes, scrub
from copydesk.errors import CopydeskError, InputError, TooLargeError
from copydesk.formats import sniff_format
from copydesk.gz import gunzip_capped, is_gzip
from copydesk.loading import loading
from copydesk.metadata import Metadata, finish, from_html, from_text
from copydesk.metadata.model import FIELDS
from copydesk.normalize import collapse_spaces
from copydesk.options import Options
from copydesk.site_profile import PageKeys, SiteProfile, apply_profile, site_key

_ACCEPTED = "bytes (the page as fetched, gzip allowed) or str (already decoded)"


@dataclass(slots=True)
class PageResult:
    """What one page's extraction gives: the Article and, when asked, the page's
    template keys (its site and distinct block-text keys) for corpus work to count."""

    article: Article
    page_keys: PageKeys | None = None


def extract(content: bytes | str, url: str | None = None, **options: Any) -> Article:
    """Extract the article of one page (HTML or a plain-text dump).

    `content` is the page as bytes (decoded as a browser would; gzip bytes
    are inflated under the same caps as the command line) or str.
    Keyword options are those of `copydesk.Options` (for example
    `input_format="text"`, `explain=True`, `http_charset="utf-8"`).
    Always returns an Article; its `status` is ok, empty or error. Raises
    TypeError only for an unknown option or content that is not bytes/str.
    """
    check_content(content)
    opts = Options.from_kwargs(**options)
    return extract_record(Record(content=content, url=url), opts)


def check_content(content: object) -> None:
    """TypeError naming what is accepted, for content that is neither bytes nor str."""
    if not isinstance(content, bytes | str):
        bytes_like = isinstance(content, bytearray | memoryview)
        hint = " (bytes(content) converts it)" if bytes_like else ""
        raise TypeError(f"content must be {_ACCEPTED}, not {type(content).__name__}{hint}")


def extract_record(record: Record, options: Options | None = None,
                   site_profile: SiteProfile | None = None) -> Article:
    """Extract one Record: a pure function of the record, the options and the
    (read-only) site profile. Corpus engines call this in their workers."""
    return extract_page(record, options, site_profile).article


def extract_page(record: Record, options: Options | None = None,
                 site_profile: SiteProfile | None = None, *, want_keys: bool = False) -> PageResult:
    """`extract_record`, plus the page's template keys when `want_keys` (what a corpus
    run learning site templates counts). Never raises for a bad page."""
    check_content(record.content)
    opts = _merge_record_options(record, options or Options())
    try:
        result = _extract(record, opts, site_profile, want_keys)
    except CopydeskError as exc:
        result = PageResult(Article(status=Status.ERROR, error=str(exc)))
    except RecursionError:
        result = PageResult(Article(status=Status.ERROR, error="too deeply nested to process"))
    except MemoryError:
        result = PageResult(Article(status=Status.ERROR, error="out of memory while processing"))
    except Exception as exc:  # the caller must always get a record
        result = PageResult(Article(status=Status.ERROR,
                                    error=f"internal error: {type(exc).__name__}: {exc}"))
    _with_provenance(result.article, record, opts)
    return result


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


_HINTED = ("title", "date_published", "date_modified")


def _with_provenance(article: Article, record: Record, opts: Options) -> Article:
    """The container's id, source and url (the page's own url, e.g. from a dump
    header, when the container had none); a feed's or sitemap's hints (title, dates)
    where the page gave none."""
    for name in _HINTED if record.hints else ():
        if not getattr(article, name) and record.hints.get(name):  # type: ignore[union-attr]
            setattr(article, name, record.hints[name])  # type: ignore[index]
    article.id = record.id or article.id
    article.source = record.source
    url = record.url or article.url
    article.url = scrub(url) if url else url  # JSON-safe, like the text
    if article.date_crawled is None:
        article.date_crawled = opts.date_crawled
    return article


def decode_content(content: bytes | str, opts: Options) -> Decoded:
    """Size guard, gzip inflated (capped), then bytes -> str; str passes through (scrubbed)."""
    size = len(content)
    if size > opts.max_bytes:
        raise TooLargeError(f"too large: {size} bytes (cap {opts.max_bytes})")
    if isinstance(content, bytes):
        if is_gzip(content):
            content = gunzip_capped(content, opts.max_bytes)
        return decode_bytes(content, opts.http_charset)  # scrubbed when needed
    return Decoded(scrub(content), "str")


def _is_bare_url(text: str) -> bool:
    """One http(s) URL and nothing else: what `extract("https://...")` is given by mistake."""
    head = text[:16].lstrip().lower()
    return head.startswith(("http://", "https://")) and len(text) < 8192 and not any(
        c.isspace() for c in text.strip())


def _extract(record: Record, opts: Options, profile: SiteProfile | None,
             want_keys: bool) -> PageResult:
    decoded = decode_content(record.content, opts)
    if not decoded.text.strip():
        return PageResult(Article(status=Status.EMPTY, error="empty input",
                                  encoding=decoded.encoding))
    if _is_bare_url(decoded.text):
        raise InputError("the input is a URL, not a page: fetch it first "
                         "(copydesk.fetch(url) or `copydesk fetch URL -o crawl.warc.gz`)")
    fmt = opts.input_format or sniff_format(decoded.text)
    if fmt.startswith("feed: "):
        raise InputError(f"not a page ({fmt[6:]})")
    learning = profile is not None or want_keys
    if fmt == "html":
        page = html_blocks(decoded.text, opts, decoded.utf8, url=record.url)  # utf8: bytes if UTF-8
    elif fmt == "text":
        page = _text_path()(decoded.text, opts, full=learning)
    else:
        raise InputError(f"unknown input_format {fmt!r}")
    url = record.url or page.url
    keys = apply_profile(profile, site_key(opts.site, url), page.blocks, page.notes, want_keys)
    meta = _read_metadata(fmt, page, url, opts)
    article = _build_article(page, meta, fmt, decoded, opts)
    article.url = url
    return PageResult(article, keys)


@functools.cache
def _text_path() -> Callable[..., Page]:
    """`text.segment.extract_blocks`, imported on the first dump of a process: it brings
    numba and the compiled kernels, a one-time load that an HTML page never pays."""
    with loading("text"):
        from copydesk.text.segment import extract_blocks, warm

        warm()
    return extract_blocks


def _read_metadata(fmt: str, page: Page, url: str | None, opts: Options) -> Metadata:
    """Metadata of the page: from the HTML tree, or from a dump's blocks and header."""
    if not opts.metadata:
        meta = Metadata()
    elif fmt == "html":
        meta = from_html(page.tree, url, opts, page.blocks)
    else:  # (Options.replace costs ~15 us: only when metadata is read)
        meta = from_text(page.blocks, url, opts.replace(
            date_crawled=page.date_crawled or opts.date_crawled))
    meta.date_crawled = meta.date_crawled or page.date_crawled
    return meta


def content_hash(text: str) -> str:
    """Exact-duplicate key: sha1 of the case-folded body with whitespace collapsed."""
    folded = text.casefold()
    # Fast path (~3x cheaper than split/join on a 5 KB body): paragraphs joined by one
    # blank line and no other whitespace than single inner spaces. Exact: every
    # whitespace character but " " is non-printable (categories Cc, Zs, Zl, Zp).
    normal = folded.replace("\n\n", " ")
    if not (normal.isprintable() and "  " not in normal and normal[:1] != " "
            and normal[-1:] != " "):
        normal = collapse_spaces(folded)
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()


def _build_article(page: Page, meta: Metadata, fmt: str, decoded: Decoded,
                   opts: Options) -> Article:
    blocks, rung = page.blocks, page.rung
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
        page_type=page.page_type,
    )
    _copy_metadata(meta, article)
    if opts.comments and page.tree is not None:
        from copydesk.html.comments import comments_of

        article.comments = comments_of(page.tree)
    if opts.explain:
        article.explanation = Explanation(
            blocks=[BlockDecision(b.text, b.kept, b.reason, b.kind) for b in blocks],
            rung=rung,
            candidates=meta.candidates,
            notes=[*page.notes, f"encoding: {decoded.encoding}", *decoded.flags],
            attempts=[RungAttempt(a.rung, a.kept_chars, a.enough, a.rung == rung, a.why)
                      for a in page.attempts],
        )
    return article


def _copy_metadata(meta: Metadata, article: Article) -> None:
    """The metadata fields (`metadata.model.FIELDS`) onto the Article; lists copied."""
    for name in (*FIELDS, "date_crawled"):
        value = getattr(meta, name)
        setattr(article, name, list(value) if isinstance(value, list) else value)
