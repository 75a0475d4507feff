"""The app's one clock: the wall clock, or a test clock read from FOREMAN_CLOCK_FILE (contract §2).

A test clock file holds one ISO-8601 instant; the clock stands still until the file changes. Every
process (serve workers, socket, tick, console) reads the same file, so they all see the same instant.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

_STEP = re.compile(r"^\s*(\d+)\s*([mhd])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class ClockError(Exception):
    """A test clock that cannot be read or moved; the message is one line saying why."""


def parse_instant(text: str) -> datetime:
    """An aware instant from ISO-8601 text; a naive one is read as UTC (like `foreman tick --now`)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ClockError(f"not an ISO-8601 instant: {text.strip()!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_step(text: str) -> timedelta:
    """How far `foreman clock advance` moves: `<N>m`, `<N>h` or `<N>d` with N ≥ 1."""
    match = _STEP.match(text)
    if not match or int(match.group(1)) == 0:
        raise ClockError(f"advance by <N>m, <N>h or <N>d (N ≥ 1), not {text.strip()!r}")
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


def read_instant(path: str | Path) -> datetime:
    """The instant a clock file holds."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ClockError(f"{path} does not exist yet; start it with `foreman clock set ISO`") from None
    except OSError as exc:
        raise ClockError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return parse_instant(text)
    except ClockError as exc:
        raise ClockError(f"{path}: {exc}") from None


def write_instant(path: str | Path, instant: datetime) -> None:
    """Replace the file's instant atomically; its modification time always moves on, so readers notice."""
    target = Path(path)
    if instant.tzinfo is None:
        raise ValueError("a clock instant must be aware")
    try:
        before = target.stat().st_mtime_ns
    except OSError:
        before = None
    fd, tmp = tempfile.mkstemp(prefix=".clock-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(instant.isoformat() + "\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # Two writes within the filesystem's timestamp resolution would look unchanged to a reader.
    if before is not None and target.stat().st_mtime_ns <= before:
        os.utime(target, ns=(before + 1000, before + 1000))


class Clock:
    """Now for the whole app: the test clock file when one is set (cached by its mtime), else the wall."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int, int], datetime] | None = None
        self._warned: tuple[int, int, int] | None = None
        self.path = Path(path) if path else None

    @property
    def path(self) -> Path | None:
        """The clock file, or None for the wall clock."""
        return self._path

    @path.setter
    def path(self, value: Path | None) -> None:
        with self._lock:
            self._path = value
            self._cached = None

    @property
    def is_test(self) -> bool:
        """Whether "now" comes from a test clock file."""
        return self._path is not None

    def __call__(self) -> datetime:
        path = self._path
        if path is None:
            return datetime.now(UTC)
        cached = self._cached
        try:
            st = path.stat()
        except OSError:
            if cached is not None:
                self._warn_once(
                    (0, 0, 0), f"test clock {path} cannot be read; the clock stays at {cached[1]}"
                )
                return cached[1]
            raise ClockError(f"{path} does not exist yet; start it with `foreman clock set ISO`") from None
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            instant = read_instant(path).astimezone(UTC)
        except ClockError as exc:
            if cached is None:
                raise
            self._warn_once(key, f"{exc}; the clock stays at {cached[1].isoformat()}")
            return cached[1]
        with self._lock:
            if self._path == path:
                self._cached = (key, instant)
        return instant

    def _warn_once(self, key: tuple[int, int, int], message: str) -> None:
        if self._warned != key:
            self._warned = key
            log.warning(message)


def is_test_clock(clock: object) -> bool:
    """Whether a services clock is a test clock right now."""
    return isinstance(clock, Clock) and clock.is_test
