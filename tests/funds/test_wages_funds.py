"""/funds and the monthly wage sheet through signed Slack payloads, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from openpyxl import load_workbook

from bot.reports.exports import run_export
from storage.models import AuditLog, FundRecord, LaborEntry
from tests.harness import SlackHarness
from tests.records.support import rows, setup

FM, PM, ANA, BO = "U0FM", "U0PM", "U0ANA", "U0BO"
WAGE_HEADER = (
    "project,month,person,crew,days,man_hours,overtime_hours,gross,advances,paid,balance,currency,status"
)


def _site(slack: SlackHarness, lang: str = "en") -> None:
    """A project in November 2026 with two Slack users, two named workers (one without a rate)."""
    setup(slack, f"Demo budget 100000 CNY tz Asia/Shanghai lang {lang}")
    slack.command("/project", f"role <@{FM}> foreman")
    slack.command("/project", "worker 张三 rate 300/day")
    slack.command("/project", "set overtime after 8")
    for text in (
        f"<@{ANA}> 8h rate 40/hour 11/20",
        f"<@{ANA}> 8h ot 2h rate 40/hour 11/21",
        f"<@{BO}> 4h rate 50/hour 11/21",
        "张三 8h 11/23",
        "张三 8h 11/24",
        "李四 8h 11/24",
    ):
        reply = slack.command("/log-labor", text, user=FM)
        assert "L-" in reply.text, reply.text


# What the test logged, computed here and not by Foreman: (days, man-hours, overtime, gross).
ANA_GROSS = 8 * 40 + 8 * 40 + 2 * 40 * Decimal("1.5")
EXPECTED = {
    ANA: (2, Decimal(16), Decimal(2), ANA_GROSS),
    BO: (1, Decimal(4), Decimal(0), Decimal(200)),
    "张三": (2, Decimal(16), Decimal(0), Decimal(600)),
    "李四": (1, Decimal(8), Decimal(0), None),
}


def test_funds_in_both_languages_with_roles_and_audit(slack: SlackHarness) -> None:
    _site(slack)
    refused = slack.command("/funds", "in 5000", user="U0MEM")
    assert refused.ephemeral and "*pm*" in refused.text
    zh = slack.command("/funds", "借支 张三 500 昨天", user=FM)
    assert "已记入" in zh.text and "`F-1`" in zh.text and "张三 借支 ¥500.00" in zh.text
    en = slack.command("/funds", f"advance <@{ANA}|ana> 200 11/22", user=FM)
    assert "`F-2`" in en.text and f"advance to <@{ANA}> ¥200.00" in en.text
    assert "`F-3`" in slack.command("/funds", f"wage <@{ANA}> 300 11/25", user=FM).text
    assert "`F-4`" in slack.command("/funds", "发工资 张三 100 11月25日", user=FM).text
    assert "`F-5`" in slack.command("/funds", "收款 三万五 进度款", user=PM).text
    empty = slack.command("/funds", "", user=FM)  # the command alone shows what it takes, stores nothing
    assert "/funds in" in empty.text and "is not a /funds command" not in empty.text, empty.text
    assert "*项目经理* 角色（你是 *班组长*）" in slack.command("/funds", "收款 100", user=FM).text
    unknown = slack.command("/funds", "借支 王五 100", user=FM)
    assert "王五" in unknown.text and "张三" in unknown.text and "李四" in unknown.text
    assert "`300`" in slack.command("/funds", "借支 张三 500 300", user=FM).text
    assert "`32号`" in slack.command("/funds", "借支 张三 500 32号", user=FM).text
    assert "future" in slack.command("/funds", f"advance <@{ANA}> 5 2026-12-24", user=FM).text
    stored = rows(slack, FundRecord)
    assert [(r.number, r.kind, r.amount) for r in stored] == [
        (1, "advance", Decimal(500)),
        (2, "advance", Decimal(200)),
        (3, "wage", Decimal(300)),
        (4, "wage", Decimal(100)),
        (5, "receipt", Decimal(35000)),
    ]

    assert "Voided `F-5`" in slack.command("/funds", "void F-5", user=PM).text
    assert "已作废 `F-4`" in slack.command("/funds", "撤销", user=FM).text
    assert [a.entity_id for a in rows(slack, AuditLog, entity="fund", action="void")] == [
        str(stored[4].id),
        str(stored[3].id),
    ]
    listed = slack.command("/funds", "list month", user=PM).text
    assert "`F-1`" in listed and "`F-4`" not in listed and "`F-5`" not in listed


def _sheet_rows(slack: SlackHarness) -> dict[str, dict[str, str]]:
    from sqlmodel import Session

    with Session(slack.services.engine) as session:
        data = run_export(
            session, kind="wages", project_code="DEMO", date_from=None, date_to=None, month="2026-11"
        )
    lines = data.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert ",".join(header) == WAGE_HEADER
    return {r.split(",")[2]: dict(zip(header, r.split(","), strict=True)) for r in lines[1:]}


def test_ten_thousands_and_traditional_words_in_funds(slack: SlackHarness) -> None:
    """萬 and w are ten thousands wherever an amount is read (1萬 was stored as ¥1, 5w as ¥5), and the
    command words are read in traditional script."""
    _site(slack)
    assert "¥10,000.00" in slack.command("/funds", "收款 1萬", user=PM).text
    assert "¥50,000.00" in slack.command("/funds", "收款 5w", user=PM).text
    assert "¥300.00" in slack.command("/funds", "發工資 张三 300 11月25日", user=FM).text
    assert sorted(r.amount for r in rows(slack, FundRecord)) == [Decimal(300), Decimal(10000), Decimal(50000)]


def test_wage_sheet_columns_equal_an_independent_calculation(slack: SlackHarness) -> None:
    _site(slack)
    slack.command("/funds", "借支 张三 500 11/25", user=FM)
    slack.command("/funds", f"advance <@{ANA}> 200 11/22", user=FM)
    slack.command("/funds", f"wage <@{ANA}> 300 11/25", user=FM)
    slack.command("/funds", "借支 李四 50 11/25", user=FM)
    advances = {"张三": Decimal(500), ANA: Decimal(200), "李四": Decimal(50)}
    paid = {ANA: Decimal(300)}
    sheet = _sheet_rows(slack)
    assert set(sheet) == set(EXPECTED)
    for person, (days, hours, ot, gross) in EXPECTED.items():
        row = sheet[person]
        adv, pay = advances.get(person, Decimal(0)), paid.get(person, Decimal(0))
        assert int(row["days"]) == days
        assert Decimal(row["man_hours"]) == hours and Decimal(row["overtime_hours"]) == ot
        assert row["gross"] == ("" if gross is None else f"{gross:.2f}")
        assert Decimal(row["advances"]) == adv and Decimal(row["paid"]) == pay
        assert row["balance"] == ("" if gross is None else f"{gross - adv - pay:.2f}")
        assert row["status"] == ("offline" if person in ("张三", "李四") else "pending")
    text = slack.command("/report", "wages 2026-11", user=PM).text
    assert (
        f"<@{ANA}>: 2 d, 16 h (+2 h OT), gross ¥760.00, advances ¥200.00, paid ¥300.00, *balance ¥260.00*"
        in text
    )
    assert "李四: 1 d, 8 h, gross rate missing" in text
    # 李四's line stays "rate missing" with a priced day added: the total gross is that of the complete lines
    # (it counted his priced part, so the chat total differed from the XLSX and from the balance total).
    assert "L-" in slack.command("/log-labor", "李四 8h rate 280/day 11/25", user=FM).text
    total = next(
        ln for ln in slack.command("/report", "wages 2026-11", user=PM).text.splitlines() if "*Total*" in ln
    )
    assert f"gross ¥{ANA_GROSS + 200 + 600:,.2f}" in total, total


def test_wage_sheet_xlsx_in_chinese_has_signature_and_totals(slack: SlackHarness) -> None:
    _site(slack, lang="zh")
    slack.command("/funds", "借支 张三 500 11/25", user=FM)
    reply = slack.command("/report", "工资 2026-11", user=PM)
    assert "工资表" in reply.text
    [book_bytes] = list(slack.fake.uploads.values())
    sheet = load_workbook(io.BytesIO(book_bytes)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == [
        "姓名",
        "班组",
        "出勤天数",
        "工时",
        "加班工时",
        "应发工资",
        "借支",
        "已发",
        "余额",
        "确认状态",
        "备注",
        "签字",
    ]
    people = [r[0] for r in values[1:-1]]
    assert sorted(people) == sorted([ANA, BO, "张三", "李四"])
    total = values[-1]
    assert "合计" in total
    assert Decimal(str(total[5])) == ANA_GROSS + 200 + 600  # 李四's missing rate is not a zero
    assert Decimal(str(total[6])) == Decimal(500)
    assert all(r[11] is None for r in values[1:])  # the signature column is left blank to sign
    assert [r[10] for r in values[1:-1] if r[0] == "李四"] == ["缺单价"]


def test_confirm_dispute_and_reset_after_an_edit(slack: SlackHarness) -> None:
    _site(slack)
    slack.command("/project", f"role <@{PM}> pm")
    assert "*foreman*" in slack.command("/report", "wages 2026-11 confirm", user="U0MEM").text
    slack.fake.reset()
    reply = slack.command("/report", "wages 2026-11 confirm", user=FM)
    assert "Sending each person" in reply.text
    [channel_post] = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "C0PROJ"]
    assert "Wage sheet of 2026-11 sent to 2 people" in channel_post.args["text"]
    thread = channel_post.response["ts"]
    assert sorted(c.args["users"] for c in slack.fake.calls_to("conversations.open")) == [ANA, BO]
    dms = {
        c.args["channel"]: c
        for c in slack.fake.calls_to("chat.postMessage")
        if c.args["channel"].startswith("D")
    }
    assert set(dms) == {"D0ANA", "D0BO"}
    ana_dm = dms["D0ANA"]
    assert "balance ¥760.00" in ana_dm.args["text"] and "张三" not in ana_dm.args["text"]
    blocks = (
        json.loads(ana_dm.args["blocks"]) if isinstance(ana_dm.args["blocks"], str) else ana_dm.args["blocks"]
    )
    buttons = {e["action_id"]: e["value"] for e in blocks[1]["elements"]}
    assert set(buttons) == {"wages_confirm", "wages_dispute"}

    slack.fake.reset()
    slack.action("wages_confirm", buttons["wages_confirm"], user=ANA, channel="D0ANA")
    slack.action("wages_confirm", buttons["wages_confirm"], user=ANA, channel="D0ANA")
    said = [c.args["text"] for c in slack.fake.calls_to("chat.postMessage")]
    assert said == [
        ":white_check_mark: Thanks — you confirmed your wage line of 2026-11.",
        "You had already confirmed this line of 2026-11; nothing changed.",
    ]
    assert f"<@{ANA}>: 2 d" in (text := slack.command("/report", "wages 2026-11", user=PM).text)
    assert "*balance ¥760.00* — confirmed" in text

    slack.fake.reset()
    slack.action("wages_dispute", buttons["wages_dispute"], user=BO, channel="D0BO")
    [opened] = slack.fake.calls_to("views.open")
    view = json.loads(opened.args["view"]) if isinstance(opened.args["view"], str) else opened.args["view"]
    empty = slack.submit(
        view["callback_id"],
        {"reason": {"value": {"value": " "}}},
        user=BO,
        private_metadata=view["private_metadata"],
    )
    assert "errors" in empty.json
    slack.submit(
        view["callback_id"],
        {"reason": {"value": {"value": "I worked 6h on 11/21"}}},
        user=BO,
        private_metadata=view["private_metadata"],
    )
    [posted] = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "C0PROJ"]
    assert posted.args["thread_ts"] == thread
    assert f"<@{BO}> disputes" in posted.args["text"] and "I worked 6h on 11/21" in posted.args["text"]
    assert f"<@{FM}>" in posted.args["text"] and f"<@{PM}>" in posted.args["text"]
    assert "— disputed" in slack.command("/report", "wages 2026-11", user=PM).text

    ana_first = min(r.id for r in rows(slack, LaborEntry, user_id=ANA))
    edited = slack.command("/log-labor", f"edit L-{ana_first} hours 6", user=FM)
    assert f"<@{ANA}>'s line changed after they answered, so it is pending again" in edited.text
    text = slack.command("/report", "wages 2026-11", user=PM).text
    assert f"<@{ANA}>: 2 d, 14 h (+2 h OT), gross ¥680.00" in text
    assert "pending (line changed after the answer)" in text
    assert _sheet_rows(slack)[ANA]["status"] == "pending"


def test_funds_export_columns_and_report_balance(slack: SlackHarness) -> None:
    _site(slack)
    slack.command("/funds", "收款 500000 进度款 11/02", user=PM)
    slack.command("/funds", "借支 张三 500 11/25", user=FM)
    slack.command("/funds", f"wage <@{ANA}> 300 11/25", user=FM)
    slack.command("/expense", "1,000 material 11/20", user=PM)
    from sqlmodel import Session

    with Session(slack.services.engine) as session:
        data = run_export(session, kind="funds", project_code="DEMO", date_from=None, date_to=None)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "id,project,date,kind,person,amount,currency,note,logged_by"
    assert lines[1:] == [
        f"F-1,DEMO,2026-11-02,receipt,,500000.00,CNY,进度款,{PM}",
        f"F-2,DEMO,2026-11-25,advance,张三,500.00,CNY,,{FM}",
        f"F-3,DEMO,2026-11-25,wage,{ANA},300.00,CNY,,{FM}",
    ]
    report = slack.command("/report", "funds all", user=PM).text
    balance = Decimal(500000) - 1000 - 300 - 500
    assert f"*balance ¥{balance:,.2f}*" in report and "expenses ¥1,000.00" in report
    chart = slack.command("/report", "chart funds", user=PM)
    assert chart.status == 200
    [png] = list(slack.fake.uploads.values())
    assert png.startswith(b"\x89PNG")


def test_funds_report_counts_foreign_expenses_at_their_rate_and_says_what_is_not_counted(
    slack: SlackHarness,
) -> None:
    """$500 at 7.50 is ¥3,750 of expenses (foreign spend was left out of the funds report and the digest's
    funds line, unlike the budget); a €50 without a rate is said to be not counted."""
    setup(slack, "Demo budget 100000 CNY tz Asia/Shanghai")
    for text in ("in 20000 11/01",):
        assert "F-" in slack.command("/funds", text, user=PM).text
    for text in ("3,000 material cement 11/02", "$500 equipment crane 11/03", "€50 tape 11/03"):
        assert "E-" in slack.command("/expense", text, user=PM).text
    slack.command("/project", "fx USD 7.50", user=PM)
    report = slack.command("/report", "funds all", user=PM).text
    assert "expenses ¥6,750.00" in report and "*balance ¥13,250.00*" in report, report
    assert "1 expense(s) in another currency" in report, report
