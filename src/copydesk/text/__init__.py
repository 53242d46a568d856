"""Plain-text dumps -> Blocks: see `copydesk.text.segment`."""

from copydesk.text.segment import extract_blocks

__all__ = ["extract_blocks"]
