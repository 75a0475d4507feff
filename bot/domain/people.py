"""What "people" means in every digest, report, home tab and export (one definition, issue #11).

People on one day = the distinct persons named that day (Slack users and named workers, each once however
many entries they have) + the headcount of entries without names (a crew of 5 is 5 people). People of a
period = that number on its busiest day: a crew of 5 working Monday and Tuesday is 5 people, not 10.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Protocol


class _Entry(Protocol):
    @property
    def user_id(self) -> str | None: ...
    @property
    def worker_id(self) -> int | None: ...
    @property
    def crew_id(self) -> int | None: ...
    @property
    def headcount(self) -> int: ...
    @property
    def work_date(self) -> date: ...


def people(entries: Iterable[_Entry]) -> int:
    """The number of people the entries cover (see the module docstring)."""
    persons: dict[date, set[str]] = defaultdict(set)
    unnamed: dict[date, int] = defaultdict(int)
    for e in entries:
        if e.user_id is not None:
            persons[e.work_date].add(f"u:{e.user_id}")
        elif e.worker_id is not None:
            persons[e.work_date].add(f"w:{e.worker_id}")
        else:
            unnamed[e.work_date] += e.headcount
    days = set(persons) | set(unnamed)
    return max((len(persons[d]) + unnamed[d] for d in days), default=0)
