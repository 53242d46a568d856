"""JSON-LD nodes -> metadata candidates.

The best-ranked article node (NewsArticle before Article before
BlogPosting before WebPage; see `jsonld.ARTICLE_TYPES`) speaks as
"jsonld"; other article nodes as "jsonld-other" (lower trust), so a
second block that disagrees, or a related story in `@graph`, cannot
override the main one. Authors keep their @type: an Organization author
is an agency candidate or nothing, never a person.
"""

from __future__ import annotations

from typing import Any

from copydesk.metadata import jsonld
from copydesk.metadata.model import Metadata

_ARTICLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("headline", "title"),
    ("alternativeHeadline", "title-alt"),
    ("datePublished", "date_published"),
    ("uploadDate", "date_published"),
    ("dateCreated", "date_created"),
    ("dateModified", "date_modified"),
    ("articleSection", "section"),
    ("description", "description"),
    ("inLanguage", "declared_language"),
)


def read_jsonld(texts: list[str], meta: Metadata, notes: list[str]) -> None:
    """Parse the page's ld+json texts and add their candidates."""
    if not texts:
        return
    nodes = jsonld.nodes(jsonld.load_blocks(texts, notes))
    index = jsonld.id_index(nodes)
    questions = jsonld.qa_main_entities(nodes)
    articles = sorted((n for n in nodes if jsonld.article_rank(n) < 999), key=jsonld.article_rank)
    if questions and not articles:
        articles = questions[:1]  # a Q&A thread: the question is the page's post
    for position, node in enumerate(articles[:5]):
        main = position == 0 and jsonld.article_rank(node) < jsonld.ARTICLE_TYPES.index(
            "creativework"
        )
        main = main or (position == 0 and node in questions)
        kind = "jsonld" if main else "jsonld-other"
        _article(node, f"{kind}:{jsonld.types_of(node)[0]}", meta, index)
    for node in nodes:
        types = jsonld.types_of(node)
        if "breadcrumblist" in types:
            _breadcrumbs(node, meta)
        elif "videoobject" in types and node.get("uploadDate"):
            # a video page's own date (a video inside an article ranks below it)
            meta.add_candidate(
                "date_published", jsonld.text_of(node.get("uploadDate")), "jsonld-other:VideoObject"
            )
        elif "website" in types and node.get("name"):
            meta.add_candidate(
                "site_name", jsonld.text_of(node.get("name")), "jsonld-other:WebSite"
            )


def _article(node: dict[str, Any], source: str, meta: Metadata, index: dict[str, Any]) -> None:
    for key, field in _ARTICLE_FIELDS:
        value = jsonld.text_of(node.get(key))
        if value is None:
            continue
        if field == "title-alt":
            continue
        if field == "date_created":
            field = "date_published"
            source_here = "created:jsonld-dateCreated"
        else:
            source_here = source
        meta.add_candidate(field, value, source_here)
    if node.get("name"):
        meta.add_candidate("title", jsonld.text_of(node.get("name")), source + ":name")
    forum = bool(jsonld.FORUM_TYPES & set(jsonld.types_of(node)))
    _authors(node.get("author") or node.get("creator"), source, meta, index, forum)
    publisher = _resolve(node.get("publisher"), index)
    if isinstance(publisher, dict | list | str):
        name = jsonld.text_of(publisher)
        if name:
            meta.add_candidate("site_name", name, source + ":publisher")
    _keywords(node.get("keywords"), source, meta)
    _image(node.get("image") or node.get("thumbnailUrl"), source, meta)
    url = node.get("mainEntityOfPage") or node.get("url")
    url = url.get("@id") or url.get("url") if isinstance(url, dict) else url
    if isinstance(url, str) and url.startswith("http"):
        meta.add_candidate("canonical_url", url, source + ":url")


def _resolve(value: Any, index: dict[str, Any]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in index:
        return index[value["@id"]]
    return value


def _authors(value: Any, source: str, meta: Metadata, index: dict[str, Any],
             forum: bool = False) -> None:
    """Author candidates; in a forum post (`forum`) the name may be a user name."""
    extra = {"handle": True} if forum else {}
    items = value if isinstance(value, list) else [value]
    for item in items[:50]:
        item = _resolve(item, index)
        if isinstance(item, str):
            meta.add_candidate("authors", item, source + ":author", **extra)
        elif isinstance(item, dict):
            name = jsonld.text_of(item.get("name"))
            if not name:
                continue
            is_org = bool(
                {"organization", "newsmediaorganization", "corporation"}
                & set(jsonld.types_of(item))
            )
            meta.add_candidate("authors", name, source + ":author", organization=is_org, **extra)


def _keywords(value: Any, source: str, meta: Metadata) -> None:
    if isinstance(value, list):
        for item in value[:50]:
            text = jsonld.text_of(item)
            if text:
                meta.add_candidate("tags", text, source + ":keywords")
    elif isinstance(value, str):
        meta.add_candidate("tags", value[:2000], source + ":keywords")


def _image(value: Any, source: str, meta: Metadata) -> None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
    if isinstance(value, str) and value.strip():
        meta.add_candidate("image", value.strip()[:2000], source + ":image")


def _breadcrumbs(node: dict[str, Any], meta: Metadata) -> None:
    items = node.get("itemListElement")
    if not isinstance(items, list):
        return
    names = []
    for item in items[:20]:
        if isinstance(item, dict):
            inner = item.get("item")
            name = jsonld.text_of(item.get("name")) or (
                jsonld.text_of(inner.get("name")) if isinstance(inner, dict) else None
            )
            if name:
                names.append(name)
    meta.add_candidate("breadcrumbs", names, "jsonld:BreadcrumbList")
