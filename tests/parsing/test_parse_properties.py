"""Property tests: any text parses without raising into the contract's JSON shape."""

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.parsing.parse_support import NOW, run

TODAY = date(2026, 11, 26)
COMMANDS = st.sampled_from([None, "/log-labor", "/expense", "/task"])
FRAGMENTS = [
    "8h", "8", "8小时", "一个半小时", "半天", "1工日", "2 days", "yesterday", "昨天", "前天", "上周五", "Fri",
    "last Friday", "11/24", "24 Nov", "11月24日", "2026-11-24", "3天前", "three days ago", "tomorrow", "明天",
    "¥1200", "$480", "1,250.50", "3200 元", "RMB 99", "钢筋班", "rebar crew", "5人", "5 workers", "x5", "crew of 5",
    "五个人", "张三", "李四", "<@U012AB3CD>", "7:30-17:00", "lunch 1h", "午休1小时", "ot 2h", "加班2小时", "task T-12",
    "T-7", "60%", "done", "完成", "blocked", "卡住了", "等钢材", "unblocked", "恢复", "rate 300/day", "vendor Acme",
    "@老王", "-- note", "clocked in", "收工了", "in", "out", "上班", "下班", "7:15", "下午3点", "早上7点半", "paid",
    "买了水泥", "crane rental", "?", "，", "、", "2026-12-01", "12/25", "每人", "各", "total", "8 people",
]  # fmt: skip
FRAGMENT_TEXT = st.lists(st.sampled_from(FRAGMENTS), min_size=0, max_size=8).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=80), FRAGMENT_TEXT)

NUMBER = (int, float)
HHMM = re.compile(r"^\d{2}:\d{2}$")
MONEY = re.compile(r"^-?\d+(\.\d+)?$")


def _opt(value: Any, types: Any) -> bool:
    return value is None or isinstance(value, types)


def check_shape(out: dict[str, Any]) -> None:
    """Assert the contract §6 keys and value types."""
    assert list(out) == [
        "intent", "date", "labor", "clock", "expense", "task_update", "error", "lang", "unknown", "candidates",
    ]  # fmt: skip
    assert out["lang"] in {"en", "zh"}
    assert all(isinstance(part, str) and part for part in out["unknown"])
    assert all(set(c) == {"key", "title"} for c in out["candidates"])
    # A refusal that quotes parts of the text always says so in its message.
    assert not out["unknown"] or out["error"] is not None
    assert out["intent"] in {"labor", "clock_in", "clock_out", "expense", "task_update", "none"}
    assert out["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", out["date"])
    assert _opt(out["error"], str)
    labor = out["labor"]
    if labor is not None:
        assert isinstance(labor["users"], list) and isinstance(labor["workers"], list)
        assert _opt(labor["crew"], str) and _opt(labor["headcount"], int)
        for key in ("hours_each", "man_hours", "break_hours"):
            assert _opt(labor[key], float)
        assert isinstance(labor["overtime_hours"], float)
        for key in ("start", "end"):
            assert labor[key] is None or HHMM.match(labor[key])
        rate = labor["rate"]
        assert rate is None or (MONEY.match(rate["amount"]) and rate["unit"] in ("hour", "day", None))
        assert _opt(labor["task"], str) and _opt(labor["note"], str)
    clock = out["clock"]
    if clock is not None:
        assert set(clock) == {"time"} and (clock["time"] is None or HHMM.match(clock["time"]))
    expense = out["expense"]
    if expense is not None:
        assert list(expense) == ["amount", "currency", "category", "vendor", "task", "note"]
        assert expense["amount"] is None or MONEY.match(expense["amount"])
        assert expense["currency"] in {"CNY", "USD", "EUR"}
        assert expense["category"] in {"material", "equipment", "subcontract", "labor", "other"}
    task = out["task_update"]
    if task is not None:
        assert list(task) == ["task", "progress", "status", "blocker"]
        assert task["status"] in {None, "in_progress", "done", "blocked"}
        assert _opt(task["progress"], int)
    # Only the object for the intent is present.
    objects = {"labor": "labor", "clock_in": "clock", "clock_out": "clock", "expense": "expense",
               "task_update": "task_update"}  # fmt: skip
    present = {key for key in ("labor", "clock", "expense", "task_update") if out[key] is not None}
    assert present == ({objects[out["intent"]]} if out["intent"] in objects else set())
    json.dumps(out, ensure_ascii=False)


@settings(max_examples=400, deadline=None)
@given(text=ANY_TEXT, command=COMMANDS)
def test_any_text_has_contract_shape(text: str, command: str | None) -> None:
    out = run(text, command).to_contract()
    check_shape(out)


@settings(max_examples=400, deadline=None)
@given(text=ANY_TEXT, command=COMMANDS)
def test_never_future_without_error(text: str, command: str | None) -> None:
    out = run(text, command).to_contract()
    if out["intent"] in ("labor", "expense", "clock_in", "clock_out") and out["date"] > TODAY.isoformat():
        assert out["error"] is not None


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=9_999_999),
    form=st.sampled_from(["¥{}", "￥{}", "${}", "{} 元", "{}元", "RMB {}", "{} USD", "€{}", "{}"]),
    command=st.sampled_from(["/expense", None]),
)
def test_amount_never_read_as_date(amount: int, form: str, command: str | None) -> None:
    text = form.format(amount)
    result = run(text, command)
    if command is None and form == "{}":
        assert result.intent == "none"
        return
    assert result.intent == "expense"
    assert result.date == TODAY
    assert result.expense is not None and result.expense.amount == Decimal(amount)


@settings(max_examples=200, deadline=None)
@given(
    hours=st.integers(min_value=1, max_value=24), unit=st.sampled_from(["", "h", " hours", "小时", "个小时"])
)
def test_hours_never_read_as_date(hours: int, unit: str) -> None:
    result = run(f"{hours}{unit}", "/log-labor")
    assert result.date == TODAY
    assert result.labor is not None and result.labor.hours_each == float(hours)
    assert NOW.tzinfo is not None
