"""Minimal text segmentation (one Block per non-empty line, all kept).

The text-dump issue replaces this with real line classification.
"""

from __future__ import annotations

from copydesk.blocks import Block, Page
from copydesk.options import Options


def extract_blocks(text: str, url: str | None, options: Options) -> Page:
    blocks = []
    for line in text.splitlines():
        clean = " ".join(line.split())
        if clean:
            block = Block(clean, kind="line", index=len(blocks))
            block.decide(True, "keep-all")
            blocks.append(block)
    return Page(blocks=blocks, rung="text:keep-all")
