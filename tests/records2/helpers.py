"""Shared helpers of the records-from-Slack scenario tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from tests.harness import SlackHarness

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai


def rows(slack: SlackHarness, model: type, **where: Any) -> list[Any]:
    with Session(slack.services.engine) as s:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return sorted(s.exec(query).all(), key=lambda r: r.id)


def setup(slack: SlackHarness, *, lang: str = "en") -> SlackHarness:
    """A project in C0PROJ (pm U0PM), a tech lead U0TECH and a member U0MEM."""
    slack.services.clock = lambda: NOW
    slack.create_project(f"Demo budget 100000 CNY tz Asia/Shanghai lang {lang}")
    slack.command("/project", "role <@U0TECH> tech")
    slack.command("/project", "role <@U0MEM> member")
    return slack


def posts(slack: SlackHarness) -> list[dict[str, Any]]:
    return [c.args for c in slack.fake.calls_to("chat.postMessage")]


def whispers(slack: SlackHarness) -> list[dict[str, Any]]:
    return [c.args for c in slack.fake.calls_to("chat.postEphemeral")]


def button(post: dict[str, Any], action_id: str) -> str:
    blocks = post["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {blocks}")


def api_calls(slack: SlackHarness) -> list[str]:
    return [c.method for c in slack.fake.calls if c.method not in ("users.info", "auth.test")]


def confirmation_of(slack: SlackHarness, ts: str, channel: str = "C0PROJ") -> str:
    """The ts Slack gave the threaded confirmation of a message."""
    from storage.models import Confirmation

    [row] = rows(slack, Confirmation, channel=channel, message_ts=ts)
    return str(row.confirmation_ts)
