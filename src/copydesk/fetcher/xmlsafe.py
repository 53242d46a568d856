"""Feed and sitemap XML, parsed without expanding anything.

defusedxml refuses entity declarations (billion laughs, quadratic blowup) and
external entities or DTDs that would be fetched, instead of expanding them;
such a document is an error with that reason, never a source of URLs. XML
that is merely broken (a bare `&`, an unclosed tag) is recovered by
scanning for `<loc>`, `<link>` and `href` values, and the error says so.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from copydesk.fetcher.decoding import Zlib

_SCAN = re.compile(rb"<(?:\w+:)?(?:loc|link)\b[^>]*?(?:href\s*=\s*[\"']([^\"']+)[\"'])?[^>]*>"
                   rb"(?:\s*(?:<!\[CDATA\[)?\s*([^<\s]+))?", re.IGNORECASE)


class XmlRefused(ValueError):
    """The document declares entities or external resources: not parsed."""


def local(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1].lower()


def children(element: Element, name: str) -> Iterator[Element]:
    for child in element:
        if local(child.tag) == name:
            yield child


def child_text(element: Element, *names: str) -> str | None:
    for name in names:
        for child in children(element, name):
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def inflate_capped(data: bytes, cap: int) -> bytes:
    """gzip payload (a `.xml.gz` sitemap served as is) -> bytes, at most `cap`."""
    out = bytearray()
    decoder = Zlib(31)
    for piece in decoder.feed(data):
        out += piece
        if len(out) > cap:
            raise ValueError(f"gzip body inflates past {cap} bytes")
    return bytes(out)


def parse(data: bytes, cap: int) -> Element:
    """The root element; XmlRefused for entity tricks, ParseError for broken XML."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = inflate_capped(data, cap)
        except (ValueError, zlib.error) as exc:
            raise ParseError(f"bad gzip: {exc}") from None
    try:
        return safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                  forbid_external=True)
    except DefusedXmlException as exc:
        raise XmlRefused(f"refused: {type(exc).__name__} (entities are never expanded)") from None


def scan_links(data: bytes) -> list[str]:
    """URLs from `<loc>`, `<link>` text and `href` attributes of broken XML."""
    found: list[str] = []
    for match in _SCAN.finditer(data[: 64 * 1024 * 1024]):
        raw = match.group(1) or match.group(2)
        if raw and raw.lower().startswith((b"http://", b"https://", b"/")):
            found.append(raw.decode("utf-8", "replace").replace("&amp;", "&"))
    return found


def iso_date(value: str | None) -> str | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) -> ISO 8601, offset kept; None if neither."""
    if not value:
        return None
    value = value.strip()
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    if when.tzinfo is None and "GMT" in value.upper():
        when = when.replace(tzinfo=UTC)
    return when.isoformat()
