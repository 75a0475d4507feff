"""Chart series from the database (burn, S-curve, labor by crew) and the PNGs /report chart uploads."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from matplotlib import image

from bot.reports import series
from storage.models import Expense, Task, TaskUpdate
from tests.harness import SlackHarness
from tests.reports.seed import NOW, project_of, seed_labor

PNG = b"\x89PNG\r\n\x1a\n"


def seed_history(slack: SlackHarness, lang: str = "en") -> None:
    """Project from 11-16; T-1 (weight 2) 0→30 on 11-18 and →60 late on 11-24 (Shanghai); T-2 0→20 on 11-25."""
    seed_labor(slack, lang=lang)
    p = project_of(slack)
    common = {"team_id": p.team_id, "project_id": p.pk}
    with slack.services.unit_of_work() as session:
        project = session.get(type(p), p.pk)
        assert project is not None
        project.start_date = date(2026, 11, 16)
        t1 = Task(**common, key="T-1", title="Slab", weight=Decimal(2), progress=60, status="in_progress",
                  start_date=date(2026, 11, 16), due_date=date(2026, 11, 27))  # fmt: skip
        t2 = Task(**common, key="T-2", title="Walls", progress=20, status="in_progress",
                  start_date=date(2026, 11, 23), due_date=date(2026, 12, 4))  # fmt: skip
        session.add_all([project, t1, t2])
        session.flush()
        for task, at, before, after in (
            (t1, datetime(2026, 11, 18, 2, 0, tzinfo=UTC), 0, 30),
            (t1, datetime(2026, 11, 24, 15, 30, tzinfo=UTC), 30, 60),  # 23:30 on 11-24 in Shanghai
            (t2, datetime(2026, 11, 25, 3, 0, tzinfo=UTC), 0, 20),
        ):
            session.add(TaskUpdate(**common, task_id=task.pk, user_id="U0PM", at=at,
                                   progress_before=before, progress_after=after))  # fmt: skip
        session.add(Expense(**common, spent_on=date(2026, 11, 17), amount=Decimal("1000"), currency="CNY",
                            category="material", logged_by="U0PM"))  # fmt: skip


def test_series_from_history(slack: SlackHarness) -> None:
    seed_history(slack)
    project = project_of(slack)
    with slack.services.unit_of_work() as session:
        burn = series.burn_series(session, project=project, today=NOW.date())
        curve = series.scurve_series(session, project=project, today=NOW.date())
        labor = series.labor_series(session, project=project, today=NOW.date(), others="Others")
    assert (
        burn.dates[0] == date(2026, 11, 16) and burn.dates[-1] == date(2026, 11, 26) and len(burn.dates) == 11
    )
    actual = dict(zip(burn.dates, burn.actual, strict=True))
    assert actual[date(2026, 11, 16)] == 0 and actual[date(2026, 11, 17)] == Decimal("1000.00")
    assert actual[date(2026, 11, 23)] == Decimal("1300.00") and actual[date(2026, 11, 24)] == Decimal(
        "3800.00"
    )
    assert burn.actual[-1] == Decimal("3800.00") and burn.bac == Decimal("100000")
    planned = dict(zip(burn.dates, burn.planned, strict=True))
    # T-1 plans 9 workdays after 11-16 (to 11-27); T-2 nine after 11-23 (to 12-04); weights 2 and 1.
    assert planned[date(2026, 11, 16)] == 0
    assert planned[date(2026, 11, 20)] == Decimal("29629.63")  # 100000 × 2 × (4/9) / 3
    assert planned[date(2026, 11, 26)] == Decimal("70370.37")  # 100000 × (2 × 8/9 + 3/9) / 3
    pct = dict(zip(curve.dates, curve.actual_pct, strict=True))
    assert pct[date(2026, 11, 17)] == 0
    assert pct[date(2026, 11, 18)] == Decimal("20.00")
    assert pct[date(2026, 11, 24)] == Decimal("40.00")
    assert pct[date(2026, 11, 25)] == pct[date(2026, 11, 26)] == Decimal("46.67")
    assert curve.planned_pct[-1] == Decimal("70.37")
    assert list(labor.by_crew) == ["钢筋班", "Others"]
    by_day = {name: dict(zip(labor.dates, values, strict=True)) for name, values in labor.by_crew.items()}
    assert by_day["钢筋班"][date(2026, 11, 24)] == 40.0
    assert [by_day["Others"][date(2026, 11, d)] for d in (22, 23, 24, 25, 26)] == [0.0, 8.0, 8.0, 8.0, 0.0]


def _png_ok(data: bytes) -> None:
    assert data.startswith(PNG) and len(data) > 10_000
    pixels = image.imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (400, 800)
    assert float(pixels[..., :3].std()) > 0.05, "chart looks blank"


@pytest.mark.parametrize(
    ("chart", "lang"), [("burn", "en"), ("scurve", "zh"), ("labor", "zh"), ("labor", "en")]
)
def test_chart_is_uploaded_after_the_ack(slack: SlackHarness, chart: str, lang: str, tmp_path) -> None:
    seed_history(slack, lang=lang)
    # The reply (and the upload's comment) is in the language typed: Chinese typed in the zh project.
    reply = slack.command("/report", f"chart {chart}" if lang == "en" else f"图表 {chart}")
    assert reply.ephemeral and ("Preparing" in reply.text or "正在准备" in reply.text)
    methods = [c.method for c in slack.fake.calls if c.method.startswith("files") or c.method == "upload"]
    assert methods == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    [get_url] = slack.fake.calls_to("files.getUploadURLExternal")
    assert get_url.args["filename"] == f"TWA-{chart}-2026-11-26.png"
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    assert complete.args["channel_id"] == "C0PROJ"
    assert ("chart of TWA" if lang == "en" else "TWA 的") in complete.args["initial_comment"]
    data = slack.fake.uploads[get_url.args.get("file_id") or slack.fake.calls_to("upload")[0].args["file_id"]]
    _png_ok(data)
    (tmp_path / f"{chart}_{lang}.png").write_bytes(data)


def test_chart_of_empty_project_still_renders(slack_lite: SlackHarness) -> None:
    slack_lite.services.clock = lambda: NOW
    slack_lite.create_project("Empty code EMP budget 1000 CNY tz Asia/Shanghai")
    slack_lite.command("/report", "chart scurve")
    data = slack_lite.fake.uploads[slack_lite.fake.calls_to("upload")[0].args["file_id"]]
    assert data.startswith(PNG)
    assert "Say which chart" in slack_lite.command("/report", "chart pie").text
