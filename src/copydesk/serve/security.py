"""The inspector's guards: body size, request origin, response headers, file paths.

The server runs on a researcher's machine next to their files, so a web page
they visit elsewhere must not be able to use it (CSRF, DNS rebinding), and a
crafted output file must not make it read files it was not given.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from copydesk.serve.vocab import APP_CSP


class TooLarge(Exception):
    """The request body went over the cap while streaming in."""


def too_large_message(limit: int) -> str:
    return (f"content too large: the inspector accepts at most {limit / (1024 * 1024):.3g} MB "
            f"({limit} bytes) per page; start it with --max-upload-mb to raise the cap")


class BodyLimitMiddleware:
    """413 with a clear JSON message when a request body exceeds `limit` bytes.

    Checks Content-Length first (cheap), then counts streamed bytes, so a
    chunked upload without a length cannot get past the cap either.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            await _send_json(send, 413, {"error": too_large_message(self.limit)})
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge
            return message

        await answer_on(TooLarge, self.app, scope, counting_receive, send,
                        413, too_large_message(self.limit))


async def answer_on(error: type[BaseException], app: ASGIApp, scope: Scope, receive: Receive,
                    send: Send, status: int, message: str, close: bool = False) -> None:
    """Run `app`; when its `receive` raises `error` (a body over the cap, a body that
    stalls) before the response started, answer `status` with `{"error": message}`.
    After the response started there is nothing to answer: the connection ends."""
    started = False

    async def tracking_send(event: Message) -> None:
        nonlocal started
        started = started or event["type"] == "http.response.start"
        await send(event)

    try:
        await app(scope, receive, tracking_send)
    except error:
        if not started:
            await _send_json(send, status, {"error": message}, close)


class HeadersMiddleware:
    """Strict headers on every response: our CSP, no framing, no sniffing, no referrer."""

    HEADERS = (
        (b"content-security-policy", APP_CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"cross-origin-resource-policy", b"same-origin"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.HEADERS if k not in names]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)


async def _send_json(send: Send, status: int, payload: dict[str, str],
                     close: bool = False) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status,
                "headers": headers + ([(b"connection", b"close")] if close else [])})
    await send({"type": "http.response.body", "body": body})


def same_origin(origin: str | None, host: str | None) -> bool:
    """A browser POST from another site carries its own Origin: refuse it.
    No Origin header (curl, scripts, same-origin GET-initiated) is allowed."""
    if not origin:
        return True
    if origin == "null" or not host:
        return False
    return origin.split("://", 1)[-1].rstrip("/") == host


class PathGuard:
    """Answers "may the server read this file?" for paths taken from data.

    Only files inside the given roots (after resolving symlinks and `..`) are
    readable; everything else, including absolute paths elsewhere and
    traversal attempts, is refused.
    """

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = [Path(os.path.realpath(r)) for r in roots]

    def resolve(self, raw: str, bases: Iterable[Path] = ()) -> Path | None:
        """The real path of `raw` when it is an existing file inside a root."""
        if not raw or "\x00" in raw:
            return None
        candidate = Path(raw)
        tries = [candidate] if candidate.is_absolute() else [b / candidate for b in bases]
        for path in tries:
            real = Path(os.path.realpath(path))
            if self.allows(real) and real.is_file():
                return real
        return None

    def allows(self, real: Path) -> bool:
        return any(real == root or real.is_relative_to(root) for root in self.roots)
