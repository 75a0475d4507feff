"""Duckling's public test corpora (dates, durations, money) run through Foreman's parser.

The cases live in data/duckling_cases.json with the reference time, time zone and the mapping from
Duckling's values to Foreman's (its `assumptions`). The bar: ≥ 95 % overall and ≥ 90 % in each kind.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.parsing import parse

_DATA = json.loads((Path(__file__).parent / "data" / "duckling_cases.json").read_text(encoding="utf-8"))


def _run(case: dict[str, Any]) -> bool:
    now = datetime.fromisoformat(case.get("now", _DATA["reference_time"]))
    tz = _DATA["tz"]
    phrase = case["phrase"]
    expected = case["expected"]
    if case["kind"] == "date":
        result = parse(f"8h {phrase}", now=now, tz=tz, command="/log-labor").to_contract()
        return (
            result["error"] is None
            and result["date"] == expected["date"]
            and result["labor"]["hours_each"] == 8.0
        )
    if case["kind"] == "duration":
        result = parse(phrase, now=now, tz=tz, command="/log-labor").to_contract()
        return (
            result["error"] is None
            and result["labor"]["man_hours"] is not None
            and abs(result["labor"]["man_hours"] - float(expected["man_hours"])) < 1e-9
        )
    currency = case.get("project_currency") or "CNY"
    result = parse(phrase, now=now, tz=tz, command="/expense", currency=currency).to_contract()
    expense = result["expense"]
    if result["error"] is not None or expense is None or expense["amount"] is None:
        return False
    if Decimal(expense["amount"]) != Decimal(expected["amount"]):
        return False
    return "currency" not in expected or expense["currency"] == expected["currency"]


def test_corpus_thresholds() -> None:
    cases = _DATA["cases"]
    assert len(cases) == 278
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    failures = []
    for case in cases:
        total[case["kind"]] += 1
        if _run(case):
            passed[case["kind"]] += 1
        else:
            failures.append(f"{case['kind']}: {case['phrase']}")
    overall = sum(passed.values()) / len(cases)
    print(f"duckling corpus: {sum(passed.values())}/{len(cases)} = {overall:.1%}")
    for kind in sorted(total):
        print(f"  {kind}: {passed[kind]}/{total[kind]} = {passed[kind] / total[kind]:.1%}")
    print("failing:", *failures, sep="\n  ")
    assert overall >= 0.95, failures
    for kind in total:
        assert passed[kind] / total[kind] >= 0.90, (kind, failures)
