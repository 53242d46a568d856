"""Metadata: title, dates, people, agency, site, section, language.

Entry points used by `copydesk.api`:
- `from_html(tree, url, options)`: reads every source an HTML page offers.
- `from_text(blocks, url, options)`: reads a plain-text dump's blocks.
- `finish(meta, body_text, options)`: what needs the extracted body
  (language identification) or cleans fields against each other.
"""

from __future__ import annotations

from copydesk.metadata.model import Metadata
from copydesk.metadata.pipeline import finish, from_html, from_text

__all__ = ["Metadata", "finish", "from_html", "from_text"]
