"""Per-channel pacing: at most one message per second per channel, other channels not held up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import Services
from bot.console.fake_slack import FakeSlack
from bot.scheduler import posting
from bot.scheduler.posting import Outgoing, Poster


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
