"""The /ooo grammar as a table: both languages, ranges, names, list/cancel, and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.ooo_command import OooCommand, OooCommandError, parse_ooo_command

TODAY = date(2026, 11, 28)
D = date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "请假 12月1日-12月5日 -- 回老家",
            OooCommand("add", first=D(2026, 12, 1), last=D(2026, 12, 5), reason="回老家"),
        ),
        (
            "12/1-12/5 -- family",
            OooCommand("add", first=D(2026, 12, 1), last=D(2026, 12, 5), reason="family"),
        ),
        ("<@U2|ana> tomorrow", OooCommand("add", user="U2", first=D(2026, 11, 29), last=D(2026, 11, 29))),
        ("张三 12/3", OooCommand("add", worker="张三", first=D(2026, 12, 3), last=D(2026, 12, 3))),
        ("张三请假12月1日-3日", OooCommand("add", worker="张三", first=D(2026, 12, 1), last=D(2026, 12, 3))),
        ("明天到后天", OooCommand("add", first=D(2026, 11, 29), last=D(2026, 11, 30))),
        ("2026-12-01 to 2026-12-04", OooCommand("add", first=D(2026, 12, 1), last=D(2026, 12, 4))),
        ("12/28-1/3", OooCommand("add", first=D(2026, 12, 28), last=D(2027, 1, 3))),
        ("11/20", OooCommand("add", first=D(2026, 11, 20), last=D(2026, 11, 20))),
        # A weekday ending a range is that week's (下周一到周三 is Monday to Wednesday of next week).
        ("下周一到周三", OooCommand("add", first=D(2026, 11, 30), last=D(2026, 12, 2))),
        (
            "下週一到週三 -- 回老家",
            OooCommand("add", first=D(2026, 11, 30), last=D(2026, 12, 2), reason="回老家"),
        ),
        ("周四到周二", OooCommand("add", first=D(2026, 11, 26), last=D(2026, 12, 1))),
        # "next Monday" is a date, not a worker called "next" off on last Monday.
        ("next monday", OooCommand("add", first=D(2026, 11, 30), last=D(2026, 11, 30))),
        ("next mon - wed", OooCommand("add", first=D(2026, 11, 30), last=D(2026, 12, 2))),
        ("coming friday", OooCommand("add", first=D(2026, 12, 4), last=D(2026, 12, 4))),
        ("張三 下週一", OooCommand("add", worker="張三", first=D(2026, 11, 30), last=D(2026, 11, 30))),
        ("list", OooCommand("list")),
        ("列表", OooCommand("list")),
        ("cancel", OooCommand("cancel")),
        ("取消 12月2日", OooCommand("cancel", first=D(2026, 12, 2))),
        ("cancel <@U2> 12/2", OooCommand("cancel", user="U2", first=D(2026, 12, 2))),
        ("help", OooCommand("help")),
    ],
)
def test_ooo_commands(text: str, expected: OooCommand) -> None:
    assert parse_ooo_command(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "ooo.no_dates"),
        ("12/5-12/1", "ooo.backwards"),
        ("12/1-sometime", "ooo.bad_date"),
        ("12/1 blah", "ooo.bad_date"),
        ("<@U2> <@U3> 12/1", "ooo.one_person"),
        ("12/1-12/32", "ooo.bad_date"),
    ],
)
def test_ooo_refusals(text: str, key: str) -> None:
    with pytest.raises(OooCommandError) as err:
        parse_ooo_command(text, today=TODAY)
    assert err.value.key == key
