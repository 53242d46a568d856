"""Which addresses the fetcher may connect to: an allow-list checked at connect time.

The check sits in the network backend under httpx (the one place every
connection, redirects included, goes through), on the address actually
connected to, so a host name that resolves elsewhere or a redirect to another
address cannot slip past it. With an allow-list, host names other than
`localhost` are refused without being resolved: a DNS query is itself a
packet leaving the machine. The test suite and `bench-fetch` run with
`127.0.0.0/8` only (`COPYDESK_FETCH_ALLOW`), so nothing they do leaves the box.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import ssl
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpcore
import httpx

ENV_ALLOW = "COPYDESK_FETCH_ALLOW"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class BlockedAddress(httpcore.ConnectError):
    """A connection to an address outside the allow-list was refused before it was made."""


def parse_networks(spec: str | Iterable[str] | None) -> list[Network] | None:
    """`"127.0.0.0/8,::1/128"` (or a list) -> networks; None or empty: no restriction."""
    if spec is None:
        return None
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    nets = [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]
    return nets or None


def networks_from_env() -> list[Network] | None:
    return parse_networks(os.environ.get(ENV_ALLOW))


def check_host(host: str, allowed: list[Network]) -> str:
    """The address to connect to for `host`, or BlockedAddress."""
    name = host.strip("[]")
    if name.lower() == "localhost":
        name = "127.0.0.1"
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        raise BlockedAddress(f"blocked: host name {host!r} not resolved (allowed networks: "
                             f"{', '.join(map(str, allowed))})") from None
    if not any(address in net for net in allowed):
        raise BlockedAddress(f"blocked: {address} is outside the allowed networks")
    return str(address)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Delegates to httpcore's anyio backend after the allow-list check."""

    def __init__(self, allowed: list[Network]) -> None:
        self.allowed = allowed
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        address = check_host(host, self.allowed)
        return await self.inner.connect_tcp(address, port, timeout=timeout,
                                            local_address=local_address,
                                            socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("blocked: unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every pool (loading the CA bundle costs ~0.2 s)."""
    return httpx.create_ssl_context()


def _pool(allowed: list[Network] | None, connections: int) -> httpx.AsyncHTTPTransport:
    limits = httpx.Limits(max_connections=connections,
                          max_keepalive_connections=connections, keepalive_expiry=30)
    base = httpx.AsyncHTTPTransport(verify=_tls(), limits=limits, trust_env=allowed is None,
                                    retries=0)
    if allowed is not None:
        base._pool = httpcore.AsyncConnectionPool(
            max_connections=connections, max_keepalive_connections=connections,
            keepalive_expiry=30, network_backend=GuardedBackend(allowed), ssl_context=_tls())
    return base


class HostPools(httpx.AsyncBaseTransport):
    """One small connection pool per host, the least recently used idle ones closed.

    httpcore's pool walks all its connections on every request and response, so
    one pool holding the connections of 50 hosts spent most of the fetcher's CPU
    there (profiled); per host, the walk is over `per_host` connections. Pools of
    hosts that went quiet are closed beyond `max_pools`, so sockets do not pile up.
    """

    def __init__(self, allowed: list[Network] | None, per_host: int,
                 max_pools: int = 256) -> None:
        self.allowed = allowed
        self.connections = per_host + 1
        self.max_pools = max_pools
        self.pools: OrderedDict[tuple[str, str, int | None], httpx.AsyncHTTPTransport] = \
            OrderedDict()
        self.busy: Counter[tuple[str, str, int | None]] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.scheme, request.url.host, request.url.port)
        pool = self.pools.get(key)
        if pool is None:
            await self._evict()
            pool = self.pools[key] = _pool(self.allowed, self.connections)
        self.pools.move_to_end(key)
        self.busy[key] += 1
        try:
            response = await pool.handle_async_request(request)
        except BaseException:
            self.busy[key] -= 1
            raise
        return httpx.Response(status_code=response.status_code, headers=response.headers,
                              stream=_Released(response.stream, self, key),
                              extensions=response.extensions)

    def release(self, key: tuple[str, str, int | None]) -> None:
        self.busy[key] -= 1

    async def _evict(self) -> None:
        for key in list(self.pools):
            if len(self.pools) < self.max_pools:
                return
            if self.busy[key] <= 0:
                await self.pools.pop(key).aclose()
                del self.busy[key]

    async def aclose(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()
        self.pools.clear()


class _Released(httpx.AsyncByteStream):
    """A response stream that tells its pool when the response is closed."""

    def __init__(self, stream: Any, owner: HostPools, key: tuple[str, str, int | None]) -> None:
        self.stream, self.owner, self.key, self.done = stream, owner, key, False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self.stream.aclose()
        finally:
            if not self.done:
                self.done = True
                self.owner.release(self.key)


def transport(allowed: list[Network] | None, per_host: int) -> httpx.AsyncBaseTransport:
    """The fetcher's transport: per-host pools, guarded when `allowed` is set; no proxies
    from the environment when guarded (a proxy would move the connection outside the
    check)."""
    return HostPools(allowed, per_host)
