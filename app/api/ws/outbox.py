"""A context's bounded outbox: a client that stops reading stalls its context instead of growing memory."""

from __future__ import annotations

import asyncio
import enum
from collections import deque

from app.api.ws.messages import Outgoing


class End(enum.Enum):
    END = enum.auto()  # the sender stops after this


class SlowConsumer(Exception):
    pass


class Outbox:
    """FIFO of messages for one context. `put` waits while `limit` messages are queued (at most
    `timeout` seconds, then raises SlowConsumer); `put_final` always fits, so a context's last words
    (done, cancelled, an error) and the end marker are never lost to a full box."""

    def __init__(self, limit: int) -> None:
        self._items: deque[Outgoing | End] = deque()
        self._limit = limit
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()

    def __len__(self) -> int:
        return len(self._items)

    async def put(self, item: Outgoing, timeout: float) -> None:
        if len(self._items) >= self._limit:
            try:
                async with asyncio.timeout(timeout):
                    while len(self._items) >= self._limit:
                        self._writable.clear()
                        await self._writable.wait()
            except TimeoutError:
                raise SlowConsumer from None
        self.put_final(item)

    def put_final(self, item: Outgoing | End) -> None:
        self._items.append(item)
        self._readable.set()

    def discard(self) -> None:
        self._items.clear()
        self._writable.set()

    async def get(self) -> Outgoing | End:
        while not self._items:
            self._readable.clear()
            await self._readable.wait()
        item = self._items.popleft()
        if len(self._items) < self._limit:
            self._writable.set()
        return item
