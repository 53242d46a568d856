"""The visible page -> metadata candidates: microdata, <time>, bylines, h1,
<title>, datelines, breadcrumbs, the copyright line.

Nodes inside comments, related/popular lists, sidebars, navigation and
widgets are skipped (the commonest source of wrong dates and sidebar
names as authors in other extractors' trackers). Every query is capped so
a page with thousands of matching nodes costs no more than a normal one.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from copydesk.metadata import dates
from copydesk.metadata.dates import names_a_day_in_words
from copydesk.metadata.html_nodes import PageNodes
from copydesk.metadata.labels import split_labelled
from copydesk.metadata.model import Metadata
from copydesk.metadata.vocab import COPYRIGHT_NOT_HOLDER_RE, COPYRIGHT_RE, MODIFIED_RE

MAX_TEXT = 300
# Substrings ("yline", "uthor") match both cases of the first letter with one
# selector each: every alternative costs a walk over the tree.
_BYLINE_SELECTOR = (
    '[rel="author"], [class*="yline"], [class*="uthor"], [id*="yline"], [id*="uthor"]'
)

_BYLINE_CLASS_RE = re.compile(
    r"by-?line|(?:^|[-_\s])(?:author|authors|author-?name|writer|contributor|creator|fn)(?=$|[-_\s])"
    r"|(?-i:[a-z](?:Author|Writer|Byline))",
    re.IGNORECASE,
)
# ("author-views", "author-count": a counter beside the name, not the name)
_BYLINE_BAD_RE = re.compile(
    r"bio|avatar|image|img|photo|pic|description|about|box|more|label|title|views|count|stats|hits",
    re.IGNORECASE,
)
# The name element of an author box ("elementor-author-box__name", "author-bio-name"):
# the box's other parts (bio, avatar) are not names, its name element is.
_AUTHOR_NAME_RE = re.compile(
    r"(?:^|\s)[\w-]*?(?:author|writer)[\w-]*?[-_]name(?=\s|$)", re.IGNORECASE
)
_PAGE_TAGS = frozenset({"html", "body", "main", "article"})
_DATELINE_SELECTOR = (
    '[class*="ate"], [class*="ime"], [class*="ublish"], [class*="meta"], [class*="osted"]'
)
_DATELINE_CLASS_RE = re.compile(r"date|time|publish|posted|meta|updated", re.IGNORECASE)
_MICRODATA_FIELDS = {
    "headline": "title",
    "author": "authors",
    "creator": "authors",
    "datepublished": "date_published",
    "datecreated": "date_published",
    "datemodified": "date_modified",
    "articlesection": "section",
}


def read_microdata(nodes: PageNodes, meta: Metadata) -> None:
    """itemprop elements other than <meta> (those are read with the meta tags)."""
    for node in nodes.itemprops[:300]:
        if node.tag in ("meta", "link"):
            continue  # read with the head tags
        prop = (node.attributes.get("itemprop") or "").lower().split()
        field = next((_MICRODATA_FIELDS[p] for p in prop if p in _MICRODATA_FIELDS), None)
        if field is None or nodes.excluded(node, 10, light=True) or _in_media(node):
            continue
        if field == "authors":
            name_node = node.css_first('[itemprop="name"]')
            value = (nodes.text(name_node) or name_node.attributes.get("content") or ""
                     if name_node is not None else nodes.text(node))
        elif field.startswith("date"):
            attrs = node.attributes
            value = attrs.get("datetime") or attrs.get("content") or nodes.text(node)
        else:
            value = nodes.text(node)
        if value and len(value) <= MAX_TEXT:
            kind = "created" if prop[0] == "datecreated" else "microdata"
            extra: dict[str, Any] = {}
            if field == "authors":
                # names of one item are one byline; the next item (an answer) is another
                extra = {"handle": _in_forum_post(node), "group": _item_id(node)}
            meta.add_candidate(field, value, f"{kind}:{prop[0]}", **extra)


def _item_id(node: Any) -> int:
    """Identity of the itemscope element an itemprop belongs to (0 if none)."""
    current = node.parent
    for _ in range(12):
        if current is None:
            return 0
        if "itemscope" in current.attributes:
            return int(current.mem_id)
        current = current.parent
    return 0


def _in_forum_post(node: Any) -> bool:
    """True inside a forum post item (DiscussionForumPosting, Question, Answer):
    its author is named by a user name. Deep: a Question item wraps its answers."""
    current = node.parent
    for _ in range(30):
        if current is None:
            return False
        kind = (current.attributes.get("itemtype") or "").lower()
        if any(word in kind for word in ("discussionforumposting", "question", "answer")):
            return True
        current = current.parent
    return False


def _in_media(node: Any) -> bool:
    """True inside an image/video/comment item: its author is a photographer or a commenter."""
    current = node.parent
    for _ in range(6):
        if current is None:
            return False
        kind = (current.attributes.get("itemtype") or "").lower()
        if any(word in kind for word in ("imageobject", "photograph", "videoobject", "comment")):
            return True
        current = current.parent
    return False


_TIME_MODIFIED_RE = re.compile(r"updat|modif", re.IGNORECASE)
_TIME_PUBLISHED_RE = re.compile(r"publish|posted|date", re.IGNORECASE)


def read_time(nodes: PageNodes, meta: Metadata) -> None:
    """The best <time> outside excluded containers, per field: one marked as the
    publication (pubdate, itemprop, a "publish" class) or inside <article>/<main>
    before a bare one elsewhere (a site header may show today's date)."""
    best: dict[str, tuple[int, str, str]] = {}
    for node in nodes.times[:20]:
        attrs = node.attributes
        value = (attrs.get("datetime") or _dated_title(attrs) or nodes.text(node) or "")[:MAX_TEXT]
        if not value or nodes.excluded(node):
            continue
        parent = _parent_words(nodes, node)
        hints = f"{attrs.get('class') or ''} {attrs.get('itemprop') or ''} {parent}"
        field = "date_modified" if _TIME_MODIFIED_RE.search(hints) else "date_published"
        score = 2 * bool("pubdate" in attrs or _TIME_PUBLISHED_RE.search(hints))
        score += _in_article(node)
        if field not in best or score > best[field][0]:
            best[field] = (
                score,
                value,
                "time:" + ("pubdate" if "pubdate" in attrs else "datetime"),
            )
    for field, (_score, value, source) in best.items():
        meta.add_candidate(field, value, source)


def _dated_title(attrs: dict[str, Any]) -> str | None:
    """A `title=` holding a full date ("Dec 19, 2025 at 4:25 AM", "2/21/2024 5:00:00 am"):
    forum and comment software print "2 years ago" or "March 2025" and keep the
    day in the tooltip, which is all a page without `datetime=` has."""
    title = (attrs.get("title") or "")[:MAX_TEXT]
    if not re.search(r"\d{4}", title):
        return None
    return title if isinstance(dates.parse_date(title, None), dates.Parsed) else None


def _in_article(node: Any) -> bool:
    current = node.parent
    for _ in range(20):
        if current is None or current.tag in ("body", "html"):
            return False
        if current.tag in ("article", "main"):
            return True
        current = current.parent
    return False


def _parent_words(nodes: PageNodes, node: Any) -> str:
    parent = node.parent
    if parent is None:
        return ""
    return f"{parent.attributes.get('class') or ''} {nodes.text(parent)[:40]}"


def read_bylines(nodes: PageNodes, meta: Metadata) -> None:
    """Byline elements (rel=author, class/id byline/author), first ones first."""
    taken: list[str] = []
    for node in nodes.tree.css(_BYLINE_SELECTOR)[:40]:
        if node.tag in _PAGE_TAGS:
            continue  # a page-wide class list ("tweak-blog-author-name" on <body>)
        attrs = node.attributes
        words = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if attrs.get("rel") != "author" and (
            (_BYLINE_BAD_RE.search(words) and not _AUTHOR_NAME_RE.search(words))
            or not _BYLINE_CLASS_RE.search(words)
        ):
            continue
        text = nodes.text(node)
        if not text or len(text) > 200 or text in taken:
            continue
        # rel=author is explicit markup: only comment/related boxes rule it out
        # (a layout may print the byline in an <aside> column of the article)
        if nodes.excluded(node, light=attrs.get("rel") == "author"):
            continue
        taken.append(text)
        meta.add_candidate(
            "authors",
            text,
            f"dom:{node.tag}.{words.split()[0] if words.split() else 'rel'}",
            order=len(taken),
            group=_container_id(node),
        )
        if len(taken) >= 6:
            break


# Author pages as CMSs name them (/author/jane-doe/, /authors/..., /autor/...).
AUTHOR_LINK_PARTS = tuple(
    f"/{part}/" for part in ("author", "authors", "autor", "auteur", "autore")
)
# Every part starts so: one selector finds the candidates (lexbor runs each
# selector of a list on every element: five cost ~1.5 M instructions on an
# average AEB page, one ~0.35 M), the parts are checked on their hrefs.
_AUTHOR_LINK_SELECTOR = 'a[href*="/aut"]'


def author_links(tree: Any) -> list[Any]:
    """What the list `a[href*="/author/"], a[href*="/authors/"], ...` of
    AUTHOR_LINK_PARTS returns: each link once per part its href holds (lexbor
    returns a node once per selector it matches), in document order."""
    found: list[Any] = []
    for node in tree.css(_AUTHOR_LINK_SELECTOR):
        href = node.attributes.get("href") or ""
        found += [node] * sum(part in href for part in AUTHOR_LINK_PARTS)
    return found


def read_author_links(nodes: PageNodes, meta: Metadata) -> None:
    """Names linked to an author page (a WordPress `/author/<slug>/` link): the
    link text is the person; links in sidebars, menus and related lists are
    skipped. Links under one container are one byline (several authors kept
    apart); a later container (a related story's card) is another."""
    seen: set[str] = set()
    for node in author_links(nodes.tree)[:30]:
        text = nodes.text(node)
        if not text or len(text) > 80 or text.casefold() in seen or nodes.excluded(node):
            continue
        seen.add(text.casefold())
        meta.add_candidate("authors", text, "dom:author-link", group=_container_id(node))
        if len(seen) >= 4:
            return


_POST_AUTHOR_ATTRS = ("data-author", "data-author-username", "data-author-name", "author")
_POST_AUTHOR_SELECTOR = ", ".join(f"[{a}]" for a in _POST_AUTHOR_ATTRS)


def read_post_authors(nodes: PageNodes, meta: Metadata) -> None:
    """The first post's author as forum software marks it on the post element
    (`<article class="message" data-author="...">`, `data-author-username`):
    the thread's opening post comes first in the page."""
    body = nodes.body if nodes.body is not None else nodes.tree.root
    for node in (body.css(_POST_AUTHOR_SELECTOR)[:10] if body is not None else []):
        if node.tag in ("meta", "script", "link") or nodes.excluded(node, 10, light=True):
            continue
        value = next((node.attributes.get(a) for a in _POST_AUTHOR_ATTRS
                      if (node.attributes.get(a) or "").strip()), None)
        if value and len(value) <= 100:
            meta.add_candidate("authors", value.strip(), "dom:data-author", handle=True)
            return


# A byline's label alone in its element ("Written by", "By:", "Author(s)"),
# the name in the next element.
_BYLINE_LABEL_RE = re.compile(
    r"^(?:(?:written|posted|article|words|story|text|reviewed)\s+)?by\s*:?$|^authors?(?:\(s\))?\s*:?$"
    r"|^(?:contributors?|von|par|por|autor(?:in)?|auteur)\s*:?$",
    re.IGNORECASE,
)
# A byline with its label ("By Jane Doe", "Written by: Jane Doe", "Posted by Jane").
_BYLINE_TEXT_RE = re.compile(
    r"^(?:(?:written|posted|article|words|story|text)\s+)?(?:by|von|par|por)\s*:?\s+(?=\S)",
    re.IGNORECASE,
)
# A dateline then the byline in one element: "October 11, 2023 by Autumn Huerter".
_DATED_BYLINE_RE = re.compile(
    r"^(?:[^\W\d_]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+|\d{1,2}\.?\s+[^\W\d_]{3,9}\.?\s+"
    r"|\d{1,2}[./-]\d{1,2}[./-])?(?:19|20)?\d\d(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?"
    r"\s*[|·•–-]?\s*(?=(?:by|von|par|por)\s+\S)",
    re.IGNORECASE,
)
_NEAR_TAGS = "p, span, div, li, a, address, small, strong, em, b, h3, h4, h5, h6, dd, dt"
MAX_NEAR_NODES = 250


def _static_tag_ids(names: str) -> frozenset[int] | None:
    """lexbor's tag ids of the tags `names` lists (ids of standard tags are the
    same in every document; None if one is not such a tag)."""
    doc = LexborHTMLParser("")
    first_custom = doc.create_node("copydesk-custom").tag_id
    ids = {doc.create_node(name.strip()).tag_id for name in names.split(",")}
    return frozenset(ids) if all(i < first_custom for i in ids) else None


_NEAR_TAG_IDS = _static_tag_ids(_NEAR_TAGS)


def _near_tagged(node: Any) -> list[Any]:
    """What `node.css(_NEAR_TAGS)` gives (the node itself included, in document
    order; an element has one tag, so none repeats), by one `*` query and the
    tag ids: lexbor tests each of the 16 selectors on every element, which cost
    more than reading every element's tag id."""
    if _NEAR_TAG_IDS is None:
        return list(node.css(_NEAR_TAGS))
    ids = _NEAR_TAG_IDS
    return [element for element in node.css("*") if element.tag_id in ids]


def read_visible_byline(nodes: PageNodes, meta: Metadata) -> None:
    """A byline printed without markup near the headline: a short element
    reading "By Jane Doe" / "Written by: Jane Doe", or a label element
    ("Written by", "By:", "Author") followed by one holding the name. Only the
    block around the first h1 is searched, so a related story's "By ..." lower
    in the page is not read."""
    h1 = nodes.h1
    if h1 is None or nodes.excluded(h1, 6, light=True):
        return
    region = _headline_region(nodes, h1)
    dated = ""
    for node in _near_nodes(nodes, region):
        text = nodes.text(node)
        if not text or len(text) > 120:
            continue
        # the texts first, the container check (an ancestor walk) only for a byline
        label = _BYLINE_LABEL_RE.match(text)
        plain = label is None and _BYLINE_TEXT_RE.match(text)
        found = None if label or plain or dated else _DATED_BYLINE_RE.match(text)
        if not (label or plain or found) or nodes.excluded(node, light=True):
            continue
        if label:
            name = _next_element_text(nodes, node)
            if name and len(name) <= 80:
                meta.add_candidate("authors", name, "text:labelled-byline")
                return
        elif plain:
            meta.add_candidate("authors", text, "text:visible-byline")
            return
        elif found:
            dated = text[found.end() :].strip()  # only if no plain byline follows
    if dated:
        meta.add_candidate("authors", dated, "text:visible-byline")


def _headline_region(nodes: PageNodes, h1: Any) -> Any:
    """The h1's ancestor up to three levels, while it stays a head-sized block."""
    node = h1
    for _ in range(3):
        parent = node.parent
        if parent is None or parent.tag in ("body", "html") or len(nodes.text(parent)) > 1500:
            break
        node = parent
    return node


NEAR_SIBLINGS, SIBLING_CHARS = 3, 600


def _near_nodes(nodes: PageNodes, region: Any) -> list[Any]:
    """The elements of the headline's block, then of the few short elements right
    after it (an h1 sitting directly in a long article has its byline as the
    next element: "<h1>...</h1><div>October 11, 2023 by Autumn Huerter</div>")."""
    near = _near_tagged(region)[:MAX_NEAR_NODES]
    sibling = region.next
    for _ in range(3 * NEAR_SIBLINGS):
        if sibling is None or len(near) >= MAX_NEAR_NODES:
            break
        if sibling.tag not in ("-text", "-comment"):
            if len(nodes.text(sibling)) > SIBLING_CHARS:
                break
            near += [sibling, *_near_tagged(sibling)[:40]]
        sibling = sibling.next
    return near


def _next_element_text(nodes: PageNodes, node: Any) -> str:
    sibling = node.next
    for _ in range(6):
        if sibling is None:
            return ""
        if sibling.tag not in ("-text", "-comment"):
            return nodes.text(sibling)
        if sibling.tag == "-text" and (sibling.text() or "").strip():
            return " ".join((sibling.text() or "").split())
        sibling = sibling.next
    return ""


def _container_id(node: Any) -> int:
    """Identity of the grandparent: names under one container form one byline."""
    parent = node.parent
    grand = parent.parent if parent is not None else None
    return int((grand or parent or node).mem_id)


def read_h1(nodes: PageNodes, meta: Metadata) -> None:
    """The first h1s, as votes for a title candidate."""
    for node in nodes.h1s[:3]:
        text = nodes.text(node)
        if text and len(text) <= MAX_TEXT and not nodes.excluded(node, 6):
            meta.add_candidate("title", text, "h1")


def read_datelines(nodes: PageNodes, meta: Metadata) -> None:
    """Short visible texts in date-like elements ("Updated April 29, 2019 ...")."""
    count = 0
    for node in nodes.tree.css(_DATELINE_SELECTOR)[:60]:
        if node.tag in ("time", "meta", "script", "html", "body"):
            continue
        if not _DATELINE_CLASS_RE.search(node.attributes.get("class") or ""):
            continue
        title = node.attributes.get("title") or ""
        if (title[:4].isdigit() or _dated_title(node.attributes)) and not nodes.excluded(node):
            # hAtom: <abbr class="published" title="2008-06-01T12:00:00+02:00">
            field = (
                "date_modified"
                if "updated" in (node.attributes.get("class") or "")
                else "date_published"
            )
            meta.add_candidate(field, title[:MAX_TEXT], "time:hatom")
            continue
        text = nodes.text(node)
        if (
            not text
            or len(text) > 150
            or not (any(ch.isdigit() for ch in text) or names_a_day_in_words(text))
            or nodes.excluded(node)
        ):
            continue
        for field, piece in split_labelled(text):
            if field == "date":
                field = (
                    "date_modified"
                    if MODIFIED_RE.search(node.attributes.get("class") or "")
                    else "date_published"
                )
            meta.add_candidate(field, piece.strip(), "text:dateline")
        count += 1
        if count >= 6:
            break


def read_near_headline(nodes: PageNodes, meta: Metadata) -> None:
    """Last resort: a date in the short block around the first h1 (where blogs
    print "Von X publiziert am 25. September 2018" without any markup)."""
    h1 = nodes.h1
    if h1 is None or nodes.excluded(h1, 6):
        return
    node, text = h1, nodes.text(h1)
    for _ in range(3):
        parent = node.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        wider = nodes.text(parent)
        if len(wider) > 600:
            break
        node, text = parent, wider
    if text and any(ch.isdigit() for ch in text):
        meta.add_candidate("date_published", text[:300], "text:near-headline")


def read_breadcrumbs(nodes: PageNodes, meta: Metadata) -> None:
    """Link texts of a breadcrumb trail."""
    node = nodes.tree.css_first('[class*="readcrumb"]')
    if node is None:
        return
    names = [nodes.text(a) for a in node.css("a")[:10]]
    names = [n for n in names if n and len(n) <= 60]
    if names:
        meta.add_candidate("breadcrumbs", names, "dom:breadcrumb")


def read_copyright(nodes: PageNodes, meta: Metadata) -> None:
    """The holder named on a copyright line in the footer."""
    found = nodes.tree.css('footer, [class*="copyright"], [id*="copyright"], [class*="footer"]')
    for node in found[-3:]:
        holder = copyright_holder(nodes.text(node)[-600:])
        if holder:
            meta.add_candidate("site_name", holder, "copyright")
            return


def copyright_holder(text: str) -> str | None:
    """'© 2020 The Site. All rights reserved.' -> 'The Site' (None if no such line)."""
    match = COPYRIGHT_RE.search(text)
    if not match:
        return None
    holder = match.group("holder").strip(" ,.-–:")
    if re.match(r"(?:www\.)?[\w-]+\.[a-z.]{2,6}$", holder, re.IGNORECASE):
        return holder.removeprefix("www.").removeprefix("WWW.")  # a domain names the site
    if not holder or any(ch.isdigit() for ch in holder) or len(holder.split()) > 6:
        return None
    if COPYRIGHT_NOT_HOLDER_RE.search(holder) or (not holder[:1].isupper() and holder.isascii()):
        return None  # "All Rights Reserved", "owned by or licensed to ...": a sentence
    return holder
