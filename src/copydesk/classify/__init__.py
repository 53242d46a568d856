"""Blocks -> kept Blocks: see `copydesk.classify.ladder`."""

from copydesk.classify.ladder import classify_html

__all__ = ["classify_html"]
