"""Bytes -> str, decided the way browsers decide, with the lies of the web in mind.

Order (WHATWG "encoding sniffing", https://html.spec.whatwg.org/#encoding-sniffing-algorithm):
1. a byte order mark wins over everything;
2. the HTTP charset, then a `<meta charset>` found in the first bytes;
3. otherwise a statistical detector (charset-normalizer).

Two deliberate departures, because scraped pages lie more than live ones:
- bytes that are valid UTF-8 (and not plain ASCII) are decoded as UTF-8 even
  under a single-byte declaration: the chance that real cp1252 text is also
  valid multi-byte UTF-8 is negligible, while "UTF-8 page, stale latin-1 meta"
  is common;
- a UTF-8 declaration on bytes that are not UTF-8 falls to the detector
  instead of filling the page with U+FFFD, unless most of it is UTF-8 (mixed
  encodings), where U+FFFD marks only the broken bytes.
WHATWG label rules apply: latin-1/ascii labels mean windows-1252, and
utf-7 or x-user-defined are ignored as unsafe.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from copydesk.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16LE: it starts the same
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG maps these labels to windows-1252; Python would decode them strictly.
_AS_CP1252 = frozenset({"latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1", "ascii",
                        "us-ascii", "iso_8859-1", "cp819", "ibm819", "windows-1252"})
_UNSAFE = frozenset({"utf-7", "utf7", "x-user-defined", "utf-32", "utf-16"})

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]{1,40})""", re.IGNORECASE
)
_PRESCAN_BYTES = 4096

# Magic numbers of formats that are never pages.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x01\x00", "ICO image"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\x7fELF", "ELF binary"),
)


@dataclass(slots=True)
class Decoded:
    """Decoded text plus how it was decoded (recorded in the Article)."""

    text: str
    encoding: str
    declared: str | None = None
    flags: list[str] = field(default_factory=list)


def normalise_label(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None if unusable."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _UNSAFE:
        return None
    if label in _AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in ("latin-1", "ascii") else name


def sniff_binary(data: bytes) -> str | None:
    """Name of a non-text format recognised by magic bytes or NUL density."""
    head = data[:16]
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return name
    sample = data[:4096]
    if sample and sample.count(0) > len(sample) // 10 and _wide_encoding(sample) is None:
        return "binary data"
    return None


def _wide_encoding(sample: bytes) -> str | None:
    """Guess UTF-16/32 without a BOM from where the NUL bytes fall (ASCII-heavy text)."""
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    zeros = [sample[i:n:4].count(0) for i in range(4)]
    quarter = n // 4
    if zeros[1] > 0.9 * quarter and zeros[2] > 0.9 * quarter and zeros[3] > 0.9 * quarter:
        return "utf-32-le"
    if zeros[0] > 0.9 * quarter and zeros[1] > 0.9 * quarter and zeros[2] > 0.9 * quarter:
        return "utf-32-be"
    odd, even = sample[1:n:2].count(0), sample[0:n:2].count(0)
    half = n // 2
    if odd > 0.7 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.7 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def declared_charset(data: bytes, http_charset: str | None = None) -> str | None:
    """The charset a browser would take from HTTP, else from a <meta> prescan."""
    if http_charset and normalise_label(http_charset):
        return normalise_label(http_charset)
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    return normalise_label(match.group(1).decode("ascii", "ignore")) if match else None


def decode_bytes(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode page bytes to str; raise InputError for binary content."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(name, "replace"), name, None, ["bom"])
    wide = _wide_encoding(data[:4096])
    if wide:
        return Decoded(data.decode(wide, "replace"), wide, None, ["no-bom-wide"])
    binary = sniff_binary(data)
    if binary:
        raise InputError(f"not html: looks like {binary}")
    declared = declared_charset(data, http_charset)
    if data.isascii():
        return Decoded(data.decode("ascii"), declared or "utf-8", declared)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", declared,
                       [] if declared in (None, "utf-8") else ["declared-charset-ignored"])
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf-8":
        return Decoded(data.decode(declared, "replace"), declared, declared)
    return _decode_undeclared_or_lying(data, declared)


def _decode_undeclared_or_lying(data: bytes, declared: str | None) -> Decoded:
    """No usable declaration, or a UTF-8 one the bytes contradict."""
    broken = _utf8_error_share(data)
    if broken < 0.02:  # mostly UTF-8: a few stray bytes (mixed encodings)
        return Decoded(data.decode("utf-8", "replace"), "utf-8", declared, ["mixed-encoding"])
    guess = _detect(data)
    flags = ["detected"] + (["declared-charset-wrong"] if declared else [])
    return Decoded(data.decode(guess, "replace"), guess, declared, flags)


def _utf8_error_share(data: bytes) -> float:
    """Share of non-ASCII bytes that do not form valid UTF-8."""
    sample = data[:200_000]
    bad = sample.decode("utf-8", "replace").count("\ufffd")
    high = len(sample.translate(None, bytes(range(0x80)))) or 1
    return min(1.0, bad / high)


def _detect(data: bytes) -> str:
    """Statistical guess on a bounded sample; windows-1252 when unsure."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], steps=4, chunk_size=512).best()
    name = normalise_label(best.encoding) if best is not None else None
    return name or "cp1252"


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def scrub(text: str) -> str:
    """Drop NUL and other C0 controls, non-characters and lone surrogates.

    They break JSON, Parquet and terminals and never carry article text.
    """
    return _CONTROL.sub("", text)
