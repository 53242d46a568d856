"""Decoding: browser order (BOM, HTTP, meta, detector) and the lies of the web.

Unit cases follow the "Pages" table of ADVERSARIAL.md; the corpus tests decode
every dev-corpus page, as stored and re-encoded into the legacy encoding of
its script, with no declaration and under a lying `<meta charset=utf-8>`.
"""

from __future__ import annotations

import codecs
import collections
import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk import extract
from copydesk.decode import decode_bytes, implausible_words, normalise_label, scrub, web_name
from copydesk.errors import InputError

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

PARIS = ("La cuisine française est réputée dans le monde entier. Les crêpes, la crème "
         "brûlée et le bœuf bourguignon sont célèbres. À Paris, on trouve des boulangeries "
         "à chaque coin de rue. Déjà au Moyen Âge, la gastronomie était un art. Ça va?")
BERLIN = ("Über die Größe der Stadt müssen wir nicht streiten: Berlin ist groß, grün und "
          "hat schöne Straßen. Die Bürger äußern sich häufig über die Mieten.")
MOSCOW = "Съешь же ещё этих мягких французских булок, да выпей чаю. Москва - столица России."
TOKYO = "日本語のテキストです。東京は日本の首都で、人口が多い都市です。"


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


# --- declarations and their lies -------------------------------------------

def test_utf8_bytes_under_latin1_meta_give_right_text() -> None:
    data = page(PARIS, '<meta charset="iso-8859-1">').encode("utf-8")
    decoded = decode_bytes(data)
    assert PARIS in decoded.text
    assert decoded.encoding == "utf-8"
    assert decoded.declared == "windows-1252"
    assert "declared-charset-ignored" in decoded.flags


def test_cp1252_bytes_under_utf8_meta_give_right_text() -> None:
    data = page(PARIS + " " + BERLIN, '<meta charset="utf-8">').encode("cp1252")
    decoded = decode_bytes(data)
    assert PARIS in decoded.text and BERLIN in decoded.text
    assert decoded.encoding == "windows-1252"
    assert decoded.declared == "utf-8"
    assert "declared-charset-wrong" in decoded.flags


def test_true_legacy_declaration_is_trusted() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    data = page(MOSCOW, meta)
    decoded = decode_bytes(data.encode("cp1251"))
    assert MOSCOW in decoded.text and decoded.encoding == "windows-1251"


def test_http_charset_beats_meta() -> None:
    data = page(MOSCOW, '<meta charset="iso-8859-1">').encode("koi8-r")
    assert MOSCOW in decode_bytes(data, http_charset="KOI8-R").text


def test_bom_beats_meta() -> None:
    data = codecs.BOM_UTF16_LE + page(PARIS, '<meta charset="utf-8">').encode("utf-16-le")
    decoded = decode_bytes(data)
    assert PARIS in decoded.text
    assert decoded.encoding == "utf-16le" and "bom" in decoded.flags


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [PARIS, TOKYO * 4])
def test_wide_encodings_without_bom(codec: str, text: str) -> None:
    """ASCII-heavy pages by where NULs fall; CJK ones (few NULs, many
    control-range bytes) by a strict decode that reads as text."""
    for html in (page(text), text):
        decoded = decode_bytes(html.encode(codec))
        assert text in decoded.text
        assert decoded.encoding == codec.replace("-le", "le").replace("-be", "be")
        assert "no-bom-wide" in decoded.flags


@pytest.mark.parametrize("label", ["utf-7", "x-user-defined", "no-such-charset", "\x00\xff",
                                   "utf-16"])
def test_bogus_labels_fall_back(label: str) -> None:
    data = page(BERLIN, f'<meta charset="{label}">').encode("utf-8")
    decoded = decode_bytes(data)
    assert BERLIN in decoded.text and decoded.encoding == "utf-8"
    assert normalise_label(label) is None


def test_utf7_label_does_not_decode_as_utf7() -> None:
    data = b'<meta charset="utf-7"><p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>'
    assert "<script>" not in decode_bytes(data).text


def test_mixed_utf8_and_cp1252_is_repaired_and_flagged() -> None:
    data = page(PARIS).encode("utf-8") + page(BERLIN).encode("cp1252")
    decoded = decode_bytes(data)
    assert PARIS in decoded.text and BERLIN in decoded.text
    assert decoded.encoding == "utf-8" and "mixed-encoding" in decoded.flags


def test_mixed_with_unassigned_cp1252_bytes_gives_replacement_char() -> None:
    data = page(PARIS).encode("utf-8") + b"<p>x\x81y</p>"
    decoded = decode_bytes(data)
    assert "x\ufffdy" in decoded.text and "mixed-encoding" in decoded.flags


@pytest.mark.parametrize("bad", [b"\xc0\xaf", b"\xed\xa0\x80", b"\xe0\x80\xaf",
                                 b"\xf8\x88\x80\x80\xaf"])
def test_overlong_and_surrogate_utf8_replaced(bad: bytes) -> None:
    for context in (b"<p>a", page(PARIS).encode("utf-8") + b"<p>a"):
        decoded = decode_bytes(context + bad + b"b</p>")
        tail = decoded.text[decoded.text.rindex("<p>"):]
        assert "/" not in tail.replace("</p>", "")
        assert tail.startswith("<p>a\ufffd") and tail.endswith("b</p>"), tail
        assert not any(ch in tail for ch in "À¯í")


@pytest.mark.parametrize(("text", "codec"), [
    (PARIS, "cp1252"), (BERLIN, "cp1252"), (MOSCOW, "cp1251"), (MOSCOW, "koi8-r"),
    (TOKYO, "shift_jis"), (TOKYO, "euc-jp"),
    ("中华人民共和国是一个位于东亚的国家。北京是首都，上海是最大的城市。", "gb18030"),
    ("대한민국은 동아시아에 있는 나라이다. 서울은 수도이며 가장 큰 도시이다.", "euc-kr"),
    ("Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig. Żółw zjadł ćmę.", "cp1250"),
    ("Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Η ελληνική γλώσσα είναι πολύ όμορφη.", "cp1253"),
    ("Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig. Warszawa jest stolicą.",
     "iso8859-2"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Čeština je krásný jazyk, řekl učitel.", "cp1250"),
    ("עטלף אבק נס דרך מזגן שהתפוצץ כי חם. ירושלים היא עיר הבירה של ישראל.", "cp1255"),
    ("نص حكيم له سر قاطع وذو شأن عظيم مكتوب على ثوب أخضر. القاهرة هي عاصمة مصر.", "cp1256"),
    ("เป็นมนุษย์สุดประเสริฐเลิศคุณค่า กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย", "cp874"),
    ("台灣是一個位於東亞的島嶼，首都是台北市。這裡的夜市和美食非常有名。", "big5"),
])
def test_detector_without_declaration(text: str, codec: str) -> None:
    decoded = decode_bytes(page((text + " ") * 6).encode(codec))
    assert text in decoded.text, (decoded.encoding, decoded.text[:200])
    assert "detected" in decoded.flags


@pytest.mark.parametrize(("codec", "label"), [
    ("cp1252", "windows-1252"), ("latin2", "iso-8859-2"), ("euc_jp", "euc-jp"),
    ("koi8_r", "koi8-r"), ("utf-16-le", "utf-16le"), ("cp866", "ibm866"), ("cp874", "cp874"),
    ("shift_jis", "shift_jis"),
])
def test_encodings_are_reported_by_web_label(codec: str, label: str) -> None:
    assert web_name(codec) == label
    assert codecs.lookup(label).name == codecs.lookup(codec).name  # still decodes


def test_implausible_words_catch_glued_scripts() -> None:
    assert implausible_words(BERLIN) == 0
    assert implausible_words(MOSCOW) == 0
    assert implausible_words(BERLIN.encode("cp1252").decode("cp1251")) > 3
    assert implausible_words(MOSCOW.encode("cp1251").decode("cp1252")) > 3


# --- binary, empty, controls ---------------------------------------------

@pytest.mark.parametrize(("data", "what"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x1f\x8b\x08\x00" + b"\x00" * 64, "gzip"),
    (bytes(4096), "binary"),
])
def test_binary_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(InputError, match=what):
        decode_bytes(data)
    article = extract(data)
    assert str(article.status) == "error" and article.error
    # extract() inflates gzip first: these bytes are not a valid stream
    assert article.error.startswith("corrupt gzip" if what == "gzip" else "not html")


def test_clean_utf8_bytes_skip_the_scrub_but_dirty_ones_do_not() -> None:
    pad = "<p>" + "word " * 40
    assert decode_bytes((pad + "a\x0cb\x7fc\td\r\n").encode()).text.endswith("abc\td\r\n")
    assert decode_bytes((pad + "x\ufffey\uffffz").encode()).text.endswith("xyz")
    assert decode_bytes((pad + "\u00e9t\u00e9\x01").encode("cp1252")).text.endswith("été")


def test_control_characters_survive_json() -> None:
    nasty = "a\x00b\x01c\x1fd\x7fe\ufffef\uffffg\ud800h\udfffi"
    assert scrub(nasty) == "abcdefghi"
    html = (f"<html><head><title>T{nasty}</title><meta name=description content='{nasty}'>"
            f"</head><body><article><h1>Head{nasty}</h1><p>{nasty} {PARIS}</p>"
            f"<p><img alt='{nasty}'>{BERLIN}</p></article></body></html>")
    for content in (html, html.encode("utf-8", "surrogatepass")):
        article = extract(content, explain=True)
        line = json.dumps(article.to_dict(), ensure_ascii=False)
        line.encode("utf-8")  # raises on lone surrogates
        assert "\x00" not in line and "\\u0000" not in line
        assert not any(ch in line for ch in "\x01\x1f\x7f\ufffe\uffff")
        assert "Paris" in article.text


_PIECES = st.sampled_from([
    b"<p>", b"<meta charset=utf-8>", b"<meta charset=latin1>", b"caf\xc3\xa9 ", b"caf\xe9 ",
    b"\xc0\xaf", b"\xed\xa0\x80", b"\x00", b"\x1b$B", b"\xef\xbf\xbe", b"\x82\xa0", b"\xa4\xa2",
    codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"text ",
])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(_PIECES, max_size=60) | st.lists(st.binary(max_size=40), max_size=20))
def test_any_bytes_decode_to_clean_utf8_or_refuse(parts: list[bytes]) -> None:
    data = b"".join(parts)
    try:
        decoded = decode_bytes(data)
    except InputError as exc:
        assert str(exc).startswith("not html")
        return
    decoded.text.encode("utf-8")  # no lone surrogate
    assert scrub(decoded.text) == decoded.text
    assert codecs.lookup(decoded.encoding)
    assert decoded.utf8 is None or decoded.utf8 == decoded.text.encode("utf-8")


@pytest.mark.parametrize("byte", range(256))
def test_every_byte_is_scrubbed_exactly_when_scrub_drops_it(byte: int) -> None:
    pad = "<p>" + "mot " * 40 + "été "  # UTF-8, not ASCII
    data = pad.encode() + b"a" + bytes([byte]) + b"b"
    decoded = decode_bytes(data)
    expected = scrub(data.decode("utf-8", "replace"))
    if decoded.encoding == "utf-8" and byte < 0x80:
        assert decoded.text == expected
        assert (decoded.utf8 == data) == (expected == data.decode())


def test_utf8_bytes_are_handed_to_the_parser_only_when_they_are_the_text() -> None:
    text = "<p>café 中文 😀</p>"
    assert decode_bytes(text.encode()).utf8 == text.encode()
    assert decode_bytes(b"<p>plain ascii</p>").utf8 == b"<p>plain ascii</p>"
    assert decode_bytes(codecs.BOM_UTF8 + text.encode()).utf8 is None
    assert decode_bytes(text.encode("utf-8") + b"\x00").utf8 is None
    assert decode_bytes("<p>café crème brûlée</p>".encode("cp1252")).utf8 is None


# --- every corpus page ----------------------------------------------------

_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€|Â[\u00a0-\u00bf]")


def corpus_pages() -> Iterator[tuple[str, bytes]]:
    if not CORPORA.is_dir():
        return
    for path in sorted((CORPORA / "aeb" / "html").glob("*.html.gz")):
        yield f"aeb/{path.name[:12]}", gzip.decompress(path.read_bytes())
    for path in sorted((CORPORA / "readability" / "pages").glob("*/source.html")):
        yield f"readability/{path.parent.name}", path.read_bytes()
    for path in sorted((CORPORA / "newspaper4k" / "html").glob("*.html")):
        yield f"newspaper4k/{path.name}", path.read_bytes()


needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(),
                                   reason=f"dev corpora not found at {CORPORA}")


@needs_corpora
def test_corpus_pages_decode_without_mojibake() -> None:
    """As stored (all UTF-8, one under a stale gb2312 meta): no mojibake
    marker and no U+FFFD the source does not carry itself, outside scripts,
    styles and comments (two pages carry mojibake in a script comment)."""
    pages = list(corpus_pages())
    assert len(pages) >= 300
    bad = {}
    for name, data in pages:
        text = _HIDDEN.sub("", decode_bytes(data).text)
        markers = len(MOJIBAKE.findall(text))
        replacement = text.count("\ufffd") - data.count("\ufffd".encode())
        if markers or replacement > 0:
            bad[name] = (markers, replacement)
    assert not bad


_SCRIPT_CODEC = (("CJK", "gbk"), ("HIRAGANA", "shift_jis"), ("KATAKANA", "shift_jis"),
                 ("HANGUL", "euc-kr"), ("CYRILLIC", "cp1251"), ("ARABIC", "cp1256"),
                 ("GREEK", "cp1253"), ("THAI", "cp874"), ("HEBREW", "cp1255"))
_META = re.compile(rb"<meta[^>]{0,512}?charset[^>]{0,512}>", re.IGNORECASE)


def legacy_codec(text: str) -> str | None:
    """The legacy encoding a site in the page's main script would have used."""
    non_ascii = re.sub("[\x00-\x7f]+", "", text)
    letters = {c: n for c, n in collections.Counter(non_ascii).items() if c.isalpha()}
    if not letters:
        return "cp1252" if not text.isascii() else None
    scripts: collections.Counter[str] = collections.Counter()
    for char, count in letters.items():
        name = unicodedata.name(char, "")
        codec = next((c for key, c in _SCRIPT_CODEC if name.startswith(key)), "cp1252")
        scripts[codec] += count
    return "shift_jis" if scripts["shift_jis"] else scripts.most_common(1)[0][0]


def reencoding_survey(step: int = 1, lie_every: int = 1) -> tuple[int, int, list[tuple[str, str]]]:
    """Re-encode every `step`-th corpus page into its script's legacy encoding
    (characters it lacks as character references), remove the declaration,
    decode; every `lie_every`-th page also under `<meta charset=utf-8>`.
    Returns (exact, wrong, misses)."""
    right = wrong = 0
    misses = []
    for index, (name, data) in enumerate(list(corpus_pages())[::step]):
        text = data.decode("utf-8-sig", "replace")
        codec = legacy_codec(text)
        if codec is None:
            continue
        legacy = _META.sub(b"", text.encode(codec, "xmlcharrefreplace"))
        want = legacy.decode(codec)
        for prefix in (b"", b'<meta charset="utf-8">')[: 2 if index % lie_every == 0 else 1]:
            got = decode_bytes(prefix + legacy).text[len(prefix):]
            if got == want:
                right += 1
            else:
                wrong += 1
                misses.append((name, codec))
    return right, wrong, misses


@needs_corpora
def test_corpus_pages_reencoded_to_legacy_encodings() -> None:
    """The text must come back exactly from legacy bytes, without and under a
    lying declaration. A third of the pages keeps the test fast; the full
    run is `python tests/test_decode.py` (figures in docs/robustness.md)."""
    right, wrong, misses = reencoding_survey(step=3, lie_every=3)
    assert right + wrong >= 120
    # Measured 2026-11-26 on all 300 non-ASCII pages, both ways: 572 of 600
    # exact (95.3%; foundation decoder 60.3%); the misses are Portuguese read
    # as cp1250, English pages with a few Arabic or Cyrillic words, very
    # short samples.
    assert right / (right + wrong) >= 0.9, misses


if __name__ == "__main__":
    exact, wrong, missed = reencoding_survey()
    print(f"re-encoded corpus pages decoded exactly: {exact} of {exact + wrong} "
          f"({exact / (exact + wrong):.1%})")
    for miss in sorted(set(missed)):
        print("  missed:", *miss)
