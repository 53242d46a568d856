"""Tables: tell data tables from layout tables, render data tables as one block.

A data table (no nested table, no paragraphs or lists in its cells) is part
of the article as a whole: its text is rows of cells, its Markdown a pipe
table. Layout tables (old sites wrap whole pages in them) are walked like
divs. colspan and rowspan are never expanded, so `colspan=9007199254740991`
costs nothing.
"""

from __future__ import annotations

from typing import Any

from copydesk.blocks import Block
from copydesk.normalize import collapse_spaces

_MAX_ROWS = 2000
_MAX_CELLS = 64


_LAYOUT_INSIDE = "table table, table p, table div, table ul, table ol, table h1, table h2, " \
    "table h3, table blockquote, table article"


_DATA_MARKUP = "table caption, table thead, table th"


def is_data_table(node: Any) -> bool:
    """True for a table of data, False for a layout table (one holding blocks or tables).

    A table with a caption, a head or header cells declares itself a data
    table (HTML's table model; layout tables never carry them) even when a
    cell holds a paragraph; any other table is data only when no cell holds
    a block. A nested table always means layout.
    lexbor's `css` also matches the node itself, hence the `table X` selectors.
    """
    if node.css_first("table table") is not None:
        return False
    return node.css_first(_DATA_MARKUP) is not None or node.css_first(_LAYOUT_INSIDE) is None


def _cell_text(cell: Any) -> str:
    return collapse_spaces(cell.text(deep=True, separator=" "))


def table_rows(node: Any) -> list[list[str]]:
    """Rows of cell texts (empty rows dropped), bounded in size."""
    rows: list[list[str]] = []
    for tr in node.css("tr")[:_MAX_ROWS]:
        cells = [_cell_text(c) for c in tr.css("th, td")[:_MAX_CELLS]]
        if any(cells):
            rows.append(cells)
    return rows


def table_block(node: Any, container: int) -> Block | None:
    """One Block for a data table: text rows of ` | `-joined cells, Markdown pipe table."""
    rows = table_rows(node)
    if not rows:
        return None
    caption_node = node.css_first("caption")
    caption = _cell_text(caption_node) if caption_node is not None else ""
    width = max(len(r) for r in rows)
    lines = [" | ".join(c for c in r if c) for r in rows]
    text = "\n".join(([caption] if caption else []) + lines)
    md_rows = [r + [""] * (width - len(r)) for r in rows]
    md = ["| " + " | ".join(c.replace("|", "\\|") for c in md_rows[0]) + " |",
          "|" + " --- |" * width]
    md += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in md_rows[1:]]
    if caption:
        md.insert(0, caption + "\n")
    links = sum(len(_cell_text(a)) for a in node.css("a"))
    return Block(text=text, kind="table", container=container,
                 link_chars=min(links, len(text)), markdown="\n".join(md))
