"""Metadata benchmark (`copydesk bench --metadata`): per-field accuracy against gold.

Comparison rules (one function each, below):
- title and site name: normalised exact match. Normalising = Unicode NFKC,
  casefold, every punctuation or symbol character (quotes, dashes, pipes)
  becomes a space, whitespace collapsed.
- byline / authors: the predicted people (plus the agency, for copydesk) and
  the gold are each turned into word tokens (`\\w+`, casefolded; numbers,
  dates, "by", "am" and "pm" dropped: they name no one); right when
  the token F1 between the two bags is >= 0.5.
- dates: right when the calendar day (the YYYY-MM-DD written in the value,
  local to the page; no time-zone shift) is the same.
- language: the primary subtag ("en-US" -> "en"), casefolded, is the same.
Only pages whose gold value exists (non-empty) count for a field. A tool
that does not offer a field shows None ("n/a"), not 0.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from copydesk.normalize import collapse_spaces
from copydesk_lab.bench.datasets import Page
from copydesk_lab.bench.metric import bag_f1
from copydesk_lab.bench.peers import META_FIELDS, Copydesk, Extractor

BYLINE_F1_THRESHOLD = 0.5
_WORD = re.compile(r"\w+", re.UNICODE)
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# Where each dataset keeps each gold field (our field -> corpus key).
GOLD_KEYS: dict[str, dict[str, str]] = {
    "readability": {"title": "title", "authors": "byline", "site_name": "siteName",
                    "date": "publishedTime", "language": "lang"},
    "newspaper4k": {"title": "title", "authors": "authors", "date": "publish_date",
                    "language": "language"},
    "wcxb": {"title": "title", "authors": "author", "date": "publish_date"},
}


def normalise_name(value: Any) -> str:
    """Title / site-name normal form: NFKC, casefold, no punctuation or symbols."""
    text = unicodedata.normalize("NFKC", str(value or "")).casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    return collapse_spaces(text)


def same_name(predicted: Any, gold: Any) -> bool:
    return bool(normalise_name(gold)) and normalise_name(predicted) == normalise_name(gold)


# Words of a raw byline that name no one: "By", "am"/"pm", numbers, and month
# names written as part of a date (a gold byline copied from the page, "By
# GILLIAN MOHNEY March 11, 2015 3:46 PM", names one person; the date beside the
# name is the date field's business). "June" in "Laura June Topolsky" stays.
NOT_NAME_TOKENS = frozenset({"by", "am", "pm"})
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE_IN_BYLINE = re.compile(rf"\b{_MONTH}\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+{_MONTH}\b",
                             re.IGNORECASE)


def _people_tokens(value: Any) -> Counter[str]:
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value if v)
    text = _DATE_IN_BYLINE.sub(" ", str(value or ""))
    tokens = (t.casefold() for t in _WORD.findall(text))
    return Counter(t for t in tokens if not t.isdigit() and t not in NOT_NAME_TOKENS)


def byline_f1(predicted: Any, gold: Any) -> float:
    """Token F1 between two bylines (strings or lists of names)."""
    return bag_f1(_people_tokens(predicted), _people_tokens(gold))[2]


def same_byline(predicted: Any, gold: Any) -> bool:
    return byline_f1(predicted, gold) >= BYLINE_F1_THRESHOLD


def day_of(value: Any) -> str | None:
    """YYYY-MM-DD of a date, datetime or ISO-like string, or None."""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    match = _DAY.search(str(value or ""))
    if not match:
        return None
    y, m, d = match.groups()
    return f"{y}-{int(m):02d}-{int(d):02d}"


def same_day(predicted: Any, gold: Any) -> bool:
    gold_day = day_of(gold)
    return gold_day is not None and day_of(predicted) == gold_day


def primary_language(value: Any) -> str:
    return re.split(r"[-_]", str(value or "").strip(), maxsplit=1)[0].casefold()


def same_language(predicted: Any, gold: Any) -> bool:
    return bool(primary_language(gold)) and primary_language(predicted) == primary_language(gold)


RULES: dict[str, Callable[[Any, Any], bool]] = {
    "title": same_name, "authors": same_byline, "site_name": same_name,
    "date": same_day, "language": same_language,
}


def has_gold(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(str(v).strip() for v in value)
    return value is not None and str(value).strip() not in ("", "None")


def gold_fields(page: Page) -> dict[str, Any]:
    """The page's gold metadata under our field names, only fields that exist."""
    keys = GOLD_KEYS.get(page.dataset, {})
    return {ours: page.gold_meta[theirs] for ours, theirs in keys.items()
            if has_gold(page.gold_meta.get(theirs))}


@dataclass(slots=True)
class FieldScore:
    right: int = 0
    pages: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.right / self.pages if self.pages else None


@dataclass(slots=True)
class MetaResult:
    """One tool on one dataset: accuracy per field (None = field not offered)."""

    extractor: str
    version: str
    fields: dict[str, float | None]
    gold_pages: dict[str, int]
    seconds: float
    failures: int
    failure_examples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_metadata(predictions: Sequence[dict[str, Any]],
                   pages: Sequence[Page]) -> dict[str, FieldScore]:
    """Per-field right/pages counts over the pages that have gold for the field."""
    scores = {name: FieldScore() for name in META_FIELDS}
    for predicted, page in zip(predictions, pages, strict=True):
        for name, gold in gold_fields(page).items():
            scores[name].pages += 1
            scores[name].right += RULES[name](predicted.get(name), gold)
    return scores


def run_metadata(extractor: Extractor, pages: Sequence[Page],
                 keep: list[dict[str, Any]] | None = None) -> MetaResult:
    """Metadata of every page by `extractor`, scored field by field.

    `keep`, when given, receives every page's prediction (for `--pages`).
    """
    predictions: list[dict[str, Any]] = []
    failures: list[str] = []
    total = 0.0
    for page in pages:
        start = time.perf_counter()
        try:
            predicted = extractor.metadata(page) or {}
        except Exception as exc:
            predicted = {}
            failures.append(f"{page.id}: {type(exc).__name__}: {str(exc)[:120]}")
        total += time.perf_counter() - start
        predictions.append(predicted)
    if keep is not None:
        keep.extend(predictions)
    scores = score_metadata(predictions, pages)
    offered = set(extractor.meta_fields)
    return MetaResult(
        extractor=extractor.name, version=extractor.version(),
        fields={n: (s.accuracy if n in offered else None) for n, s in scores.items()},
        gold_pages={n: s.pages for n, s in scores.items()},
        seconds=total, failures=len(failures), failure_examples=failures[:5],
    )


def page_rows(extractor: Extractor, pages: Sequence[Page],
              predictions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per page: each gold field's gold, prediction and verdict (error analysis)."""
    rows = []
    offered = set(extractor.meta_fields)
    for page, predicted in zip(pages, predictions, strict=True):
        fields = {name: {"gold": gold, "predicted": predicted.get(name),
                         "right": RULES[name](predicted.get(name), gold)}
                  for name, gold in gold_fields(page).items() if name in offered}
        rows.append({"dataset": page.dataset, "id": page.id, "site": page.site, "url": page.url,
                     "page_type": page.page_type, "extractor": extractor.name,
                     "fields": fields})
    return rows


@dataclass(slots=True)
class Overhead:
    """Time of copydesk's extract() with metadata on and off, same pages.

    The percentage uses CPU time of the calling thread, which a busy shared
    machine disturbs far less than wall time; both are kept.
    """

    pages: int
    seconds_on: float
    seconds_off: float
    cpu_on: float = 0.0
    cpu_off: float = 0.0

    @property
    def percent(self) -> float:
        on, off = (self.cpu_on, self.cpu_off) if self.cpu_off else (self.seconds_on,
                                                                     self.seconds_off)
        return 100.0 * (on - off) / off if off else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"pages": self.pages, "seconds_on": self.seconds_on,
                "seconds_off": self.seconds_off, "cpu_seconds_on": self.cpu_on,
                "cpu_seconds_off": self.cpu_off, "overhead_percent": self.percent}


def metadata_overhead(pages: Sequence[Page], repeat: int = 1) -> Overhead:
    """Best-of-`repeat` time of extract() over `pages`, metadata on vs off (alternating)."""
    on, off = Copydesk(with_metadata=True), Copydesk(with_metadata=False)
    on.setup()
    off.setup()
    result = Overhead(len(pages), float("inf"), float("inf"), float("inf"), float("inf"))
    for _ in range(max(1, repeat)):
        wall, cpu = _time_texts(off, pages)
        result.seconds_off, result.cpu_off = min(result.seconds_off, wall), min(result.cpu_off, cpu)
        wall, cpu = _time_texts(on, pages)
        result.seconds_on, result.cpu_on = min(result.seconds_on, wall), min(result.cpu_on, cpu)
    return result


def _time_texts(extractor: Extractor, pages: Sequence[Page]) -> tuple[float, float]:
    """(wall, CPU) seconds spent in extract() over `pages`."""
    wall = cpu = 0.0
    for page in pages:
        start, cpu_start = time.perf_counter(), time.thread_time()
        extractor.text(page)
        wall += time.perf_counter() - start
        cpu += time.thread_time() - cpu_start
    return wall, cpu
