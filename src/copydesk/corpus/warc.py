"""WARC, WARC.gz and WET files -> Items: one per page record, with its provenance.

Reading (`gzmembers` for the gzip layer, `warcparse` for records) is our own,
so every kind of damage costs one record or one stretch, with a row that says
so (see those modules). This module decides what each record is:

- `response` (HTTP inside), `resource` (a stored file) and `conversion`
  (Common Crawl WET: the page already flattened to text) are input records,
  one row each; a WET record goes down the text path with its
  `WARC-Target-URI` and `WARC-Date`;
- `request`, `metadata`, `warcinfo`, `revisit` (no payload stored: the
  payload is the earlier response's), `continuation`, and resource records
  that are not pages (wget's `metadata://.../wget.log`, `dns:` lookups) are
  counted in the summary and give no row;
- the format comes from evidence: `--input-format`, else the content type
  (HTTP header, else the WARC header): HTML types go down the HTML path,
  `text/plain` down the text path, feeds and non-page types give
  `not a page (...)` rows, unknown or generic types are sniffed per page;
- a non-2xx HTTP status gives an error row `HTTP 404: Not Found` (3xx with
  its `Location`) unless `--keep-status`; the status is in `http_status`.

Ids: `WARC-Record-ID` when present, else the canonical file + record ordinal
(`ids.py`), so ids do not depend on compression or on how the path was typed.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import IO

from copydesk.article import Record
from copydesk.corpus.gzmembers import Damage, members
from copydesk.corpus.httpmsg import HttpResponse, parse_response, payload
from copydesk.corpus.ids import position_id, warc_id
from copydesk.corpus.items import Item, Provenance, ReadConfig, error_item, file_error_item
from copydesk.corpus.warcparse import PlainSource, RawRecord, parse_source
from copydesk.errors import InputError
from copydesk.gz import is_gzip

_INPUT_TYPES = ("response", "resource", "conversion")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml")
_TEXT_TYPES = ("text/plain",)
_SNIFF_TYPES = ("", "application/octet-stream", "application/xml", "text/xml",
                "application/x-unknown", "unknown/unknown", "text/x-server-parsed-html")
_FEEDS = {"application/rss+xml": "RSS feed", "application/atom+xml": "Atom feed",
          "application/rdf+xml": "RDF feed", "application/feed+json": "JSON feed"}
_PAGE_SCHEMES = ("http:", "https:", "file:", "ftp:")


def read_warc(raw: IO[bytes], layers: int, name: str, canonical: str,
              cfg: ReadConfig) -> Iterator[Item]:
    """Items of one WARC stream `raw` (positioned at its start) with `layers` gzip layers."""
    reader = _FileReader(name, canonical, cfg)
    if layers == 0:
        yield from reader.source(PlainSource(raw), gzipped=False)
        return
    for _ in range(layers - 1):  # gzip in gzip: outer layers as a plain stream
        raw = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
    for part in members(raw):
        if isinstance(part, Damage):
            yield from reader.damage(part)
        else:
            yield from reader.source(part, gzipped=True)


class _FileReader:
    """Turns the records and damage of one file into Items, numbering records."""

    def __init__(self, name: str, canonical: str, cfg: ReadConfig) -> None:
        self.name, self.canonical, self.cfg = name, canonical, cfg
        self.ordinal = 0

    def source(self, source: PlainSource | object, gzipped: bool) -> Iterator[Item]:
        for part in parse_source(source, self.cfg.max_bytes, gzipped):  # type: ignore[arg-type]
            if isinstance(part, Damage):
                yield from self.damage(part)
            else:
                self.ordinal += 1
                item = self.record(part)
                if item is not None:
                    yield item

    def damage(self, part: Damage) -> Iterator[Item]:
        self.cfg.skips["WARC damage skipped (resynchronised)"] += 1
        if part.follows_damage:
            return  # the rest of a damaged member: its record or stretch already has a row
        yield file_error_item(self.cfg, f"{self.name}@{part.offset}",
                              f"corrupt WARC at offset {part.offset}: {part.reason}")

    def record(self, rec: RawRecord) -> Item | None:
        kind = rec.headers.get("warc-type", "").strip().lower() or "untyped"
        url = _target_uri(rec)
        if kind not in _INPUT_TYPES or not _is_page_uri(url, kind):
            label = kind if url is None or kind not in _INPUT_TYPES else f"{kind} ({_scheme(url)})"
            self.cfg.skips[f"WARC {label} record"] += 1
            return None
        record_id = rec.headers.get("warc-record-id") or None
        rid = warc_id(record_id) if record_id else position_id(self.canonical, self.ordinal)
        source = f"{self.name}@{rec.offset}" + (f"+{rec.inner}" if rec.inner else "")
        prov = Provenance(warc_record_id=record_id, warc_file=self.name, warc_offset=rec.offset)
        date = rec.headers.get("warc-date") or None
        if rec.problem is not None:
            return error_item(source, rec.problem, url=url, record_id=rid, date_crawled=date,
                              prov=prov)
        try:
            body, fmt, charset = self._payload(rec, kind, prov)
        except InputError as exc:
            return error_item(source, str(exc), url=url, record_id=rid, date_crawled=date,
                              prov=prov)
        record = Record(content=body, url=url, id=rid, source=source, http_charset=charset,
                        date_crawled=date, input_format=self.cfg.input_format or fmt)
        return Item(record, prov=prov)

    def _payload(self, rec: RawRecord, kind: str,
                 prov: Provenance) -> tuple[bytes, str | None, str | None]:
        """(payload, format from the content type, HTTP charset); InputError when the
        record is not a page to extract."""
        if kind == "conversion":
            return rec.block, "text", "utf-8"
        block_type = rec.headers.get("content-type", "")
        if kind == "response" and block_type.lower().startswith("application/http"):
            resp = parse_response(rec.block)
            prov.http_status = resp.status
            self._check_status(resp)
            fmt = format_of_type(resp.content_type())
            return payload(resp, self.cfg.max_bytes), fmt, resp.charset()
        body = rec.block
        if is_gzip(body):
            body = payload(HttpResponse(None, "", body=body), self.cfg.max_bytes)
        return body, format_of_type(block_type), _charset_of(block_type)

    def _check_status(self, resp: HttpResponse) -> None:
        status = resp.status or 0
        if self.cfg.keep_status or 200 <= status < 300:
            return
        reason = f"HTTP {status}" + (f": {resp.reason}" if resp.reason else "")
        if 300 <= status < 400 and resp.headers.get("location"):
            reason = f"HTTP {status}: redirect to {resp.headers['location'][:200]}"
        raise InputError(reason)


def format_of_type(content_type: str) -> str | None:
    """"html" / "text" from a content type, None when the page must be sniffed;
    InputError(`not a page (...)`) for feeds and non-page types."""
    mime = content_type.split(";")[0].strip().lower()
    if mime in _HTML_TYPES:
        return "html"
    if mime in _TEXT_TYPES:
        return "text"
    if mime in _SNIFF_TYPES:
        return None
    if mime in _FEEDS:
        raise InputError(f"not a page ({_FEEDS[mime]}, content type {mime})")
    raise InputError(f"not a page (content type {content_type.strip()[:80]})")


def _charset_of(content_type: str) -> str | None:
    resp = HttpResponse(None, "", {"content-type": content_type})
    return resp.charset()


def _target_uri(rec: RawRecord) -> str | None:
    uri = rec.headers.get("warc-target-uri")
    return (uri.strip().strip("<>") or None) if uri else None


def _scheme(url: str) -> str:
    return url.split(":", 1)[0].lower()[:20] + ":"


def _is_page_uri(url: str | None, kind: str) -> bool:
    """A resource named `metadata://...` (wget's log) or a `dns:` lookup is no page."""
    if url is None or kind == "conversion":
        return True
    low = url.lower()
    return low.startswith(_PAGE_SCHEMES) or ":" not in low.split("/", 1)[0]
