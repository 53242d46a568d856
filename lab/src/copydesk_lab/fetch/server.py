"""The benchmark's local web: many hosts (127.0.1.1, 127.0.1.2, ...), each a listening
socket of one asyncio server process, with the latency and failures of `sites`.

Run as `python -m copydesk_lab.fetch.server --hosts 50 --hits HITS.jsonl`; it prints
one JSON line (the base URLs) when it listens, and writes every request it saw
(monotonic time, host, path, requests in flight on that host, the page status) to HITS.jsonl when
it gets SIGTERM. CLOCK_MONOTONIC is system-wide, so the bench compares these
times with its own. Routes: `/robots.txt`, `/p/<id>` (pages), `/f/<id>` (pages,
with transient failures on the first request), `/s/<n>.xml` (feeds, sitemaps,
indexes), `/s/<n>x.xml.gz` (gzipped child sitemaps), `/a/...` (feed entries),
`/huge?mb=N` (a streamed body of N MB).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import struct
import sys
import time
from typing import Any

from copydesk_lab.fetch import sites

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class Web:
    def __init__(self, fail_rate: float) -> None:
        self.fail_rate = fail_rate
        self.hits: list[list[Any]] = []  # [time, host, path, in flight, status or None]
        self.active: dict[str, int] = {}
        self.seen: dict[str, int] = {}

    async def client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, port = writer.get_extra_info("sockname")[:2]
        address = f"{host}:{port}"
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("latin-1")
                self.active[address] = self.active.get(address, 0) + 1
                hit = [time.monotonic(), address, path, self.active[address], None]
                self.hits.append(hit)
                try:
                    keep = await self.route(path, address, writer, hit)
                finally:
                    self.active[address] -= 1
                if not keep:
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def send(self, w: asyncio.StreamWriter, status: int, body: bytes,
             ctype: str = "text/html; charset=utf-8", hit: list[Any] | None = None) -> bool:
        if hit is not None:
            hit[4] = status
        w.write(f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: "
                f"{len(body)}\r\n\r\n".encode() + body)
        return True

    async def route(self, path: str, address: str, w: asyncio.StreamWriter,
                    hit: list[Any]) -> bool:
        if path == "/robots.txt":
            return self.send(w, 200, ROBOTS, "text/plain")
        if path.startswith(("/p/", "/f/")):
            return await self.page(path, address, w, hit)
        if path.startswith("/a/"):
            await asyncio.sleep(sites.latency_ms(path) / 1000)
            return self.send(w, 200, sites.page(path, sites.page_date_of(path)))
        if path.startswith("/s/"):
            return self.source(path[3:], w)
        if path.startswith("/huge"):
            return await self.huge(int(path.rsplit("=", 1)[1]), w)
        return self.send(w, 404, b"not found")

    async def page(self, path: str, address: str, w: asyncio.StreamWriter,
                   hit: list[Any]) -> bool:
        key = address + path
        self.seen[key] = self.seen.get(key, 0) + 1
        await asyncio.sleep(sites.latency_ms(path) / 1000)
        failure = sites.failure_of(path, self.fail_rate) if self.seen[key] == 1 else None
        if failure == "500":
            return self.send(w, 500, b"try again", hit=hit)
        if failure == "reset":
            sock = w.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            w.transport.abort()
            return False
        if failure == "timeout":
            await asyncio.sleep(30)
            return False
        return self.send(w, 200, sites.page(path, None), hit=hit)

    def source(self, name: str, w: asyncio.StreamWriter) -> bool:
        if name.endswith(".xml.gz"):
            return self.send(w, 200, sites.child_sitemap(name[:-7]), "application/x-gzip")
        ctype, body = sites.feed(int(name[:-4]))
        return self.send(w, 200, body, ctype)

    async def huge(self, mb: int, w: asyncio.StreamWriter) -> bool:
        total = mb << 20
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
                % total)
        chunk = b"<p>" + b"y" * ((1 << 16) - 8) + b"</p>\n"
        sent = 0
        while sent < total:
            w.write(chunk[: total - sent])
            sent += min(len(chunk), total - sent)
            await w.drain()
        return False


async def serve(args: argparse.Namespace) -> None:
    web = Web(args.fail_rate)
    servers, bases = [], []
    for i in range(args.hosts):
        address = f"127.0.{1 + i // 250}.{1 + i % 250}"
        srv = await asyncio.start_server(web.client, address, args.port, backlog=1024)
        servers.append(srv)
        bases.append(f"http://{address}:{srv.sockets[0].getsockname()[1]}")
    print(json.dumps(bases), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    with open(args.hits, "w") as out:
        for hit in web.hits:
            out.write(json.dumps(hit) + "\n")


def main(argv: Any = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--hosts", type=int, default=50)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--fail-rate", type=float, default=0.05)
    p.add_argument("--hits", required=True)
    asyncio.run(serve(p.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
