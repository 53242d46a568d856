"""The text-mode dev set: HTML corpus pages flattened to text, gold = the same bodies.

Pages come from `../shared/corpora` (AEB, Mozilla Readability, newspaper4k;
see its README); each is flattened by several independent HTML-to-text
tools (inscriptis, html-text, resiliparse's plain-text mode), because a
text dump's layout depends on the tool that made it. Gold is the corpus's
article body, unchanged. Lines are labelled for training by where the gold
body's 4-token shingles (the AEB metric's unit) fall in the page's token
stream: a line is body when most of its tokens sit inside a shingle that
also occurs in the gold, computed over the whole stream, so a short
subheading between two gold paragraphs is body while the same word in a
menu is not.

Flattened pages are cached (JSON, keyed by corpus and flattener) under
`$COPYDESK_CACHE` (default `~/.cache/copydesk`).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from copydesk.normalize import host_of
from copydesk_lab.bench.metric import shingles, tokenize
from copydesk_lab.paths import corpora_dir

FLATTENERS = ("inscriptis", "html-text", "resiliparse")
# Training adds copies without blank lines (the layout of Common Crawl WET
# records and of many scraped dumps), so the scorer does not lean on blank lines.
NOGAPS = "-nogaps"
TRAIN_FLATTENERS = (*FLATTENERS, "html-text" + NOGAPS, "resiliparse" + NOGAPS)
CORPORA = ("aeb", "readability", "newspaper4k")
# Every corpus the text trainer can learn from (`--datasets`): the article
# corpora and WCXB's seven page types. The shipped scorer uses CORPORA: with
# WCXB added, AEB's cross-validated text F1 falls ~0.03 (docs/text.md).
TRAIN_CORPORA = (*CORPORA, "wcxb")
_TOKEN = re.compile(r"\w+")


@dataclass(slots=True)
class TextPage:
    """One flattened page with its gold body and the site it belongs to."""

    id: str
    corpus: str
    flattener: str
    site: str
    text: str
    gold: str


def drop_blank_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.strip())


def _flattener(name: str) -> Callable[[str], str]:
    if name.endswith(NOGAPS):
        base = _flattener(name.removesuffix(NOGAPS))
        return lambda html: drop_blank_lines(base(html))
    if name == "inscriptis":
        import inscriptis

        return inscriptis.get_text
    if name == "html-text":
        import html_text

        return html_text.extract_text
    if name == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text

        return lambda html: extract_plain_text(html, main_content=False)
    raise ValueError(f"unknown flattener {name!r}; known: {FLATTENERS}")


def _decode(data: bytes) -> str:
    from copydesk.decode import decode_bytes

    return decode_bytes(data).text


def _aeb_pages(root: Path) -> Iterator[tuple[str, str, str, str]]:
    gold = json.loads((root / "aeb" / "ground-truth.json").read_text("utf-8"))
    for page_id in sorted(gold):
        with gzip.open(root / "aeb" / "html" / f"{page_id}.html.gz") as fh:
            html = _decode(fh.read())
        site = host_of(gold[page_id].get("url")) or page_id
        yield page_id, site, html, gold[page_id]["articleBody"]


def _readability_pages(root: Path) -> Iterator[tuple[str, str, str, str]]:
    import html_text

    for folder in sorted((root / "readability" / "pages").iterdir()):
        source, expected = folder / "source.html", folder / "expected.html"
        if source.exists() and expected.exists():
            site = re.sub(r"-\d+$", "", folder.name)
            gold = html_text.extract_text(expected.read_text("utf-8", "replace"))
            yield folder.name, site, _decode(source.read_bytes()), gold


def _newspaper_pages(root: Path) -> Iterator[tuple[str, str, str, str]]:
    base = root / "newspaper4k"
    for txt in sorted((base / "txt").glob("*.txt")):
        html = base / "html" / (txt.stem + ".html")
        if html.exists():
            site = re.sub(r"[_\d.]+$", "", txt.stem.split("_")[0]) or txt.stem
            yield txt.stem, site, _decode(html.read_bytes()), txt.read_text("utf-8", "replace")


def _wcxb_pages(root: Path) -> Iterator[tuple[str, str, str, str]]:
    """WCXB: gold = `ground_truth.main_content`, site = the url host of `pages.json`."""
    base = root / "wcxb"
    hosts = json.loads((base / "pages.json").read_text("utf-8"))
    for page_id in sorted(hosts):
        truth = json.loads((base / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
        gold = (truth.get("ground_truth") or {}).get("main_content")
        path = base / "html" / f"{page_id}.html.gz"
        if gold and path.exists():
            site = host_of(hosts[page_id].get("host") or truth.get("url")) or page_id
            with gzip.open(path) as fh:
                yield page_id, site, _decode(fh.read()), gold


@dataclass(slots=True)
class GoldFacts:
    """What a WCXB gold file says beyond the body: the page type and the snippets."""

    page_type: str | None
    must_have: list[str]
    must_not: list[str]


def wcxb_facts(root: Path | None = None) -> dict[str, GoldFacts]:
    """Page type and must/must-not snippets of each WCXB page, by page id (the flattened
    pages keep only the body, so the text bench and trainer join these by id)."""
    base = (root or corpora_dir()) / "wcxb" / "ground-truth"
    out = {}
    for path in sorted(base.glob("*.json")):
        entry = json.loads(path.read_text("utf-8"))
        truth = entry.get("ground_truth") or {}
        kind = ((entry.get("_internal") or {}).get("page_type") or {}).get("primary")
        out[path.stem] = GoldFacts(kind, list(truth.get("with") or []),
                                   list(truth.get("without") or []))
    return out


_READERS = {"aeb": _aeb_pages, "readability": _readability_pages, "newspaper4k": _newspaper_pages,
            "wcxb": _wcxb_pages}


def load(corpus: str, flattener: str, cache: bool = True, *,
         root: Path | None = None) -> list[TextPage]:
    """Flattened pages of one corpus by one flattener (cached after the first call).

    `root` is the corpora folder (default: `copydesk_lab.paths.corpora_dir()`)."""
    root = root or corpora_dir()
    if flattener.endswith(NOGAPS):  # derived from the base flattener's pages (and its cache)
        return [dataclasses.replace(page, flattener=flattener, text=drop_blank_lines(page.text))
                for page in load(corpus, flattener.removesuffix(NOGAPS), cache, root=root)]
    if not (root / corpus).exists():
        raise FileNotFoundError(f"corpus folder not found: {root / corpus}")
    cache_file = _cache_dir() / f"textdev-{corpus}-{flattener}.json"
    if cache and cache_file.exists():
        return [TextPage(**row) for row in json.loads(cache_file.read_text("utf-8"))]
    flatten = _flattener(flattener)
    pages = [TextPage(pid, corpus, flattener, site, flatten(html), gold)
             for pid, site, html, gold in _READERS[corpus](root)]
    if cache:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        rows = [dataclasses.asdict(page) for page in pages]
        cache_file.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    return pages


def _cache_dir() -> Path:
    return Path(os.environ.get("COPYDESK_CACHE", Path.home() / ".cache" / "copydesk"))


def line_labels(lines: list[str], gold: str) -> list[int]:
    """1 for lines whose tokens mostly lie in gold shingles of the page's token stream."""
    gold_set = set(shingles(tokenize(gold)))
    stream: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        toks = _TOKEN.findall(line)
        stream.extend(toks)
        owner.extend([i] * len(toks))
    covered = [False] * len(stream)
    for start in range(len(stream) - 3):
        if tuple(stream[start:start + 4]) in gold_set:
            covered[start:start + 4] = [True] * 4
    hits = [0] * len(lines)
    totals = [0] * len(lines)
    for pos, line_no in enumerate(owner):
        totals[line_no] += 1
        hits[line_no] += covered[pos]
    return [1 if t and hits[i] * 2 >= t else 0 for i, t in enumerate(totals)]
