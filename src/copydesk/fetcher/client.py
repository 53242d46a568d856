"""One attempt at one URL: request, redirects (capped, loops detected), a streamed body
cut at the cap, Content-Encoding undone in bounded steps, the outcome named.

httpx's own redirect following and decoding are off: each hop must be
archived, and its decoders inflate a whole network chunk at once (a gzip
bomb's 64 KB chunk is 64 MB). The body is stored decoded (`decoding.Chain`);
the archived response says so (`X-Archive-Orig-Content-Encoding`), since a
WARC reader should not try to inflate it again.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.message import Message

import httpx

from copydesk.fetcher import model as m
from copydesk.fetcher.config import ERROR_BODY_CAP, FetchConfig
from copydesk.fetcher.decoding import Chain, DecodeError
from copydesk.fetcher.urls import BadURL, normalize

REDIRECTS = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a page may be served as and still go to the extractor (as the WARC reader
# of `copydesk extract` accepts): text/plain can be a flattened dump, and
# octet-stream is what misconfigured servers say about anything.
PAGE_TYPES = (*HTML_TYPES, "text/plain", "application/octet-stream")
_DROPPED = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def iso_now() -> str:
    """UTC now, to the microsecond (WARC 1.1 allows fractional seconds in WARC-Date): the
    request records then show when each request started, host by host."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_at(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) of a Content-Type header; both lower-cased."""
    if not value:
        return None, None
    msg = Message()
    msg["content-type"] = value
    charset = msg.get_param("charset")
    media = msg.get_content_type() if "/" in value.split(";")[0] else None
    return media, (str(charset).strip().lower() or None) if isinstance(charset, str) else None


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Attempt:
    """The hops of one attempt and how it ended."""

    def __init__(self) -> None:
        self.exchanges: list[m.Exchange] = []
        self.outcome = m.FETCHED
        self.error: str | None = None
        self.retry_after: float | None = None


# Called before every request with its url; returns when politeness lets it start and
# the time it started (time.time()). The crawler's gate waits for the url's host.
Gate = Callable[[str], Awaitable[float]]


async def _no_gate(url: str) -> float:
    return time.time()


async def attempt(client: httpx.AsyncClient, task: m.Task, cfg: FetchConfig,
                  gate: Gate = _no_gate) -> Attempt:
    """Fetch `task.url` once, following redirects (each hop through `gate`, so a chain
    keeps the host's delay too); never raises for network trouble."""
    result = Attempt()
    try:
        async with asyncio.timeout(cfg.total_timeout):
            await _follow(client, task, cfg, result, gate)
    except TimeoutError:
        _fail(result, m.TIMEOUT, f"no complete response within {cfg.total_timeout:g} s (total)",
              truncated="time")
    return result


def _fail(result: Attempt, outcome: str, error: str, truncated: str | None = None) -> None:
    result.outcome, result.error = outcome, error
    if result.exchanges:
        last = result.exchanges[-1]
        if last.status is None:
            last.error = error
        elif truncated and last.truncated is None:
            last.truncated = truncated


async def _follow(client: httpx.AsyncClient, task: m.Task, cfg: FetchConfig,
                  result: Attempt, gate: Gate) -> None:
    url, seen = task.url, {task.url}
    for _hop in range(cfg.max_redirects + 1):
        started = await gate(url)
        exchange = await _exchange(client, url, task, cfg, result, started)
        if exchange is None:
            return
        if exchange.status not in REDIRECTS:
            _classify(exchange, task, result)
            return
        location = exchange.header("location")
        if not location:
            _fail(result, m.REDIRECT_ERROR, f"http {exchange.status} without a Location")
            return
        try:
            url = normalize(location, base=url)
        except BadURL as exc:
            _fail(result, m.REDIRECT_ERROR, f"bad redirect target: {exc}")
            return
        if url in seen:
            _fail(result, m.REDIRECT_ERROR, f"redirect loop back to {url}")
            return
        seen.add(url)
    _fail(result, m.REDIRECT_ERROR, f"more than {cfg.max_redirects} redirects")


def _request_headers(task: m.Task, url: str, cfg: FetchConfig) -> dict[str, str]:
    headers = {"User-Agent": cfg.user_agent, "Accept-Encoding": "gzip, deflate, br",
               "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    if url == task.url:  # conditional re-fetch: validators of the previous crawl
        known = cfg.validators.get(url) or {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
    return headers


async def _exchange(client: httpx.AsyncClient, url: str, task: m.Task, cfg: FetchConfig,
                    result: Attempt, started: float) -> m.Exchange | None:
    request = client.build_request("GET", url, headers=_request_headers(task, url, cfg))
    exchange = m.Exchange(url=url, date=iso_at(started),
                          request_headers=[(k, v) for k, v in request.headers.multi_items()])
    result.exchanges.append(exchange)
    try:
        response = await client.send(request, stream=True)
    except httpx.TimeoutException as exc:
        _fail(result, m.TIMEOUT, f"{type(exc).__name__}: no response in time")
        return None
    except httpx.HTTPError as exc:
        text = str(exc)
        if text.startswith("blocked:"):
            _fail(result, m.BLOCKED, text)
        else:
            _fail(result, m.CONNECTION_ERROR, _connection_message(exc))
        return None
    try:
        _take_head(exchange, response)
        await _read_body(exchange, response, _cap_for(exchange, task, cfg), result)
    finally:
        await response.aclose()
    return exchange if result.error is None else None


def _connection_message(exc: Exception) -> str:
    text = str(exc).strip()
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError) and not text:
        return f"connection reset or closed by the server ({type(exc).__name__})"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _take_head(exchange: m.Exchange, response: httpx.Response) -> None:
    exchange.status = response.status_code
    exchange.reason = response.reason_phrase
    exchange.http_version = response.http_version
    exchange.response_headers = [(k, v) for k, v in response.headers.multi_items()]


def _cap_for(exchange: m.Exchange, task: m.Task, cfg: FetchConfig) -> int:
    ok = exchange.status is not None and 200 <= exchange.status < 300
    return cfg.max_bytes if ok else min(cfg.max_bytes, ERROR_BODY_CAP)


async def _read_body(exchange: m.Exchange, response: httpx.Response, cap: int,
                     result: Attempt) -> None:
    """Stream, decode and store at most `cap` bytes; never more in memory than a step."""
    body = exchange.body = m.new_body()
    try:
        chain = Chain(exchange.header("content-encoding"))
        async for raw in response.aiter_raw():
            if _store(chain.feed(raw), body, exchange, cap):
                return
        _store(chain.flush(), body, exchange, cap)
    except DecodeError as exc:
        _fail(result, m.DECODE_ERROR, str(exc))
    except httpx.TimeoutException:
        exchange.truncated = "time"
        _fail(result, m.TIMEOUT, "body stalled (read timeout)")
    except httpx.HTTPError as exc:
        exchange.truncated = "disconnect"
        _fail(result, m.CONNECTION_ERROR, "body cut: " + _connection_message(exc))
    finally:
        _rewrite_headers(exchange)


def _store(pieces: object, body: object, exchange: m.Exchange, cap: int) -> bool:
    """Write decoded pieces until the cap; True when the cap was hit (stop reading)."""
    for piece in pieces:  # type: ignore[attr-defined]
        room = cap - exchange.body_len
        if len(piece) > room:
            body.write(piece[:room])  # type: ignore[attr-defined]
            exchange.body_len = cap
            exchange.truncated = "length"
            return True
        body.write(piece)  # type: ignore[attr-defined]
        exchange.body_len += len(piece)
    return False


def _rewrite_headers(exchange: m.Exchange) -> None:
    """Headers as archived: the body is stored decoded and whole (no chunking)."""
    kept = [(k, v) for k, v in exchange.response_headers if k.lower() not in _DROPPED]
    for key, value in exchange.response_headers:
        if key.lower() == "content-encoding" and value.strip().lower() != "identity":
            kept.append(("X-Archive-Orig-Content-Encoding", value))
        if key.lower() == "content-length":
            kept.append(("X-Archive-Orig-Content-Length", value))
    kept.append(("Content-Length", str(exchange.body_len)))
    exchange.response_headers = kept


def _classify(exchange: m.Exchange, task: m.Task, result: Attempt) -> None:
    status = exchange.status or 0
    media, _ = parse_content_type(exchange.header("content-type"))
    if status == 304:
        result.outcome = m.NOT_MODIFIED
    elif status == 429 or status >= 500:
        result.outcome = m.HTTP_5XX if status >= 500 else m.HTTP_4XX
        result.error = f"http {status}"
        result.retry_after = retry_after(exchange.header("retry-after"))
    elif status >= 400:
        result.outcome, result.error = m.HTTP_4XX, f"http {status}"
    elif status >= 300 or status < 200:
        result.outcome, result.error = m.HTTP_3XX, f"http {status}"
    elif exchange.truncated == "length":
        result.outcome, result.error = m.TOO_LARGE, f"body over {exchange.body_len} bytes: cut"
    elif task.kind == m.PAGE and media is not None and media not in PAGE_TYPES:
        result.outcome, result.error = m.NOT_HTML, f"content type {media}"


