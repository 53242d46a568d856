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
_NOT_CHARSETS = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape",
                           "undefined", "mbcs", "oem", "utf-7", "palmos"})

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
    """Decoded text plus how it was decoded (recorded in the Article).

    `utf8` is the input itself when it is exactly the UTF-8 encoding of
    `text` (UTF-8 or ASCII input that needed no scrubbing), else None: the
    parser reads those bytes instead of encoding the text again.
    """

    text: str
    encoding: str
    declared: str | None = None
    flags: list[str] = field(default_factory=list)
    utf8: bytes | None = None


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
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    # Python-only codecs are not charsets: bytes-to-bytes or str-to-str transforms
    # (base64, hex, zlib, rot13, quopri: `_is_text_encoding` False) and codecs that
    # decode escapes or domain names rather than text.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    name = info.name
    return "cp1252" if name in ("latin-1", "ascii") else name


# C0 controls that no text encoding of a page uses (TAB, LF, FF, CR and the
# ESC of ISO-2022 are left out), and NUL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, *range(0x0e, 0x1b), *range(0x1c, 0x20)])
_TEXT_BYTES = bytes(sorted(set(range(256)) - set(_CONTROL_BYTES)))


def sniff_binary(data: bytes) -> str | None:
    """Name of a non-text format recognised by magic bytes or control-byte density."""
    head = data[:16]
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return name
    sample = data[:4096]
    if not sample:
        return None
    if sample.count(0) > len(sample) // 10 and _wide_encoding(sample) is None:
        return "binary data"
    controls = len(sample.translate(None, _TEXT_BYTES))
    if controls > len(sample) // 20 and _wide_encoding(sample) is None:
        return "binary data"
    return None


def _wide_encoding(sample: bytes) -> str | None:
    """Guess UTF-16/32 without a BOM from where the NUL bytes fall (ASCII-heavy text)."""
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    zeros = [sample[i:n:4].count(0) for i in range(4)]
    quarter = n // 4
    mostly_zero = [z > 0.9 * quarter for z in zeros]
    if mostly_zero[1:] == [True, True, True] and zeros[0] < 0.1 * quarter:
        return "utf-32-le"
    if mostly_zero[:3] == [True, True, True] and zeros[3] < 0.1 * quarter:
        return "utf-32-be"
    odd, even = sample[1:n:2].count(0), sample[0:n:2].count(0)
    half = n // 2
    if odd > 0.7 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.7 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def _wide_text(sample: bytes) -> str | None:
    """UTF-32/16 without a BOM for text with few ASCII characters (CJK).

    Only asked about bytes that look binary (many NUL or control bytes, which
    UTF-16 CJK text has): the sample must decode strictly and read as text.
    ASCII pages are never asked: read as UTF-16 they also look like CJK.
    """
    for codec in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        unit = 4 if "32" in codec else 2
        try:
            text = sample[: len(sample) - len(sample) % unit].decode(codec)
        except UnicodeDecodeError:
            continue
        readable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
        if text and readable >= 0.95 * len(text):
            return codec
    return None


def declared_charset(data: bytes, http_charset: str | None = None) -> str | None:
    """The charset a browser would take from HTTP, else from a <meta> prescan."""
    if http_charset and normalise_label(http_charset):
        return normalise_label(http_charset)
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    return normalise_label(match.group(1).decode("ascii", "ignore")) if match else None


def decode_bytes(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode page bytes to scrubbed str (`scrub`); raise InputError for binary content.

    The scrub is skipped when the bytes show it has nothing to do (UTF-8 or
    ASCII without control bytes or U+FFFE/U+FFFF): a byte scan costs a tenth
    of the regex over the text.
    """
    decoded = _decode(data, http_charset)
    text = decoded.text
    if not ((data.isascii() or decoded.encoding == "utf-8") and _clean_bytes(data)
            and "\ufffe" not in text and "\uffff" not in text):
        decoded.text = scrub(text)
        decoded.utf8 = None
    return decoded


def _clean_bytes(data: bytes) -> bool:
    """No C0 control (but TAB, LF, CR) and no DEL among the bytes.

    One memchr per such byte (`int in bytes`): 30 vectorised scans of a clean
    page cost half of mapping every byte through a table and looking for a 0
    (`translate` then `in`), itself three times faster than deleting bytes with
    `translate(None, ...)`. U+FFFE/U+FFFF are looked for in the text, where a
    one-character search is cheaper than a three-byte one.
    """
    return not any(map(data.__contains__, _SCRUBBED_BYTES))


def _decode(data: bytes, http_charset: str | None) -> Decoded:
    """Decode page bytes to str; raise InputError for binary content.

    `flags` say how: "bom", "no-bom-wide", "declared=<codec>" (what HTTP or
    <meta> claimed), "declared-charset-ignored" (valid UTF-8 under another
    label), "mixed-encoding" (UTF-8 with stray single-byte runs),
    "detected", "declared-charset-wrong".
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            declared = declared_charset(data[len(bom):len(bom) + _PRESCAN_BYTES], http_charset)
            return _decoded(data[len(bom):].decode(name, "replace"), name, declared, ["bom"])
    binary = sniff_binary(data)
    if binary:
        wide = None if binary != "binary data" else _wide_text(data[:4096])
        if wide is None:
            raise InputError(f"not html: looks like {binary}")
        return _decoded(data.decode(wide, "replace"), wide, None, ["no-bom-wide"])
    wide = _wide_encoding(data[:4096])
    if wide:
        return _decoded(data.decode(wide, "replace"), wide, None, ["no-bom-wide"])
    declared = declared_charset(data, http_charset)
    if data.isascii():
        decoded = _decoded(data.decode("ascii"), declared or "utf-8", declared, [])
        decoded.utf8 = data
        return decoded
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_not_utf8(data, declared)
    ignored = [] if declared in (None, "utf-8") else ["declared-charset-ignored"]
    decoded = _decoded(text, "utf-8", declared, ignored)
    decoded.utf8 = data
    return decoded


def _decoded(text: str, encoding: str, declared: str | None, flags: list[str]) -> Decoded:
    """A Decoded whose names are the web's (WHATWG labels that Python's
    codecs also accept), so records say "windows-1252", not "cp1252"."""
    declared = web_name(declared) if declared else None
    if declared:
        flags = [*flags, f"declared={declared}"]
    return Decoded(text, web_name(encoding), declared, flags)


# Python codec name -> WHATWG encoding label (https://encoding.spec.whatwg.org/#names-and-labels).
_WEB_NAMES = {"cp866": "ibm866", "euc_jp": "euc-jp", "euc_kr": "euc-kr",
              "iso2022_jp": "iso-2022-jp", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be",
              "utf-32-le": "utf-32le", "utf-32-be": "utf-32be", "mac-roman": "macintosh",
              "mac-cyrillic": "x-mac-cyrillic"}


def web_name(codec: str) -> str:
    """The WHATWG label of a Python codec name ("cp1252" -> "windows-1252")."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return codec
    if name.startswith("cp125"):
        web = "windows-" + name[2:]
    elif name.startswith("iso8859-"):
        web = "iso-8859-" + name[len("iso8859-"):]
    else:
        web = _WEB_NAMES.get(name, name)
    try:  # only labels Python decodes with too ("windows-874" is not one)
        return web if codecs.lookup(web).name == name else name
    except LookupError:
        return name


def _decode_not_utf8(data: bytes, declared: str | None) -> Decoded:
    """Bytes that are not clean UTF-8: mixed, declared legacy, or unknown."""
    share = _utf8_valid_share(data[:_SHARE_SAMPLE_BYTES])
    if share >= _CLEARLY_UTF8:
        return _mixed(data, declared)
    legacy, flags = declared, []
    if declared and declared != "utf-8":
        text = data.decode(declared, "replace")
        if _replacement_share(text) >= 0.01:
            legacy = None
    if not legacy or legacy == "utf-8":
        legacy = _detect(data)
        flags = ["detected"] + (["declared-charset-wrong"] if declared else [])
    if share >= _MAYBE_UTF8 and _mixed_reads_better(data, legacy):
        return _mixed(data, declared)
    return _decoded(data.decode(legacy, "replace"), legacy, declared, flags)


def _mixed(data: bytes, declared: str | None) -> Decoded:
    """UTF-8 with stray bytes read as windows-1252, or replaced when there
    are too many to repair one Python call each (bounded time)."""
    if _undecodable_count(data) > _MAX_REPAIRS:
        return _decoded(data.decode("utf-8", "replace"), "utf-8", declared, ["mixed-encoding"])
    text = data.decode("utf-8", _CP1252_FALLBACK)
    return _decoded(text, "utf-8", declared, ["mixed-encoding"])


# Stray-byte repairs done by the Python error handler (~10 us each): beyond,
# U+FFFD in C. Real mixed pages have a few hundred at most.
_MAX_REPAIRS = 20_000


def _undecodable_count(data: bytes) -> int:
    return data.decode("utf-8", "replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")


def _mixed_reads_better(data: bytes, legacy: str) -> bool:
    """Does UTF-8 (stray bytes as windows-1252) read better than `legacy`?

    Legacy CJK text forms valid UTF-8 pairs by accident (up to a third of its
    non-ASCII bytes, measured on re-encoded corpus pages), so the share alone
    cannot decide; the decoding with fewer implausible words does. Malformed
    UTF-8 forms speak for UTF-8 (their U+FFFD is the intended result).
    """
    sample = text_sample(data, _WORD_CHECK_BYTES)
    malformed = len(_MALFORMED_UTF8.findall(sample))
    as_mixed = implausible_words(sample.decode("utf-8", _CP1252_FALLBACK)) - 3 * malformed
    return as_mixed < implausible_words(sample.decode(legacy, "replace"))


# Share of valid multi-byte UTF-8 characters (among non-ASCII units, see
# `_utf8_valid_share`) at or above which bytes that are not clean UTF-8 are
# UTF-8 with stray single-byte runs; below `_MAYBE_UTF8` they are legacy;
# between, `_mixed_reads_better` decides. Measured on corpus pages
# re-encoded to legacy encodings: single-byte ones stay below 0.07, CJK ones
# reach 0.36.
_CLEARLY_UTF8 = 0.9
_MAYBE_UTF8 = 0.05
_SHARE_SAMPLE_BYTES = 1_000_000  # bounds the regex scan on huge pages


def _utf8_valid_share(data: bytes) -> float:
    """Valid multi-byte UTF-8 characters / (those + undecodable bytes).

    Overlong and surrogate forms count as UTF-8 evidence: only a UTF-8
    writer (a buggy or malicious one) produces them.
    """
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd")
    bad = replaced - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    valid = non_ascii - replaced + sum(len(m) for m in _MALFORMED_UTF8.findall(data))
    return min(1.0, valid / max(1, valid + bad))


def _replacement_share(text: str) -> float:
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text.count("\ufffd") / max(1, non_ascii)


# UTF-8-shaped sequences that are not UTF-8 (RFC 3629 section 3): overlong
# forms (C0/C1 leads, E0 80-9F, F0 80-8F), UTF-16 surrogates (ED A0-BF),
# beyond U+10FFFF (F4 90-BF, F5-FF leads). Replaced by U+FFFD, never read as
# windows-1252, so b"\xc0\xaf" cannot become "/" nor "À¯".
_MALFORMED_UTF8 = re.compile(
    rb"(?:[\xc0\xc1\xf5-\xff][\x80-\xbf]|\xe0[\x80-\x9f]|\xed[\xa0-\xbf]|\xf0[\x80-\x8f]"
    rb"|\xf4[\x90-\xbf])[\x80-\xbf]{0,4}"
)


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: undecodable UTF-8 bytes are read as windows-1252.

    windows-1252 is the usual other half of a mixed page (a UTF-8 template
    around a legacy database field); its five unassigned bytes give U+FFFD,
    and so do malformed UTF-8 forms (`_MALFORMED_UTF8`).
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    malformed = _MALFORMED_UTF8.match(exc.object, exc.start)
    if malformed:
        return "\ufffd", malformed.end()
    bad = exc.object[exc.start:exc.end]
    return bytes(bad).decode("cp1252", "replace"), exc.end


_CP1252_FALLBACK = "copydesk-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)

# Legacy encodings a detector may answer, most used on the web first (W3Techs
# "Usage statistics of character encodings for websites"); ties go to the
# earlier one. DOS and Mac code pages are left out: browsers never guess them.
_WEB_ENCODINGS = ("cp1252", "cp1251", "shift_jis", "gb18030", "euc_kr", "euc_jp", "cp1250",
                  "big5", "iso8859_2", "cp1254", "cp1256", "cp874", "cp1253", "cp1255",
                  "cp1257", "cp1258", "koi8_r", "koi8_u", "cp866", "iso2022_jp")
_RANK = {name: i for i, name in enumerate(_WEB_ENCODINGS)}
_SAMPLE_BYTES = 32768
_SCAN_BYTES = 4_000_000
# A candidate within `_SCORE_MARGIN` of the best one is as good; the more used
# encoding wins (charset-normalizer alone often prefers cp1250 for cp1252 text).
# Score = chaos - weight * language coherence: a decoding no language
# recognises (coherence 0) loses to a slightly messier one in a known language
# (English pages whose few curly quotes cp1251 reads as Cyrillic letters).
_COHERENCE_WEIGHT = 0.2
# charset-normalizer drops candidates above this mess ratio (its default, 0.2,
# dropped every candidate for short Polish ISO-8859-2 samples).
_MAX_CHAOS = 0.5
_SCORE_MARGIN = 0.02
_CHAOS_CUTOFF = 0.2  # candidates this much messier than the best are not checked


def text_sample(data: bytes, limit: int = _SAMPLE_BYTES) -> bytes:
    """Text runs between tags that carry non-ASCII bytes, up to `limit` bytes.

    The head of a page is mostly ASCII markup and script, so a prefix tells a
    detector little; the runs holding the high bytes are what it must judge.
    """
    out = bytearray()
    for piece in data[:_SCAN_BYTES].split(b"<"):
        if piece.isascii():
            continue
        _tag, closed, rest = piece.partition(b">")
        out += (rest if closed else piece)[:limit - len(out)] + b" "
        if len(out) >= limit:
            break
    return bytes(out)


def _detect(data: bytes) -> str:
    """Statistical guess on a bounded sample; windows-1252 when unsure.

    charset-normalizer ranks candidates by chaos and language coherence; a
    word-shape check (`implausible_words`) first drops decodings that glue
    scripts together, which it tolerates ("Ьber" for "über").
    """
    from charset_normalizer import from_bytes

    sample = text_sample(data)
    options: list[tuple[float, float, str]] = []
    for match in from_bytes(sample, cp_isolation=list(_WEB_ENCODINGS), threshold=_MAX_CHAOS):
        for name in match.could_be_from_charset:  # codecs giving the same text
            if name in _RANK:
                options.append((match.chaos, match.coherence, name))
    if not options:
        return "cp1252"
    least_chaos = min(o[0] for o in options)
    options = _plausible([o for o in options if o[0] <= least_chaos + _CHAOS_CUTOFF], sample)
    score = {o: o[0] - _COHERENCE_WEIGHT * o[1] for o in options}
    best_score = min(score.values())
    near = [o for o in options if score[o] <= best_score + _SCORE_MARGIN]
    best = min(near, key=lambda o: _RANK[o[2]])[2]
    return normalise_label(best) or "cp1252"


_Option = tuple[float, float, str]  # (chaos, coherence, codec) from charset-normalizer


def _plausible(options: list[_Option], sample: bytes) -> list[_Option]:
    """The options whose decoding has (nearly) the fewest implausible words."""
    head = sample[:_WORD_CHECK_BYTES]
    bad = {name: implausible_words(head.decode(name, "replace")) for _c, _h, name in options}
    fewest = min(bad.values())
    return [o for o in options if bad[o[2]] <= fewest * 1.2 + 2]


_WORD_CHECK_BYTES = 8192
_WORD = re.compile(r"\w+")
_C1_OR_BAD = re.compile("[\x80-\x9f\ufffd]")
# A UTF-8 lead byte then a continuation byte, both read as windows-1252:
# "Ã©" for "é", "â€™" for "’" (the classic mojibake).
# A Latin-1 symbol between two letters: "Za¿ó³æ" (Polish cp1250 read as
# cp1252), "gê¶l±" (ISO-8859-2). The ordinals ª º and the Catalan middle dot
# are letters' neighbours in real text, so they are left out.
_SYMBOL_IN_WORD = re.compile(
    "(?<=[^\\W\\d_])[\u00a1-\u00a9\u00ab-\u00b6\u00b8\u00b9\u00bb-\u00bf](?=[^\\W\\d_])")
_UTF8_AS_CP1252 = re.compile(
    "[\u00c2-\u00f4][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _letter_class(char: str) -> int:
    """0 ASCII letter, 1 other Latin letter, 2 letter of another script, 3 not a letter."""
    code = ord(char)
    if code < 0x80:
        return 0 if char.isalpha() else 3
    if not char.isalpha():
        return 3
    return 1 if code <= 0x24F or 0x1E00 <= code <= 0x1EFF else 2


def implausible_words(text: str) -> int:
    """Count words no language writes: scripts glued together ("cafй", "Ьber"),
    runs of accented Latin with no plain letter ("Ïðèâåò", cp1251 read as
    cp1252), UTF-8 read as windows-1252 ("cafÃ©"), symbols inside words
    ("Za¿ó³æ"), plus C1 controls and U+FFFD (bytes the codec has no letter
    for)."""
    count = (3 * len(_C1_OR_BAD.findall(text)) + len(_UTF8_AS_CP1252.findall(text))
             + len(_SYMBOL_IN_WORD.findall(text)))
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        classes = {_letter_class(c) for c in word}
        glued = 2 in classes and (0 in classes or 1 in classes)
        all_accented = classes <= {1, 3} and 1 in classes and len(word) >= 3
        count += glued or all_accented
    return count


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# The bytes `scrub` removes (C0 controls but TAB, LF, CR; DEL), for `_clean_bytes`.
_SCRUBBED_BYTES = (*(b for b in range(0x20) if b not in b"\t\n\r"), 0x7f)


def scrub(text: str) -> str:
    """Drop NUL and other C0 controls, non-characters and lone surrogates.

    They break JSON, Parquet and terminals and never carry article text.
    """
    return _CONTROL.sub("", text)
