"""Slack's Block Kit limits: Foreman truncates visibly instead of failing; the fake Slack refuses payloads
that break them (invalid_blocks), like Slack, so every payload in the suite is checked."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.console.fake_slack import FakeSlack
from bot.views import mrkdwn


def _section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(action_id: str, text: str = "Go", value: str = "v") -> dict[str, object]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        "value": value,
    }


def test_limits_are_kept_by_visible_truncation() -> None:
    blocks = [_section(f"line {n}") for n in range(70)]
    blocks[0] = _section("x" * 5000)
    blocks[1] = {"type": "header", "text": {"type": "plain_text", "text": "H" * 200}}
    blocks[2] = {"type": "actions", "elements": [_button("a", "B" * 100, "v" * 3000), _button("a")]}
    out = mrkdwn.blocks(blocks)
    assert len(out) == 50 and out[-1]["elements"][0]["text"] == "… +21"
    assert len(out[0]["text"]["text"]) == 3000 and out[0]["text"]["text"].endswith("…")
    assert len(out[1]["text"]["text"]) == 150 and out[1]["text"]["text"].endswith("…")
    first, second = out[2]["elements"]
    assert len(first["text"]["text"]) == 75 and len(first["value"]) == 2000
    assert first["action_id"] != second["action_id"]
    assert mrkdwn.problems("chat.postMessage", {"blocks": out}) == []
    assert len(mrkdwn.view({"type": "modal", "blocks": [_section("y")] * 120})["blocks"]) == 100


def test_truncation_never_cuts_an_entity_in_half() -> None:
    [block] = mrkdwn.blocks([_section("a" * 2996 + "<<")])  # "&lt;" would straddle the limit
    assert block["text"]["text"] == "a" * 2996 + "…"
    [block] = mrkdwn.blocks([_section("a" * 2990 + f"{mrkdwn.mention('U0ANA12345')}")])
    assert block["text"]["text"] == "a" * 2990 + "…"


def test_fake_slack_refuses_what_slack_refuses(fake_slack: FakeSlack) -> None:
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    too_many = [_section("x")] * 51
    cases = [
        too_many,
        [_section("x" * 3001)],
        [{"type": "header", "text": {"type": "plain_text", "text": "H" * 151}}],
        [{"type": "actions", "elements": [_button("a", value="v" * 2001)]}],
        [{"type": "actions", "elements": [_button("a", text="B" * 76)]}],
        [{"type": "actions", "elements": [_button("a"), _button("a")]}],
    ]
    for blocks in cases:
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="C1", text="t", blocks=blocks)
        assert refused.value.response["error"] == "invalid_blocks"
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="hey <!channel>")
    assert len(fake_slack.invalid) == len(cases) + 1
    fake_slack.invalid.clear()  # refusals were this test's point
