"""Site templates serve HTML Blocks too: chrome repeated across a site's pages goes."""

from __future__ import annotations

import copydesk
from copydesk.corpus.templates import SiteTemplates

_PAGE = """<html><body><article>
<p>{body}</p>
<p>{second}</p>
<p>Support independent local journalism: become a member today.</p>
</article></body></html>"""

_BODIES = [
    ("The council met on Tuesday to discuss the harbour budget for the coming year in detail.",
     "Members disagreed about dredging, and the vote was postponed until the spring session."),
    ("A storm closed the coastal road for a second day, and ferries stayed in port until noon.",
     "Engineers said the sea wall held, but the car park behind it flooded at high tide again."),
    ("The school choir won the national prize with a programme of old fishing songs from the bay.",
     "Its conductor thanked the parents who drove the children to every rehearsal this winter."),
]
_PROMO = "Support independent local journalism"


def _extract(i: int, templates: SiteTemplates) -> copydesk.Article:
    body, second = _BODIES[i]
    html = _PAGE.format(body=body, second=second)
    record = copydesk.Record(html, url=f"https://ledger.example.org/story-{i}")
    return templates.extract(record, copydesk.Options(explain=True))


def test_repeated_chrome_is_removed_from_the_second_page_on() -> None:
    templates = SiteTemplates()
    first = _extract(0, templates)
    assert _PROMO in first.text  # one page: nothing learned yet
    for i in (1, 2):
        article = _extract(i, templates)
        assert _PROMO not in article.text
        assert _BODIES[i][0] in article.text and _BODIES[i][1] in article.text
        reasons = [b.reason for b in article.explanation.blocks if _PROMO in b.text]
        assert reasons and reasons[0].startswith("site template")


def test_no_template_without_a_site_key() -> None:
    templates = SiteTemplates()
    html = _PAGE.format(body=_BODIES[0][0], second=_BODIES[0][1])
    article = templates.extract(copydesk.Record(html), copydesk.Options(explain=True))
    assert any("no site key" in note for note in article.explanation.notes)
    assert templates.pages_observed() == 0
