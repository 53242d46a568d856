"""Character vocabularies shared by every input: one definition per concept.

HTML and text dumps ask the same questions of a piece of text (does it end
like a sentence, how many commas does it hold, is this a separator or a
bullet), so the answers come from these sets and nowhere else. Word lists
(stop words, chrome phrases) are data files read by `text.vocab`,
`html.vocab` and `metadata.vocab`.
"""

from __future__ import annotations

# Sentence-ending marks: Latin, the ellipsis, CJK full-width, Arabic question
# mark, Devanagari danda.
SENTENCE_END = ".!?…。！？؟।"
# Closing quotes and brackets that may follow a sentence end ("...end.”).
CLOSERS = "\"'”’»)]」』"
# Clause ends: a line ending with one reads as running text, not a label.
CLAUSE_END = ":;"
# Commas: Latin, full-width and ideographic (CJK), Arabic.
COMMAS = ",，、،"
# Separators between menu items and title parts ("Home | News", "Title – Site").
SEPARATORS = "|•·›»–—/"
# Marks that start list items in flattened text.
BULLETS = "-*•·▪►◦‣–—"
COLONS = ":："
# Currency signs (prices: product pages, shop grids).
CURRENCY = "$€£¥₹"


def count_commas(text: str) -> int:
    """Commas of every script in `text` (a prose signal: menus and bylines have few)."""
    return sum(text.count(c) for c in COMMAS)
