"""Per-channel pacing: at most one message per second per channel, other channels not held up, also for the
posts a tick claims and records in batches."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from bot.app import Services
from bot.console.fake_slack import FakeSlack
from bot.scheduler import pacing, posting
from bot.scheduler.pacing import ChannelPacer
from bot.scheduler.posting import Outgoing, Poster
from bot.scheduler.tick import tick
from storage.models import ChannelPace
from tests.scheduler.sched_support import add_member, add_project, deliveries


def _out(channel: str) -> Outgoing:
    return Outgoing(
        project_id=1,
        team_id="T0TEAMA",
        code="P",
        kind="standup",
        key=f"k-{channel}",
        due_at=datetime(2026, 11, 26, tzinfo=UTC),
        delayed=False,
        text="hi",
        blocks=[],
        channel=channel,
    )


def test_one_message_per_second_per_channel(
    services: Services, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(posting, "CHANNEL_INTERVAL", 1.0)
    monkeypatch.setattr(posting, "_last_post", {})
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    poster = Poster(services.client_for, sleep=sleep, monotonic=lambda: clock[0])
    poster.send(_out("C1"))
    poster.send(_out("C2"))  # another channel: no wait
    clock[0] += 0.25
    poster.send(_out("C1"))  # 0.25 s after the first post to C1: waits the remaining 0.75 s
    assert slept == [pytest.approx(0.75)]
    assert [c.args["channel"] for c in fake_slack.calls_to("chat.postMessage")] == ["C1", "C2", "C1"]


def test_the_database_paces_a_channel_for_every_process(services: Services) -> None:
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    first, second = (ChannelPacer(services.engine, clock=lambda: clock[0], sleep=sleep) for _ in range(2))
    held = first.hold("T0TEAMA", "C1")
    other = second.hold("T0TEAMA", "C2")  # another channel: no wait
    clock[0] += 0.3  # the post to C1 takes 0.3 s; meanwhile C1 is held
    first.release(held, 1.0)
    second.release(other, 1.0)
    clock[0] += 0.25
    again = second.hold("T0TEAMA", "C1")  # another "process": waits until a second after the answer
    assert slept == [pytest.approx(0.75)] and clock[0] == pytest.approx(101.3)
    clock[0] += 5
    assert first.hold("T0TEAMA", "C2") is not None and len(slept) == 1
    second.release(again, 1.0)


def test_a_held_channel_waits_for_the_holder(services: Services) -> None:
    clock = [100.0]
    slept: list[float] = []
    first = ChannelPacer(services.engine, clock=lambda: clock[0], sleep=lambda s: None)
    held = first.hold("T0TEAMA", "C1")

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds
        if len(slept) == 3:
            first.release(held, 1.0)  # the holder gets its answer while the other polls

    second = ChannelPacer(services.engine, clock=lambda: clock[0], sleep=sleep)
    second.hold("T0TEAMA", "C1")
    assert slept[:3] == [pacing.POLL] * 3
    assert clock[0] == pytest.approx(100 + 3 * pacing.POLL + 1.0)


def test_a_paced_tick_posts_each_dm_once_a_second_apart_in_one_channel(
    services: Services, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(posting, "CHANNEL_INTERVAL", 1.0)
    with Session(services.engine, expire_on_commit=False) as s:
        first = add_project(s, budget=Decimal("0"), prompts_enabled=True)
        second = add_project(s, budget=Decimal("0"), prompts_enabled=True)
        add_member(s, first, "U1", "member")
        add_member(s, first, "U2", "foreman")
        add_member(s, second, "U1", "tech")
    asking = datetime(2026, 11, 26, 0, 30, tzinfo=UTC)  # 08:30 Shanghai: the prompts before the standup
    posts = tick(services, asking)
    assert sorted((p.project, p.key, p.channel) for p in posts) == sorted(
        [
            (first.code, "standup_prompt:2026-11-26:U1", "D1"),
            (first.code, "standup_prompt:2026-11-26:U2", "D2"),
            (second.code, "standup_prompt:2026-11-26:U1", "D1"),
        ]
    )
    to_u1 = [c.at for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "D1"]
    assert len(to_u1) == 2 and to_u1[1] - to_u1[0] >= 1.0  # one DM channel: a second apart
    with Session(services.engine) as s:
        today = [r for r in deliveries(s) if r.period_key.startswith("standup_prompt:2026-11-26")]
        assert sorted((r.project_id, r.period_key, r.status, r.slack_channel) for r in today) == sorted(
            [
                (first.pk, "standup_prompt:2026-11-26:U1", "posted", "D1"),
                (first.pk, "standup_prompt:2026-11-26:U2", "posted", "D2"),
                (second.pk, "standup_prompt:2026-11-26:U1", "posted", "D1"),
            ]
        )
        assert all(r.slack_ts and r.attempts == 1 for r in today)
        paces = s.exec(select(ChannelPace)).all()
        assert {p.channel_id for p in paces} == {"D1", "D2"} and all(p.held_by is None for p in paces)
    assert tick(services, asking) == []
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
