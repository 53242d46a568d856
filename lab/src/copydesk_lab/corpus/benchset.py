"""Inputs for `copydesk bench-corpus`, built from the dev corpora's pages.

- `write_throughput_warc`: the corpus pages repeated to the size asked, each
  copy at its own url, plus one PNG response, one empty response and request
  records (skipped, not input records), as one gzip member per record.
- `near_duplicate_set`: wire-style copies of gold article bodies: for each
  original, an exact copy (same bytes, other url) and a near copy (other
  site chrome, a few sentences edited, dropped or added). The other originals
  are the distinct stories; each original's most similar other original
  (by word overlap) is its "same-topic" counterpart, reported separately.
"""

from __future__ import annotations

import gzip
import html
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from copydesk_lab.corpus.warcgen import WarcPage, request_record, response_record

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])")
_WORD = re.compile(r"\w+")


def write_throughput_warc(path: str, pages: list[tuple[str, bytes]], records: int) -> int:
    """Write `records` input records (pages repeated, + a PNG and an empty response)."""
    with open(path, "wb") as out:
        for rec in _throughput_records(pages, records):
            out.write(gzip.compress(rec, compresslevel=3, mtime=0))
    return records


def _throughput_records(pages: list[tuple[str, bytes]], records: int) -> Iterator[bytes]:
    specials = {records // 3: ("http://bench.invalid/logo.png", PNG, "image/png"),
                (2 * records) // 3: ("http://bench.invalid/empty", b"", "text/html")}
    for i in range(records):
        if i in specials:
            url, body, ctype = specials[i]
        else:
            base, body = pages[i % len(pages)]
            url, ctype = f"{base}#copy{i}", "text/html"
        if i % 50 == 0:
            yield request_record(url)
        yield response_record(WarcPage(url, body, ctype))


@dataclass
class NearDupSet:
    """Pages in input order with their truth: group id and role of each url."""

    pages: list[tuple[str, bytes]] = field(default_factory=list)
    group: dict[str, int] = field(default_factory=dict)
    role: dict[str, str] = field(default_factory=dict)  # original / exact / near
    same_topic: list[tuple[str, str]] = field(default_factory=list)


_CHROMES = (
    ("Daily Courier", ["World", "Business", "Sport", "Culture"], "Most read"),
    ("Metro Ledger", ["Local", "Politics", "Opinion", "Weather", "Jobs"], "Trending now"),
    ("The Northern Wire", ["News", "Markets", "Tech"], "Related stories"),
    ("Coast Times Online", ["Home", "Region", "Nation", "Entertainment", "Obituaries"],
     "You may also like"),
)


def near_duplicate_set(bodies: list[tuple[str, str]], seed: int = 7) -> NearDupSet:
    """Originals, exact copies and near copies of (id, gold body) pairs, shuffled with
    every original before its copies."""
    rng = random.Random(seed)
    headlines = [_sentences(body)[0][:90] for _, body in bodies]
    entries: list[tuple[str, bytes, int, str]] = []
    for group, (page_id, body) in enumerate(bodies):
        paras = [p for p in body.split("\n") if p.strip()]
        chrome = rng.randrange(len(_CHROMES))
        other = (chrome + 1 + rng.randrange(len(_CHROMES) - 1)) % len(_CHROMES)
        original = _page(paras, _CHROMES[chrome], rng.sample(headlines, 5))
        edited = _edit(paras, rng)
        near = _page(edited, _CHROMES[other], rng.sample(headlines, 5))
        entries += [(f"http://orig.example/{page_id}", original, group, "original"),
                    (f"http://mirror.example/{page_id}", original, group, "exact"),
                    (f"http://wire{other}.example/{page_id}", near, group, "near")]
    rng.shuffle(entries)
    entries.sort(key=lambda e: e[3] != "original")  # originals first, then copies (shuffled)
    result = NearDupSet()
    for url, page, group, role in entries:
        result.pages.append((url, page))
        result.group[url], result.role[url] = group, role
    result.same_topic = _nearest_pairs(bodies)
    return result


def _page(paras: list[str], chrome: tuple[str, list[str], str], teasers: list[str]) -> bytes:
    site, sections, aside = chrome
    nav = "".join(f"<li><a href='/{s.lower()}'>{s}</a></li>" for s in sections)
    side = "".join(f"<li><a href='/t/{i}'>{html.escape(t)}</a></li>" for i, t in enumerate(teasers))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    title = html.escape(paras[0][:80])
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"</head><body><header><a href='/'>{site}</a><nav><ul>{nav}</ul></nav></header>"
            f"<main><article><h1>{title}</h1>{body}</article>"
            f"<aside><h2>{aside}</h2><ul>{side}</ul></aside></main>"
            f"<footer><p>© {site}. All rights reserved.</p><a href='/privacy'>Privacy</a>"
            f"</footer></body></html>").encode()


def _edit(paras: list[str], rng: random.Random) -> list[str]:
    """A few wire-desk edits: one sentence reworded, one dropped, one line added."""
    out = list(paras)
    sentences = [(i, s) for i, p in enumerate(out) for s in _sentences(p)]
    if len(sentences) > 3:
        i, s = sentences[rng.randrange(1, len(sentences))]
        words = s.split()
        if len(words) > 6:
            words[len(words) // 2] = "reportedly"
            words.insert(2, "on Tuesday")
        out[i] = out[i].replace(s, " ".join(words), 1)
        j, t = sentences[rng.randrange(1, len(sentences))]
        if len(_sentences(out[j])) > 1:
            out[j] = out[j].replace(t, "", 1).strip()
    out.append("(Reporting by staff correspondents; editing by the news desk.)")
    return [p for p in out if p]


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s] or [text]


def _nearest_pairs(bodies: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """For each body, the other body sharing the most distinct words (Jaccard)."""
    sets = [set(_WORD.findall(body.casefold())) for _, body in bodies]
    pairs = []
    for a, words in enumerate(sets):
        best = max((b for b in range(len(sets)) if b != a),
                   key=lambda b: len(words & sets[b]) / max(1, len(words | sets[b])),
                   default=None)
        if best is not None:
            pairs.append((bodies[a][0], bodies[best][0]))
    return pairs
