"""The parser's JSON matches contract §6 exactly, and dates follow the project's timezone."""

import json
from datetime import UTC, date, datetime
from typing import Any

from bot.parsing import parse
from tests.parsing.parse_support import run

LABOR_KEYS = {"users", "workers", "crew", "headcount", "hours_each", "man_hours", "overtime_hours", "start", "end",
              "break_hours", "rate", "task", "note"}  # fmt: skip


def _empty(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"intent": "none", "date": None, "labor": None, "clock": None, "expense": None,
                            "task_update": None, "error": None, "lang": "en", "unknown": [],
                            "candidates": []}  # fmt: skip
    base.update(overrides)
    return base


def test_crew_labor_exact() -> None:
    expected = _empty(
        intent="labor",
        lang="zh",
        date="2026-11-25",
        labor={
            "users": [], "workers": [], "crew": "钢筋班", "headcount": 5, "hours_each": 8.0, "man_hours": 40.0,
            "overtime_hours": 0.0, "start": None, "end": None, "break_hours": None, "rate": None, "task": None,
            "note": None,
        },
    )  # fmt: skip
    assert run("钢筋班 5人 8小时 昨天", "/log-labor").to_contract() == expected
    # The channel form of the same statement gives the same object.
    assert run("钢筋班 5人 8小时 昨天").to_contract() == expected


def test_full_labor_exact() -> None:
    text = "<@U012AB3CD> 张三 李四 钢筋班 5人 7:30-17:00 午休1.5小时 昨天 rate 300/day task T-12"
    assert run(text, "/log-labor").to_contract() == _empty(
        intent="labor",
        lang="zh",
        date="2026-11-25",
        labor={
            "users": ["U012AB3CD"], "workers": ["张三", "李四"], "crew": "钢筋班", "headcount": 5,
            "hours_each": 8.0, "man_hours": 40.0, "overtime_hours": 0.0, "start": "07:30", "end": "17:00",
            "break_hours": 1.5, "rate": {"amount": "300", "unit": "day"}, "task": "T-12", "note": None,
        },
    )  # fmt: skip


def test_labor_keys_match_contract_example() -> None:
    assert set(run("8h", "/log-labor").to_contract()["labor"]) == LABOR_KEYS


def test_expense_exact() -> None:
    assert run("1,250.50 material vendor 华新水泥 yesterday", "/expense").to_contract() == _empty(
        intent="expense",
        lang="zh",
        date="2026-11-25",
        expense={"amount": "1250.50", "currency": "CNY", "category": "material", "vendor": "华新水泥", "task": None,
                 "note": None},
    )  # fmt: skip


def test_task_update_exact() -> None:
    assert run("T-12 70% blocked waiting for rebar", "/task").to_contract() == _empty(
        intent="task_update",
        task_update={"task": "T-12", "progress": 70, "status": "blocked", "blocker": "waiting for rebar"},
    )


def test_clock_exact() -> None:
    assert run("in 7:30", "/log-labor").to_contract() == _empty(
        intent="clock_in", date="2026-11-26", clock={"time": "07:30"}
    )


def test_output_is_plain_json() -> None:
    out = json.dumps(run("钢筋班 5人 8小时 昨天", "/log-labor").to_contract(), ensure_ascii=False)
    assert '"man_hours": 40.0' in out and "钢筋班" in out


def test_no_command_grammar_words_are_errors_free() -> None:
    result = run("approve week 11/20", "/log-labor")
    assert result.intent == "none" and result.error is None


def test_yesterday_uses_project_timezone() -> None:
    # 00:30 on 26 Nov in Shanghai is still 25 Nov in UTC.
    now = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)
    shanghai = parse("8h yesterday", now=now, tz="Asia/Shanghai", command="/log-labor")
    utc = parse("8h yesterday", now=now, tz="UTC", command="/log-labor")
    assert shanghai.date == date(2026, 11, 25)
    assert utc.date == date(2026, 11, 24)
    assert parse("8h", now=now, tz="Asia/Shanghai", command="/log-labor").date == date(2026, 11, 26)


def test_clock_at_is_aware_local_time() -> None:
    result = run("in 7:30", "/log-labor")
    assert result.clock is not None and result.clock.at is not None
    assert result.clock.at.utcoffset() is not None
    assert result.clock.at.isoformat() == "2026-11-26T07:30:00+08:00"


def test_typed_fields() -> None:
    result = run("张三 李四 1工日 rate 300/day", "/log-labor")
    assert result.lang == "zh" and result.ok
    assert result.labor is not None and str(result.labor.rate_amount) == "300"
    expense = run("1,250.50 material", "/expense").expense
    assert expense is not None and str(expense.amount) == "1250.50"


def test_known_workers_and_crews() -> None:
    result = run("Bob and Alice 8h", "/log-labor", known_workers=["Alice", "Bob"])
    assert result.labor is not None and result.labor.workers == ("Bob", "Alice")
    assert result.labor.headcount == 2
    crew = run("Framers 4 workers 8h", "/log-labor", known_crews=["Framers"])
    assert crew.labor is not None and crew.labor.crew == "Framers"


def test_standard_hours() -> None:
    result = run("2 days", "/log-labor", standard_hours=10)
    assert result.labor is not None and result.labor.hours_each == 20.0
