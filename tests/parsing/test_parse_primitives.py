"""The reusable primitives other grammars call: dates, clock times, numbers, money."""

from datetime import date, time
from decimal import Decimal

import pytest

from bot.parsing.dates import find_date, parse_clock_time, parse_date_phrase
from bot.parsing.money import parse_money
from bot.parsing.numbers import parse_number
from tests.parsing.parse_support import NOW, TZ


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("today", date(2026, 11, 26)), ("今天", date(2026, 11, 26)), ("yesterday", date(2026, 11, 25)),
        ("前天", date(2026, 11, 24)), ("Fri", date(2026, 11, 20)), ("last Friday", date(2026, 11, 20)),
        ("周五", date(2026, 11, 20)), ("上周五", date(2026, 11, 20)), ("11/24", date(2026, 11, 24)),
        ("24 Nov", date(2026, 11, 24)), ("11月24日", date(2026, 11, 24)), ("2026-11-24", date(2026, 11, 24)),
        ("3 days ago", date(2026, 11, 23)), ("三天前", date(2026, 11, 23)), ("yesterday 5pm", date(2026, 11, 25)),
        ("昨天下午3点", date(2026, 11, 25)), ("2 weeks ago", date(2026, 11, 12)), ("12/01", date(2025, 12, 1)),
        ("2026-12-01", date(2026, 12, 1)), ("next Monday", date(2026, 11, 30)),
        ("8", None), ("8h", None), ("¥1200", None), ("8小时 昨天", None), ("hello", None), ("", None),
    ],
)  # fmt: skip
def test_parse_date_phrase(phrase: str, expected: date | None) -> None:
    assert parse_date_phrase(phrase, now=NOW, tz=TZ) == expected


def test_find_date_removes_phrase() -> None:
    assert find_date("8小时 昨天 钢筋班", now=NOW, tz=TZ) == (date(2026, 11, 25), "8小时 钢筋班")
    assert find_date("no date here", now=NOW, tz=TZ) == (None, "no date here")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("7:30", time(7, 30)), ("17:00", time(17, 0)), ("5pm", time(17, 0)), ("5:30 pm", time(17, 30)),
        ("下午3点", time(15, 0)), ("早上7点半", time(7, 30)), ("晚上8点一刻", time(20, 15)), ("7点15分", time(7, 15)),
        ("noon", time(12, 0)), ("at 7am", time(7, 0)), ("7", None), ("25:00", None), ("8h", None),
    ],
)  # fmt: skip
def test_parse_clock_time(phrase: str, expected: time | None) -> None:
    assert parse_clock_time(phrase) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,250.50", Decimal("1250.50")), ("三", Decimal(3)), ("两", Decimal(2)), ("十五", Decimal(15)),
        ("半", Decimal("0.5")), ("一个半", Decimal("1.5")), ("二十四", Decimal(24)), ("三千二百", Decimal(3200)),
        ("两千五", Decimal(2500)), ("3.2万", Decimal(32000)), ("1.2k", Decimal(1200)), ("abc", None), ("", None),
        ("三万五", Decimal(35000)), ("三万零五", Decimal(30005)), ("三万四千五百零七", Decimal(34507)),
        ("二百零三", Decimal(203)), ("一千零五十", Decimal(1050)),
    ],
)  # fmt: skip
def test_parse_number(text: str, expected: Decimal | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥3,200", (Decimal(3200), "CNY")), ("￥3200", (Decimal(3200), "CNY")), ("$480", (Decimal(480), "USD")),
        ("1200 元", (Decimal(1200), "CNY")), ("RMB 99", (Decimal(99), "CNY")), ("€5", (Decimal(5), "EUR")),
        ("3200", (Decimal(3200), None)), ("11/24", None), ("hello", None), ("$480 crane", None),
    ],
)  # fmt: skip
def test_parse_money(text: str, expected: tuple[Decimal, str | None] | None) -> None:
    assert parse_money(text) == expected
