"""Kept Blocks -> output text and Markdown.

Text: one paragraph per block, separated by one blank line, each paragraph
once (menus and teasers repeated inside an article are dropped on their
second appearance). Markdown keeps headings, lists, quotes and tables.
"""

from __future__ import annotations

from collections.abc import Iterable

from copydesk.blocks import HEADING_KINDS, Block

_MIN_DEDUP_CHARS = 20  # shorter repeats ("0" in a table, "Yes") are not paragraphs


def unique_blocks(blocks: Iterable[Block]) -> list[Block]:
    """Kept blocks in order, each paragraph once.

    A paragraph whose text already appeared in another element (a page
    whose root is repeated, a desktop and a mobile copy of the story, a
    teaser list repeated) is dropped when it is part of a repeated run: the
    kept block before or after it is a repeat too. A lone repeat between
    new paragraphs is the author's (a refrain, a sentence restated) and
    stays, and so do repeats inside one element and short repeats such as
    table cells.
    """
    kept = [b for b in blocks if b.kept]
    repeat = _repeats(kept)
    out: list[Block] = []
    for i, block in enumerate(kept):
        if repeat[i] and (_is_repeat_at(repeat, i - 1) or _is_repeat_at(repeat, i + 1)
                          or block.group < 0):
            block.decide(False, "duplicate of an earlier paragraph")  # (text dumps: no groups)
            continue
        out.append(block)
    return out


def _is_repeat_at(repeat: list[bool], i: int) -> bool:
    return 0 <= i < len(repeat) and repeat[i]


def _repeats(kept: list[Block]) -> list[bool]:
    """Per kept block: does its paragraph repeat one seen earlier in another element?"""
    first_group: dict[str, int] = {}  # paragraph -> group of its first copy
    repeat = [False] * len(kept)
    for i, block in enumerate(kept):
        key = block.text.casefold()
        if len(key) < _MIN_DEDUP_CHARS:
            continue
        if key in first_group and (block.group < 0 or first_group[key] != block.group):
            repeat[i] = True
        else:
            first_group.setdefault(key, block.group)
    return repeat


def to_text(blocks: list[Block]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join(b.text for b in blocks)


def block_markdown(block: Block) -> str:
    """One block as Markdown."""
    if block.markdown is not None:
        return block.markdown
    if block.kind in HEADING_KINDS:
        return "#" * int(block.kind[1]) + " " + block.text
    if block.kind == "li":
        return "  " * block.list_depth + "- " + block.text
    if block.kind == "quote":
        return "> " + block.text
    if block.kind == "pre":
        return "```\n" + block.text + "\n```"
    return _escape(block.text)


def _escape(text: str) -> str:
    """Escape what would otherwise turn a paragraph into Markdown syntax."""
    if text[:1] in "#>-+*" or (text[:1].isdigit() and ". " in text[:6]):
        return "\\" + text
    return text


def to_markdown(blocks: list[Block]) -> str:
    """Blocks as Markdown; consecutive list items stay in one list."""
    parts: list[str] = []
    for i, block in enumerate(blocks):
        md = block_markdown(block)
        tight = i > 0 and block.kind == "li" and blocks[i - 1].kind == "li"
        if tight:
            parts[-1] += "\n" + md
        else:
            parts.append(md)
    return "\n\n".join(parts)
