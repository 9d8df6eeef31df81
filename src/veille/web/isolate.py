"""Run /api/extract in a worker process with a time limit.

Coding a report costs time in proportion to its length (about 0.1 s per KB here), and a
request is capped at 1 MB, so one request could hold a CPU for minutes. In a thread it
could not be stopped: the server did not even exit on SIGINT while one ran. Here the
pipeline runs in one child process (spawned, so it shares nothing with the server's
threads; models load there on first use). A request that runs past ``timeout`` seconds
gets 503, and the child is killed and replaced; closing the server kills it too.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from veille.web.errors import ApiError

#: Default time limit for one /api/extract request, in seconds.
EXTRACT_TIMEOUT_S = 30.0


#: Longest wait for a new worker to load its models (not counted in the request's limit).
WARM_UP_S = 300.0


#: One short report per language, coded once by a new worker so that everything a first request
#: would load (spaCy models, language detector, actor tables, gazetteer, learned coder bundles) is
#: loaded before any request's time limit runs: on a busy machine that first load alone took over
#: 8 s, and the first small request was stopped as too long.
_WARM_UP_REPORTS = {"fr": "La France a condamné la Russie lundi.", "en": "France condemned Russia on Monday."}


def _warm_up() -> None:
    from veille.nlp import MODELS, load
    from veille.pipeline import extract_events

    for lang in MODELS:
        load(lang)
    for text in _WARM_UP_REPORTS.values():
        extract_events(text, date="2024-03-04")  # language detected, as a request without lang is


def _extract(raw: str, kind: str, lang: str | None, date: str | None, url: str | None,
             title: str | None, coder: str = "auto") -> tuple[Any, list[dict[str, Any]]]:
    from veille.pipeline import extract_events

    return extract_events(raw, kind, lang, date, url, title, coder)


class IsolatedExtractor:
    """Callable like ``veille.pipeline.extract_events``, but awaited with a time limit."""

    def __init__(self, timeout: float = EXTRACT_TIMEOUT_S) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._warm: Any = None

    def _executor(self) -> tuple[ProcessPoolExecutor, Any]:
        """The worker pool and the future of its warm-up (model loading), started on first use."""
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
                self._warm = self._pool.submit(_warm_up)
            return self._pool, self._warm

    def start(self) -> None:
        """Start the worker and its model loading now (server start-up), not on the first request."""
        self._executor()

    async def __call__(self, *args: Any) -> tuple[Any, list[dict[str, Any]]]:
        pool, warm = self._executor()
        try:
            # Loading the models is not the request's cost: wait for it outside the limit.
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(warm)), WARM_UP_S)
            future = pool.submit(_extract, *args)
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            self._kill(pool)
            raise ApiError(503, "extract_timeout",
                           f"coding this report took over {self.timeout:.0f} s and was stopped; "
                           "send a shorter report (or raise `veille serve --extract-timeout`)") from None
        except (BrokenProcessPool, CancelledError, asyncio.CancelledError):
            self._kill(pool)
            raise ApiError(503, "extract_unavailable",
                           "the extraction worker stopped (the server is stopping, another request "
                           "was cut off, or it ran out of memory); try again") from None

    def _kill(self, pool: ProcessPoolExecutor) -> None:
        """Kill the worker of ``pool`` now and forget the pool (the next request starts a new one)."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            if process.is_alive():
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            self._kill(pool)
