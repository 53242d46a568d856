"""Baselines for plain-text dumps: what people use today on flattened pages.

- keep-all: the dump as it is (whitespace-normalised lines);
- C4 line filter: the rules of Raffel et al. 2020, "Exploring the Limits
  of Transfer Learning with a Unified Text-to-Text Transformer" (the T5
  paper), section 2.2, with the constants of its reference implementation
  (TensorFlow Datasets `c4_utils`: at least 3 words a line, at least 5
  sentences a page): keep lines ending in terminal punctuation (period,
  exclamation mark, question mark, end quotation mark); drop lines that
  mention "javascript" and lines with policy boilerplate ("terms of use",
  "privacy policy", "cookie policy", "uses cookies", "use of cookies",
  "use cookies"); drop the page if it contains "lorem ipsum" or a curly
  brace, or if fewer than 5 sentences remain. The bad-words page filter and
  the corpus-wide deduplication are not applied (they need a word list and
  a corpus, and drop whole pages, never lines);
- jusText and trafilatura on the lines wrapped in `<p>` elements (the way
  HTML extractors are applied to text in practice).
"""

from __future__ import annotations

import html
import re

from copydesk.normalize import collapse_spaces

_C4_MIN_WORDS = 3  # tfds c4_utils: min_words_per_line=3
_C4_MIN_SENTENCES = 5  # tfds c4_utils: min_num_sentences=5
_C4_ENDINGS = (".", "!", "?", '"', "”")
_C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies",
              "use of cookies", "use cookies")
_SENTENCE_END = re.compile(r"[.!?]+(?:[\"”')\]]*)(?:\s|$)")


def normalised_lines(text: str) -> list[str]:
    return [collapse_spaces(line) for line in text.splitlines() if line.strip()]


def keep_all(text: str) -> str:
    return "\n".join(normalised_lines(text))


def c4_filter(text: str) -> str:
    """The C4 line filter (see module docstring); "" when the page is dropped."""
    low = text.lower()
    if "lorem ipsum" in low or "{" in text:
        return ""
    kept = []
    for line in normalised_lines(text):
        lower = line.lower()
        if not line.endswith(_C4_ENDINGS) or len(line.split()) < _C4_MIN_WORDS:
            continue
        if "javascript" in lower or any(p in lower for p in _C4_POLICY):
            continue
        kept.append(line)
    body = "\n".join(kept)
    if len(_SENTENCE_END.findall(body)) < _C4_MIN_SENTENCES:
        return ""
    return body


def as_paragraph_html(text: str) -> str:
    """The dump as an HTML page with one <p> per line."""
    paras = "".join(f"<p>{html.escape(line)}</p>\n" for line in normalised_lines(text))
    return f"<html><head><title></title></head><body>\n{paras}</body></html>"
