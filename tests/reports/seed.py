"""Hand-computed fixtures for the report tests, stored through the services as a command would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import select

from bot.parsing import LaborIntent
from bot.services import labor
from storage.models import Project
from tests.harness import SlackHarness

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai
MON, TUE, WED = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)


def project_of(slack: SlackHarness, channel: str = "C0PROJ") -> Project:
    with slack.services.unit_of_work() as session:
        project = session.exec(select(Project).where(Project.channel_id == channel)).one()
        session.expunge(project)
        return project


def log(slack: SlackHarness, intent: LaborIntent, day: date, *, actor: str = "U0PM") -> None:
    with slack.services.unit_of_work() as session:
        project = session.exec(select(Project).where(Project.channel_id == "C0PROJ")).one()
        labor.log_labor(
            session,
            project=project,
            actor=actor,
            is_admin=False,
            intent=intent,
            work_date=day,
            today=NOW.date(),
        )


def seed_labor(slack: SlackHarness, *, lang: str = "en") -> None:
    """张三 2 days × 8 h at 300/day; 钢筋班 5 people × 8 h at 40/hour with 2 h overtime each; U0PM 8 h, no rate.

    Expected: 张三 16 man-h, 2 man-days, ¥600; 钢筋班 40 man-h, 5 man-days, 10 h overtime,
    40×40 + 10×40×1.5 = ¥2,200; U0PM 8 man-h, rate missing. Total 64 man-h, 8 man-days, ¥2,800.
    """
    slack.services.clock = lambda: NOW
    slack.create_project(f"Tower A code TWA budget 100000 CNY tz Asia/Shanghai lang {lang}")
    for day in (MON, TUE):
        intent = LaborIntent(
            workers=("张三",), hours_each=8.0, man_hours=8.0, rate_amount=Decimal("300"), rate_unit="day"
        )
        log(slack, intent, day)
    log(
        slack,
        LaborIntent(
            crew="钢筋班",
            headcount=5,
            hours_each=8.0,
            man_hours=40.0,
            overtime_hours=10.0,
            rate_amount=Decimal("40"),
            rate_unit="hour",
        ),
        TUE,
    )
    log(slack, LaborIntent(users=("U0PM",), hours_each=8.0, man_hours=8.0), WED)
