"""The inspector's vocabularies and limits, as data in one place.

Tag and attribute lists follow the WHATWG HTML element index: KEEP_TAGS are
elements that only structure or style text; DROP_TAGS can run code, embed
other documents, load resources, submit data or redirect, and go with their
content. Any other tag is unwrapped (its text stays, the element goes).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KEEP_TAGS = _words("""
a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup
data dd del details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr
i img ins kbd label li main mark nav ol p pre q rp rt ruby s samp section small span strong sub
style summary sup table tbody td tfoot th thead time title tr tt u ul var wbr
""")

DROP_TAGS = _words("""
script noscript iframe frame frameset object embed applet param link meta base svg math
template input button select textarea option optgroup datalist keygen output video audio
source track canvas portal dialog slot head-script
""")

# Attributes kept verbatim (href/src/style are checked separately).
KEEP_ATTRS = _words("""
class id title alt lang dir colspan rowspan width height align valign datetime cite
""")

# Inline images are the only pictures shown: anything else is a network load.
SAFE_IMAGE_DATA = r"data:image/(?:png|gif|jpe?g|webp|avif);base64,[a-z0-9+/=\s]*$"

# CSS that could load something or run code (url(), @import, old IE
# expression()/behavior) or hide either behind an escape sequence.
UNSAFE_CSS = r"url\s*\(|@import|expression\s*\(|behavior\s*:|-moz-binding|\\|image-set\s*\("

# Policy of the frame that shows the inspected page (the issue's own value).
FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Policy of the inspector's own pages: our scripts only, nothing remote.
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; "
           "form-action 'self'; frame-ancestors 'none'")

# Default cap on pasted or uploaded content: far above real pages (the
# largest AEB page is ~1.5 MB) and small enough to keep one request cheap.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Corpus listing: page size bounds.
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# Hosts the server answers to when bound to loopback (DNS-rebinding guard).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")

# Flags for Debian's chromium under Playwright (tests, benchmark): headless,
# no network of its own, no sandbox (CI runs as root), no /dev/shm reliance
# (small in containers).
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage")
