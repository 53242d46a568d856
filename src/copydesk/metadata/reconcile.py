"""Pick one value per field from the candidates, by trust (see `trust.py`).

Every candidate ends with either `chosen: True` and a `reason`, or a
`rejected` reason (invalid date, organisation as author, ...), or stays as
a lower-trust alternative; `extract(..., explain=True)` shows them all.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from copydesk.metadata import date_choice, dates
from copydesk.metadata.agencies import match_agency
from copydesk.metadata.model import Metadata
from copydesk.metadata.people import credit_name, parse_byline, visible_credit
from copydesk.metadata.title import choose_title, norm, site_keys
from copydesk.metadata.trust import trust
from copydesk.normalize import collapse_spaces

MAX_TAGS = 30
TEXT_KINDS = frozenset({"dom", "text"})  # bylines read from visible text, not structured fields


def ranked(meta: Metadata, field: str) -> list[dict[str, Any]]:
    """Candidates of `field`, highest trust first (stable for equal trust)."""
    return sorted(meta.candidates.get(field, []), key=lambda c: -trust(c["source"]))


def choose_text(
    meta: Metadata, field: str, valid: Callable[[str], str | None] | None = None
) -> str | None:
    """The highest-trust candidate that `valid` accepts (valid returns a reason to reject)."""
    for cand in ranked(meta, field):
        if "rejected" in cand:
            continue
        value = cand["value"]
        why = valid(value) if valid else None
        if why:
            cand["rejected"] = why
            continue
        cand["chosen"] = True
        cand["reason"] = f"highest trust source ({cand['source']})"
        return str(value)
    return None


def choose_dates(meta: Metadata, ref: dt.date | None) -> None:
    """date_published and date_modified: valid, not future, modified >= published.

    Every candidate is parsed (reasons kept for the rejected); the modified
    date is the most trusted valid one; the published day is the best-scored
    day of `date_choice` over all sources, written as its most trusted
    candidate gives it.
    """
    month_first = any(c["value"] == "mdy" for c in meta.candidates.get("date_order", []))
    moment = dates.reference_moment(meta.date_crawled)
    for field in ("date_published", "date_modified", "date_seen"):
        for cand in meta.candidates.get(field, []):
            _parse_candidate(cand, meta, ref, month_first, moment)
    modified = _most_trusted(meta, "date_modified") or _seen_update(meta)
    published = _scored_published(meta)
    if published is None and modified is not None:
        meta.add_candidate(
            "date_published",
            modified.iso,
            "check",
            chosen=True,
            reason="no publication date on the page: the update time stands in",
        )
        published = modified
    if published is not None:
        published = _local_form(published, meta.candidates.get("date_published", []))
        published = _url_day(published, meta)
    if modified is not None:
        modified = _local_form(modified, meta.candidates.get("date_modified", []))
    if published and modified and modified.day < published.day:
        meta.add_candidate(
            "date_modified", modified.iso, "check", rejected="earlier than date_published"
        )
        modified = None
    meta.date_published = published.iso if published else None
    meta.date_modified = modified.iso if modified else None


def _parse_candidate(
    cand: dict[str, Any],
    meta: Metadata,
    ref: dt.date | None,
    month_first: bool,
    moment: dt.datetime | None,
) -> None:
    if "rejected" in cand or "parsed" in cand:
        return
    parsed = dates.parse_date(
        str(cand["value"]), ref, timestamp_ok=cand.get("timestamp", False), month_first=month_first
    )
    if isinstance(parsed, str) and meta.date_crawled and cand["source"].startswith("text:"):
        relative = dates.parse_relative(str(cand["value"]), ref, moment)
        parsed = relative if isinstance(relative, dates.Parsed) else parsed
    if isinstance(parsed, str):
        cand["rejected"] = parsed
    else:
        cand["parsed"] = parsed.iso


def _most_trusted(meta: Metadata, field: str) -> dates.Parsed | None:
    for cand in ranked(meta, field):
        if cand.get("parsed") and "rejected" not in cand:
            cand["chosen"] = True
            cand["reason"] = f"highest trust valid date ({cand['source']})"
            return dates.Parsed(cand["parsed"], dt.date.fromisoformat(cand["parsed"][:10]))
    return None


def _seen_update(meta: Metadata) -> dates.Parsed | None:
    """No update time in any field: an "Updated ..." label near the headline."""
    near = [
        c
        for c in meta.candidates.get("date_seen", [])
        if c.get("parsed") and c["source"] == "scan:updated" and c.get("headline")
        and -date_choice.NEAR_BEFORE <= c["offset"] <= date_choice.NEAR_AFTER
    ]
    if not near:
        return None
    best = min(near, key=lambda c: abs(c["offset"]))
    meta.add_candidate(
        "date_modified", best["parsed"], best["source"], parsed=best["parsed"], derived=True,
        chosen=True, reason="an update label near the headline",
    )
    return dates.Parsed(best["parsed"], dt.date.fromisoformat(best["parsed"][:10]))


def _scored_published(meta: Metadata) -> dates.Parsed | None:
    """The best-scored day, as its most trusted candidate writes it (a
    published candidate first, then a modified one, then the visible text)."""
    found = date_choice.best_day(date_choice.collect(meta.candidates))
    if found is None:
        return None
    day, points = found
    for field in ("date_published", "date_modified", "date_seen"):
        for cand in ranked(meta, field):
            if cand.get("parsed", "")[:10] == day.isoformat() and "rejected" not in cand:
                if field == "date_published":
                    cand["chosen"] = True
                    cand["reason"] = f"best-scored day ({points:.2f}), most trusted source"
                else:
                    meta.add_candidate(
                        "date_published",
                        cand["parsed"],
                        cand["source"],
                        parsed=cand["parsed"],
                        derived=True,
                        chosen=True,
                        reason=f"best-scored day ({points:.2f}), from {field}",
                    )
                return dates.Parsed(cand["parsed"], day)
    return None


def _local_form(parsed: dates.Parsed, cands: list[dict[str, Any]]) -> dates.Parsed:
    """The same instant written in the page's local offset, when a source gives it
    (a JSON-LD value in UTC and an og value in -08:00 name one moment; the
    local one keeps the page's calendar day)."""
    moment = dates.instant(parsed.iso)
    if moment is None or moment.utcoffset() != dt.timedelta(0):
        return parsed
    for cand in cands:
        other = cand.get("parsed")
        when = dates.instant(other) if other else None
        if when is not None and when == moment and when.utcoffset() != dt.timedelta(0):
            cand["reason"] = "same instant as the chosen date, in the page's local offset"
            return dates.Parsed(str(other), when.date())
    return parsed


def _url_day(parsed: dates.Parsed, meta: Metadata) -> dates.Parsed:
    """A UTC timestamp one day off the day in the url: the url's day is the
    page's local day (the CMS writes it in local time), so it is kept."""
    moment = dates.instant(parsed.iso)
    if moment is None or moment.utcoffset() != dt.timedelta(0):
        return parsed
    for cand in meta.candidates.get("date_published", []):
        if cand["source"] == "url" and cand.get("parsed"):
            day = dt.date.fromisoformat(cand["parsed"][:10])
            if abs((day - parsed.day).days) == 1:
                cand["chosen"] = True
                cand["reason"] = f"local day of the UTC time {parsed.iso} (the url's day)"
                return dates.Parsed(day.isoformat(), day)
    return parsed


def choose_people(meta: Metadata, url: str | None = None) -> None:
    """authors from the best source that names a person (else a structured credit,
    `_choose_credit`); agency from any.

    A source whose only "person" is the site itself (meta author "Five Books"
    on fivebooks.com, a JSON-LD author "Cleveland Clinic") is passed over
    for a lower one that names someone else; it is kept only when no other
    source names anyone (a personal blog named after its author).
    """
    keys = site_keys([str(c["value"]) for c in meta.candidates.get("site_name", [])], url)
    _choose_people(meta, keys, allow_site=False)
    if not meta.authors:
        _choose_people(meta, keys, allow_site=True)
    if not meta.authors and not meta.agency:
        _choose_credit(meta)


def _choose_credit(meta: Metadata) -> None:
    """No person and no agency named anywhere: the credit the most trusted
    structured author field gives stands as the author (an Organization
    author "Contributors to Wikimedia projects", og:article:author "BBC
    News", meta author "Resy Staff"), else the text of a byline element
    ("Podium Staff", "EDB Team", a user name). The page says who wrote it;
    the WCXB, Readability and newspaper4k golds all name such a credit. Not
    the visible text outside byline elements ("company stage"), nor a JSON-LD
    node other than the article's."""
    for structured in (True, False):  # every structured field before any byline element
        for cand in ranked(meta, "authors"):
            kind = cand["source"].split(":", 1)[0]
            if kind in ("text", "jsonld-other") or (kind == "dom") == structured:
                continue
            why = str(cand.get("rejected", ""))
            if why and why != ORGANISATION and not why.startswith(NO_PERSON):
                continue  # a profile url: not a credit
            name = (credit_name if structured else visible_credit)(str(cand["value"]))
            if name:
                meta.authors.append(name)
                cand.pop("rejected", None)
                cand["chosen"] = True
                cand["reason"] = "no person or agency named: the author credit stands"
                return


def _names_site(people: list[str], keys: set[str]) -> bool:
    return all(norm(p) in keys for p in people)


def _choose_people(meta: Metadata, keys: set[str], allow_site: bool) -> None:
    site = norm(meta.site_name or "")
    best_source: tuple[str, Any] | None = None
    for cand in ranked(meta, "authors"):
        if "rejected" in cand:
            continue
        value = str(cand["value"])
        if cand.get("organization"):
            agency = match_agency(value)
            if agency:
                meta.agency = meta.agency or agency
                cand["reason"] = "organisation author: a wire agency"
            else:
                cand["rejected"] = ORGANISATION
            continue
        people = _people_of(cand, meta, site, allow_site)
        if not people:
            continue
        if not allow_site and _names_site(people, keys):
            cand["reason"] = NAMES_SITE
            continue
        group = (_kind(cand["source"]), cand.get("group"))
        if best_source is None:
            best_source = group
        if group != best_source:
            continue
        cand["chosen"] = True
        cand["reason"] = f"highest trust source naming a person ({cand['source']})"
        for person in people:
            if person.casefold() not in {a.casefold() for a in meta.authors}:
                meta.authors.append(person)
    del meta.authors[20:]


NAMES_SITE = "names the site, not a person (kept only if nothing else names one)"
ORGANISATION = "organisation, not a person"
NO_PERSON = "no person named"


def _people_of(cand: dict[str, Any], meta: Metadata, site: str, allow_site: bool) -> list[str]:
    """The people a candidate names (its reason or rejection set when none)."""
    structured = _kind(cand["source"]).split(":")[0] not in TEXT_KINDS
    byline = parse_byline(str(cand["value"]), structured=structured,
                          handle=bool(cand.get("handle")))
    meta.agency = meta.agency or byline.agency
    # a one-word "name" equal to the site is the site (a personal blog's author
    # may share its name with the site: two words are kept), unless an author
    # field says so and no other source names anyone (the second pass)
    people = [p for p in byline.authors
              if len(p.split()) > 1 or norm(p) != site or (allow_site and structured)]
    if not people and byline.authors and structured:
        cand["reason"] = NAMES_SITE
    elif not people and byline.agency:
        cand["reason"] = f"credits a wire agency ({byline.agency}), no person"
    elif not people:
        cand["rejected"] = NO_PERSON + (
            f" (dropped: {byline.dropped[:3]})" if byline.dropped else "")
    return people


def _kind(source: str) -> str:
    return source.split(":", 2)[0] + ":" + source.split(":", 2)[1] if source.count(":") else source


def choose_title_field(meta: Metadata, url: str | None) -> None:
    sites = [str(c["value"]) for c in meta.candidates.get("site_name", [])]
    keys = site_keys(sites, url)
    cands = meta.candidates.get("title", [])
    meta.title, _ = choose_title(cands, keys, meta.outside_text)


def choose_section(meta: Metadata) -> None:
    meta.section = choose_text(meta, "section", _short_label)
    if meta.section:
        return
    title = norm(meta.title or "")
    for cand in ranked(meta, "breadcrumbs"):
        crumbs = [
            c
            for c in cand["value"]
            if norm(c) not in ("", "home", title) and norm(c) != norm(meta.site_name or "")
        ]
        if crumbs:
            meta.section = crumbs[-1]
            cand["chosen"] = True
            cand["reason"] = "last breadcrumb before the article"
            return


def _short_label(value: str) -> str | None:
    return None if 0 < len(value) <= 60 else "not a short label"


def choose_tags(meta: Metadata) -> None:
    cands = ranked(meta, "tags")
    if not cands:
        return
    best = trust(cands[0]["source"])
    tags: list[str] = []
    for cand in cands:
        if trust(cand["source"]) != best:
            continue
        cand["chosen"] = True
        cand["reason"] = "highest trust tag source"
        for tag in html.unescape(str(cand["value"])).split(","):
            tag = collapse_spaces(tag)
            if tag and len(tag) <= 60 and tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)
    meta.tags = tags[:MAX_TAGS]


def choose_urls(meta: Metadata, url: str | None) -> None:
    for field in ("image", "canonical_url"):
        value = choose_text(meta, field, _url_like)
        if value and url:
            value = urljoin(url, value)
        setattr(meta, field, value)


def _url_like(value: str) -> str | None:
    return (
        None if value.startswith(("http", "/", "//")) and " " not in value.strip() else "not a url"
    )


_LANGUAGE_TAG_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
# Values of Content-Language / language metas that are charsets, not languages.
_CHARSET_RE = re.compile(
    r"^(?:utf|iso|windows|win|cp\d|koi|euc|big5|gb\d|gbk|shift|sjis|ascii|us-ascii|latin)",
    re.IGNORECASE,
)


def language_tag_problem(value: str) -> str | None:
    """Why `value` is not a language tag (None when it is one: "en", "pt-BR", "zh_Hant")."""
    first = value.strip().split(",")[0].strip()
    if _CHARSET_RE.match(first):
        return "a charset, not a language tag"
    if not _LANGUAGE_TAG_RE.fullmatch(first):
        return "not a language tag"
    return None


def declared_language(meta: Metadata) -> None:
    """The page's declared language, only from a value that is a language tag
    (a Content-Language meta holding "utf-8" declares nothing)."""
    value = choose_text(meta, "declared_language", language_tag_problem)
    if value:
        first = value.strip().split(",")[0].strip()
        meta.declared_language = first.replace("_", "-").split("-")[0].lower()
