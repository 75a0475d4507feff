"""Forms (modals) for /log-labor, /expense, /project; CSV/XLSX exports through the CLI and run_export."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlmodel import Session

from bot.reports.exports import ExportError, run_export
from storage.models import Expense, LaborEntry, Project
from tests.harness import SlackHarness
from tests.records.support import rows, setup

ROOT = Path(__file__).parents[2]


def text(value: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


def meta(channel: str = "C0PROJ") -> str:
    return json.dumps({"channel": channel})


def test_command_without_text_opens_a_form(slack: SlackHarness) -> None:
    assert slack.command("/project").status == 200
    setup(slack)
    slack.command("/log-labor")
    slack.command("/expense")
    slack.command("/project")
    views = [c.args["view"] for c in slack.fake.calls_to("views.open")]
    views = [json.loads(v) if isinstance(v, str) else v for v in views]
    assert [v["callback_id"] for v in views] == [
        "records.project_create",
        "records.labor",
        "records.expense",
        "records.project_settings",
    ]


def test_labor_form_errors_then_stores_once(slack: SlackHarness) -> None:
    setup(slack)
    bad = slack.submit(
        "records.labor",
        {"hours": text("lots"), "date": {"value": {"type": "datepicker", "selected_date": "2026-12-30"}}},
        private_metadata=meta(),
    )
    assert bad.json["response_action"] == "errors"
    assert set(bad.json["errors"]) == {"hours", "date"}
    assert rows(slack, LaborEntry) == []
    values = {
        "hours": text("7.5"),
        "date": {"value": {"type": "datepicker", "selected_date": "2026-11-25"}},
        "users": {"value": {"type": "multi_users_select", "selected_users": ["U0ANA", "U0BEN"]}},
        "rate": text("300/day"),
        "note": text("form"),
    }
    body = slack.payloads.view_submission("records.labor", values, user="U0PM", private_metadata=meta())
    assert slack.dispatch(body).status == 200
    slack.dispatch(body, retry_num=1)
    entries = rows(slack, LaborEntry)
    assert [(e.user_id, e.hours_each, e.source, e.note) for e in entries] == [
        ("U0ANA", Decimal("7.500"), "modal", "form"),
        ("U0BEN", Decimal("7.500"), "modal", "form"),
    ]
    assert entries[0].cost == Decimal("281.25")
    [confirm] = slack.fake.calls_to("chat.postEphemeral")
    assert f"L-{entries[0].id}" in str(confirm.args.get("text"))
    refused = slack.submit("records.labor", values, user="U0MEM", private_metadata=meta())
    assert "foreman" in json.dumps(refused.json["errors"]) and len(rows(slack, LaborEntry)) == 2


def test_expense_form_errors_then_stores(slack: SlackHarness) -> None:
    setup(slack)
    bad = slack.submit(
        "records.expense", {"amount": text("free"), "currency": text("XYZ")}, private_metadata=meta()
    )
    assert bad.json["response_action"] == "errors" and set(bad.json["errors"]) == {"amount", "currency"}
    assert rows(slack, Expense) == []
    good = slack.submit(
        "records.expense",
        {
            "amount": text("1,250.50"),
            "currency": text("USD"),
            "category": {"value": {"type": "static_select", "selected_option": {"value": "material"}}},
            "vendor": text("华新水泥"),
            "date": {"value": {"type": "datepicker", "selected_date": "2026-11-24"}},
        },
        private_metadata=meta(),
    )
    assert good.status == 200 and "response_action" not in good.json
    [row] = rows(slack, Expense)
    assert (row.amount, row.currency, row.category, row.vendor, row.source) == (
        Decimal("1250.50"),
        "USD",
        "material",
        "华新水泥",
        "modal",
    )


def test_project_forms_create_and_settings(slack: SlackHarness) -> None:
    slack.services.clock = lambda: __import__("tests.records.support", fromlist=["NOW"]).NOW
    bad = slack.submit(
        "records.project_create", {"name": text("Tower"), "tz": text("Mars/Base")}, private_metadata=meta()
    )
    assert bad.json["response_action"] == "errors" and "tz" in bad.json["errors"]
    assert rows(slack, Project) == []
    slack.submit(
        "records.project_create",
        {"name": text("Tower"), "code": text("TWR"), "budget": text("500000"), "tz": text("Asia/Shanghai")},
        private_metadata=meta(),
    )
    [p] = rows(slack, Project)
    assert (p.name, p.code, p.budget, p.timezone) == ("Tower", "TWR", Decimal("500000.00"), "Asia/Shanghai")
    refused = slack.submit(
        "records.project_settings", {"standup": text("07:45")}, user="U0MEM", private_metadata=meta()
    )
    assert "pm" in json.dumps(refused.json["errors"]) and rows(slack, Project)[0].standup_time == "09:00"
    slack.submit("records.project_settings", {"standup": text("07:45")}, private_metadata=meta())
    assert rows(slack, Project)[0].standup_time == "07:45"


def _seed(slack: SlackHarness) -> None:
    setup(slack, "Tower code TWR budget 100000 CNY tz Asia/Shanghai")
    slack.command("/log-labor", "张三 李四 1工日 rate 300/day -- 浇筑")
    slack.command("/log-labor", "8h yesterday")
    slack.command("/log-labor", "2h")
    slack.command("/log-labor", "undo")
    slack.command("/expense", "1,250.50 material vendor 华新水泥 yesterday")
    slack.command("/expense", "$480 crane")
    slack.command("/expense", "undo")
    slack.command("/project", "create Other code OTH tz Asia/Shanghai", channel="C0OTHER")
    slack.command("/expense", "99 other", channel="C0OTHER")


def test_run_export_csv_and_xlsx(slack: SlackHarness) -> None:
    _seed(slack)
    with Session(slack.services.engine) as s:
        data = run_export(s, kind="labor", project_code="twr", date_from=None, date_to=None, fmt="csv")
        assert data.startswith("\ufeff".encode())
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert ",".join(table[0]) == (
            "id,project,date,user,worker,crew,headcount,hours_each,man_hours,overtime_hours,rate,"
            "rate_unit,cost,currency,task,note,logged_by,approved"
        )
        assert len(table) == 4  # void entries left out
        zhang = next(r for r in table if r[4] == "张三")
        assert zhang[1:4] == ["TWR", "2026-11-26", ""] and zhang[12] == "300.00" and zhang[15] == "浇筑"
        assert zhang[16] == "U0PM" and zhang[17] == "false"
        mine = next(r for r in table if r[3] == "U0PM")
        assert mine[2] == "2026-11-25" and mine[12] == ""
        dated = run_export(
            s, kind="labor", project_code="TWR", date_from="2026-11-26", date_to="2026-11-26", fmt="csv"
        )
        assert len(dated.decode("utf-8-sig").strip().splitlines()) == 3
        everything = run_export(
            s, kind="expenses", project_code=None, date_from=None, date_to=None, fmt="csv"
        )
        lines = everything.decode("utf-8-sig").strip().splitlines()
        assert lines[0] == "id,project,date,amount,currency,category,vendor,task,note,receipt,logged_by"
        assert sorted(line.split(",")[1] for line in lines[1:]) == ["OTH", "TWR"]
        xlsx = run_export(s, kind="expenses", project_code="TWR", date_from=None, date_to=None, fmt="xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        assert sheet is not None and sheet.cell(2, 7).value == "华新水泥"
        assert run_export(
            s, kind="tasks", project_code="TWR", date_from=None, date_to=None, fmt="csv"
        ).startswith("\ufeffkey,project,title".encode())
        with pytest.raises(ExportError, match="NOPE"):
            run_export(s, kind="labor", project_code="NOPE", date_from=None, date_to=None, fmt="csv")
        with pytest.raises(ExportError, match="not a date"):
            run_export(s, kind="labor", project_code=None, date_from="yesterday-ish", date_to=None, fmt="csv")


def test_foreman_export_cli(slack: SlackHarness, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(slack)
    env = {**os.environ, "DATABASE_URL": slack.services.settings.database_url}
    for key in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID"):
        env.pop(key, None)

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "export", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
        )

    out = run("labor", "--project", "TWR")
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode("utf-8-sig").splitlines()[0].startswith("id,project,date,user,worker")
    assert "张三" in out.stdout.decode("utf-8-sig")
    # The rest in-process (same entry point, without paying for a Python start-up each time).
    from bot.cli import main

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        for key, value in env.items():
            mp.setenv(key, value)
        for key in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID"):
            mp.delenv(key, raising=False)
        target = tmp_path / "e.xlsx"
        assert main(["export", "expenses", "--format", "xlsx", "-o", str(target)]) == 0
        assert openpyxl.load_workbook(target).active is not None
        assert main(["export", "labor", "--project", "NOPE"]) == 2
        assert "NOPE" in capsys.readouterr().err
        assert main(["export", "labor", "--from", "31/31/2026"]) == 2
