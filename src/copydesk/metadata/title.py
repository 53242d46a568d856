"""The headline: agree og:title, JSON-LD headline, <title>, h1; drop the site name.

Each candidate is cut at title separators (| – — - :: · and the CJK ones)
and segments naming the site (og:site_name, JSON-LD publisher, the host)
are dropped from either end. The cleaned candidates then vote: a value
scores the trust of every source that says the same (after normalising
case, spaces and punctuation), so an h1 that repeats the og:title without
its "| Site" suffix settles which part is the headline.
"""

from __future__ import annotations

import re
from typing import Any

from copydesk.metadata.trust import trust
from copydesk.metadata.vocab import TITLE_SEPARATOR_RE

_NORM_RE = re.compile(r"[\W_]+")
_SPACED_SEPARATOR_RE = re.compile(r"\s[|\-–—/»>\\]\s")
MIN_LEFTOVER_WORDS = 4  # a cut must leave a headline, not a fragment (Readability uses 3-4 words)


def norm(text: str) -> str:
    """Case-folded, punctuation and spaces removed: the comparison key."""
    return _NORM_RE.sub("", text.casefold())


def site_keys(names: list[str], url: str | None) -> set[str]:
    """Normalised site names, plus the host's main label (www.ehow.com -> ehow)."""
    keys = {norm(n) for n in names if n and norm(n)}
    if url:
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":")[0]
        labels = [part for part in host.split(".") if part not in ("www", "m", "amp", "edition")]
        if len(labels) >= 2:
            keys.add(norm(labels[-2] if len(labels[-1]) <= 3 and len(labels) >= 2 else labels[0]))
            keys.add(norm("".join(labels)))
    keys.discard("")
    return keys


def _is_site(segment: str, sites: set[str]) -> bool:
    key = norm(segment)
    if not key:
        return True
    return any(
        key == s or (len(s) >= 4 and (s in key or key in s) and len(key) <= len(s) + 12)
        for s in sites
    )


def strip_site(title: str, sites: set[str]) -> str:
    """`title` without leading/trailing segments that name the site."""
    spans = _segments(title)
    if len(spans) < 2:
        return title.strip()
    keep = list(spans)
    while len(keep) > 1 and _is_site(title[keep[-1][0] : keep[-1][1]], sites):
        keep.pop()
    while len(keep) > 1 and _is_site(title[keep[0][0] : keep[0][1]], sites):
        keep.pop(0)
    return title[keep[0][0] : keep[-1][1]].strip()


def _segments(title: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in TITLE_SEPARATOR_RE.finditer(title):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(title):
        spans.append((start, len(title)))
    return spans


def prefixes(title: str) -> list[str]:
    """The title cut after each separator: 'A | B | C' -> ['A', 'A | B']."""
    spans = _segments(title)
    return [title[spans[0][0] : end].strip() for _, end in spans[:-1]] if len(spans) > 1 else []


def choose_title(cands: list[dict[str, Any]], sites: set[str]) -> tuple[str | None, str]:
    """(headline, reason) from title candidates (dicts with value/source).

    h1 texts only support a value another source offers (a page has many
    h1s that are not the headline: logos, section names, sidebars), unless
    nothing else names a title.
    """
    scored: dict[str, float] = {}
    shown: dict[str, str] = {}
    primary = [c for c in cands if c["source"] != "h1"]
    support = [c for c in cands if c["source"] == "h1"]
    for cand in primary or support:
        _score_candidate(cand, sites, scored, shown)
    for cand in support if primary else []:
        key = norm(str(cand["value"]))
        if key in scored:
            scored[key] += trust(cand["source"])
            cand["cleaned"] = cand["value"]
    if not scored:
        return None, "no title candidate"
    best = max(scored, key=lambda k: (scored[k], len(k)))
    for cand in cands:
        if norm(cand.get("cleaned", "")) == best and "chosen" not in cand:
            cand["chosen"] = True
            cand["reason"] = f"agreement score {scored[best]:.0f} (sources repeating it, by trust)"
    return shown[best], f"agreement score {scored[best]:.0f}"


def _score_candidate(
    cand: dict[str, Any], sites: set[str], scored: dict[str, float], shown: dict[str, str]
) -> None:
    value = " ".join(str(cand["value"]).split())
    if not value or len(value) > 500:
        cand["rejected"] = "empty or too long"
        return
    cleaned = strip_site(value, sites)
    if cleaned == value and cand["source"] == "title-tag":
        cleaned = strip_last_segment(value)
    cand["cleaned"] = cleaned
    weight = trust(cand["source"])
    key = norm(cleaned)
    if not key:
        return
    scored[key] = scored.get(key, 0.0) + weight
    shown.setdefault(key, cleaned)
    for part in prefixes(cleaned) + _segment_texts(cleaned):
        pkey = norm(part)
        if pkey != key and (len(part.split()) >= MIN_LEFTOVER_WORDS or _is_cjk(part)):
            scored[pkey] = scored.get(pkey, 0.0) + weight * 0.3
            shown.setdefault(pkey, part)


def _segment_texts(title: str) -> list[str]:
    spans = _segments(title)
    return [title[a:b].strip() for a, b in spans] if len(spans) > 1 else []


def strip_last_segment(title: str) -> str:
    """<title> 'Headline words here - Whatever': drop the part after the last
    spaced separator when at least five words remain (Readability's rule
    for document titles, `_getArticleTitle`)."""
    found = list(_SPACED_SEPARATOR_RE.finditer(title))
    if not found:
        return title
    head = title[: found[-1].start()].strip()
    return head if len(head.split()) >= 5 else title


def _is_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text)) and len(text) >= 8
