"""Per-host politeness: at most `per_host` requests in flight, request starts at least
`delay` apart, and nobody waits on a host's delay while holding a global slot.

Each host with work has up to `per_host` lanes (asyncio tasks); a lane takes
the host's next URL, waits for the host's turn, takes a global slot, and only
then stamps the host's next allowed start, with no await between the check
and the stamp, so two lanes can never start closer than the delay. Retries
wait in a per-host heap until their time (backoff or Retry-After); a 429/503
Retry-After also pauses the whole host.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque

from copydesk.fetcher.model import Task
from copydesk.fetcher.robots import Robots

_TIE = itertools.count()
# Wall clock = monotonic + this offset, read once: a request's WARC-Date is derived from
# the very reading that stamped the host's clock, so the archive shows the true spacing
# (two separate clock reads could be split by a context switch).
_WALL_OFFSET = time.time() - time.monotonic()


def wall(monotonic: float) -> float:
    return monotonic + _WALL_OFFSET


class Host:
    """One `scheme://host:port`: its queue, its retries, its clock, its robots.txt."""

    def __init__(self, key: str, delay: float) -> None:
        self.key = key
        self.ready: deque[Task] = deque()
        self.later: list[tuple[float, int, Task]] = []
        self.lanes = 0
        self.in_flight = 0
        self.delay = delay
        self.next_start = 0.0
        self.robots: Robots | None = None
        self.robots_lock = asyncio.Lock()

    def pending(self) -> int:
        return len(self.ready) + len(self.later)

    def put(self, task: Task) -> None:
        if task.not_before > time.monotonic():
            heapq.heappush(self.later, (task.not_before, next(_TIE), task))
        else:
            self.ready.append(task)

    def take(self) -> Task | float | None:
        """The next task due; else seconds until one is due; None when nothing is left."""
        now = time.monotonic()
        if self.later and self.later[0][0] <= now:
            return heapq.heappop(self.later)[2]
        if self.ready:
            return self.ready.popleft()
        if self.later:
            return self.later[0][0] - now
        return None

    def pause(self, seconds: float) -> None:
        self.next_start = max(self.next_start, time.monotonic() + seconds)


async def turn(host: Host, slots: asyncio.Semaphore) -> float:
    """Wait for the host's next start and a global slot, stamp the host's clock, and
    return the wall-clock start (for WARC-Date); the caller releases the slot."""
    while True:
        wait = host.next_start - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        await slots.acquire()
        now = time.monotonic()
        if now >= host.next_start:
            host.next_start = now + host.delay
            host.in_flight += 1
            return wall(now)
        slots.release()


async def hop(host: Host) -> float:
    """Before a redirect hop to `host`: as `turn`, without taking another global slot
    (the attempt holds one)."""
    while True:
        now = time.monotonic()
        if now >= host.next_start:
            host.next_start = now + host.delay
            return wall(now)
        await asyncio.sleep(host.next_start - now)
