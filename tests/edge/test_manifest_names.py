"""The manifest escapes every command; plain `@name` text that still arrives names a workspace member
(users.list, cached, refreshed by user_change)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from storage.models import Member, Task
from tests.harness import SlackHarness
from tests.records2.helpers import rows, setup


def test_manifest_escapes_every_command_and_hears_user_changes() -> None:
    manifest = yaml.safe_load((Path(__file__).parents[2] / "app_manifest.yml").read_text(encoding="utf-8"))
    commands = manifest["features"]["slash_commands"]
    assert commands and all(c["should_escape"] is True for c in commands)
    assert "user_change" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "users:read" in manifest["oauth_config"]["scopes"]["bot"]


def test_plain_at_names_resolve_to_workspace_members(slack: SlackHarness) -> None:
    setup(slack)
    slack.fake.add_user("U0ANA", name="ana")
    slack.fake.add_user("U0BEN", name="Ben Li")
    slack.command("/project", "role @ana foreman")
    slack.command("/task", 'add T-1 "Pour slab" owner @benli')
    assert [m.role for m in rows(slack, Member, user_id="U0ANA")] == ["foreman"]
    assert rows(slack, Task)[0].owner_user_id == "U0BEN"
    reply = slack.command("/log-labor", "@ana 6h")
    assert "<@U0ANA>" in reply.text
    assert len(slack.fake.calls_to("users.list")) == 1  # cached

    # ana renames herself to anna: user_change makes the new name work, the old one no longer.
    event = json.loads(slack.payloads.app_home_opened(user="U0ANA"))
    event["event"] = {"type": "user_change", "user": {"id": "U0ANA", "name": "anna", "profile": {}}}
    event["event_id"] = "EvUserChange1"
    slack.dispatch(json.dumps(event))
    slack.command("/project", "role @anna tech")
    assert [m.role for m in rows(slack, Member, user_id="U0ANA")] == ["tech"]
    refused = slack.command("/project", "role @ana member")
    assert [m.role for m in rows(slack, Member, user_id="U0ANA")] == ["tech"] and refused.text
