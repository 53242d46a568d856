"""Dates: one compact parser for meta values, JSON-LD, URLs and visible text.

Why our own parser: dateparser costs milliseconds per call and guesses
zones; we need microseconds and must never invent a zone. A date is
returned as ISO 8601 at the precision the page gave (day, minute, second)
with the page's UTC offset when it gave one. Every rejection has a reason
(impossible day, implausible year, in the future of the crawl) so the
explanation can show it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from copydesk.metadata.vocab import DATE_MONTHS as MONTHS
from copydesk.metadata.vocab import ZONE_ABBREVIATIONS

# A month name is matched as any word (one or two: "كانون الثاني") and looked
# up in the table afterwards: an alternation of 300 names at every position
# of the text cost a millisecond per short window.
MONTH_ALT = r"[^\W\d_]{2,12}(?:\s[^\W\d_]{2,8})?"
MIN_YEAR = 1990  # the web news era; earlier "dates" on pages are almost always noise
MAX_INPUT = 300  # chars of one value examined (a 1 MB meta tag costs nothing)

_TIME = (
    r"(?:[T\s,]*(?:at|um|à|a\s+las|às|alle|@|-|–|—|\|)?\s*"
    r"(?P<h>\d{1,2})[:h.時时](?P<mi>\d{2})(?:[:分](?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?(?![a-z]))?)?"
)
_ZONE = (
    r"(?:\s*(?P<z>Z(?![a-z])|[+-]\d{2}(?::?\d{2})?(?!\d)|(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"
    r"|[A-Z]{3,4}\b))?"
)
_KO_TIME = (
    r"(?:\s*(?P<ap2>오전|오후|午前|午後|上午|下午)?\s*"
    r"(?P<h2>\d{1,2})\s*[:시時时点]\s*(?P<mi2>\d{1,2})?)?"
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "iso",
        re.compile(
            r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)" + _TIME + _ZONE,
            re.IGNORECASE,
        ),
    ),
    (
        "cjk",
        re.compile(
            r"(?P<y>\d{4})\s*[년年/.\-]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日号號]?"
            + _KO_TIME
        ),
    ),
    (
        "ymd",
        re.compile(
            r"(?<![\d.])(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?![\d/])\.?"
            + _TIME
            + _ZONE,
            re.IGNORECASE,
        ),
    ),
    (
        "mdy",
        re.compile(
            r"(?<![^\W\d_])(?P<mon>" + MONTH_ALT + r")(?:\.?\s+|[.-])(?P<d>\d{1,2})"
            r"(?:st|nd|rd|th)?(?:\s*,\s*|\.\s*|-|\s+)(?P<y>\d{4})(?!\d)" + _TIME + _ZONE,
            re.IGNORECASE,
        ),
    ),
    (
        "dmy",
        re.compile(
            r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|er|º|\.|-)?\s*(?:de\s+)?(?P<mon>"
            + MONTH_ALT
            + r")(?:\.?,?\s+|[.-])(?:de\s+)?(?P<y>\d{4})(?!\d)"
            + _TIME
            + _ZONE,
            re.IGNORECASE,
        ),
    ),
    (
        "ymd-name",  # citation dates: "2023 Jan 7"
        re.compile(
            r"(?<!\d)(?P<y>\d{4})\s+(?P<mon>" + MONTH_ALT + r")\.?\s+(?P<d>\d{1,2})(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "num",
        re.compile(
            r"(?<![\d.])(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<y>\d{4})(?!\d)" + _TIME + _ZONE,
            re.IGNORECASE,
        ),
    ),
)
_EPOCH_RE = re.compile(r"^\s*(\d{10}|\d{13})(?:\.\d+)?\s*$")
_COMPACT_RE = re.compile(
    r"^\s*(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_URL_DATE_RE = re.compile(
    r"/((?:19|20)\d{2})[/\-_]?(0[1-9]|1[0-2])[/\-_]?(0[1-9]|[12]\d|3[01])(?=[/\-_.]|$)"
)
_URL_NAMED_RE = re.compile(  # /2023/october/03/
    r"/((?:19|20)\d{2})/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?=[/\-_.]|$)", re.IGNORECASE
)

# Relative dates ("3 hours ago", "vor 2 Tagen", "il y a 3 jours", "3 giorni fa",
# "3 dagen geleden", "3 дня назад", "3시간 전", "3天前", "منذ 3 أيام"): unit
# words per language -> hours of one unit (month = 30 days, year = 365).
_UNIT_WORDS: dict[float, tuple[str, ...]] = {
    0: ("minutes", "minute", "mins", "min", "minuten", "minutos", "minuto", "minuti", "minuut",
        "минут", "минуты", "минуту", "分钟", "分", "분", "دقيقة", "دقائق"),
    1: ("hours", "hour", "hrs", "hr", "h", "stunden", "stunde", "std", "heures", "heure",
        "horas", "hora", "ore", "ora", "uur", "часов", "часа", "час", "小时", "時間", "시간",
        "ساعة", "ساعات"),
    24: ("days", "day", "tagen", "tage", "tag", "jours", "jour", "días", "dias", "día", "dia",
         "giorni", "giorno", "dagen", "dag", "дней", "дня", "день", "天", "日", "일", "يوم",
         "أيام"),
    168: ("weeks", "week", "wochen", "woche", "semaines", "semaine", "semanas", "semana",
          "settimane", "settimana", "weken", "недели", "неделю", "недель", "周", "週間", "주",
          "أسبوع", "أسابيع"),
    720: ("months", "month", "mos", "mo", "monaten", "monate", "monat", "mois", "meses", "mes",
          "mês", "mesi", "mese", "maanden", "maand", "месяцев", "месяца", "месяц", "个月",
          "ヶ月", "か月", "개월", "شهر", "أشهر"),
    8760: ("years", "year", "yrs", "yr", "jahren", "jahre", "jahr", "ans", "années", "an",
           "años", "año", "anos", "ano", "anni", "anno", "jaar", "лет", "года", "год", "年",
           "년", "سنة", "سنوات"),
}
_UNIT_HOURS: dict[str, float] = {w: hours for hours, words in _UNIT_WORDS.items() for w in words}
_ONE = r"an?|one|eine[mnr]?|ein|une?|un[oa]|uma?|een"
_RELATIVE_RE = re.compile(
    r"(?<![a-zа-яё\d])(?P<n>\d{1,3}|" + _ONE + r")\s*(?P<unit>"
    + "|".join(sorted(_UNIT_HOURS, key=len, reverse=True))
    + r")(?![a-zа-яё])",
    re.IGNORECASE,
)
_RELATIVE_CUE_RE = re.compile(
    r"\b(?:ago|vor|il\s+y\s+a|hace|há|fa|geleden|назад)\b|전|前|منذ", re.IGNORECASE
)
_YESTERDAY_RE = re.compile(
    r"(?<![^\W\d_])(?:yesterday|gestern|ayer|ontem|ieri|gisteren|вчера|أمس)(?![^\W\d_])"
    r"|어제|昨日|昨天",
    re.IGNORECASE,
)
_TODAY_RE = re.compile(
    r"(?<![^\W\d_])(?:today|heute|aujourd'hui|hoy|hoje|oggi|vandaag|сегодня|اليوم)(?![^\W\d_])"
    r"|오늘|今天|今日",
    re.IGNORECASE,
)


@dataclass(slots=True, frozen=True)
class Parsed:
    """A parsed date: ISO text and the calendar day (for comparisons)."""

    iso: str
    day: dt.date


def instant(iso: str) -> dt.datetime | None:
    """The moment an ISO value with an offset names (None without offset)."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def reference_day(crawled: str | None) -> dt.date:
    """The day no date may exceed: the crawl date when known, else today (UTC)."""
    if crawled:
        found = parse_date(crawled, None, check_future=False)
        if isinstance(found, Parsed):
            return found.day
    return dt.datetime.now(dt.UTC).date()


@lru_cache(maxsize=4096)  # the same value is examined by several steps; results are immutable
def parse_date(
    text: str,
    ref: dt.date | None,
    *,
    timestamp_ok: bool = False,
    check_future: bool = True,
    month_first: bool = False,
) -> Parsed | str:
    """Parse the first date in `text`; return Parsed, or a str saying why not.

    `ref` is the latest allowed day (see `reference_day`); `timestamp_ok`
    admits epoch seconds/milliseconds (only for fields that are timestamps);
    `month_first` reads an ambiguous numeric a/b/yyyy as month/day (the
    page's convention, see `numeric_order`).
    """
    if not text:
        return "empty"
    text = text[:MAX_INPUT]
    if timestamp_ok and _EPOCH_RE.match(text):
        return _from_epoch(text, ref)
    compact = _COMPACT_RE.match(text)
    if compact:
        y, mo, d, h, mi, sec, zone = compact.groups()
        return _check(_build(y, mo, d, h, mi, sec, None, zone), ref, check_future)
    why = "no date found"
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            result = _check(_from_match(kind, match, month_first), ref, check_future)
            if isinstance(result, Parsed):
                return result
            why = result
    if len(text.strip()) <= SHORT_NUMERIC:
        return _two_digit_year(text, ref, check_future, month_first) or why
    return why


# A two-digit year ("9/11/13 10:00AM", "14.11.24", "11.03.17 in Gadgetry") is
# read only in a short text (a dateline element, a <time>'s text): inside a
# longer text such triples are versions, scores and ratios far more often.
SHORT_NUMERIC = 40
_NUM2_RE = re.compile(
    r"(?<![\d.:/-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{2})(?![\d./-])"
    + _TIME,
    re.IGNORECASE,
)


def _two_digit_year(
    text: str, ref: dt.date | None, check_future: bool, month_first: bool
) -> Parsed | None:
    match = _NUM2_RE.search(text)
    if match is None:
        return None
    century = 2000 if int(match.group("y")) <= (ref or dt.date.today()).year % 100 else 1900
    fields = match.groupdict()
    fields["y"] = str(century + int(match.group("y")))
    result = _check(_from_match("num", _Groups(fields), month_first), ref, check_future)
    return result if isinstance(result, Parsed) else None


class _Groups:
    """A match's groups with the year rewritten (what `_from_match` reads)."""

    def __init__(self, groups: dict[str, Any]) -> None:
        self._groups = groups

    def groupdict(self) -> dict[str, Any]:
        return self._groups


def _may_match(kind: str, text: str, has_letters: bool) -> bool:
    """A cheap test that a format can occur in `text` (skips its regex)."""
    if kind == "iso":
        return "-" in text
    if kind == "cjk":
        return not text.isascii()
    if kind in ("ymd", "num"):
        return "/" in text or "." in text or (kind == "num" and "-" in text)
    return has_letters


def find_dates(
    text: str, ref: dt.date | None, month_first: bool = False
) -> list[tuple[int, int, Parsed]]:
    """Every valid date in a short `text` as (start, end, Parsed), by position;
    a span already taken by one format is not read again by another."""
    found: list[tuple[int, int, Parsed]] = []
    text = text[:MAX_INPUT]
    has_letters = not text.isascii() or any(ch.isalpha() for ch in text)
    for kind, pattern in _PATTERNS:
        if not _may_match(kind, text, has_letters):
            continue
        for match in pattern.finditer(text):
            start, end = _span_start(match), match.end()
            if any(s < end and start < e for s, e, _p in found):
                continue
            result = _check(_from_match(kind, match, month_first), ref, True)
            if isinstance(result, Parsed):
                found.append((start, end, result))
    return sorted(found, key=lambda item: item[0])


def _from_epoch(text: str, ref: dt.date | None) -> Parsed | str:
    number = int(text.strip().split(".")[0])
    if number > 10**11:
        number //= 1000
    try:
        stamp = dt.datetime.fromtimestamp(number, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return "epoch out of range"
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"
    return _check((iso, stamp.date()), ref, True)


def _span_start(match: re.Match[str]) -> int:
    """Where a date starts: "Updated May 14" matched as a two-word month
    starts at "May" (the label before it is not part of the date)."""
    if "mon" not in match.groupdict() or match.start() != match.start("mon"):
        return match.start()
    words = match.group("mon").split()
    if len(words) == 2 and words[0].lower().rstrip(".") not in MONTHS:
        return match.start("mon") + match.group("mon").rindex(words[1])
    return match.start()


def month_number(name: str) -> int:
    """1-12 for a month name (whole, else its last word, else its first), 0 if none."""
    low = name.lower().rstrip(".")
    words = low.split()
    for key in (low, words[-1], words[0]) if words else ():
        if key.rstrip(".") in MONTHS:
            return MONTHS[key.rstrip(".")]
    return 0


def _from_match(
    kind: str, m: re.Match[str] | _Groups, month_first: bool = False
) -> tuple[str, dt.date] | str:
    groups = m.groupdict()
    if kind == "num":
        a, b = int(groups["a"]), int(groups["b"])
        # The page's convention (d/m/y unless `month_first`) unless that is
        # impossible: 13/11/2025 is day-first, 3/14/2025 month-first anywhere.
        if month_first:
            month, day = (b, a) if a > 12 >= b else (a, b)
        else:
            day, month = (b, a) if b > 12 >= a else (a, b)
        month_s, day_s = str(month), str(day)
    elif "mon" in groups:
        month_s, day_s = str(month_number(groups["mon"])), groups["d"]
    else:
        month_s, day_s = groups["m"], groups["d"]
    hour, minute = groups.get("h"), groups.get("mi")
    if groups.get("h2"):
        hour, minute = groups["h2"], groups.get("mi2") or "00"
    ampm = groups.get("ampm") or groups.get("ap2")
    return _build(groups["y"], month_s, day_s, hour, minute, groups.get("s"), ampm, groups.get("z"))


def _build(
    year: str,
    month: str,
    day: str,
    hour: str | None,
    minute: str | None,
    second: str | None,
    ampm: str | None,
    zone: str | None,
) -> tuple[str, dt.date] | str:
    try:
        day_value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return f"impossible date {year}-{month}-{day}"
    iso = day_value.isoformat()
    if hour is None or minute is None:
        return iso, day_value
    h, mi = int(hour), int(minute)
    if ampm:
        pm = ampm.lower().startswith("p") or ampm in ("오후", "午後", "下午")
        h = (h % 12) + (12 if pm else 0)
    if h > 23 or mi > 59 or (second is not None and int(second) > 59):
        return iso, day_value  # a bad time does not spoil a good day
    iso += f"T{h:02d}:{mi:02d}" + (f":{int(second):02d}" if second is not None else "")
    return iso + _offset(zone), day_value


def _offset(zone: str | None) -> str:
    """Normalise a zone designator to +HH:MM; unknown abbreviations give ''."""
    if not zone:
        return ""
    zone = zone.strip()
    low = zone.lower()
    if low in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[low]
    sign_at = max(zone.find("+"), zone.find("-"))
    if sign_at < 0:
        return ""
    digits = zone[sign_at + 1 :].replace(":", "")
    if not digits.isdigit():
        return ""
    hours, minutes = (digits[:-2] or "0", digits[-2:]) if len(digits) > 2 else (digits, "00")
    if int(hours) > 14 or int(minutes) > 59:
        return ""
    return f"{zone[sign_at]}{int(hours):02d}:{minutes}"


def _check(
    built: tuple[str, dt.date] | str, ref: dt.date | None, check_future: bool
) -> Parsed | str:
    if isinstance(built, str):
        return built
    iso, day = built
    if day.year < MIN_YEAR:
        return f"implausible year {day.year}"
    if check_future:
        limit = ref or dt.datetime.now(dt.UTC).date()
        # one day of slack: a page in UTC+14 may be "tomorrow" for the crawler
        if day > limit + dt.timedelta(days=1):
            return f"in the future of {limit.isoformat()}"
    return Parsed(iso, day)


def date_from_url(url: str | None, ref: dt.date | None) -> Parsed | str:
    """A day written in the url path (/2019/08/20/, /20190820/), else a reason."""
    if not url:
        return "no url"
    path = url.split("?", 1)[0][:500]
    match = _URL_DATE_RE.search(path)
    if match:
        year, month, day = match.groups()
    else:
        named = _URL_NAMED_RE.search(path)
        if not named or named.group(2).lower() not in MONTHS:
            return "no date in url"
        year, day = named.group(1), named.group(3)
        month = str(MONTHS[named.group(2).lower()])
    return _check(_build(year, month, day, None, None, None, None, None), ref, True)


def names_a_day_in_words(text: str) -> bool:
    """True when `text` says "yesterday" or "today" in one of our languages."""
    return bool(_YESTERDAY_RE.search(text) or _TODAY_RE.search(text))


def reference_moment(crawled: str | None) -> dt.datetime | None:
    """The crawl's moment when `date_crawled` gives a time (naive: its own clock)."""
    if not crawled or len(crawled) < 13:
        return None
    try:
        return dt.datetime.fromisoformat(crawled.strip()[:19])
    except ValueError:
        return None


def parse_relative(
    text: str, ref: dt.date | None, moment: dt.datetime | None = None
) -> Parsed | str:
    """'3 hours ago', 'vor 2 Tagen', '3시간 전', 'yesterday' resolved against the
    crawl: hours against the crawl's time when known ("18 hours ago" at 06:00
    is the day before), else they stay on the crawl day."""
    if ref is None:
        return "relative date without crawl date"
    low = text[:MAX_INPUT].lower()
    if _YESTERDAY_RE.search(low) or low.strip() == "hier":  # "hier" is also German "here"
        day = ref - dt.timedelta(days=1)
        return Parsed(day.isoformat(), day)
    match = _RELATIVE_RE.search(low) if _RELATIVE_CUE_RE.search(low) else None
    if match is None:
        if _TODAY_RE.search(low):
            return Parsed(ref.isoformat(), ref)
        return "no relative date"
    raw = match.group("n")
    n = int(raw) if raw.isdigit() else 1
    hours = _UNIT_HOURS[match.group("unit").lower()]
    if hours < 24:
        if moment is not None and moment.date() == ref:
            day = (moment - dt.timedelta(hours=n * max(hours, 1 / 60))).date()
        else:
            day = ref - dt.timedelta(days=int(n * hours // 24))
    else:
        day = ref - dt.timedelta(hours=n * hours)
    return Parsed(day.isoformat(), day)
