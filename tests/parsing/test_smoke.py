"""Smoke test of the public parser API."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.parsing import parse


def test_contract_example_labor() -> None:
    now = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    result = parse("钢筋班 5人 8小时 昨天", now=now, tz="Asia/Shanghai", command="/log-labor")
    assert result.to_contract()["labor"]["man_hours"] == 40.0
