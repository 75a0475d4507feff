"""One workday through the real app: labor, tasks, expenses, a weather message, a safety note, a photo, a
visit → the 18:00 daily log post; Confirm refused for a member, accepted for tech; a later record is the
addendum; the ledger posts once across two ticks; the PDF and XLSX of the day."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, select

from bot.scheduler import posting
from bot.scheduler.tick import tick
from storage.models import DailyLog, Delivery
from tests.harness import SlackHarness

MORNING = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thu 10:00 in Shanghai
LOG_TIME = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _no_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posting, "CHANNEL_INTERVAL", 0.0)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _text(blocks: Any) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def _workday(slack: SlackHarness) -> None:
    fake = slack.fake
    fake.add_user("U0TECH", name="李工")
    fake.add_user("U0MEM", name="小王")
    slack.create_project("Tower A code TWA budget 100000 CNY tz Asia/Shanghai lang zh")
    for text in ("role <@U0TECH> tech", "role <@U0MEM> member", "crew 钢筋班", "crew 木工班"):
        assert slack.command("/project", text).status == 200
    assert "`" in slack.command("/log-labor", "钢筋班 5人 8小时").text
    assert "`" in slack.command("/log-labor", "木工班 3人 9小时").text
    slack.command("/task", 'add T-1 "三层楼板浇筑"')
    slack.command("/task", 'add T-2 "二层墙体砌筑"')
    slack.command("/task", 'add T-3 "外架搭设"')
    slack.command("/task", "T-1 70%")
    slack.command("/task", "T-2 done")
    slack.command("/task", "T-3 blocked 等钢管进场")
    slack.command("/expense", "3200 材料 vendor 华新水泥 -- 水泥50袋")
    slack.command("/expense", "480 设备 -- 塔吊租赁")
    slack.message("晴 5~12℃ 北风3级", user="U0MEM")
    slack.message("安全：基坑边防护栏缺失，已整改", user="U0TECH")
    fake.files["F0PHOTO1"] = _png()
    slack.message(
        "浇筑前钢筋验收",
        user="U0MEM",
        subtype="file_share",
        extra={
            "files": [
                {
                    "id": "F0PHOTO1",
                    "name": "rebar.png",
                    "mimetype": "image/png",
                    "url_private": f"{fake.base}/files/F0PHOTO1/rebar.png",
                }
            ]
        },
    )
    assert "来访" in slack.command("/daily", "来访 监理巡查三层钢筋").text


def test_one_workday_becomes_the_daily_log(slack: SlackHarness) -> None:
    clock = Clock(MORNING)
    slack.services.clock = clock
    _workday(slack)
    fake = slack.fake
    fake.reset()

    clock.now = LOG_TIME
    posts = tick(slack.services, LOG_TIME)
    assert [(p.kind, p.key) for p in posts] == [("daily_log", "daily_log:2026-11-26")]
    assert tick(slack.services, LOG_TIME + timedelta(minutes=1)) == []
    (post,) = [c for c in fake.calls_to("chat.postMessage")]
    body = _text(post.args["blocks"])
    # every section against what was sent
    assert "施工日志 — Tower A" in body and "2026-11-26（周四）" in body
    assert "天气" in body and "晴 5~12℃ 北风3级" in body
    assert "8 人，67 工时" in body  # 5×8 + 3×9
    assert "钢筋班：5 人，40 工时" in body and "木工班：3 人，27 工时" in body
    assert "`T-1` 三层楼板浇筑：0% → 70%" in body
    assert "`T-2` 二层墙体砌筑：0% → 100% 已完成" in body
    assert "¥3,200.00 材料 — 华新水泥 · 水泥50袋" in body and "¥480.00 设备 — 塔吊租赁" in body
    assert "基坑边防护栏缺失，已整改" in body
    assert "监理巡查三层钢筋" in body
    assert "受阻 `T-3` 外架搭设：等钢管进场" in body, body
    assert "rebar.png：浇筑前钢筋验收" in body
    assert "<@U0MEM>" in body and "<@U0TECH>" in body and "（尚未确认）" in body
    buttons = [b for b in post.args["blocks"] if b["type"] == "actions"][0]["elements"]
    assert [b["action_id"] for b in buttons] == ["daily_confirm", "daily_edit"]
    with Session(slack.services.engine) as s:
        rows = s.exec(select(Delivery).where(Delivery.kind == "daily_log")).all()
        assert [(r.period_key, r.status) for r in rows] == [("daily_log:2026-11-26", "posted")]

    # Confirm: a member is refused with the role named; tech is accepted and the post shows it.
    value, ts = buttons[0]["value"], post.response["ts"]
    slack.action("daily_confirm", value, user="U0MEM", message_ts=ts)
    (refused,) = fake.calls_to("chat.postEphemeral")
    assert "*技术负责人*" in refused.args["text"] and refused.args["user"] == "U0MEM"
    with Session(slack.services.engine) as s:
        assert s.exec(select(DailyLog)).one().status == "draft"
    slack.action("daily_confirm", value, user="U0TECH", message_ts=ts)
    with Session(slack.services.engine) as s:
        row = s.exec(select(DailyLog)).one()
        assert (row.status, row.confirmed_by) == ("confirmed", "U0TECH")
    (update,) = fake.calls_to("chat.update")
    assert update.args["ts"] == ts
    updated = _text(update.args["blocks"])
    assert "已由 <@U0TECH>" in updated and "daily_confirm" not in updated

    # A record after confirmation shows as the addendum, the confirmed sections unchanged.
    clock.now = LOG_TIME + timedelta(minutes=30)
    slack.command("/expense", "200 其他 -- 补买扎丝")
    shown = slack.command("/daily", "今天")
    blocks = _text(shown.json["blocks"])
    assert "补记（确认后录入）" in blocks
    addendum = [b for b in shown.json["blocks"] if "补记" in _text(b)][0]
    assert "补买扎丝" in _text(addendum) and "水泥50袋" not in _text(addendum)

    # PDF: the sections and the Chinese words, with the photo downloaded with the bot token.
    fake.reset()
    reply = slack.command("/report", "daily 今天 pdf")
    assert "PDF" in reply.text, reply.text
    (upload,) = fake.wait_for("upload")
    pdf = fake.uploads[upload.args["file_id"]]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for word in ("施工日志", "工程名称", "天气", "人员", "施工内容", "材料设备", "安全", "质量", "来访检查",
                 "存在问题", "照片", "备注", "记录人", "确认人", "晴 5~12°C", "钢筋班", "三层楼板浇筑",
                 "华新水泥", "基坑边防护栏缺失", "监理巡查三层钢筋", "等钢管进场", "浇筑前钢筋验收",
                 "补记", "补买扎丝", "李工"):  # fmt: skip
        assert word in text, word
    assert "/Subtype /Image" in pdf.decode("latin-1")  # the photo's thumbnail
    downloads = fake.calls_to("file_download")
    assert downloads and all(d.args["authorized"] for d in downloads)

    fake.reset()
    slack.command("/report", "daily 今天 xlsx")
    (upload,) = fake.wait_for("upload")
    ws = load_workbook(io.BytesIO(fake.uploads[upload.args["file_id"]])).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:6] == ("日期", "星期", "状态", "天气", "人数", "工时")
    assert len(rows) == 2 and rows[1][2] == "已确认" and rows[1][4] == 8 and rows[1][5] == 67
    assert "补买扎丝" in rows[1][-1]
