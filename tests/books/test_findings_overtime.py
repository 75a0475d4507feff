"""Issue #11 finding: overtime stated for a crew or several people is per person, never divided."""

from __future__ import annotations

from decimal import Decimal

from storage.models import LaborEntry
from tests.harness import SlackHarness
from tests.records.support import rows, setup


def test_a_crews_overtime_is_per_person(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "钢筋班 5人 8小时 加班2小时 单价 40/小时 2026-11-25")
    [entry] = rows(slack, LaborEntry)
    # 5 people × 8 h regular and 5 × 2 h overtime at 1.5: 40 × 40 + 10 × 40 × 1.5 = 2,200.
    assert (entry.headcount, entry.man_hours, entry.overtime_hours, entry.cost) == (
        5,
        Decimal("40.000"),
        Decimal("10.000"),
        Decimal("2200.00"),
    )


def test_named_people_each_get_the_stated_overtime(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/project", "worker 张三 rate 300/day")
    slack.command("/project", "worker 李四 rate 300/day")
    slack.command("/log-labor", "张三 李四 8小时 加班2小时 2026-11-25")
    entries = rows(slack, LaborEntry)
    # Each: 8 h at 300/day (37.5/h) = 300, plus 2 h × 37.5 × 1.5 = 112.50.
    assert sorted((e.hours_each, e.overtime_hours, e.cost) for e in entries) == [
        (Decimal("8.000"), Decimal("2.000"), Decimal("412.50")),
        (Decimal("8.000"), Decimal("2.000"), Decimal("412.50")),
    ]
