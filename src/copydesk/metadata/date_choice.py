"""Choose the publication day from every date the page offers, by scoring days.

Each distinct calendar day named anywhere on the page (structured fields,
`<time>`, datelines, the url, the extensive text search of `date_scan.py`)
becomes one row of features: which kinds of source name it and how trusted
they are, whether the visible text shows it and with which label (published,
updated, copyright, comment, event), how far from the headline, how often,
whether it is the latest or earliest day offered. A linear score over those
features (weights in `data/metadata_date_weights.json`, learned by
`copydesk_lab.metadata.date_train` with folds grouped by site) ranks the days; the
best day's most trusted candidate gives the value (its time and offset).

Why scores rather than the order of trust alone: the order of trust cannot
tell a template's stale `datePublished` from the day the page shows under
its headline, nor a sidebar's date from a byline's; the features can.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from copydesk.metadata.trust import trust

STRUCTURED = 55  # trust of jsonld-other and above: machine-written fields
NEAR_BEFORE, NEAR_AFTER, MID = 400, 900, 4000  # characters around the headline


@dataclass(slots=True)
class DayEvidence:
    """Everything said about one calendar day on the page."""

    day: dt.date
    published: list[tuple[int, str]] = field(default_factory=list)  # (trust, source)
    modified: list[tuple[int, str]] = field(default_factory=list)
    seen: list[dict[str, Any]] = field(default_factory=list)  # date_seen candidates
    dom_order: int = 10**6  # first position among in-page (microdata, <time>) candidates


FEATURES: tuple[str, ...] = (
    "bias",
    "pub_trust",
    "pub_jsonld",
    "pub_og",
    "pub_meta",
    "pub_created",
    "pub_other_ld",
    "pub_time",
    "pub_text",
    "pub_url",
    "pub_image_url",
    "mod_struct",
    "mod_any",
    "seen",
    "seen_published",
    "seen_updated",
    "seen_copyright",
    "seen_comment",
    "seen_event",
    "seen_none",
    "near_before",
    "near_after",
    "mid",
    "far",
    "first_after_headline",
    "first_seen",
    "log_count",
    "early_share",
    "latest",
    "earliest",
    "latest_struct",
    "top_trust",
    "no_struct_page",
    "seen_near_no_struct",
    "updated_near",
    "n_sources",
    "thread_first",
    "thread_earliest",
    "first_in_page",
    "seen_only",
    "struct_sources",
    "seen_only_far",
    "struct_agree_url",
    "short_line",
    "prose_only",
    "seen_foot",
    "foot_labelled",
)
SHORT_LINE, PROSE_LINE = 80, 100  # characters: a dateline vs a sentence
THREAD_DAYS = 3  # distinct in-page days that make a page a thread (posts, replies)
_DOM_KINDS = frozenset({"microdata", "time", "created"})


def _kind(source: str) -> str:
    return source.split(":", 1)[0]


def features(ev: DayEvidence, page: dict[str, Any]) -> list[float]:
    """The feature row of one day (order of FEATURES); `page` holds page-wide facts."""
    kinds = {_kind(s) for _t, s in ev.published}
    pub_trust = max((t for t, _s in ev.published), default=0)
    labels = {c["source"].split(":", 1)[1] for c in ev.seen}
    offsets = [c["offset"] for c in ev.seen if c.get("headline")]
    near_before = any(-NEAR_BEFORE <= o < 0 for o in offsets)
    near_after = any(0 <= o <= NEAR_AFTER for o in offsets)
    mid = any(NEAR_AFTER < o <= MID for o in offsets)
    far = bool(ev.seen) and not (near_before or near_after or mid)
    count = sum(c.get("count", 1) for c in ev.seen)
    share = min((c.get("share", 1.0) for c in ev.seen), default=1.0)
    has_struct = page["has_struct"]
    row = {
        "bias": 1.0,
        "pub_trust": pub_trust / 100,
        "pub_jsonld": "jsonld" in kinds,
        "pub_og": bool(kinds & {"og", "analytics"}),
        "pub_meta": bool(kinds & {"meta", "microdata", "dc", "script"}),
        "pub_created": "created" in kinds,
        "pub_other_ld": "jsonld-other" in kinds,
        "pub_time": "time" in kinds,
        "pub_text": "text" in kinds,
        "pub_url": "url" in kinds,
        "pub_image_url": "image-url" in kinds,
        "mod_struct": any(t >= STRUCTURED for t, _s in ev.modified),
        "mod_any": bool(ev.modified),
        "seen": bool(ev.seen),
        "seen_published": "published" in labels,
        "seen_updated": "updated" in labels,
        "seen_copyright": "copyright" in labels,
        "seen_comment": "comment" in labels,
        "seen_event": "event" in labels,
        "seen_none": "none" in labels,
        "near_before": near_before,
        "near_after": near_after,
        "mid": mid,
        "far": far,
        "first_after_headline": ev.day == page.get("first_after_headline"),
        "first_seen": ev.day == page.get("first_seen"),
        "log_count": math.log1p(count),
        "early_share": 1.0 - share,
        "latest": ev.day == page["latest"],
        "earliest": ev.day == page["earliest"],
        "latest_struct": ev.day == page.get("latest_struct"),
        "top_trust": pub_trust > 0 and pub_trust == page["top_trust"],
        "no_struct_page": not has_struct,
        "seen_near_no_struct": (near_after or near_before) and not has_struct,
        "updated_near": "updated" in labels and (near_after or near_before),
        "n_sources": math.log1p(len(ev.published) + len(ev.modified) + len(ev.seen)),
        "thread_first": page["thread"] and ev.day == page["first_in_page"],
        "thread_earliest": page["thread"] and ev.day == page["earliest_in_page"],
        "first_in_page": ev.day == page["first_in_page"],
        "seen_only": bool(ev.seen) and not ev.published and not ev.modified,
        "struct_sources": math.log1p(sum(t >= STRUCTURED for t, _s in ev.published)),
        "seen_only_far": bool(ev.seen) and not ev.published and not ev.modified
        and not (near_before or near_after),
        "struct_agree_url": "url" in kinds and any(t >= STRUCTURED for t, _s in ev.published),
        "short_line": any(c.get("line", 0) <= SHORT_LINE for c in ev.seen),
        "prose_only": bool(ev.seen) and all(c.get("line", 0) > PROSE_LINE for c in ev.seen),
        "seen_foot": any(c.get("foot") for c in ev.seen),
        "foot_labelled": any(c.get("foot") and c["source"] == "scan:published" for c in ev.seen),
    }
    return [float(row[name]) for name in FEATURES]


def page_facts(days: dict[dt.date, DayEvidence]) -> dict[str, Any]:
    """Page-wide facts the day features compare against."""
    all_days = sorted(days)
    struct_days = [d for d, ev in days.items() if any(t >= STRUCTURED for t, _s in ev.published)]
    top = max((t for ev in days.values() for t, _s in ev.published), default=0)
    sightings = [(c["share"], d) for d, ev in days.items() for c in ev.seen]
    after = [
        (c["offset"], d)
        for d, ev in days.items()
        for c in ev.seen
        if c.get("headline") and c["offset"] >= 0
    ]
    in_page = sorted((ev.dom_order, d) for d, ev in days.items() if ev.dom_order < 10**6)
    return {
        "thread": len(in_page) >= THREAD_DAYS,
        "first_in_page": in_page[0][1] if in_page else None,
        "earliest_in_page": min(d for _o, d in in_page) if in_page else None,
        "latest": all_days[-1] if all_days else None,
        "earliest": all_days[0] if all_days else None,
        "latest_struct": max(struct_days) if struct_days else None,
        "has_struct": bool(struct_days),
        "top_trust": top,
        "first_seen": min(sightings)[1] if sightings else None,
        "first_after_headline": min(after)[1] if after else None,
    }


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    """The shipped weights (plain JSON, no pickle), by feature name."""
    path = resources.files("copydesk.data").joinpath("metadata_date_weights.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: float(value) for name, value in data["weights"].items()}


@lru_cache(maxsize=1)
def _weight_row() -> tuple[float, ...]:
    """The shipped weights in the order of FEATURES (0.0 for a feature they lack)."""
    table = weights()
    return tuple(table.get(name, 0.0) for name in FEATURES)


def score(row: list[float], table: dict[str, float] | None = None) -> float:
    """Linear score of a feature row. The shipped weights are read as one row in
    FEATURES order (`_weight_row`), not looked up by name per feature: the same
    products summed in the same order, so the same float."""
    if table is None:
        return sum(w * value for w, value in zip(_weight_row(), row, strict=True))
    return sum(table.get(name, 0.0) * value for name, value in zip(FEATURES, row, strict=True))


_PROSE_ONLY = FEATURES.index("prose_only")
_SEEN_ONLY = FEATURES.index("seen_only")
_NO_STRUCT = FEATURES.index("no_struct_page")


def eligible(row: list[float]) -> bool:
    """False for a day seen only inside sentences ("a photo taken on June 28,
    2019 in ...") on a page whose fields name a day: prose dates are what the
    text talks about, not when it was written (no dev page has such a gold day)."""
    return not (row[_PROSE_ONLY] and row[_SEEN_ONLY] and not row[_NO_STRUCT])


def best_day(days: dict[dt.date, DayEvidence]) -> tuple[dt.date, float] | None:
    """The highest-scoring eligible day (ties: the more trusted, then the earlier day)."""
    page = page_facts(days)
    ranked = sorted(
        (-score(row), -max((t for t, _s in ev.published), default=0), day)
        for day, ev in days.items()
        if eligible(row := features(ev, page))
    )
    if not ranked:
        return None
    top = ranked[0]
    return top[2], -top[0]


def collect(meta_candidates: dict[str, list[dict[str, Any]]]) -> dict[dt.date, DayEvidence]:
    """Days named by parsed candidates (`parsed` set by the reconciler) and sightings."""
    days: dict[dt.date, DayEvidence] = {}

    def at(day: dt.date) -> DayEvidence:
        return days.setdefault(day, DayEvidence(day))

    for name, slot in (("date_published", "published"), ("date_modified", "modified")):
        for index, cand in enumerate(meta_candidates.get(name, [])):
            if cand.get("parsed") and cand["source"] != "check" and not cand.get("derived"):
                day = dt.date.fromisoformat(cand["parsed"][:10])
                ev = at(day)
                getattr(ev, slot).append((trust(cand["source"]), cand["source"]))
                if slot == "published" and _kind(cand["source"]) in _DOM_KINDS:
                    ev.dom_order = min(ev.dom_order, index)
    for cand in meta_candidates.get("date_seen", []):
        if cand.get("parsed"):
            at(dt.date.fromisoformat(cand["parsed"][:10])).seen.append(cand)
    return days
