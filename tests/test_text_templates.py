"""Site templates: learning recurring blocks per site, bounded memory, extract() integration."""

from __future__ import annotations

import copydesk
from copydesk.blocks import Block
from copydesk.corpus.templates import SiteTemplates, text_key

CHROME = ["Home", "World", "Business", "Sign in", "© 2024 Example Media Group"]


def _page(n: int) -> list[Block]:
    body = [Block(f"Story {n} paragraph {i}: the harbour council met again today with "
                  f"residents {n * 10 + i} times and agreed on something new.", kind="line")
            for i in range(3)]
    for b in body:
        b.decide(True, "scorer")
    chrome = [Block(t, kind="line") for t in CHROME]
    for b in chrome:
        b.decide(True, "scorer")  # the classifier let the chrome through
    return chrome[:3] + body + chrome[3:]


def test_streaming_warm_up_is_one_page() -> None:
    tpl = SiteTemplates()
    first, second = _page(1), _page(2)
    assert tpl.process("a.com", first) == 0  # the first page of a site: nothing learned yet
    assert tpl.process("a.com", second) == len(CHROME)
    removed = [b for b in second if not b.kept]
    assert {b.text for b in removed} == set(CHROME)
    assert removed[0].reason == "site template, seen on 2 pages"
    assert all(b.kept for b in second if b.text.startswith("Story"))


def test_sites_are_separate_and_two_pass_helps_the_first_page() -> None:
    tpl = SiteTemplates()
    tpl.process("a.com", _page(1))
    assert tpl.process("b.com", _page(2)) == 0
    pages = [_page(i) for i in range(3)]
    assert SiteTemplates().learn_then_apply("c.com", pages) == [len(CHROME)] * 3


def test_prose_needs_more_pages_and_duplicates_are_not_emptied() -> None:
    tpl = SiteTemplates()
    tpl.process("a.com", _page(1))
    dup = _page(1)
    tpl.process("a.com", dup)
    assert all(b.kept for b in dup if b.text.startswith("Story"))  # a copy, not a template
    assert not any(b.kept for b in dup if b.text in CHROME)


def test_memory_is_bounded_per_site_and_in_sites() -> None:
    tpl = SiteTemplates(max_entries=100, max_sites=3)
    for n in range(50):
        tpl.observe("a.com", [Block(f"rotating headline {n} {i}") for i in range(10)]
                    + [Block("Home")])
    assert len(tpl._sites["a.com"].counts) <= 100
    assert tpl.pages_with("a.com", "Home") == 50  # frequent lines survive eviction
    for site in ("b", "c", "d"):
        tpl.observe(site, [Block("x")])
    assert tpl.sites() == ["b", "c", "d"]


def test_text_key_is_stable_and_normalised() -> None:
    assert text_key("Most  Popular") == text_key("most popular")
    assert text_key("most popular") >> 32 == len("most popular")
    assert text_key("Most popular") != text_key("Most popular now")


PROSE = ("The councillors argued for most of the evening about the cost of the new sea wall, "
         "and the mayor said that the vote would be held again next month if needed.")


def test_extract_uses_the_template_with_url_host_or_site_key() -> None:
    def dump(n: int) -> str:  # an article of a few paragraphs between the site's chrome
        story = [f"{b.text} {PROSE}" for b in _page(n) if b.text.startswith("Story")]
        trending = "Trending now: Celebrity gossip roundup of the week"
        return "\n".join(["Home", "World", trending, *story, "Most read", trending])

    tpl = SiteTemplates()
    text = copydesk.Options(input_format="text")
    tpl.extract(copydesk.Record(dump(1), "https://www.example.com/1"), text)
    art = tpl.extract(copydesk.Record(dump(2), "https://example.com/2"),
                      text.replace(explain=True))
    assert "Celebrity gossip" not in art.text
    assert "Story 2 paragraph 0" in art.text
    assert art.explanation is not None
    assert any("site template" in n for n in art.explanation.notes)
    assert tpl.sites() == ["example.com"]
    keyed = tpl.extract(copydesk.Record(dump(3)), text.replace(site="example.com"))
    assert "Celebrity gossip" not in keyed.text
    # A dump headed with its url belongs to that url's site.
    headed = tpl.extract(copydesk.Record(f"url: https://example.com/4\n{dump(4)}"), text)
    assert "Celebrity gossip" not in headed.text and headed.url == "https://example.com/4"


def test_the_profile_is_read_only_and_the_page_keys_come_back() -> None:
    """extract_record with a profile never changes it: the same page twice gives the same
    article, and the counts move only when the corpus layer observes the page's keys."""
    from copydesk.api import extract_page
    from copydesk.site_profile import PageKeys

    tpl = SiteTemplates()
    opts = copydesk.Options(input_format="text")
    pages = ["\n".join([*CHROME, f"Story {n}: {PROSE}"]) for n in range(3)]
    for page in pages[:2]:
        tpl.extract(copydesk.Record(page, site="s"), opts)
    before = dict(tpl._sites["s"].counts)
    third = copydesk.Record(pages[2], site="s")
    first = copydesk.extract_record(third, opts, tpl.streaming())
    again = copydesk.extract_record(third, opts, tpl.streaming())
    assert first == again and tpl._sites["s"].counts == before
    assert "Home" not in first.text and "Story 2" in first.text
    result = extract_page(third, opts, tpl.streaming(), want_keys=True)
    assert isinstance(result.page_keys, PageKeys) and result.page_keys.site == "s"
    assert tpl._sites["s"].counts == before  # only observe_keys counts
    tpl.observe_keys(*result.page_keys)
    assert tpl.pages_with("s", "Home") == 3
