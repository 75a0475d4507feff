"""Numbering under concurrency: 20 `/task add` and 20 `/risk add` at once on PostgreSQL all store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from storage.models import Risk, Task
from tests.harness import SlackHarness
from tests.records2.helpers import rows, setup


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_concurrent_adds_get_distinct_keys(slack: SlackHarness) -> None:
    setup(slack)

    def add_task(n: int) -> tuple[int, str]:
        reply = slack.command("/task", f'add T-{n} "Slab pour {n}"')
        return reply.status, reply.text

    def add_risk(n: int) -> tuple[int, str]:
        reply = slack.command("/risk", f'add "Crane delay {n}" management p high i 4')
        return reply.status, reply.text

    def dup_task(n: int) -> tuple[int, str]:
        reply = slack.command("/task", 'add T-99 "Same key"')
        return reply.status, reply.text

    with ThreadPoolExecutor(max_workers=10) as pool:
        tasks = list(pool.map(add_task, range(1, 21)))
        risks = list(pool.map(add_risk, range(1, 21)))
        dups = list(pool.map(dup_task, range(5)))

    assert all(status == 200 for status, _ in tasks + risks + dups), tasks + risks + dups
    assert sorted(t.key for t in rows(slack, Task) if t.key != "T-99") == sorted(
        f"T-{n}" for n in range(1, 21)
    )
    numbers = [r.number for r in rows(slack, Risk)]
    assert sorted(numbers) == list(range(1, 21))
    assert len(rows(slack, Task, key="T-99")) == 1
    assert sum("already" in text for _, text in dups) == 4, dups
