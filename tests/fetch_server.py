"""A local HTTP server for the fetch tests: 127.0.0.1 only, misbehaving on request.

Written on asyncio streams rather than http.server so that it can do what real
servers do to crawlers: stall after the headers, trickle a body, reset the
connection, send a gzip bomb, stream a body larger than memory. Every request
is logged (time, listening address, path, headers, how many were in flight on
that address), so tests can check politeness from the server's side.

Routes (all GET):
  /robots.txt                      the `robots` text given to the server (404 if None)
  /page/<name>                     a small article page (`?date=1` adds a published date)
  /status/<code>?ra=<s>            that status (with Retry-After when `ra`)
  /flaky/<name>?fail=<k>&code=<c>  `c` (default 503) for the first k requests, then a page
  /redirect/<n>                    a chain of n redirects (301/302 alternating) to a page
  /loop/<a|b>                      a redirects to b, b to a
  /slow?chunks=<n>&gap=<s>         a body trickled in n chunks, `gap` s apart
  /stall                           headers, then nothing
  /silent                          accepts, reads, never answers
  /reset                           closes the connection with a TCP reset
  /bomb?mb=<n>                     Content-Encoding: gzip inflating to n MB of zeros
  /huge?mb=<n>                     an n MB body streamed from a generator
  /type/<variant>                  wrong or missing Content-Type / charset
  /etag/<name>                     ETag + Last-Modified; 304 on a matching conditional
  /bytes/<key>                     `server.bodies[key]` = (content type, bytes)
  /latency/<name>?ms=<m>           a page after m milliseconds
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>{extra}</head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>
<p>The harbour council voted on Tuesday to extend the wind farm along the northern breakwater,
after two years of hearings in which fishermen, residents and the port authority argued over
the turbines' effect on the winter catch.</p>
<p>Under the plan, twelve more turbines will rise by 2027, roughly doubling the output of the
existing array, and the operator will pay for a monitoring programme run by the university.</p>
<p>{name}: residents who opposed the extension said they would appeal, while the port said
the decision gave it the certainty it needed to invest in a new service quay.</p>
</article><footer>Copyright</footer></body></html>"""


@dataclass
class Hit:
    at: float
    address: str
    path: str
    headers: dict[str, str]
    in_flight: int


@dataclass
class Behaviour:
    robots: str | None = "User-agent: *\nDisallow: /private/\n"
    bodies: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@functools.cache
def bomb(mb: int) -> bytes:
    """gzip of `mb` MB of zeros (about 1 KB per MB)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join(comp.compress(block) for _ in range(mb)) + comp.flush()


def page_html(name: str, *, title: str | None = None, date: str | None = None) -> str:
    extra = (f'<meta property="article:published_time" content="{date}">' if date else "")
    return PAGE.format(title=title or f"Harbour council {name}", name=name, extra=extra)


class Server:
    """Listens on `addresses` (127.x.y.z, port 0: any free port) in a background thread."""

    def __init__(self, addresses: tuple[str, ...] = ("127.0.0.1",),
                 behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        self.addresses = addresses
        self.hits: list[Hit] = []
        self.counters: dict[str, int] = {}
        self.active: dict[str, int] = {}
        self.bases: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.servers: list[asyncio.base_events.Server] = []

    def __enter__(self) -> Server:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: Any) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def _start(self) -> None:
        for address in self.addresses:
            srv = await asyncio.start_server(self._client, address, 0)
            port = srv.sockets[0].getsockname()[1]
            self.servers.append(srv)
            self.bases.append(f"http://{address}:{port}")

    async def _stop(self) -> None:
        for srv in self.servers:
            srv.close()
        for task in asyncio.all_tasks(self.loop):
            if task is not asyncio.current_task():
                task.cancel()

    @property
    def base(self) -> str:
        return self.bases[0]

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, port = writer.get_extra_info("sockname")[:2]
        address = f"{host}:{port}"
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                target = lines[0].split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, v in
                           (ln.split(":", 1) for ln in lines[1:] if ":" in ln)}
                self.active[address] = self.active.get(address, 0) + 1
                self.hits.append(Hit(time.monotonic(), address, target, headers,
                                     self.active[address]))
                try:
                    keep = await self._route(target, headers, writer)
                finally:
                    self.active[address] -= 1
                await writer.drain()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _send(self, writer: asyncio.StreamWriter, status: int, body: bytes = b"",
                    ctype: str | None = "text/html; charset=utf-8",
                    headers: dict[str, str] | None = None) -> bool:
        lines = [f"HTTP/1.1 {status} X"]
        if ctype is not None:
            lines.append(f"Content-Type: {ctype}")
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        return True

    def _count(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    async def _route(self, target: str, headers: dict[str, str],
                     writer: asyncio.StreamWriter) -> bool:
        parts = urlsplit(target)
        path, q = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        head, _, rest = path.strip("/").partition("/")
        handler = getattr(self, f"_r_{head.replace('-', '_').replace('.', '_')}", None)
        if handler is None:
            return await self._send(writer, 404, b"<html><body>Not Found</body></html>")
        return bool(await handler(rest, q, headers, writer))

    async def _r_robots_txt(self, rest: str, q: dict[str, str], h: dict[str, str],
                            w: asyncio.StreamWriter) -> bool:
        robots = self.behaviour.robots
        if robots is None:
            return await self._send(w, 404, b"no robots")
        return await self._send(w, 200, robots.encode(), "text/plain")

    async def _r_page(self, rest, q, h, w) -> bool:
        date = "2021-03-04T05:06:07+00:00" if q.get("date") else None
        return await self._send(w, 200, page_html(rest, date=date).encode())

    async def _r_private(self, rest, q, h, w) -> bool:
        return await self._send(w, 200, page_html("private " + rest).encode())

    async def _r_latency(self, rest, q, h, w) -> bool:
        await asyncio.sleep(int(q.get("ms", "100")) / 1000)
        return await self._send(w, 200, page_html(rest).encode())

    async def _r_status(self, rest, q, h, w) -> bool:
        extra = {"Retry-After": q["ra"]} if "ra" in q else {}
        return await self._send(w, int(rest), f"<p>status {rest}</p>".encode(), headers=extra)

    async def _r_flaky(self, rest, q, h, w) -> bool:
        n = self._count("flaky/" + rest)
        if n <= int(q.get("fail", "1")):
            code = int(q.get("code", "503"))
            extra = {"Retry-After": q["ra"]} if "ra" in q else {}
            if q.get("mode") == "reset":
                return await self._r_reset(rest, q, h, w)
            return await self._send(w, code, b"try later", headers=extra)
        return await self._send(w, 200, page_html(rest).encode())

    async def _r_redirect(self, rest, q, h, w) -> bool:
        n = int(rest or "0")
        if n <= 0:
            return await self._send(w, 200, page_html("redirected").encode())
        return await self._send(w, 301 if n % 2 else 302, b"", headers={
            "Location": f"/redirect/{n - 1}"})

    async def _r_loop(self, rest, q, h, w) -> bool:
        return await self._send(w, 302, b"", headers={"Location": "/loop/" + (
            "b" if rest == "a" else "a")})

    async def _r_slow(self, rest, q, h, w) -> bool:
        chunks, gap = int(q.get("chunks", "5")), float(q.get("gap", "0.2"))
        body = page_html("slow").encode()
        piece = max(1, len(body) // chunks + 1)
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body))
        for i in range(0, len(body), piece):
            w.write(body[i:i + piece])
            await w.drain()
            await asyncio.sleep(gap)
        return True

    async def _r_stall(self, rest, q, h, w) -> bool:
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                b"<html><body><p>first bytes")
        await w.drain()
        await asyncio.sleep(3600)
        return False

    async def _r_silent(self, rest, q, h, w) -> bool:
        await asyncio.sleep(3600)
        return False

    async def _r_reset(self, rest, q, h, w) -> bool:
        sock = w.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        w.transport.abort()
        return False

    async def _r_bomb(self, rest, q, h, w) -> bool:
        return await self._send(w, 200, bomb(int(q.get("mb", "200"))),
                                headers={"Content-Encoding": "gzip"})

    async def _r_huge(self, rest, q, h, w) -> bool:
        total = int(float(q.get("mb", "64")) * (1 << 20))
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                b"Content-Length: %d\r\n\r\n" % total)
        chunk = b"<p>" + b"x" * 65530 + b"</p>\n"
        sent = 0
        try:
            while sent < total:
                piece = chunk[: total - sent]
                w.write(piece)
                sent += len(piece)
                await w.drain()
        except ConnectionError:
            return False
        return False

    async def _r_type(self, rest, q, h, w) -> bool:
        latin = page_html("café à la carte").encode("latin-1", "replace")
        variants: dict[str, tuple[str | None, bytes]] = {
            "missing": (None, page_html("no content type").encode()),
            "latin1": ("text/html; charset=ISO-8859-1", latin),
            "wrong-charset": ("text/html; charset=utf-8", latin),
            "plain": ("text/plain", page_html("served as text").encode()),
            "png": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
            "bogus-charset": ("text/html; charset=x-nonsense", page_html("bogus").encode()),
            "gzip-plain": ("text/html", gzip.compress(page_html("gz").encode())),
        }
        ctype, body = variants[rest]
        headers = {"Content-Encoding": "gzip"} if rest == "gzip-plain" else {}
        return await self._send(w, 200, body, ctype, headers)

    async def _r_etag(self, rest, q, h, w) -> bool:
        tag = f'"v1-{rest}"'
        if h.get("if-none-match") == tag:
            return await self._send(w, 304, b"", None, {"ETag": tag})
        return await self._send(w, 200, page_html(rest).encode(), headers={
            "ETag": tag, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

    async def _r_bytes(self, rest, q, h, w) -> bool:
        if rest not in self.behaviour.bodies:
            return await self._send(w, 404, b"no such body")
        ctype, body = self.behaviour.bodies[rest]
        return await self._send(w, 200, body, ctype)
