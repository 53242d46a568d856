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

import ipaddress
import os
from collections.abc import Iterable
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


def transport(allowed: list[Network] | None, max_connections: int) -> httpx.AsyncHTTPTransport:
    """An httpx transport, guarded when `allowed` is set; no proxies from the environment
    (a proxy would move the connection outside the check)."""
    limits = httpx.Limits(max_connections=max_connections,
                          max_keepalive_connections=max_connections, keepalive_expiry=30)
    base = httpx.AsyncHTTPTransport(limits=limits, trust_env=allowed is None, retries=0)
    if allowed is not None:
        base._pool = httpcore.AsyncConnectionPool(
            max_connections=max_connections, max_keepalive_connections=max_connections,
            keepalive_expiry=30, network_backend=GuardedBackend(allowed),
            ssl_context=httpx.create_ssl_context())
    return base
