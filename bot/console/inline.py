"""An Executor that runs work at once in the caller's thread, so lazy listeners finish before dispatch returns."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any


class InlineExecutor(Executor):
    """Runs each submitted callable immediately; used by the console and the tests for determinism."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # the future carries it, as a thread pool would
            future.set_exception(exc)
        return future
