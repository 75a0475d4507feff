"""The funds line of the digest and the meeting prompt, the wages-owed decision, and a worker's wages on
App Home — through signed Slack payloads and the scheduler's tick, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import Session

from bot.scheduler.tick import tick
from bot.services.meetings import Decision, agendas
from bot.services.projects import project_for_channel
from tests.harness import SlackHarness
from tests.records.support import setup

FM, PM, ANA = "U0FM", "U0PM", "U0ANA"
# The meeting of Tuesday 1 December is prompted two workdays before: Friday 27 November 10:00 Shanghai.
PROMPT_AT = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)

# What the test records, and the figures computed here, not by Foreman.
ANA_OCT_GROSS = 8 * 40 + 8 * 40  # 640
ANA_OCT_ADVANCE = 100
OWED_OCT = ANA_OCT_GROSS - ANA_OCT_ADVANCE  # 张三's October balance is 300 − 300 = 0
RECEIVED, EXPENSES, WAGES_PAID, ADVANCES = 2000, 700, 300, ANA_OCT_ADVANCE + 50
BALANCE = RECEIVED - EXPENSES - WAGES_PAID - ADVANCES  # 850
ANA_NOV_HOURS, ANA_NOV_GROSS, ANA_NOV_ADVANCE = 8, 6 * 40 + 2 * 40, 50


def _site(slack: SlackHarness, lang: str = "en") -> None:
    setup(slack, f"Demo budget 100000 CNY tz Asia/Shanghai lang {lang} start 11/16")
    slack.command("/project", f"role <@{FM}> foreman")
    slack.command("/project", "worker 张三 rate 300/day")
    for text in (
        f"<@{ANA}> 8h rate 40/hour 10/20",
        f"<@{ANA}> 8h rate 40/hour 10/21",
        "张三 8h 10/22",
        f"<@{ANA}> 6h rate 40/hour 11/25",
        f"<@{ANA}> 2h rate 40/hour 11/26",
    ):
        # Labor dated over a week back is the pm's to log.
        user = PM if "/10" in text or "10/" in text else FM
        assert "L-" in slack.command("/log-labor", text, user=user).text, text
    assert "E-" in slack.command("/expense", "700 material 11/10", user=PM).text


def _money_in_and_out(slack: SlackHarness) -> None:
    for text, user in (
        (f"advance <@{ANA}> {ANA_OCT_ADVANCE} 10/25", PM),  # over a week back: the pm's
        (f"wage 张三 {WAGES_PAID} 10/31", PM),
        (f"advance <@{ANA}> {ANA_NOV_ADVANCE} 11/20", FM),
    ):
        assert "F-" in slack.command("/funds", text, user=user).text, text


def _meeting_prompt(slack: SlackHarness) -> str:
    slack.services.clock = lambda: PROMPT_AT
    [post] = [p for p in tick(slack.services, PROMPT_AT) if p.kind == "meeting_prompt"]
    call = slack.fake.calls_to("chat.postMessage")[-1]
    assert post.key == "meeting:2026-W49"
    return json.dumps(call.args["blocks"], ensure_ascii=False)


def _decisions(slack: SlackHarness) -> tuple[Decision, ...]:
    with Session(slack.services.engine) as s:
        project = project_for_channel(s, team_id=slack.team_id, channel_id="C0PROJ")
        assert project is not None
        day = {project.pk: date(2026, 11, 27)}
        return agendas(s, [project], day, {project.pk: date(2026, 12, 1)})[project.pk].decisions


def test_digest_and_meeting_carry_one_funds_line_once_funds_exist(slack: SlackHarness) -> None:
    _site(slack)
    before = slack.command("/report", "standup now", user=PM)
    assert "Funds so far" not in json.dumps(before.json.get("blocks"), ensure_ascii=False)
    _money_in_and_out(slack)
    # Wages are owed for October, but nothing was received: the balance is negative, nothing to decide.
    assert [d for d in _decisions(slack) if d.what == "wages"] == []
    assert "F-" in slack.command("/funds", f"in {RECEIVED} 11/02 -- progress payment", user=PM).text

    digest = json.dumps(
        slack.command("/report", "standup now", user=PM).json.get("blocks"), ensure_ascii=False
    )
    line = (
        f":moneybag: Funds so far: received ¥{RECEIVED:,}.00, "
        f"out ¥{EXPENSES + WAGES_PAID + ADVANCES:,}.00 (expenses, wages, advances), balance ¥{BALANCE}.00."
    )
    assert digest.count("Funds so far") == 1 and line in digest

    prompt = _meeting_prompt(slack)
    assert prompt.count("Funds so far") == 1 and line in prompt
    assert (
        f"pay 2026-10 wages still owed, ¥{OWED_OCT}.00, while the funds balance is ¥{BALANCE}.00 — pm decides"
        in prompt
    )
    assert [d for d in _decisions(slack) if d.what == "wages"] == [
        Decision("wages", "2026-10", "pm", Decimal(OWED_OCT))
    ]


def test_no_wages_decision_once_last_month_is_paid(slack: SlackHarness) -> None:
    _site(slack, lang="zh")
    _money_in_and_out(slack)
    assert "F-" in slack.command("/funds", f"收款 {RECEIVED} 11月2日", user=PM).text
    assert "F-" in slack.command("/funds", f"发工资 <@{ANA}> {OWED_OCT} 10月31日", user=PM).text
    assert [d for d in _decisions(slack) if d.what == "wages"] == []
    prompt = _meeting_prompt(slack)
    balance = BALANCE - OWED_OCT
    assert (
        f":moneybag: 资金累计：收款 ¥{RECEIVED:,}.00，支出 ¥{RECEIVED - balance:,}.00（费用、工资、借支），"
        f"余额 ¥{balance}.00。"
    ) in prompt
    assert "仍欠的工资" not in prompt


def test_app_home_shows_a_workers_month(slack: SlackHarness) -> None:
    _site(slack)
    _money_in_and_out(slack)
    slack.dispatch(slack.payloads.app_home_opened(user=ANA))  # logged by the foreman, not a member
    [publish] = slack.fake.calls_to("views.publish")
    text = json.dumps(publish.args["view"], ensure_ascii=False)
    assert (
        f"`DEMO` *Your wages this month (2026-11)*: {ANA_NOV_HOURS} h, gross ¥{ANA_NOV_GROSS}.00, "
        f"advances ¥{ANA_NOV_ADVANCE}.00, balance ¥{ANA_NOV_GROSS - ANA_NOV_ADVANCE}.00"
    ) in text
    slack.dispatch(slack.payloads.app_home_opened(user=PM))  # no labor of their own: no wages line
    assert "Your wages" not in json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"])


def test_app_home_in_chinese_with_a_missing_rate(slack: SlackHarness) -> None:
    _site(slack, lang="zh")
    slack.command("/log-labor", f"<@{ANA}> 4h 11/24", user=FM)  # no rate for Ana: gross unknown
    slack.dispatch(slack.payloads.app_home_opened(user=ANA))
    text = json.dumps(slack.fake.calls_to("views.publish")[-1].args["view"], ensure_ascii=False)
    assert "`DEMO` *你本月（2026-11）的工资*：12 小时，应发 " in text
    assert "¥320.00" not in text  # a missing rate is not counted as zero
