"""A named worker of a crew is paid the crew's rate when the worker has none and no crew is named."""

from __future__ import annotations

from decimal import Decimal

from storage.models import LaborEntry
from tests.harness import SlackHarness
from tests.records.support import rows, setup


def test_named_worker_gets_the_crews_rate_without_naming_the_crew(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "crew 钢筋班 rate 320/day")
    slack.command("/project", "worker 张三 crew 钢筋班")
    slack.command("/project", "worker 李四 crew 钢筋班 rate 400/day")
    slack.command("/log-labor", "张三 李四 8小时 2026-11-25")
    costs = {e.worker_id: e.cost for e in rows(slack, LaborEntry)}
    assert sorted(costs.values()) == [Decimal("320.00"), Decimal("400.00")]
