"""Issue #11 finding: L-/E- ids were global across projects (a new project's first entry was L-21) and an
edit renumbered (L-17 → L-18 → L-19). Contract §5: `L-<n>` and `E-<n>` are numbered per project and keep
their number through edits; exports' `id` column holds that key."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlmodel import Session

from bot.reports.exports import run_export
from storage.models import Expense, LaborEntry
from tests.harness import SlackHarness
from tests.records.support import rows, setup

OTHER = "C0OTHER"


def _other_project(slack: SlackHarness) -> None:
    slack.create_project("Other code OTH tz Asia/Shanghai", channel=OTHER)


def test_a_new_projects_first_entries_are_l1_and_e1(slack: SlackHarness) -> None:
    setup(slack)
    for text in ("8h", "6h yesterday", "钢筋班 5人 8小时"):
        slack.command("/log-labor", text)
    slack.command("/expense", "3200 material")
    _other_project(slack)
    labor = slack.command("/log-labor", "8h", channel=OTHER).text
    spent = slack.command("/expense", "99 material", channel=OTHER).text
    assert "L-1" in labor and "L-4" not in labor
    assert "E-1" in spent and "E-2" not in spent
    other = [e for e in rows(slack, LaborEntry) if e.number == 1]
    assert len(other) == 2  # L-1 in each project
    assert sorted(e.number for e in rows(slack, Expense)) == [1, 1]


def test_an_edit_keeps_the_id_and_lookups_are_per_project(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h")
    slack.command("/log-labor", "6h yesterday")
    _other_project(slack)
    slack.command("/log-labor", "8h", channel=OTHER)
    edited = slack.command("/log-labor", "edit L-1 hours 7", channel=OTHER).text
    assert "L-1" in edited
    again = slack.command("/log-labor", "edit L-1 note pour", channel=OTHER).text
    assert "L-1" in again and "L-2" not in again
    other = [e for e in rows(slack, LaborEntry) if e.project_id == 2]
    assert [(e.number, e.hours_each, e.note) for e in other] == [(1, Decimal("7.000"), "pour")]
    # L-1 of the first project is untouched by the other project's edits.
    first = [e for e in rows(slack, LaborEntry) if e.project_id == 1]
    assert [(e.number, e.hours_each) for e in first] == [(1, Decimal("8.000")), (2, Decimal("6.000"))]
    # Void by number in the other project voids that project's L-1 only.
    slack.command("/log-labor", "void L-1", channel=OTHER)
    assert [e.void for e in rows(slack, LaborEntry)] == [False, False, True]


def test_an_edited_channel_message_keeps_its_number(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h")
    slack.message("钢筋班 5人 8小时", ts="1764122400.000800")
    slack.message("买水泥花了3200元", ts="1764122400.000900")
    slack.dispatch(
        slack.payloads.message_changed(
            "钢筋班 5人 6小时", user="U0PM", channel="C0PROJ", ts="1764122400.000800"
        )
    )
    slack.dispatch(
        slack.payloads.message_changed(
            "买水泥花了3300元", user="U0PM", channel="C0PROJ", ts="1764122400.000900"
        )
    )
    labor = rows(slack, LaborEntry)
    assert [(e.number, e.void) for e in labor] == [(1, False), (2, True), (2, False)]
    assert labor[-1].man_hours == Decimal("30.000")
    spent = rows(slack, Expense)
    assert [(e.number, e.void, e.amount) for e in spent] == [
        (1, True, Decimal("3200.00")),
        (1, False, Decimal("3300.00")),
    ]
    updates = [c.args["text"] for c in slack.fake.calls_to("chat.update")]
    assert any("`L-2`" in u for u in updates) and any("E-1" in u for u in updates)
    # The number names the live record: editing L-2 edits the replacement, not the voided original.
    slack.command("/log-labor", "edit L-2 note 绑扎")
    assert rows(slack, LaborEntry)[-1].note == "绑扎" and rows(slack, LaborEntry)[1].note is None
    # A new entry after the edit takes the next number, never a reused one.
    assert "L-3" in slack.command("/log-labor", "4h yesterday").text


def test_exports_hold_the_per_project_key(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/log-labor", "8h")
    slack.command("/expense", "3200 material")
    _other_project(slack)
    slack.command("/log-labor", "8h", channel=OTHER)
    slack.command("/expense", "99 material", channel=OTHER)
    with Session(slack.services.engine) as s:
        labor = run_export(s, kind="labor", project_code="OTH", date_from=None, date_to=None, fmt="csv")
        spent = run_export(s, kind="expenses", project_code="OTH", date_from=None, date_to=None, fmt="csv")
    [head, row] = list(csv.reader(io.StringIO(labor.decode("utf-8-sig"))))
    assert head[0] == "id" and row[0] == "L-1" and row[1] == "OTH"
    [head, row] = list(csv.reader(io.StringIO(spent.decode("utf-8-sig"))))
    assert head[0] == "id" and row[0] == "E-1" and row[1] == "OTH"
