"""Cut the calling thread off the network, so a query engine talked into fetching a URL cannot.

On Linux, ``unshare(CLONE_NEWNET)`` moves the calling thread (and any thread
or process it starts later) into a new network namespace whose only interface,
loopback, is down: every ``connect`` then fails with ENETUNREACH, including to
127.0.0.1. Sockets and pipes opened before stay usable, so a query worker keeps
its pipe to the API. It needs CAP_SYS_ADMIN (root, as on CI); where it is not
permitted, :func:`drop_network` logs the reason once and returns False, and the
parser-level guard (:mod:`kg.sparql_guard`) is the only protection.

This is defence in depth behind the guard: it is applied to the query worker
processes, the API's in-process query threads for an embedded store and
``kg query`` on an embedded store; never where the store itself is a remote
SPARQL endpoint.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

__all__ = ["CLONE_NEWNET", "drop_network", "network_dropping_available", "offline"]

CLONE_NEWNET = 0x40000000
T = TypeVar("T")
_log = logging.getLogger(__name__)
_reason: str | None = None  # why the network could not be dropped, once known
_lock = threading.Lock()


def _unshare() -> str | None:
    """Try the unshare; None on success, else the reason."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces need Linux (this is {sys.platform})"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done = libc.unshare(CLONE_NEWNET)
    except (OSError, AttributeError) as exc:
        return f"unshare is not available ({exc})"
    if done != 0:
        errno = ctypes.get_errno()
        return f"unshare(CLONE_NEWNET) failed: {os.strerror(errno)} (needs CAP_SYS_ADMIN)"
    return None


def drop_network() -> bool:
    """Move the calling thread into an empty network namespace; True when done.

    Where that is not permitted, the reason is logged once per process and
    False is returned; the caller goes on with the network it had.
    """
    global _reason
    reason = _unshare()
    if reason is None:
        return True
    with _lock:
        first, _reason = _reason is None, reason
    if first:
        _log.warning("query threads keep the network: %s; the SPARQL guard alone keeps SERVICE out", reason)
    return False


def network_dropping_available() -> str | None:
    """None when :func:`drop_network` works here, else the reason (tried in a throwaway thread)."""
    result: list[str | None] = []
    thread = threading.Thread(target=lambda: result.append(_unshare()), name="zwgk-netns-probe")
    thread.start()
    thread.join()
    return result[0] if result else "the probe thread failed"


def _clear_locals(exc: BaseException | None) -> None:
    """Drop the locals held by an error's tracebacks (pyoxigraph objects must die on their thread)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__


def offline(function: Callable[..., T], *args: object) -> T:
    """Call ``function(*args)`` in a new thread without network, and return its result or raise its error."""
    result: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        drop_network()
        try:
            result.append(function(*args))
        except BaseException as exc:  # noqa: BLE001 (handed to the calling thread)
            _clear_locals(exc)
            error.append(exc)

    thread = threading.Thread(target=run, name="zwgk-offline-query")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]
