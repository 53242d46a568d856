"""Connection timeouts for the inspector's server (slowloris-style clients).

uvicorn closes idle keep-alive connections, but waits for ever on a client
that sends its request headers one byte at a time, or a body that never
ends: 300 such connections stayed open. `TimedH11Protocol` closes a
connection whose request headers are not complete `HEADER_TIMEOUT` seconds
after it opened (or after the previous response); `BodyTimeoutMiddleware`
answers 408 when a request body stalls for `BODY_TIMEOUT` seconds between
two pieces.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from copydesk.serve.security import answer_on

HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 30.0


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on receiving the request headers."""

    header_timeout = HEADER_TIMEOUT

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _headers_too_slow(self) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._header_timer.cancel()  # a request is in progress: headers are complete

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._header_timer.cancel()
        self._arm()  # the next request's headers get their own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._header_timer.cancel()
        super().connection_lost(exc)


class BodyTimeoutMiddleware:
    """408 when the request body stalls for `timeout` seconds between two pieces."""

    def __init__(self, app: ASGIApp, timeout: float = BODY_TIMEOUT) -> None:
        self.app, self.timeout = app, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def timed_receive() -> Message:
            return await asyncio.wait_for(receive(), self.timeout)

        await answer_on(TimeoutError, self.app, scope, timed_receive, send,
                        408, "request body too slow", close=True)
