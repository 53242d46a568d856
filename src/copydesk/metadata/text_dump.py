"""Plain-text dump -> metadata candidates (filled in below)."""

from __future__ import annotations

from copydesk.blocks import Block
from copydesk.metadata.model import Metadata


def read_dump(blocks: list[Block], meta: Metadata) -> None:
    return None
