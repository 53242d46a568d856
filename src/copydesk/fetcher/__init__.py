"""Fetching: URLs, feeds and sitemaps -> a WARC, a fetch log, and (optionally) Articles.

`copydesk.fetch()` (this package's `api.fetch`) and `copydesk fetch` share the
crawl loop (`crawl.Crawler`); docs/fetch.md describes both. Modules, in the
order a URL meets them: `sources` (SOURCE arguments), `urls` (normal form),
`hosts` (politeness), `robots`, `client` (one attempt: redirects, caps,
decoding via `decoding`), `guard` (allowed networks), `warcout` (WARC
records), `fetchlog` (log, queue, resume), `feeds` / `sitemaps` / `xmlsafe`
(entries and their hints), `discover`, `runner` (a run with a WARC: resume, signals,
summary) and `outcome` (how it ended, for the command to print and map).
"""

from copydesk.fetcher.config import FetchConfig

__all__ = ["FetchConfig"]
