"""Quiet nudges: one DM per person per day with every item, escalations at most every two workdays,
nothing about what the person cannot act on (a shift in an approved week)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from bot.app import Services
from bot.console.fake_slack import FakeSlack
from bot.scheduler.tick import tick
from storage.models import Project, Shift, WeekApproval
from tests.scheduler.sched_support import add_member, add_project, add_task, deliveries

CREATED = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)
WORKDAYS = [date(2026, 11, d) for d in (23, 24, 25, 26, 27, 30)] + [date(2026, 12, d) for d in (1, 2, 3, 4)]


def _setup(services: Services) -> Project:
    with Session(services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), meeting_every_weeks=52, created_at=CREATED)
        add_member(s, project, "U1", "member")
        add_task(
            s,
            project,
            "T-9",
            title="Rebar",
            owner_user_id="U1",
            progress=10,
            status="blocked",
            blocker="waiting for rebar",
            blocked_since=CREATED,
            due_date=date(2026, 11, 18),
            created_at=CREATED,
            updated_at=CREATED,
        )
    return project


def _day_ticks(day: date) -> list[datetime]:
    """The standup (09:00 Shanghai), the nudge time (10:00) and three more ticks within its grace window."""
    nine = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
    return [nine, nine + timedelta(hours=1), nine + timedelta(minutes=75), nine + timedelta(hours=2)]


def test_blocked_overdue_stale_owner_gets_one_dm_a_day_and_escalation_every_two_workdays(
    services: Services, fake_slack: FakeSlack
) -> None:
    project = _setup(services)
    nudges = []
    for day in WORKDAYS:
        for n, now in enumerate(_day_ticks(day)):
            if day == date(2026, 11, 25) and n == 2:
                # A second task of U1 becomes overdue after the day's DM went out: it waits for tomorrow.
                with Session(services.engine, expire_on_commit=False) as s:
                    add_task(
                        s,
                        project,
                        "T-10",
                        owner_user_id="U1",
                        progress=50,
                        due_date=date(2026, 11, 24),
                        created_at=now,
                        updated_at=now,
                    )
            nudges += [(day, p) for p in tick(services, now) if p.kind == "nudge"]
    dms = [(day, p) for day, p in nudges if p.channel == "D1"]
    escalations = [day for day, p in nudges if p.channel == project.channel_id]
    assert Counter(day for day, _ in dms) == dict.fromkeys(WORKDAYS, 1)
    assert escalations == [WORKDAYS[i] for i in (0, 2, 4, 6, 8)]
    assert all("blocked" in p.key for _, p in nudges if p.channel == project.channel_id)

    messages = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "D1"]
    assert len(messages) == len(WORKDAYS)
    first = messages[0]
    assert "`T-9` Rebar was due 2026-11-18" in first.args["text"]
    assert "`T-9` Rebar has had no update for" in first.args["text"]
    actions = [b for b in first.args["blocks"] if b["type"] == "actions"]
    assert len(actions) == 2  # a Snooze and an Update button per item
    assert all([a["action_id"] for a in b["elements"]] == ["sched_snooze", "sched_update"] for b in actions)
    assert "T-10" not in messages[2].args["text"]  # 25 November: after that day's DM
    assert "`T-10` T-10 was due 2026-11-24" in messages[3].args["text"]  # 26 November: included

    with Session(services.engine) as s:
        rows = {r.period_key: (r.status, r.error) for r in deliveries(s) if r.kind == "nudge"}
    assert rows["nudge:overdue:T-10:2026-11-25"][0] == "skipped"
    assert rows["nudge:stale:T-9:2026-11-23"][0] == "posted"  # carried in the overdue DM
    assert rows["nudge:blocked:T-9:2026-11-24"] == (
        "skipped",
        "escalated on 2026-11-23; at most once every 2 workdays",
    )


def test_no_nudge_about_a_shift_in_an_approved_week(services: Services, fake_slack: FakeSlack) -> None:
    with Session(services.engine, expire_on_commit=False) as s:
        project = add_project(s, budget=Decimal("0"), meeting_every_weeks=52, created_at=CREATED)
        add_member(s, project, "U1", "member")
        add_member(s, project, "U2", "member")
        for user, started in (("U1", datetime(2026, 11, 20, 0, 0, tzinfo=UTC)), ("U2", CREATED)):
            s.add(
                Shift(
                    team_id=project.team_id,
                    project_id=project.pk,
                    user_id=user,
                    started_at=started,
                    logged_by=user,
                )
            )
        s.add(
            WeekApproval(
                team_id=project.team_id,
                project_id=project.pk,
                week_start=date(2026, 11, 16),
                approved_by="U0PM",
            )
        )
        s.commit()
    # U1's and U2's shifts both started in the approved week of 16 November: neither can clock out.
    tick(services, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    assert [p for p in tick(services, datetime(2026, 11, 23, 2, 0, tzinfo=UTC)) if p.kind == "nudge"] == []
    with Session(services.engine, expire_on_commit=False) as s:
        s.add(
            Shift(
                team_id=project.team_id,
                project_id=project.pk,
                user_id="U2",
                started_at=datetime(2026, 11, 23, 0, 0, tzinfo=UTC),
                logged_by="U2",
            )
        )
        s.commit()
    posts = [p for p in tick(services, datetime(2026, 11, 24, 2, 0, tzinfo=UTC)) if p.kind == "nudge"]
    assert [(p.channel, p.key) for p in posts] == [("D2", "nudge:shift:3:2026-11-24")]


def test_projects_nudging_at_the_same_time_share_one_dm(services: Services, fake_slack: FakeSlack) -> None:
    with Session(services.engine, expire_on_commit=False) as s:
        first = add_project(s, budget=Decimal("0"), meeting_every_weeks=52, created_at=CREATED)
        second = add_project(s, budget=Decimal("0"), meeting_every_weeks=52, created_at=CREATED)
        for project in (first, second):
            add_member(s, project, "U1", "member")
            # Same task key in both projects: each is its own condition.
            add_task(
                s,
                project,
                "T-1",
                owner_user_id="U1",
                due_date=date(2026, 11, 20),
                created_at=CREATED,
                updated_at=CREATED,
            )
    tick(services, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    posts = [p for p in tick(services, datetime(2026, 11, 23, 2, 0, tzinfo=UTC)) if p.kind == "nudge"]
    assert [p.channel for p in posts] == ["D1"]
    [dm] = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "D1"]
    assert dm.args["text"].count("`T-1` T-1 was due 2026-11-20") == 2
    assert f"{first.code}, {second.code}" in str(dm.args["blocks"])
    with Session(services.engine) as s:
        rows = {(r.project_id, r.period_key): r.status for r in deliveries(s) if r.kind == "nudge"}
    for project in (first, second):
        assert rows[(project.pk, "nudge:overdue:T-1:2026-11-23")] == "posted"
        assert rows[(project.pk, "nudge:dm:U1:2026-11-23")] == "posted"
