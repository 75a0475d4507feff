"""Confidence in earned value: figures resting on few tasks or part of the plan carry a caveat."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session

from bot.app import Services
from bot.console.fake_slack import FakeSlack
from bot.domain.metrics import TaskProgress
from bot.scheduler.tick import tick
from bot.services.confidence import EvConfidence, ev_confidence
from bot.services.meetings import agendas
from bot.views.scheduler_views import meeting_message
from tests.scheduler.sched_support import add_expense, add_project, add_task

ONE = Decimal(1)


def _task(start: date | None, due: date | None, weight: Decimal = ONE) -> TaskProgress:
    return TaskProgress(weight=weight, progress=50, start=start, due=due)


@pytest.mark.parametrize(
    ("tasks", "expected"),
    [
        ([], EvConfidence(0, Decimal("0.0"))),
        (
            [_task(date(2026, 1, 1), date(2026, 1, 10)), _task(date(2026, 1, 5), date(2026, 1, 20))],
            EvConfidence(2, Decimal("20.0")),  # 1–20 January of 100 days, overlap counted once
        ),
        (
            [_task(date(2025, 12, 1), date(2026, 2, 19)), _task(None, date(2026, 3, 1)), _task(None, None)],
            EvConfidence(
                3, Decimal("51.0")
            ),  # clipped to the project; a task without a start plans its due day
        ),
        (
            [_task(date(2026, 1, 1), date(2026, 4, 10), weight=Decimal(0))] * 3,
            EvConfidence(0, Decimal("0.0")),
        ),
    ],
)
def test_ev_confidence(tasks: list[TaskProgress], expected: EvConfidence) -> None:
    assert ev_confidence(tasks, start=date(2026, 1, 1), end=date(2026, 4, 10)) == expected


def test_without_an_end_date_only_the_task_count_counts() -> None:
    tasks = [_task(date(2026, 1, 1), date(2026, 1, 2))] * 3
    confidence = ev_confidence(tasks, start=date(2026, 1, 1), end=None)
    assert confidence == EvConfidence(3, None) and not confidence.low
    assert (
        EvConfidence(2).low and EvConfidence(3, Decimal("49.9")).low and not EvConfidence(3, Decimal(50)).low
    )


def test_digest_meeting_and_eac_alert_say_what_the_figures_rest_on(
    services: Services, fake_slack: FakeSlack
) -> None:
    with Session(services.engine, expire_on_commit=False) as s:
        project = add_project(
            s,
            budget=Decimal("1200000"),
            start_date=date(2026, 11, 2),
            end_date=date(2027, 10, 29),
            standup_time="09:00",
        )
        add_task(s, project, "T-1", progress=80, start_date=date(2026, 11, 2), due_date=date(2026, 11, 20))
        add_task(s, project, "T-2", progress=40, start_date=date(2026, 11, 9), due_date=date(2026, 12, 4))
        add_expense(s, project, date(2026, 11, 25), "900000")
    posts = tick(services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    assert {p.kind for p in posts} == {"standup", "budget_alert"}
    texts = [str(c.args["blocks"]) for c in fake_slack.calls_to("chat.postMessage")]
    digest = next(x for x in texts if "Standup" in x)
    assert (
        "CPI" in digest and "read with care: based on 2 tasks; tasks plan 9% of the project's dates" in digest
    )
    eac = next((x for x in texts if "forecast cost at completion" in x), None)
    assert eac is not None and "based on 2 tasks" in eac

    with Session(services.engine, expire_on_commit=False) as s:
        agenda = agendas(s, [project], {project.pk: date(2026, 11, 27)}, {project.pk: date(2026, 12, 1)})[
            project.pk
        ]
    _, blocks = meeting_message(project, agenda, "zh")
    assert "仅供参考：仅基于 2 项任务" in str(blocks)


def test_sound_figures_are_plain(services: Services, fake_slack: FakeSlack) -> None:
    with Session(services.engine, expire_on_commit=False) as s:
        project = add_project(
            s, budget=Decimal("10000"), start_date=date(2026, 11, 2), end_date=date(2026, 11, 30)
        )
        for n in (1, 2, 3):
            add_task(
                s, project, f"T-{n}", progress=60, start_date=date(2026, 11, 2), due_date=date(2026, 11, 30)
            )
    tick(services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    [digest] = fake_slack.calls_to("chat.postMessage")
    assert "CPI" in str(digest.args["blocks"]) and "read with care" not in str(digest.args["blocks"])
