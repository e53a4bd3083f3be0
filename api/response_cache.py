"""Whole HTTP answers kept in memory until the store changes (an ASGI middleware).

Reads vastly outnumber writes on a published graph, and the same questions
come again and again (the agencies for 三同步, a bureau's obligations, the
queries of a shared notebook). This middleware keeps the complete ``200``
answer of a ``GET`` to the read routes (``/api/``, ``/sparql``, ``/viz/``,
``/id/``) keyed by path, query string and the headers that select the
representation, and serves it again without routing, validation or
serialisation — like the HTTP caches in front of the Wikidata Query Service.

An answer is only reused while the store's ``generation`` is the one it was
computed under: :class:`api.cache.CachedStore` bumps it on every write, so a
re-ingested document is never answered from an older graph. Stores that others
may change (a remote endpoint) have no generation and are not cached.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CACHED_PREFIXES", "ResponseCache", "ResponseCacheMiddleware"]

CACHED_PREFIXES = ("/api/", "/sparql", "/viz/", "/id/")
# Request headers an answer may depend on: content negotiation, and Host (the service
# description names the endpoint by the URL it was asked at).
VARY = (b"accept", b"accept-encoding", b"accept-language", b"host")
SKIPPED_HEADERS = {b"content-length", b"date", b"server", b"set-cookie"}

Key = tuple[str, bytes, tuple[bytes, ...]]


@dataclass(frozen=True)
class _Answer:
    generation: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class ResponseCache:
    """A byte-bounded LRU of complete answers, each tagged with the store generation it was made under.

    Args:
        max_bytes: total size of the kept bodies; 0 turns the cache off.
        max_entry_bytes: larger answers are not kept.
    """

    def __init__(self, max_bytes: int, max_entry_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self._answers: OrderedDict[Key, _Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Key, generation: int) -> _Answer | None:
        """The kept answer for ``key`` if it was made under ``generation``."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is None or answer.generation != generation:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: Key, answer: _Answer) -> None:
        """Keep an answer, dropping the least recently used ones beyond the size bound."""
        if len(answer.body) > self.max_entry_bytes:
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._answers[key] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes and self._answers:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._answers)


def _generation(scope: Scope) -> int | None:
    app = scope.get("app")
    store = getattr(getattr(app, "state", None), "store", None)
    generation = getattr(store, "generation", None)
    return generation if isinstance(generation, int) else None


def _key(scope: Scope) -> Key:
    wanted = dict(scope["headers"])
    return scope["path"], scope["query_string"], tuple(wanted.get(name, b"") for name in VARY)


class ResponseCacheMiddleware:
    """Serve repeated ``GET``s of the read routes from a :class:`ResponseCache`."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache
        self._pending: dict[Key, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from the cache, or pass on and keep a successful answer."""
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or self.cache.max_bytes <= 0
            or not scope["path"].startswith(CACHED_PREFIXES)
            or (scope["path"] == "/sparql" and not scope["query_string"])
        ):
            await self.app(scope, receive, send)
            return
        await self._cached(scope, receive, send)

    async def _cached(self, scope: Scope, receive: Receive, send: Send) -> None:
        generation = _generation(scope)
        if generation is None:  # no store generation (yet): nothing is safe to reuse
            await self.app(scope, receive, send)
            return
        key = _key(scope)
        pending = self._pending.get(key)
        if pending is not None:  # the same answer is being made: wait for it rather than make it again
            await pending.wait()
        answer = self.cache.get(key, generation)
        if answer is not None:
            await _replay(answer, send)
            return
        done = self._pending.setdefault(key, asyncio.Event())
        try:
            await self._answer(scope, receive, send, key, generation)
        finally:
            if self._pending.get(key) is done:
                del self._pending[key]
            done.set()

    async def _answer(self, scope: Scope, receive: Receive, send: Send, key: Key, generation: int) -> None:
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.extend(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        no_store = any(k.lower() == b"cache-control" and b"no-store" in v.lower() for k, v in headers)
        if status == 200 and not no_store and _generation(scope) == generation:  # not changed while answering
            kept = tuple((k, v) for k, v in headers if k.lower() not in SKIPPED_HEADERS)
            self.cache.put(key, _Answer(generation, kept, b"".join(chunks)))


async def _replay(answer: _Answer, send: Send) -> None:
    headers = [
        *answer.headers,
        (b"content-length", str(len(answer.body)).encode("ascii")),
        (b"x-cache", b"hit"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
