"""Parse HTML with lexbor (selectolax), within caps checked before parsing.

lexbor is an HTML5-conformant parser in C: it builds the tree browsers build
(misnested tags, unclosed elements, repeated roots) and does not recurse, so
deep nesting cannot overflow the stack. Caps keep one page's time and memory
bounded: the byte cap is in `Options`, the node cap is estimated from the
count of `<` before parsing so a million siblings are refused up front.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from copydesk.errors import TooLargeError

# Subtrees removed in C before the Python walk (cheaper than skipping them in
# Python: most pages carry more script and style than text).
STRIP_TAGS = ["script", "style", "noscript", "template", "svg", "math", "iframe", "object",
              "embed", "canvas", "select", "textarea", "video", "audio", "map"]


def parse_html(text: str, max_nodes: int) -> LexborHTMLParser:
    """Parse `text`; raise TooLargeError when it would exceed `max_nodes` elements."""
    tags = text.count("<")
    if tags > max_nodes:
        raise TooLargeError(f"too large: about {tags} elements (cap {max_nodes})")
    return LexborHTMLParser(text)


def strip_junk(tree: LexborHTMLParser) -> None:
    """Remove elements whose content is never article text (in place)."""
    tree.strip_tags(STRIP_TAGS)
