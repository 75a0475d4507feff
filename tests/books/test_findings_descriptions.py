"""Issue #11 finding: what was bought is kept (description from the words around the amount, keyword
categories in both languages) and shown in replies, lists and exports' note."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.parsing.categories import category_for, describe
from bot.reports.exports import export_rows
from storage.models import Expense
from tests.harness import SlackHarness
from tests.records.support import rows, setup
from tests.reports.seed import project_of


@pytest.mark.parametrize(
    ("rest", "description", "category"),
    [
        ("买水泥花了", "水泥", "material"),
        ("crane rental", "crane rental", "equipment"),
        ("plywood for level 3 formwork", "plywood level 3 formwork", "material"),
        ("模板 木方", "模板 木方", "material"),
        ("吊车台班", "吊车台班", "equipment"),
        ("材料", None, None),
    ],
)
def test_description_and_keyword_category(rest: str, description: str | None, category: str | None) -> None:
    assert describe(rest) == description
    assert category_for(rest) == category


def test_what_was_bought_is_kept_shown_listed_and_exported(slack: SlackHarness) -> None:
    setup(slack)
    zh = slack.command("/expense", "买水泥花了3200元")
    en = slack.command("/expense", "$480 crane rental")
    ply = slack.command("/expense", "1200 plywood")
    stored = [(e.amount, e.category, e.note) for e in rows(slack, Expense)]
    assert stored == [
        (Decimal("3200.00"), "material", "水泥"),
        (Decimal("480.00"), "equipment", "crane rental"),
        (Decimal("1200.00"), "material", "plywood"),
    ]
    assert "水泥" in zh.text and "crane rental" in en.text and "plywood" in ply.text
    listing = slack.command("/expense", "list week").text
    assert "水泥" in listing and "crane rental" in listing and "plywood" in listing
    with slack.services.unit_of_work() as session:
        exported = export_rows(
            session, kind="expenses", project=project_of(slack), date_from=None, date_to=None
        )
    assert [(r["category"], r["note"]) for r in exported] == [
        ("material", "水泥"),
        ("equipment", "crane rental"),
        ("material", "plywood"),
    ]
