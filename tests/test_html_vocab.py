"""Class/id words: the fast `hint_words` / `word_flags` agree with their plain definitions.

The plain definitions below are the specification (what the words of a
class string are); the library's versions are rewritten for speed, so any
difference is a bug there.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.html import vocab
from copydesk.html.vocab import WordFlags, class_flags, hint_words, word_flags


def plain_hint_words(value: str) -> tuple[str, ...]:
    """Split at non-[a-z0-9] and camelCase humps, then add the whole tokens, slugs left out."""
    value = " ".join(t for t in value[:vocab.MAX_HINT_CHARS].split() if not vocab._is_slug(t))
    spaced = vocab._CAMEL.sub(r"\1 \2", value)
    words = [w for w in vocab._WORD_SPLIT.split(spaced.lower()) if w]
    for token in value.lower().split():
        joined = vocab._WORD_SPLIT.sub("", token)
        if joined and joined not in words:
            words.append(joined)
    return tuple(words)


def plain_word_flags(words: tuple[str, ...]) -> WordFlags:
    present = frozenset(words)
    maybe = not present.isdisjoint(vocab.MAYBE_CANDIDATE_WORDS)
    hard = present & vocab._HARD
    if hard == {"social"} and not present.isdisjoint(vocab.EMBED_WORDS):
        hard = frozenset()
    return WordFlags(
        negative=not present.isdisjoint(vocab._NEGATIVE),
        positive=not present.isdisjoint(vocab.POSITIVE_WORDS),
        marker=next((w for w in words if w in hard), "") if hard else "",
        unlikely=not maybe and not present.isdisjoint(vocab.UNLIKELY_WORDS),
    )


_PIECES = st.sampled_from([
    "a", "A", "b", "Z", "0", "9", "-", "_", " ", "\t", "\n", "\x1c", "\u2003", ".", ":", "/",
    "\u0130", "\u00df", "\u00e9", "\u00c9", "\u03a3", "\u212a", "the", "with", "how", "social",
    "tweet", "embed", "nav", "Nav", "content", "Body", "article", "ad", "share", "comments",
    "related", "sidebar", "main", "post", "menu", "navigation", "cookie", "entry",
])


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(_PIECES, max_size=24).map("".join))
def test_hint_words_and_flags_match_their_plain_definitions(value: str) -> None:
    words = hint_words(value)
    assert words == plain_hint_words(value)
    assert word_flags(words) == plain_word_flags(words)
    assert class_flags(value) == plain_word_flags(words)
    assert class_flags(value) == plain_word_flags(words)  # again, from the cache


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=6).map("".join), max_size=6).map(" ".join))
def test_class_flags_of_many_tokens_match_the_flags_of_all_words(value: str) -> None:
    assert class_flags(value) == plain_word_flags(plain_hint_words(value))


def test_hint_words_examples() -> None:
    assert hint_words("articleBody share-bar") == (
        "article", "body", "share", "bar", "articlebody", "sharebar")
    assert hint_words("post  post") == ("post", "post")
    assert hint_words("how-to-bake-a-cake entry-content") == ("entry", "content", "entrycontent")
    assert hint_words("caf\u00e9-Box") == ("caf", "box", "cafbox")
    assert hint_words("x" * 5000) == ("x" * vocab.MAX_HINT_CHARS,)
    assert hint_words("") == ()


def test_class_flags_examples() -> None:
    assert class_flags("container row") == WordFlags()
    assert class_flags("social-embed") == class_flags("social embed") == word_flags(("social",
                                                                                      "embed"))
    assert class_flags("embed social-share").marker == "social"
    assert class_flags("related comments").marker == "related"
    assert class_flags("x" * 5000 + " sidebar") == WordFlags()  # beyond the characters read


def test_flags_are_shared_instances_and_false_when_no_word_counts() -> None:
    assert word_flags(("container", "row")) == WordFlags()
    assert word_flags(("sidebar",)) is word_flags(tuple(["sidebar"]))
    assert word_flags(("social", "embed")).marker == ""
    assert word_flags(("comments", "content")).unlikely is False


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), max_size=8))
def test_hint_facts_of_a_page_match_each_value_read_alone(values: list[str]) -> None:
    # `hint_facts` reads the values of a page joined (one byte-table pass for all)
    vocab._young.clear()
    vocab._old.clear()
    facts = vocab.hint_facts(dict.fromkeys(values))
    for value in values:
        words = plain_hint_words(value)
        assert facts[value] == (words, plain_word_flags(words))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["social", "embed", "tweet", "nav", "content", "main", "ad",
                                 "related", "comments", "post", "row", "col", "x1", "card"]),
                max_size=8))
def test_flags_kept_per_listed_words_are_the_flags_of_all_words(words: list[str]) -> None:
    # `_listed_word_flags` looks flags up by the listed words alone ("row", "col", "x1" are
    # not listed: they must not change the flags, nor the first hard word)
    for variant in (tuple(words), ("row", *words, "col"), tuple(w for w in words if w != "x1")):
        assert vocab._listed_word_flags(variant) == plain_word_flags(variant)
        assert vocab._listed_word_flags(variant) is word_flags(variant)
