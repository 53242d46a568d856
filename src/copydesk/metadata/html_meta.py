"""`<meta>` and `<link>` tags -> metadata candidates.

One pass over the page's meta elements; a table maps each tag name
(OpenGraph, article:*, Dublin Core, parsely, sailthru, citation_*, plain
names, http-equiv) to the field it feeds and the source kind whose trust
applies (see `trust.py`).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from copydesk.metadata.html_nodes import Attributes, PageNodes
from copydesk.metadata.model import Metadata
from copydesk.normalize import collapse_spaces

MAX_VALUE = 2000  # chars kept of one meta value (a 1 MB tag is cut, not parsed)

# tag name (lower case) -> (field, source kind)
META_FIELDS: dict[str, tuple[str, str]] = {
    "og:title": ("title", "og"),
    "twitter:title": ("title", "meta"),
    "dc.title": ("title", "dctitle"),
    "dcterms.title": ("title", "dctitle"),
    "parsely-title": ("title", "analytics"),
    "sailthru.title": ("title", "meta"),
    "citation_title": ("title", "meta"),
    "author": ("byline", "meta"),
    "article:author": ("byline", "og"),
    "byl": ("byline", "meta"),
    "article:author_name": ("byline", "meta"),
    "parsely-author": ("byline", "analytics"),
    "sailthru.author": ("byline", "analytics"),
    "dc.creator": ("byline", "dc"),
    "dcterms.creator": ("byline", "dc"),
    "citation_author": ("byline", "meta"),
    "og:article:author": ("byline", "og"),
    "article:published_time": ("date_published", "og"),
    "og:published_time": ("date_published", "og"),
    "article:published": ("date_published", "og"),
    "published_time": ("date_published", "meta"),
    "parsely-pub-date": ("date_published", "analytics"),
    "sailthru.date": ("date_published", "analytics"),
    "pubdate": ("date_published", "meta"),
    "publishdate": ("date_published", "meta"),
    "publish-date": ("date_published", "meta"),
    "publish_date": ("date_published", "meta"),
    "date": ("date_published", "meta"),
    "dc.date": ("date_published", "meta"),
    "dc.date.issued": ("date_published", "meta"),
    "dcterms.date": ("date_published", "meta"),
    "dcterms.issued": ("date_published", "meta"),
    "dcterms.created": ("date_published", "meta"),
    "dc.date.created": ("date_published", "meta"),
    "citation_publication_date": ("date_published", "meta"),
    "citation_date": ("date_published", "meta"),
    "original-publish-date": ("date_published", "meta"),
    "publication_date": ("date_published", "meta"),
    "publication-date": ("date_published", "meta"),
    "pub_date": ("date_published", "meta"),
    "article_date_original": ("date_published", "meta"),
    "date.release": ("date_published", "meta"),
    "release_date": ("date_published", "meta"),
    "cxenseparse:recs:publishtime": ("date_published", "meta"),
    "sailthru.date.published": ("date_published", "analytics"),
    "datecreated": ("date_published", "created"),
    "article.published": ("date_published", "meta"),
    "og:article:published_time": ("date_published", "og"),
    "datepublished": ("date_published", "microdata"),
    "date_published": ("date_published", "meta"),
    "article:modified_time": ("date_modified", "og"),
    "og:updated_time": ("date_modified", "og"),
    "article:modified": ("date_modified", "og"),
    "modified_time": ("date_modified", "meta"),
    "dcterms.modified": ("date_modified", "meta"),
    "dc.date.modified": ("date_modified", "meta"),
    "last-modified": ("date_modified", "meta"),
    "lastmod": ("date_modified", "meta"),
    "article.updated": ("date_modified", "meta"),
    "datemodified": ("date_modified", "microdata"),
    "og:site_name": ("site_name", "og"),
    "application-name": ("site_name", "meta"),
    "apple-mobile-web-app-title": ("site_name", "meta"),
    "dc.publisher": ("site_name", "meta"),
    "publisher": ("site_name", "meta"),
    "citation_publisher": ("site_name", "meta"),
    "article:section": ("section", "og"),
    "parsely-section": ("section", "analytics"),
    "og:article:section": ("section", "og"),
    "section": ("section", "meta"),
    "article:tag": ("tags", "og"),
    "keywords": ("tags", "meta"),
    "news_keywords": ("tags", "meta"),
    "parsely-tags": ("tags", "analytics"),
    "sailthru.tags": ("tags", "analytics"),
    "og:description": ("description", "og"),
    "description": ("description", "meta"),
    "twitter:description": ("description", "meta"),
    "dc.description": ("description", "meta"),
    "og:image": ("image", "og"),
    "og:image:url": ("image", "og"),
    "og:image:secure_url": ("image", "og"),
    "twitter:image": ("image", "meta"),
    "twitter:image:src": ("image", "meta"),
    "og:url": ("canonical_url", "og"),
    "og:locale": ("declared_language", "og"),
    "content-language": ("declared_language", "meta"),
    "dc.language": ("declared_language", "meta"),
    "language": ("declared_language", "meta"),
}
# Fields whose value may be epoch seconds/milliseconds.
TIMESTAMP_NAMES = frozenset(
    {
        "parsely-pub-date",
        "sailthru.date",
        "article:published_time",
        "article:modified_time",
        "og:updated_time",
        "lastmod",
    }
)


def read_head(nodes: PageNodes, meta: Metadata) -> list[str]:
    """<meta>, <link>, <title> and JSON-LD (`PageNodes.head`); returns the
    JSON-LD texts. The whole document, not only <head>: a stray element in
    the head makes parsers move the rest of the head's tags into <body>."""
    title_seen = False
    ld_texts: list[str] = []
    labels: dict[str, dict[str, str]] = {}
    for node, attrs in nodes.head[:3000]:
        tag = node.tag  # (decoded anew at each access)
        if tag == "script":
            if (attrs.get("type") or "").strip().lower() == "application/ld+json":
                ld_texts.append(node.text(deep=True) or "")
        elif tag == "meta":
            read_meta_attrs(attrs, meta)
            _label_pair(attrs, labels)
        elif tag == "link":
            _link_node(attrs, meta)
        elif not title_seen:
            title_seen = True
            text = collapse_spaces((node.text() or "")[:MAX_VALUE])
            if text:
                meta.add_candidate("title", text, "title-tag")
    _labelled_authors(labels, meta)
    return ld_texts


_LABEL_KEY_RE = re.compile(r"twitter:(label|data)(\d{1,2})$")
# Labels that say the paired value is the writer ("Written by", "Verfasst von", "Autor").
_AUTHOR_LABEL_RE = re.compile(
    r"^(?:written|posted|published|verfasst|geschrieben|écrit|escrito|scritto)?\s*"
    r"(?:by|von|par|por|da)?\s*$|^(?:author|autor|auteur|autore|by)$",
    re.IGNORECASE,
)


def _label_pair(attrs: Attributes, labels: dict[str, dict[str, str]]) -> None:
    """Remember `twitter:labelN` / `twitter:dataN` pairs (SEO plugins write the
    author as label "Written by" + data "Jane Doe")."""
    key = (attrs.get("name") or attrs.get("property") or "").lower()
    if "twitter:" not in key:
        return  # (the pattern's literal start: most meta names, without a regex call)
    match = _LABEL_KEY_RE.match(key.strip())
    if match is None:
        return
    content = " ".join((attrs.get("content") or "")[:200].split())
    if content:
        labels.setdefault(match.group(2), {})[match.group(1)] = content


def _labelled_authors(labels: dict[str, dict[str, str]], meta: Metadata) -> None:
    for pair in labels.values():
        label, data = pair.get("label", ""), pair.get("data", "")
        if data and label.strip() and _AUTHOR_LABEL_RE.match(label.strip()):
            meta.add_candidate("authors", data, "meta:twitter-label")


def read_meta_attrs(attrs: Attributes, meta: Metadata) -> None:
    """One recognised <meta> (its attributes) becomes a candidate for its field."""
    key = (
        attrs.get("property")
        or attrs.get("name")
        or attrs.get("itemprop")
        or attrs.get("http-equiv")
    )
    if not key:
        return
    key, target = _known_key(key)
    content = attrs.get("content")
    if target is None or not content or not content.strip():
        return
    field, kind = target
    if kind == "meta" and attrs.get("itemprop") and not attrs.get("name"):
        kind = "microdata"
    value = collapse_spaces(content[:MAX_VALUE])
    if "&" in value:
        value = html.unescape(value)
    if field == "byline" and _is_profile_url(value):
        meta.add_candidate("authors", value, f"{kind}:{key}", rejected="a profile url, not a name")
        return
    extra: dict[str, bool] = {"timestamp": True} if key in TIMESTAMP_NAMES else {}
    if attrs.get("property"):
        extra["rdfa"] = True  # RDFa's attribute for og:/dc: (see title.choose_title)
    if field == "byline" and " " not in value:
        extra["handle"] = True  # one token in an author field: the writer's user name
    meta.add_candidate(_field_name(field), value, f"{kind}:{key}", **extra)


@lru_cache(maxsize=2048)
def _known_key(raw: str) -> tuple[str, tuple[str, str] | None]:
    """The first recognised name of a (possibly space-separated) property list;
    "dc:creator" and "DC.creator" are one name. (Memoised: a function of the
    string alone, and a page's ~35 meta names are mostly the same few hundred
    across pages: "viewport", "og:title", ...)"""
    for key in raw.strip().lower().split()[:6]:
        if key.startswith(("dc:", "dcterms:", "dcterm:")):
            key = key.replace("dcterm:", "dcterms.").replace(":", ".", 1)
        if key in META_FIELDS:
            return key, META_FIELDS[key]
    return raw, None


def _field_name(field: str) -> str:
    return "authors" if field == "byline" else field


def _is_profile_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "www.", "/"))


def _link_node(attrs: Attributes, meta: Metadata) -> None:
    """<link rel=canonical> and rel=image_src."""
    rel = (attrs.get("rel") or "").lower().split()
    if "canonical" not in rel and "image_src" not in rel:
        return  # (stylesheets, icons, preloads: most of a head's links)
    href = (attrs.get("href") or "").strip()[:MAX_VALUE]
    if not href:
        return
    if "canonical" in rel:
        meta.add_candidate("canonical_url", href, "link:canonical")
    elif "image_src" in rel:
        meta.add_candidate("image", href, "meta:link-image_src")
