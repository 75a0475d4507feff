"""The tick: one digest per workday at local time (holidays, make-up days, DST), exactly once, catch-up,
rate limits, Slack down, budget alerts with the burn chart."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.console.fake_slack import FakeSlack
from bot.scheduler.jobs import Candidate, Context
from bot.scheduler.jobs import standup as standup_job
from bot.scheduler.tick import tick
from bot.services.status import calendar_for
from storage.models import Delivery, Project
from tests.scheduler.sched_support import add_expense, add_project, deliveries


def _ticks(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    out = []
    at = start
    while at <= end:
        out.append(at)
        at += step
    return out


def _digests(services: Services, instants: list[datetime]) -> list[tuple[datetime, str]]:
    found = []
    for now in instants:
        found += [(now, p.key) for p in tick(services, now) if p.kind == "standup"]
    return found


def _channel_posts(fake: FakeSlack, channel: str) -> list[str]:
    return [
        str(c.args.get("text")) for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == channel
    ]


def _project(services: Services, **values: object) -> Project:
    with Session(services.engine, expire_on_commit=False) as s:
        return add_project(s, **values)


def test_one_digest_per_workday_at_local_time(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services, standup_time="08:30", budget=Decimal("0"))
    # Two weeks (Monday 16 to Sunday 29 November 2026, Shanghai) ticked every two hours, and every minute
    # from 08:25 to 08:35 local each day.
    start = datetime(2026, 11, 15, 16, 0, tzinfo=UTC)
    instants = sorted(
        set(_ticks(start, start + timedelta(days=14), timedelta(hours=2)))
        | {
            datetime(2026, 11, 16 + n, 0, 25, tzinfo=UTC) + timedelta(minutes=m)
            for n in range(14)
            for m in range(11)
        }
    )
    found = _digests(services, instants)
    workdays = [date(2026, 11, d) for d in (16, 17, 18, 19, 20, 23, 24, 25, 26, 27)]
    cal = calendar_for(project)
    assert found == [(cal.at_local(d, time(8, 30)), f"standup:{d.isoformat()}") for d in workdays]
    standups = [text for text in _channel_posts(fake_slack, project.channel_id) if text.startswith("Standup")]
    assert len(standups) == 10
    assert all(now.astimezone(cal.zone).time() == time(8, 30) for now, _ in found)


def test_china_national_day_and_make_up_days(services: Services) -> None:
    _project(services, holidays_country="CN", budget=Decimal("0"))
    # Every day at 09:00 Shanghai (01:00 UTC) from Saturday 19 September to Sunday 11 October 2026.
    instants = [datetime(2026, 9, 19, 1, 0, tzinfo=UTC) + timedelta(days=n) for n in range(23)]
    days = {key.removeprefix("standup:") for _, key in _digests(services, instants)}
    assert "2026-09-20" in days  # Sunday, a make-up workday
    assert "2026-10-10" in days  # Saturday, a make-up workday
    assert not {f"2026-10-0{d}" for d in range(1, 8)} & days  # National Day week
    assert "2026-09-19" not in days and "2026-09-27" not in days and "2026-10-11" not in days
    assert {"2026-09-21", "2026-09-30", "2026-10-08", "2026-10-09"} <= days


def test_digest_at_nine_local_across_dst_changes(services: Services) -> None:
    ny = _project(services, timezone="America/New_York", budget=Decimal("0"))
    berlin = _project(services, timezone="Europe/Berlin", budget=Decimal("0"))
    # Hourly from 05:00 to 15:00 UTC (09:00 in Berlin and New York, summer and winter), Friday to Monday
    # around each change: New York 8 March / 1 November, Berlin 29 March / 25 October 2026.
    instants = [
        datetime(2026, month, day, 5, 0, tzinfo=UTC) + timedelta(days=d, hours=h)
        for month, day in ((3, 6), (3, 27), (10, 23), (10, 30))
        for d in range(4)
        for h in range(11)
    ]
    posted: dict[str, list[datetime]] = {ny.code: [], berlin.code: []}
    for now in instants:
        for post in tick(services, now):
            if post.kind == "standup":
                posted[post.project].append(now)
    for project, zone in ((ny, "America/New_York"), (berlin, "Europe/Berlin")):
        local = [now.astimezone(calendar_for(project).zone) for now in posted[project.code]]
        assert local and all(t.time() == time(9, 0) for t in local), (zone, local)
        assert len({t.date() for t in local}) == len(local)
    # Both offsets were seen: 09:00 New York is 14:00 UTC in winter and 13:00 UTC in summer.
    assert {t.hour for t in posted[ny.code]} == {13, 14}
    assert {t.hour for t in posted[berlin.code]} == {7, 8}


def test_tick_twice_for_the_same_instant_posts_once(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services, budget=Decimal("0"))
    now = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    first = tick(services, now)
    second = tick(services, now)
    assert [p.to_json() for p in first] == [
        {
            "project": project.code,
            "channel": project.channel_id,
            "kind": "standup",
            "key": "standup:2026-11-26",
            "delayed": False,
        }
    ]
    assert second == []
    assert len(_channel_posts(fake_slack, project.channel_id)) == 1


def test_catch_up_within_grace_is_delayed(services: Services, fake_slack: FakeSlack) -> None:
    _project(services, budget=Decimal("0"), language="zh")
    [post] = tick(services, datetime(2026, 11, 26, 2, 30, tzinfo=UTC))  # 10:30, 90 minutes late
    assert post.delayed and post.key == "standup:2026-11-26"
    [call] = fake_slack.calls_to("chat.postMessage")
    assert "延迟发送" in str(call.args["blocks"]) and "09:00" in str(call.args["blocks"])
    with Session(services.engine) as s:
        row = next(r for r in deliveries(s) if r.period_key == "standup:2026-11-26")
        assert (row.status, row.delayed) == ("posted", True)


def test_missed_past_grace_is_skipped_not_posted(services: Services, fake_slack: FakeSlack) -> None:
    _project(services, budget=Decimal("0"))
    assert tick(services, datetime(2026, 11, 26, 3, 1, tzinfo=UTC)) == []  # 11:01, 121 minutes late
    assert fake_slack.calls_to("chat.postMessage") == []
    with Session(services.engine) as s:
        rows = {r.period_key: r.status for r in deliveries(s)}
    assert rows["standup:2026-11-26"] == "skipped"


def test_slack_down_past_grace_is_skipped_and_never_posted(services: Services, fake_slack: FakeSlack) -> None:
    _project(services, budget=Decimal("0"))
    fake_slack.down = True
    for minute in (0, 30, 60, 90):
        assert tick(services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC) + timedelta(minutes=minute)) == []
    with Session(services.engine) as s:
        [row] = [r for r in deliveries(s) if r.period_key == "standup:2026-11-26"]
        assert row.status == "failed" and row.attempts == 4
    fake_slack.down = False
    assert tick(services, datetime(2026, 11, 26, 3, 1, tzinfo=UTC)) == []
    assert tick(services, datetime(2026, 11, 26, 3, 30, tzinfo=UTC)) == []
    assert fake_slack.calls_to("chat.postMessage") == []
    with Session(services.engine) as s:
        [row] = [r for r in deliveries(s) if r.period_key == "standup:2026-11-26"]
        assert row.status == "skipped"


def test_failed_post_is_retried_within_grace(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services, budget=Decimal("0"))
    fake_slack.down = True
    assert tick(services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC)) == []
    fake_slack.down = False
    [post] = tick(services, datetime(2026, 11, 26, 1, 1, tzinfo=UTC))
    assert post.key == "standup:2026-11-26" and not post.delayed
    assert len(_channel_posts(fake_slack, project.channel_id)) == 1


def test_rate_limited_then_ok_arrives_once(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services, budget=Decimal("0"))
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    [post] = tick(services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    assert post.key == "standup:2026-11-26"
    assert len(_channel_posts(fake_slack, project.channel_id)) == 1


def test_long_retry_after_releases_the_claim_for_a_later_tick(
    services: Services, fake_slack: FakeSlack
) -> None:
    project = _project(services, budget=Decimal("0"))
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=30)
    assert tick(services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC)) == []
    with Session(services.engine) as s:
        [row] = [r for r in deliveries(s) if r.period_key == "standup:2026-11-26"]
        assert row.status == "failed" and "Retry-After 30" in (row.error or "")
    [post] = tick(services, datetime(2026, 11, 26, 1, 1, tzinfo=UTC))
    assert post.key == "standup:2026-11-26"
    assert len(_channel_posts(fake_slack, project.channel_id)) == 1


def test_abandoned_claim_is_never_posted(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services, budget=Decimal("0"))
    due = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    with Session(services.engine) as s:
        s.add(
            Delivery(
                team_id=project.team_id,
                project_id=project.pk,
                kind="standup",
                period_key="standup:2026-11-26",
                status="claimed",
                due_at=due,
                claimed_at=due,
                claimed_by="crashed",
            )
        )
        s.commit()
    assert tick(services, due + timedelta(minutes=2)) == []  # still fresh: someone else may be posting
    assert tick(services, due + timedelta(minutes=10)) == []
    assert fake_slack.calls_to("chat.postMessage") == []
    with Session(services.engine) as s:
        [row] = [r for r in deliveries(s) if r.period_key == "standup:2026-11-26"]
        assert row.status == "skipped" and "outcome unknown" in (row.error or "")


def test_budget_crossing_50_and_80_alerts_once_each_with_the_chart(
    services: Services, fake_slack: FakeSlack
) -> None:
    project = _project(services, budget=Decimal("10000"), standup_time="23:00")
    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    with Session(services.engine) as s:
        add_expense(s, project, date(2026, 11, 25), "5100")
    first = tick(services, now)
    assert [(p.kind, p.key) for p in first] == [("budget_alert", "budget:total:50")]
    assert tick(services, now + timedelta(minutes=1)) == []
    with Session(services.engine) as s:
        add_expense(s, project, date(2026, 11, 24), "3000")
    second = tick(services, now + timedelta(minutes=2))
    assert [(p.kind, p.key) for p in second] == [("budget_alert", "budget:total:80")]
    assert tick(services, now + timedelta(minutes=3)) == []

    texts = _channel_posts(fake_slack, project.channel_id)
    assert len(texts) == 2 and "50%" in texts[0] and "81%" in texts[1]
    assert len(fake_slack.calls_to("files.getUploadURLExternal")) == 2
    assert len(fake_slack.calls_to("upload")) == 2
    completed = fake_slack.calls_to("files.completeUploadExternal")
    assert len(completed) == 2 and completed[0].args.get("channel_id") == project.channel_id
    assert all(png.startswith(b"\x89PNG") for png in fake_slack.uploads.values())


def test_thresholds_crossed_together_post_the_highest_only(services: Services, fake_slack: FakeSlack) -> None:
    project = _project(services, budget=Decimal("1000"), standup_time="23:00")
    with Session(services.engine) as s:
        add_expense(s, project, date(2026, 11, 25), "1200")
    posts = tick(services, datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
    assert [p.key for p in posts] == ["budget:total:100"]
    with Session(services.engine) as s:
        rows = {r.period_key: r.status for r in deliveries(s) if r.kind == "budget_alert"}
    assert rows == {"budget:total:50": "skipped", "budget:total:80": "skipped", "budget:total:100": "posted"}


def test_a_days_spend_over_three_times_the_fortnights_average_alerts_once(
    services: Services, fake_slack: FakeSlack
) -> None:
    day = date(2026, 11, 26)
    spiking = _project(
        services, budget=Decimal("1000000"), standup_time="23:00", start_date=date(2026, 10, 1)
    )
    steady = _project(services, budget=Decimal("1000000"), standup_time="23:00", start_date=date(2026, 10, 1))
    with Session(services.engine) as s:
        for project, on_the_day in ((spiking, "350"), (steady, "250")):
            for n in range(1, 15):
                add_expense(s, project, day - timedelta(days=n), "100")
            add_expense(s, project, day - timedelta(days=15), "9000")  # before the fortnight: not counted
            add_expense(s, project, day, on_the_day)
        add_expense(s, steady, day, "900", currency="USD")  # another currency: not counted
    posts = tick(services, datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
    assert [(p.project, p.key) for p in posts] == [(spiking.code, "budget:spike:2026-11-26")]
    texts = _channel_posts(fake_slack, spiking.channel_id)
    assert len(texts) == 1 and "350" in texts[0]
    assert tick(services, datetime(2026, 11, 26, 2, 1, tzinfo=UTC)) == []


def test_the_bot_token_is_looked_up_once_per_workspace_per_tick(
    services: Services, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    for team in ("T0TEAMA", "T0TEAMA", "T0TEAMA", "T0TEAMB"):
        _project(services, team_id=team, budget=Decimal("0"))
    asked: list[str] = []
    client_for = services.client_for

    def counting(team_id: str) -> WebClient:
        asked.append(team_id)
        return client_for(team_id)

    monkeypatch.setattr(services, "client_for", counting)
    posts = tick(services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    assert sorted(p.kind for p in posts) == ["standup"] * 4
    assert sorted(asked) == ["T0TEAMA", "T0TEAMB"]
    asked.clear()
    _project(services, team_id="T0TEAMA", budget=Decimal("0"), created_at=datetime(2026, 11, 26, tzinfo=UTC))
    assert [p.kind for p in tick(services, datetime(2026, 11, 27, 1, 0, tzinfo=UTC))] == ["standup"] * 5
    assert sorted(asked) == ["T0TEAMA", "T0TEAMB"]  # a new tick asks again


def test_planning_holds_no_write_lock(
    services: Services, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the tick finds what is due, another process can write (SQLite: its write lock is free);
    what planning settles is written after it, and the due digest still goes out."""
    if services.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single write lock")
    late = _project(services, budget=Decimal("0"), standup_time="06:00")  # 3 h late at 09:00: skipped
    _project(services, budget=Decimal("0"))
    due = standup_job.due
    free: list[bool] = []

    def due_and_try_to_write(ctx: Context) -> list[Candidate]:
        found = due(ctx)
        other = sqlite3.connect(services.engine.url.database or "", timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            free.append(True)
        except sqlite3.OperationalError:
            free.append(False)
        finally:
            other.close()
        return found

    monkeypatch.setattr(standup_job, "due", due_and_try_to_write)
    posts = tick(services, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    assert free == [True]
    assert [p.kind for p in posts] == ["standup"]
    with Session(services.engine) as s:
        rows = {(r.project_id, r.period_key): r.status for r in deliveries(s)}
    assert rows[(late.pk, "standup:2026-11-26")] == "skipped"
