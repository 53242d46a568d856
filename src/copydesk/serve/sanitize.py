"""Make an inspected page safe to show beside its extraction.

The inspector shows the original page so a reader can compare it with what
was kept. That page is untrusted: it may carry scripts, event handlers,
`javascript:` links, meta refresh and references to remote resources. We
never rely on one layer alone:

1. this module rewrites the page with an allowlist of tags and attributes
   (everything not known to be inert is dropped or unwrapped);
2. the result starts with a `Content-Security-Policy` meta of
   `default-src 'none'` (the policy the issue asks for);
3. the browser frame is `sandbox=""` (no scripts, no forms, no navigation of
   the top page) and inherits the inspector's own strict CSP.

The allowlist approach follows the OWASP XSS prevention cheat sheet
("sanitize with an allowlist, not a denylist").
"""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from copydesk.serve.vocab import (
    DROP_TAGS,
    FRAME_CSP,
    KEEP_ATTRS,
    KEEP_TAGS,
    SAFE_IMAGE_DATA,
    UNSAFE_CSS,
)

_SAFE_DATA_IMAGE = re.compile(SAFE_IMAGE_DATA, re.IGNORECASE)
_UNSAFE_CSS = re.compile(UNSAFE_CSS, re.IGNORECASE)
_HEAD = f'<meta http-equiv="Content-Security-Policy" content="{FRAME_CSP}">'
_VIEW_STYLE = "<style>a[data-href]{color:#1a0dab;text-decoration:underline}</style>"


def sanitize_html(page: str) -> str:
    """The page as inert HTML: no script, handler, navigation or remote load."""
    tree = LexborHTMLParser(page)
    drop, unwrap = _classify_nodes(tree)
    for node in drop:
        node.decompose()
    for node in unwrap:
        if node.first_child is None:
            node.decompose()  # lexbor's unwrap leaves an empty element in place
        else:
            node.unwrap()
    body = tree.body.html if tree.body is not None else ""
    styles = "".join(n.html or "" for n in tree.css("head style"))
    return f"<!doctype html><html><head>{_HEAD}{_VIEW_STYLE}{styles}</head>{body}</html>"


def text_as_html(text: str) -> str:
    """A plain-text dump shown as preformatted text under the same policy."""
    return (f"<!doctype html><html><head>{_HEAD}</head><body>"
            f"<pre style=\"white-space:pre-wrap;font:13px/1.45 monospace\">"
            f"{html.escape(text)}</pre></body></html>")


def _classify_nodes(tree: LexborHTMLParser) -> tuple[list[LexborNode], list[LexborNode]]:
    """Nodes to delete with their content, and nodes to replace by their children."""
    drop: list[LexborNode] = []
    unwrap: list[LexborNode] = []
    root = tree.root
    if root is None:
        return drop, unwrap
    for node in root.traverse(include_text=False):
        tag = node.tag or ""
        if node.is_comment_node or tag in DROP_TAGS or _is_bad_style(node):
            drop.append(node)
        elif tag in KEEP_TAGS or tag in ("html", "head", "body"):
            _clean_attributes(node)
        elif tag != "-document":
            unwrap.append(node)
    return _outermost(drop), unwrap


def _outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """Drop order matters little, but a node inside a dropped node must not be
    decomposed twice; traversal is depth-first so a parent precedes its children."""
    seen: set[int] = set()
    result = []
    for node in nodes:
        parent, inside = node.parent, False
        while parent is not None:
            if parent.mem_id in seen:
                inside = True
                break
            parent = parent.parent
        seen.add(node.mem_id)
        if not inside:
            result.append(node)
    return result


def _is_bad_style(node: LexborNode) -> bool:
    return node.tag == "style" and bool(_UNSAFE_CSS.search(node.text(deep=True) or ""))


def _clean_attributes(node: LexborNode) -> None:
    attrs = node.attrs
    for name, value in list(node.attributes.items()):
        key = name.lower()
        del attrs[name]
        kept = _safe_attribute(node.tag or "", key, value or "")
        if kept is not None:
            attrs[kept[0]] = kept[1]


def _safe_attribute(tag: str, name: str, value: str) -> tuple[str, str] | None:
    """(name, value) to keep, possibly renamed; None to drop the attribute."""
    if name == "href":
        # A link must not navigate the frame; show its target on hover instead.
        if value.strip().lower().startswith(("http:", "https:", "/", "#", "mailto:")):
            return "data-href", value
        return None
    if name == "src":
        return (name, value) if tag == "img" and _SAFE_DATA_IMAGE.match(value.strip()) else None
    if name == "style":
        return None if _UNSAFE_CSS.search(value) else (name, value)
    return (name, value) if name in KEEP_ATTRS else None
