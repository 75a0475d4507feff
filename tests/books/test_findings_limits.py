"""Issue #11 findings about frozen costs, limits, headcount and multi-day statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from storage.models import LaborEntry, Shift
from tests.harness import SlackHarness
from tests.records.support import rows, setup


def test_editing_only_a_note_keeps_the_cost_frozen_when_settings_changed(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h ot 1h rate 45/hour", user="U0MEM")  # 8×45 + 1×45×1.5 = 427.50
    [entry] = rows(slack, LaborEntry)
    assert entry.cost == Decimal("427.50")
    slack.command("/project", "set overtime 1.2")
    slack.command("/log-labor", f"edit L-{entry.id} note slab pour", user="U0MEM")
    [after] = rows(slack, LaborEntry)
    assert (after.note, after.cost) == ("slab pour", Decimal("427.50"))
    slack.command("/log-labor", f"edit L-{entry.id} overtime 2", user="U0MEM")  # a cost field: re-costed
    assert rows(slack, LaborEntry)[0].cost == Decimal("468.00")  # 360 + 2×45×1.2


def test_man_hours_and_cost_agree_with_stored_hours_and_survive_a_note_edit(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "3 workers 3h20m rate 30/hour")
    [entry] = rows(slack, LaborEntry)
    # 3h20m is kept as 3.333 h: 3 × 3.333 = 9.999 man-h, ¥299.97, and a note edit changes neither.
    assert (entry.hours_each, entry.man_hours, entry.cost) == (
        Decimal("3.333"),
        Decimal("9.999"),
        Decimal("299.97"),
    )
    slack.command("/log-labor", f"edit L-{entry.id} note formwork")
    [after] = rows(slack, LaborEntry)
    assert (after.man_hours, after.cost) == (Decimal("9.999"), Decimal("299.97"))


def test_member_refused_a_crew_cannot_edit_an_entry_into_headcount_50(slack: SlackHarness) -> None:
    setup(slack)
    assert "*班组长*" in slack.command("/log-labor", "钢筋班 5人 8小时", user="U0MEM").text
    slack.command("/log-labor", "8h", user="U0MEM")
    [entry] = rows(slack, LaborEntry)
    reply = slack.command("/log-labor", f"edit L-{entry.id} headcount 50 rate 3000/day", user="U0MEM")
    assert "Nothing was stored" in reply.text or "foreman" in reply.text
    [after] = rows(slack, LaborEntry)
    assert (after.headcount, after.cost, after.rate) == (1, None, None)


def test_overtime_beyond_the_day_is_refused(slack: SlackHarness) -> None:
    setup(slack)
    for text in ("8h ot 100h", "24h ot 24h"):
        reply = slack.command("/log-labor", text, user="U0MEM")
        assert "at most 24 h" in reply.text, text
    assert rows(slack, LaborEntry) == []


def test_one_person_cannot_get_26_hours_on_one_day_and_is_warned_past_12(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h", user="U0MEM")
    second = slack.command("/log-labor", "8h", user="U0MEM")
    assert "more than 12 h" in second.text and "16" in second.text
    third = slack.command("/log-labor", "10h", user="U0MEM")
    assert "<@U0MEM> would have 26 h on 2026-11-26" in third.text
    assert len(rows(slack, LaborEntry)) == 2
    [first, _] = rows(slack, LaborEntry)
    edit = slack.command("/log-labor", f"edit L-{first.id} hours 17", user="U0MEM")
    assert "at most 24 h" in edit.text and rows(slack, LaborEntry)[0].hours_each == Decimal("8")
    zh = slack.command("/log-labor", "10小时", user="U0MEM")
    assert "每人每天最多 24 小时" in zh.text


def test_clock_times_in_the_future_are_refused(slack: SlackHarness) -> None:
    setup(slack)  # now is 10:00 in Shanghai
    reply = slack.command("/log-labor", "in 15:00", user="U0MEM")
    assert "in the future" in reply.text and rows(slack, Shift) == []
    slack.command("/log-labor", "in 07:30", user="U0MEM")
    out = slack.command("/log-labor", "out 18:00", user="U0MEM")
    assert "in the future" in out.text and rows(slack, LaborEntry) == []


def test_headcount_and_named_people_must_agree(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/log-labor", "钢筋班 5人 张三 8小时")
    assert "写了 5 人，但只点名了 1 人（张三）" in reply.text
    assert rows(slack, LaborEntry) == []


def test_multi_day_statement_is_spread_over_workdays_ending_on_the_stated_date(slack: SlackHarness) -> None:
    setup(slack)
    reply = slack.command("/log-labor", "3 workers 2 days")
    got = [(e.work_date, e.headcount, e.hours_each, e.man_hours) for e in rows(slack, LaborEntry)]
    assert got == [
        (date(2026, 11, 25), 3, Decimal("8"), Decimal("24")),
        (date(2026, 11, 26), 3, Decimal("8"), Decimal("24")),
    ]
    assert reply.text.count("L-") == 2
    slack.command("/log-labor", "点工3人 3工日 11/24")  # ending Tue 24 Nov: Fri 20, Mon 23, Tue 24
    days = [e.work_date for e in rows(slack, LaborEntry)][2:]
    assert days == [date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 24)]


def test_two_shifts_from_0730_on_the_same_day_are_not_both_stored(slack: SlackHarness) -> None:
    setup(slack)
    assert "L-" in slack.command("/log-labor", "7:30-11:30", user="U0MEM").text
    reply = slack.command("/log-labor", "7:30-9:00", user="U0MEM")
    assert "already has 07:30-11:30 on 2026-11-26" in reply.text
    assert len(rows(slack, LaborEntry)) == 1
    assert "L-" in slack.command("/log-labor", "12:30-17:00 yesterday", user="U0MEM").text
    assert "L-" in slack.command("/log-labor", "13:00-14:00", user="U0MEM").text  # after 11:30: no overlap
