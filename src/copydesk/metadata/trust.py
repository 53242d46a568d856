"""Order of trust between metadata sources, in one table.

Higher wins when several sources offer a value for the same field and the
values are all valid. The order follows how reliably each source describes
*this* article (not the site, a sidebar or a related story), as measured on
the Readability and newspaper4k development pages:

1. JSON-LD of the main article node (machine-written by the CMS for
   search engines, so it is kept correct);
2. OpenGraph / `article:*` and the parsely/sailthru analytics tags
   (also machine-written, read by social networks and analytics);
3. microdata `itemprop` on the page, then Dublin Core creators ("dc",
   a dedicated field, above the generic `author` meta that CMS templates
   often fill with a default), citation_* and other named meta tags;
4. the DOM: `<time datetime>`, bylines near the headline, the h1;
5. the url, the visible dateline text, the copyright line, the host name.

JSON-LD nodes other than the main article (a second block that disagrees,
related articles in `@graph`) get "jsonld-other", below the meta tags.
"""

from __future__ import annotations

TRUST: dict[str, int] = {
    "link": 96,
    "jsonld": 95,
    "dctitle": 90,  # Dublin Core title: a bibliographic record set on purpose (Readability)
    "og": 85,
    "analytics": 80,
    "microdata": 75,
    "dc": 70,
    "meta": 65,
    "created": 60,  # dateCreated: the draft's creation, a stand-in for publication
    "script": 58,  # a head script's publication key (script_dates): machine-written, unnamed
    "jsonld-other": 55,
    "time": 50,
    "dom": 45,
    "h1": 40,
    "heading": 40,  # a heading near the body start: marks where a <title>'s headline ends
    "text": 38,
    "title-tag": 30,
    "title-suffix": 28,  # site name: the <title> segment naming the site, above the copyright
    "url": 25,
    "copyright": 20,
    "image-url": 15,
    "host": 5,
}


def trust(source: str) -> int:
    """Trust of a source name "kind:detail" (kind is a key of TRUST)."""
    return TRUST.get(source.split(":", 1)[0], 10)
