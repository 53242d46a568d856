"""Suite-wide: the fetcher may connect to 127.0.0.0/8 only (issue 12: nothing in the
test suite reaches an address outside it). `copydesk.fetcher.guard` refuses any other
address, and any host name but localhost, before a packet leaves."""

import os

os.environ["COPYDESK_FETCH_ALLOW"] = "127.0.0.0/8"
