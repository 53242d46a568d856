"""Metadata entry points: from_html, from_text, finish.

Reading and choosing are separate: the readers (html_meta, html_ld,
html_dom, text_dump) only add candidates; `reconcile` picks one value per
field by the order of trust in `trust.py`. Nothing here raises: a reader
that fails on hostile input is noted in the candidates and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from copydesk.blocks import Block
from copydesk.metadata import (
    date_scan,
    dates,
    headline,
    html_dom,
    html_ld,
    html_meta,
    html_nodes,
    reconcile,
    script_dates,
    text_dump,
)
from copydesk.metadata.agencies import agency_credit
from copydesk.metadata.html_nodes import PageNodes
from copydesk.metadata.language import identify
from copydesk.metadata.model import Metadata
from copydesk.metadata.people import parse_byline
from copydesk.metadata.title import norm, site_keys, site_segment
from copydesk.normalize import host_of
from copydesk.options import Options

# Sources that name a title better than <title> and the h1 (see trust.py).
_TITLE_KINDS = frozenset({"jsonld", "dctitle", "og", "analytics", "meta", "microdata"})


def from_html(
    tree: Any, url: str | None, options: Options, blocks: list[Block] | None = None
) -> Metadata:
    """Every source an HTML page offers, reconciled.

    The machine-written sources (JSON-LD, head tags), microdata, <time> and
    the h1 are always read, from the elements one shared query finds
    (`html_nodes.PageNodes`); each other DOM reader (its own tree walk,
    ~0.1-0.5 ms) runs only when the fields it feeds are still missing, since
    by the order of trust it could not change a field that a better source
    already filled. `blocks`
    (the segmented page, with the classifier's decisions) place the headings
    relative to the body, for pages without a structured headline.
    """
    meta = Metadata(date_crawled=options.date_crawled)
    ref = dates.reference_day(meta.date_crawled)
    notes: list[str] = []
    ld_texts: list[str] = []
    nodes = _collect(tree, meta)
    _safely(_read_head, nodes, meta, ld_texts)
    _safely(html_ld.read_jsonld, ld_texts, meta, notes)
    _safely(html_dom.read_microdata, nodes, meta)
    # Dates: every source is read (the chooser weighs them all, see date_choice)
    _safely(html_dom.read_time, nodes, meta)
    if not _has_date(meta, ref):  # five selector walks: only for pages without fields
        _safely(script_dates.read_script_dates, tree, meta)
        _safely(html_dom.read_datelines, nodes, meta)
    _safely(date_scan.read_scan, nodes, meta, ld_texts, url, blocks)
    if not _has_date(meta, ref) and not meta.candidates.get("date_seen"):
        _safely(html_dom.read_near_headline, nodes, meta)
    if _missing_people(meta, url):
        _safely(html_dom.read_bylines, nodes, meta)
        _safely(html_dom.read_post_authors, nodes, meta)
        _safely(html_dom.read_author_links, nodes, meta)
        _safely(html_dom.read_visible_byline, nodes, meta)
    _safely(html_dom.read_h1, nodes, meta)  # a vote on every page (title._visible_agreement)
    if blocks and not _has_title(meta):
        _safely(_read_headings, blocks, meta)
    if not meta.candidates.get("section"):
        _safely(html_dom.read_breadcrumbs, nodes, meta)
    if not meta.candidates.get("site_name"):
        _safely(html_dom.read_copyright, nodes, meta)
    html = nodes.root
    if html is not None and html.attributes.get("lang"):
        meta.add_candidate("declared_language", html.attributes["lang"], "meta:html-lang")
    _title_site(meta, url)
    _url_sources(meta, url)
    _image_url_dates(meta)
    for note in notes:
        meta.add_candidate("notes", note, "jsonld")
    _reconcile(meta, url)
    return meta


def _collect(tree: Any, meta: Metadata) -> PageNodes:
    """The readers' elements in one query (`html_nodes`); should it fail on
    hostile input, the readers see empty lists (noted), as their own failing
    queries left their fields empty."""
    try:
        return html_nodes.collect(tree)
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        meta.add_candidate("notes", f"collect failed: {type(exc).__name__}", "reader")
        return PageNodes(tree)


def _read_head(nodes: PageNodes, meta: Metadata, ld_texts: list[str]) -> None:
    ld_texts.extend(html_meta.read_head(nodes, meta))


def _read_headings(blocks: list[Block], meta: Metadata) -> None:
    found = headline.headings_near_body(blocks)
    for heading in found:
        meta.add_candidate("title", heading["text"], "heading",
                           distance=heading["distance"], level=heading["level"])
    if found:
        meta.outside_text = headline.outside_text(blocks)


def _has_title(meta: Metadata) -> bool:
    return any(
        c["source"].split(":", 1)[0] in _TITLE_KINDS for c in meta.candidates.get("title", [])
    )


def _has_date(meta: Metadata, ref: Any) -> bool:
    return any(
        isinstance(
            dates.parse_date(str(c["value"]), ref, timestamp_ok=c.get("timestamp", False)),
            dates.Parsed,
        )
        for c in meta.candidates.get("date_published", [])
    )


def _missing_people(meta: Metadata, url: str | None = None) -> bool:
    """True while no candidate names a person other than the site itself."""
    keys = site_keys([str(c["value"]) for c in meta.candidates.get("site_name", [])], url)
    for cand in meta.candidates.get("authors", []):
        if "rejected" in cand:
            continue
        if cand.get("organization"):
            continue  # an agency or an organisation: people may still be named in the page
        structured = cand["source"].split(":")[0] not in ("dom", "text")
        people = parse_byline(str(cand["value"]), structured, bool(cand.get("handle"))).authors
        if any(norm(p) not in keys for p in people):
            return False
    return True


def from_text(blocks: list[Block], url: str | None, options: Options) -> Metadata:
    """Headline, byline, agency, dates, section, site of a plain-text dump."""
    meta = Metadata(date_crawled=options.date_crawled)
    _safely(text_dump.read_dump, blocks, meta)
    _url_sources(meta, url)
    _reconcile(meta, url)
    return meta


def finish(meta: Metadata, body: str, options: Options) -> Metadata:
    """Language from the body; agency from a dateline credit when none yet."""
    try:
        meta.language = identify(body, meta.declared_language, meta)
        if meta.agency is None:
            meta.agency = agency_credit(body)
            if meta.agency:
                meta.add_candidate(
                    "agency",
                    meta.agency,
                    "text:body-credit",
                    chosen=True,
                    reason="credit in the body's dateline or last line",
                )
        if meta.date_published is None:
            _date_from_body_start(meta, body)
    except Exception as exc:  # metadata must never fail the page
        meta.add_candidate("notes", f"finish failed: {type(exc).__name__}", "finish")
    return meta


BODY_START_CHARS = 160  # a dateline sits in the first sentence: "WASHINGTON, Nov. 18, 2019 --"


def _date_from_body_start(meta: Metadata, body: str) -> None:
    """Last resort: a full date in the body's opening dateline."""
    found = dates.parse_date(body[:BODY_START_CHARS], dates.reference_day(meta.date_crawled))
    if isinstance(found, dates.Parsed):
        meta.date_published = found.iso
        meta.add_candidate(
            "date_published",
            found.iso,
            "text:body-start",
            chosen=True,
            reason="no date anywhere else: the body's opening dateline",
        )


def _safely(reader: Callable[..., None], *args: Any) -> None:
    try:
        reader(*args)
    except (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        IndexError,
        RecursionError,
        OverflowError,
        UnicodeError,
    ) as exc:
        meta = next(a for a in args if isinstance(a, Metadata))
        meta.add_candidate("notes", f"{reader.__name__} failed: {type(exc).__name__}", "reader")


def _title_site(meta: Metadata, url: str | None) -> None:
    """Site name from the <title>'s end segment that names the site."""
    tag = next((c for c in meta.candidates.get("title", []) if c["source"] == "title-tag"), None)
    segment = site_segment(str(tag["value"]), url) if tag else None
    if segment:
        meta.add_candidate("site_name", segment, "title-suffix")


def _url_sources(meta: Metadata, url: str | None) -> None:
    if not url:
        return
    found = dates.date_from_url(url, None)
    if isinstance(found, dates.Parsed):
        meta.add_candidate("date_published", found.iso, "url")
    host = host_of(url)
    if host:
        meta.add_candidate("site_name", host, "host")


def _image_url_dates(meta: Metadata) -> None:
    """A day in the lead image's path (/photo/2018/08/25/...): uploaded with the
    story, so a last-resort publication day (htmldate reads it too)."""
    for cand in meta.candidates.get("image", [])[:3]:
        found = dates.date_from_url(str(cand["value"]), None)
        if isinstance(found, dates.Parsed):
            meta.add_candidate("date_published", found.iso, "image-url")
            return


def _reconcile(meta: Metadata, url: str | None) -> None:
    """One value per field; a chooser that fails leaves its field empty (noted)."""
    ref = dates.reference_day(meta.date_crawled)
    _safely(_choose_site, meta)
    _safely(reconcile.choose_title_field, meta, url)
    _safely(reconcile.choose_people, meta, url)
    _safely(reconcile.choose_dates, meta, ref)
    _safely(reconcile.choose_section, meta)
    _safely(reconcile.choose_tags, meta)
    _safely(_choose_description, meta)
    _safely(reconcile.choose_urls, meta, url)
    _safely(reconcile.declared_language, meta)
    if meta.agency:
        meta.add_candidate(
            "agency", meta.agency, "byline", chosen=True, reason="wire agency in a credit"
        )


def _choose_site(meta: Metadata) -> None:
    meta.site_name = reconcile.choose_text(meta, "site_name", _site_label)


def _choose_description(meta: Metadata) -> None:
    meta.description = reconcile.choose_text(meta, "description")


def _site_label(value: str) -> str | None:
    if not value or len(value) > 100:
        return "empty or too long"
    if value.startswith("@") or value.startswith("http"):
        return "a handle or url, not a name"
    return None
