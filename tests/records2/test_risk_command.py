"""/risk through signed slash commands: register, list by score, update, close, roles, tenants, form."""

from __future__ import annotations

import json

from storage.models import AuditLog, Risk
from tests.harness import SlackHarness
from tests.records2.helpers import rows, setup


def test_add_in_english_and_chinese(slack: SlackHarness) -> None:
    setup(slack)
    en = slack.command(
        "/risk", 'add "Crane permit late" management p high i 5 owner <@U0TECH> -- chase the bureau weekly'
    )
    zh = slack.command("/risk", "添加 “基坑渗水” 技术 概率 中 影响 高 -- 加密监测", user="U0TECH")
    first, second = rows(slack, Risk)
    assert (first.number, first.kind, first.probability, first.impact, first.owner_user_id) == (
        1, "management", 4, 5, "U0TECH",
    )  # fmt: skip
    assert first.mitigation == "chase the bureau weekly" and first.status == "open"
    assert (second.number, second.kind, second.probability, second.impact) == (2, "tech", 3, 4)
    assert "`R-1`" in en.text and "P4 × I5 = 20" in en.text and "management" in en.text
    assert "`R-2`" in zh.text and "技术" in zh.text and "= 12" in zh.text and "加密监测" in zh.text


def test_list_by_score_and_close_and_update(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/risk", 'add "Low one" p low i low')
    slack.command("/risk", 'add "High one" tech p 5 i 4')
    slack.command("/risk", 'add "Middle" p medium i medium')
    listing = slack.command("/risk", "list").text
    assert listing.index("R-2") < listing.index("R-3") < listing.index("R-1")
    closed = slack.command("/risk", "close R-2")
    assert "closed" in closed.text and "R-2" not in slack.command("/risk", "list").text
    updated = slack.command("/risk", "update R-1 p high status mitigating owner <@U0TECH> -- daily check")
    r1 = rows(slack, Risk, number=1)[0]
    assert (r1.probability, r1.status, r1.owner_user_id, r1.mitigation) == (
        4,
        "mitigating",
        "U0TECH",
        "daily check",
    )
    assert "P4 × I2 = 8" in updated.text and "mitigating" in updated.text
    zh = slack.command("/risk", "更新 R-1 状态 已接受")
    assert "已接受" in zh.text
    audits = rows(slack, AuditLog, entity="risk")
    assert [a.action for a in audits] == ["create", "create", "create", "close", "update", "update"]
    before = json.loads(audits[4].before or "{}")
    after = json.loads(audits[4].after or "{}")
    assert (before["probability"], after["probability"]) == (2, 4)


def test_roles_name_the_role_needed(slack: SlackHarness) -> None:
    setup(slack)
    member = slack.command("/risk", 'add "Pump failure" tech', user="U0MEM")
    assert member.ephemeral and "*tech*" in member.text
    tech_mgmt = slack.command("/risk", 'add "Budget cut" management', user="U0TECH")
    assert "*pm*" in tech_mgmt.text or "pm" in tech_mgmt.text
    slack.command("/risk", 'add "Budget cut" management')
    assert "pm" in slack.command("/risk", "close R-1", user="U0TECH").text
    assert rows(slack, Risk)[0].status == "open"
    ok = slack.command("/risk", 'add "Pump failure" tech', user="U0TECH")
    assert "`R-2`" in ok.text


def test_other_team_cannot_touch_risks(slack: SlackHarness) -> None:
    setup(slack)
    slack.command("/risk", 'add "Crane permit late"')
    other = slack.as_team("T0TEAMB")
    other.create_project()
    assert "No risk `R-1`" in other.command("/risk", "close R-1").text
    assert "No risk `R-1`" in other.command("/risk", "update R-1 p 5").text
    assert rows(slack, Risk)[0].status == "open"


def test_help_bad_input_and_form(slack: SlackHarness) -> None:
    setup(slack)
    assert "low = 2" in slack.command("/risk", "help").text
    assert "低 = 2" in slack.command("/risk", "帮助").text
    assert "1-5" in slack.command("/risk", 'add "x" p huge').text
    zh = slack.command("/risk", "add 塔吊故障 影响工期 高").text  # the field named as typed, not `impact`
    assert zh.startswith("影响 必须是") and "impact" not in zh, zh
    assert "R-3" in slack.command("/risk", "update R-3").text
    assert rows(slack, Risk) == []
    slack.command("/risk", "")
    assert "rec_risk_add" in str(slack.fake.calls_to("views.open")[0].args["view"])
    values = {
        "title": {"value": {"type": "plain_text_input", "value": "塔吊许可延迟"}},
        "kind": {"value": {"type": "static_select", "selected_option": {"value": "management"}}},
        "probability": {"value": {"type": "static_select", "selected_option": {"value": "4"}}},
        "impact": {"value": {"type": "static_select", "selected_option": {"value": "5"}}},
        "owner": {"value": {"type": "users_select", "selected_user": None}},
        "mitigation": {"value": {"type": "plain_text_input", "value": None}},
    }
    refused = slack.submit(
        "rec_risk_add", values, user="U0TECH", private_metadata='{"c": "C0PROJ", "l": "zh"}'
    )
    assert "*项目经理*" in refused.json["errors"]["kind"]
    ok = slack.submit("rec_risk_add", values, private_metadata='{"c": "C0PROJ", "l": "zh"}')
    assert not ok.json.get("errors")
    [risk] = rows(slack, Risk)
    assert (risk.title, risk.kind, risk.probability, risk.impact) == ("塔吊许可延迟", "management", 4, 5)
    assert "R-1" in slack.fake.calls_to("chat.postEphemeral")[-1].args["text"]


def test_a_risk_in_traditional_script(slack: SlackHarness) -> None:
    """機率 (as Taiwan says probability), 影響, 技術 and 極高 are read; the title stays as typed."""
    setup(slack)
    tw = slack.command("/risk", "添加 「基坑滲水」 技術 機率 高 影響極高").text
    assert "R-1" in tw and "基坑滲水" in tw and "20" in tw, tw
    [risk] = rows(slack, Risk)
    assert (risk.title, risk.kind, risk.probability, risk.impact) == ("基坑滲水", "tech", 4, 5)
