"""The headline: og:title, JSON-LD headline, <title>, h1; without the site name.

Each candidate is cut at title separators (| – — - :: · and the CJK ones)
and segments naming the site (og:site_name, JSON-LD publisher, the host)
are dropped from either end. The most trusted source then wins (see
`trust.py`); among equally trusted candidates (a JSON-LD `headline` and
`name` that differ) the one other sources repeat wins. Why trust before
agreement: on the Readability pages, voting let a twitter:title plus the
<title> outvote a different og:title that the gold names as the headline.
The h1 is read only when no machine-written title exists.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from copydesk.metadata.headline import repeated
from copydesk.metadata.trust import trust
from copydesk.metadata.vocab import TITLE_SEPARATOR_RE
from copydesk.normalize import collapse_spaces

_NORM_RE = re.compile(r"[\W_]+")
_SPACED_SEPARATOR_RE = re.compile(r"\s[|\-–—/»>\\]\s")


@lru_cache(maxsize=256)  # pure; one page's choosers compare its few values many times
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


MAX_SITE_WORDS = 5
NAMES_SITE = "names the site, not the article"
_NOT_TITLES = frozenset({"heading"})  # what marks where a <title> is cut


def site_segment(title: str, url: str | None) -> str | None:
    """The end segment of a <title> that names the site ("How to X | eHow" -> "eHow").

    With a url, the first or last segment matching the host; without one,
    the last segment when it is short and capitalised (a headline's tail
    is usually longer and the site name comes last).
    """
    spans = _segments(title)
    if len(spans) < 2:
        return None
    ends = [title[a:b].strip() for a, b in (spans[-1], spans[0])]
    if url:
        hosts = site_keys([], url)
        return next((e for e in ends if _is_site(e, hosts) and norm(e)), None)
    last = ends[0]
    words = last.split()
    if 0 < len(words) <= MAX_SITE_WORDS and last[:1].isupper() and len(norm(last)) >= 2:
        return last
    return None


@lru_cache(maxsize=256)  # pure; a page's few titles are cut by several steps
def _segments(title: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each part of `title` between separators (TITLE_SEPARATOR_RE)."""
    spans, start = [], 0
    for match in TITLE_SEPARATOR_RE.finditer(title):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(title):
        spans.append((start, len(title)))
    return tuple(spans)


def choose_title(cands: list[dict[str, Any]], sites: set[str],
                 outside: str | None = None) -> tuple[str | None, str]:
    """(headline, reason) from title candidates (dicts with value/source);
    `outside`: the page's text outside the body (`headline.outside_text`), when read.

    The most trusted source wins (JSON-LD, then OpenGraph, then the other
    meta tags, then <title>); among equally trusted candidates (a JSON-LD
    `headline` and `name` that differ) the one the other sources repeat
    wins. h1 texts only vote (a page has many h1s that are not the
    headline: logos, section names), unless nothing else names a title.
    """
    valid = [c for c in cands if c["source"] not in _NOT_TITLES and _clean(c, sites)]
    primary = sorted((c for c in valid if c["source"] != "h1"), key=lambda c: -trust(c["source"]))
    pool = primary or [c for c in valid if c["source"] == "h1"]
    if not pool:
        return None, "no title candidate"
    top = trust(pool[0]["source"])
    tied = [c for c in pool if trust(c["source"]) == top]
    # equally trusted and repeated: the RDFa `property=` form of a tag over its
    # `name=` twin (og: and dc: are RDFa properties; Readability reads them so too)
    best = max(tied, key=lambda c: (_support(c, valid), bool(c.get("rdfa"))))
    best = _visible_agreement(best, primary, valid)
    h1 = _h1_prefix(best["cleaned"], valid) if best["source"] in ("title-tag", "h1") else None
    if h1 is not None:
        best["cleaned"] = h1
    best["chosen"] = True
    best["reason"] = best.get("reason") or (
        f"most trusted source ({best['source']}), site name removed"
        if best["cleaned"] != best["value"]
        else f"most trusted source ({best['source']})"
    )
    if best["source"] == "title-tag":
        _visible_cut(best, cands, sites, outside)
    if len(tied) > 1:
        best["reason"] += f"; repeated by {_support(best, valid)} other source(s)"
    return best["cleaned"], best["reason"]


def _visible_agreement(
    best: dict[str, Any], primary: list[dict[str, Any]], valid: list[dict[str, Any]]
) -> dict[str, Any]:
    """The JSON-LD title, unless the page's h1 says otherwise: a meta title that
    the h1 and another source repeat wins over a JSON-LD value that no other
    source repeats (the `name` of a review or a section picked as the article
    node: "Sample menus" beside og:title, twitter:title and the h1 naming the
    headline). The h1 is the independent vote: twitter:title and the <title>
    alone often copy an SEO variant. og:title keeps its rank against the h1:
    on the Readability pages the og:title is the gold where the two differ."""
    h1s = {norm(str(c["value"])) for c in valid if c["source"] == "h1"}
    if not best["source"].startswith("jsonld") or not h1s or norm(best["cleaned"]) in h1s:
        return best
    backed = [c for c in primary if c is not best and c["source"] != "title-tag"
              and norm(c["cleaned"]) in h1s]
    if not backed:
        return best
    alt = backed[0]
    if _support(best, valid) > 0 or _support(alt, valid) < 2:
        return best  # the <title> or another source repeats the JSON-LD value: it stands
    best["reason"] = "more trusted, but repeated by fewer sources and not by the h1"
    alt["reason"] = (f"repeated by the h1 and {_support(alt, valid) - 1} other source(s); "
                     f"the more trusted {best['source']} by {_support(best, valid)}")
    return alt


def _h1_prefix(title: str, cands: list[dict[str, Any]]) -> str | None:
    """An h1 that is the title minus a trailing part glued on without spaces
    ('Headline-新华网'): the h1 is the headline."""
    key = norm(title)
    for cand in cands:
        if cand["source"] != "h1":
            continue
        h1 = collapse_spaces(str(cand["value"]))
        h1_key = norm(h1)
        if h1_key != key and key.startswith(h1_key) and len(h1_key) >= 0.6 * len(key):
            rest = title[len(h1) :].lstrip()
            if title.startswith(h1) and rest[:1] in "-_|:：·—–":
                return h1
    return None


def _clean(cand: dict[str, Any], sites: set[str]) -> bool:
    value = collapse_spaces(str(cand["value"]))
    if "&" in value:  # JSON-LD written with HTML entities ("And finally&#8230;")
        value = html.unescape(value)
    if not value or len(value) > 500:
        cand["rejected"] = "empty or too long"
        return False
    if norm(value) in sites and cand["source"] != "title-tag":
        cand["rejected"] = NAMES_SITE
        return False
    cleaned = strip_site(value, sites)
    if cleaned == value and cand["source"] == "title-tag":
        cleaned = strip_last_segment(value)
    cand["cleaned"] = cleaned
    return bool(norm(cleaned))


def _support(cand: dict[str, Any], cands: list[dict[str, Any]]) -> int:
    key = norm(cand["cleaned"])
    return sum(1 for other in cands if other is not cand and key in norm(str(other["value"])))


def strip_last_segment(title: str) -> str:
    """<title> 'Headline words here - Whatever': drop the part after the last
    spaced separator when at least five words remain (Readability's rule
    for document titles, `_getArticleTitle`)."""
    found = list(_SPACED_SEPARATOR_RE.finditer(title))
    if not found:
        return title
    head = title[: found[-1].start()].strip()
    return head if len(head.split()) >= 5 else title


SITE_NAME_WORDS = 3  # "Google": a name; a longer "site name" is a bad site candidate (a headline)


def _visible_cut(best: dict[str, Any], cands: list[dict[str, Any]], sites: set[str],
                 outside: str | None) -> None:
    """A <title> chosen for want of a structured headline: cut where the heading
    printed above the body says the headline ends (see `headline.py`); never
    left as a site name alone (unless a site candidate repeats a structured
    title: then that site name is the page's own headline, wrongly filed)."""
    headings = [c for c in cands if c["source"] == "heading"]
    found = visible_span(str(best["value"]), headings, sites, outside)
    if found is not None:
        text, heading = found
        if text != best["cleaned"]:
            best["cleaned"] = text
            best["reason"] = (
                "<title> cut to the segments the heading above the body repeats "
                f"({heading['value'][:60]!r}, {heading['distance']} blocks from the body)"
            )
        heading["reason"] = "repeats segments of the <title>: marks the headline"
        return
    h1s = [collapse_spaces(str(c["value"])) for c in cands if c["source"] == "h1"]
    # only a <title> that carried a site segment (cut above): one without is the
    # author's own headline, and what the Readability gold keeps over the h1
    shaped = norm(str(best["cleaned"])) != norm(str(best["value"]))
    similar = (similar_heading(str(best["cleaned"]), headings, sites, str(best["value"]), h1s)
               if shaped else None)
    if similar is not None:
        best["cleaned"] = similar["printed"]
        best["reason"] = (
            f"the h1 just above the body words the <title>'s headline its own way "
            f"({similar['share']:.2f} of their words shared): the printed headline"
        )
        similar["reason"] = "the printed headline (the <title> is its search-engine variant)"
        return
    cleaned = str(best["cleaned"])
    if any(c.get("rejected") == NAMES_SITE for c in cands):
        return
    if norm(cleaned) in sites and len(cleaned.split()) <= SITE_NAME_WORDS and norm(
        cleaned
    ) != norm(str(best["value"])):
        best["cleaned"] = collapse_spaces(str(best["value"]))
        best["reason"] = "<title> kept whole: every segment names the site"


def visible_span(
    title: str, headings: list[dict[str, Any]], sites: set[str], outside: str | None = None
) -> tuple[str, dict[str, Any]] | None:
    """(headline, heading): the run of consecutive <title> segments that a heading
    near the body repeats, site segments at its ends removed; a heading naming
    the site is skipped, and of several the longest run wins."""
    spans = _segments(title)
    runs = _run_index(title, spans)
    whole = (0, len(spans) - 1)
    matches = [
        (runs[norm(str(h["value"]))], h)
        for h in headings
        if norm(str(h["value"])) in runs and not _is_site(str(h["value"]), sites)
    ]
    # a heading repeating the whole <title> says nothing of where to cut
    matches = [(run, h) for run, h in matches if run != whole]
    if not matches:
        return None
    # several headings repeat segments (a book's name above the chapter's, the
    # author's under the headline): the longest run is the headline
    (i, j), heading = max(matches, key=lambda m: spans[m[0][1]][1] - spans[m[0][0]][0])
    if outside is not None:
        cut = [title[a:b] for a, b in spans[:i] + spans[j + 1 :]]
        if not all(_is_site(seg, sites) or repeated(seg, outside) for seg in cut):
            return None  # a segment cut off that the page never prints outside the body
    text = strip_site(title[spans[i][0] : spans[j][1]], sites)
    return (text, heading) if norm(text) else None


# A heading that shares this much of its words with the <title> (Dice
# coefficient) names the same story: the <title> is its search-engine wording
# ("7 Major Diet Trends for 2025, ..." above the h1 "The 7 Biggest Diet and
# Nutrition Trends in 2025, ...").
SIMILAR_SHARE = 0.5
SIMILAR_REACH = 8  # blocks above the body (an h1 further up is a logo or a section)
_TITLE_WORD_RE = re.compile(r"\w+")


def _run_index(text: str, spans: Sequence[tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Each normalised run of consecutive segments of `text` (`spans`) -> its first and
    last segment (the first such run when two read the same)."""
    runs: dict[str, tuple[int, int]] = {}
    for i in range(len(spans)):
        for j in range(i, len(spans)):
            runs.setdefault(norm(text[spans[i][0] : spans[j][1]]), (i, j))
    return runs


def _runs(text: str) -> set[str]:
    """Normalised runs of consecutive separator segments of `text` (the whole too)."""
    return set(_run_index(text, _segments(text) or ((0, len(text)),))) | {norm(text)}


def similar_heading(
    title: str, headings: list[dict[str, Any]], sites: set[str], whole: str = "",
    h1s: list[str] | None = None,
) -> dict[str, Any] | None:
    """The nearest top-level heading just above the body that words the <title>'s
    story its own way: it shares SIMILAR_SHARE of the words and has words of its
    own (a heading whose words all sit in the <title> is a shortened <title>:
    "Recent Trends in Photography" under "8 Recent Trends in Photography").
    Not one naming the site or repeating the whole <title> (`whole`). A heading
    block that is a piece of an h1 (`h1s`: an h1 split at a <br>) reads as that h1.
    The text to print goes to `heading["printed"]`."""
    words = set(_TITLE_WORD_RE.findall(title.casefold()))
    if len(words) < 2:
        return None
    for heading in headings:
        if heading.get("level") != 0 or not -SIMILAR_REACH <= heading["distance"] <= 1:
            continue
        text = collapse_spaces(str(heading["value"]))
        if norm(title) in _runs(text):
            return None  # the heading prints the <title>'s headline (maybe with a
            # suffix of its own: "... Calculator - American Funds"): it stands
        text = next((h for h in h1s or () if norm(text) in norm(h) and len(h) <= 300), text)
        if _is_site(text, sites) or norm(text) in (norm(title), norm(whole)):
            continue
        other = set(_TITLE_WORD_RE.findall(text.casefold()))
        share = 2 * len(words & other) / (len(words) + len(other)) if other else 0.0
        if share >= SIMILAR_SHARE and len(other) >= 2 and not other <= words:
            heading["share"], heading["printed"] = share, text
            return heading
    return None
