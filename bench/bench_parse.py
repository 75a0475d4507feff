"""Parser throughput against one bare dateparser call per message (the baseline).

Times are CPU time of this process (best of interleaved rounds), so load from other processes on a
shared machine does not tilt the ratio.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dateparser  # noqa: E402

from bot.parsing import parse  # noqa: E402

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo(TZ))
DATES_EN = ["yesterday", "today", "Fri", "last Friday", "11/24", "24 Nov", "2026-11-24", "3 days ago", "Mon"]
DATES_ZH = ["昨天", "今天", "前天", "周五", "上周五", "星期三", "11月24日", "三天前", "3天前"]
# (command, template, language); {d} is the date phrase, which is also what the baseline parses.
TEMPLATES = [
    ("/log-labor", "8h {d}", "en"), ("/log-labor", "7:30-17:00 lunch 1h {d}", "en"),
    ("/log-labor", "rebar crew x5 8h {d} task T-12", "en"), ("/log-labor", "3 workers 2 days {d}", "en"),
    ("/log-labor", "<@U012AB3CD> <@U099ZZ> 6h {d} ot 2h", "en"), ("/log-labor", "8 {d}", "en"),
    ("/log-labor", "钢筋班 5人 8小时 {d}", "zh"), ("/log-labor", "张三 李四 1工日 rate 300/day {d}", "zh"),
    ("/log-labor", "7:30-17:00 午休1小时 {d}", "zh"), ("/log-labor", "半天 {d} 加班2小时", "zh"),
    ("/log-labor", "in 7:30 {d}", "en"), ("/log-labor", "下班 {d}下午5点", "zh"),
    ("/expense", "1,250.50 material vendor 华新水泥 {d}", "en"), ("/expense", "$480 crane rental {d}", "en"),
    ("/expense", "¥3200 材料 钢筋 {d}", "zh"), ("/expense", "1200 元 分包 @老王 {d}", "zh"),
    ("/task", "T-12 70%", "en"), ("/task", "T-12 blocked waiting for rebar", "en"), ("/task", "T-12 完成", "zh"),
    (None, "rebar crew 5 guys 8 hrs {d}", "en"), (None, "张三、李四 {d} 各9小时", "zh"),
    (None, "clocked in 7:15", "en"), (None, "收工了", "zh"), (None, "paid $480 for crane rental {d}", "en"),
    (None, "买了水泥 ¥3,200 {d}", "zh"), (None, "T-7 is 60% done", "en"), (None, "T-7 卡住了，等钢材", "zh"),
    (None, "lunch?", "en"), (None, "8 people at the meeting", "en"), (None, "今天天气不错", "zh"),
]  # fmt: skip


def corpus(size: int = 600, seed: int = 7) -> list[tuple[str | None, str, str]]:
    """A deterministic mixed corpus of (command, text, date phrase) rows."""
    rng = random.Random(seed)
    rows = []
    for command, template, lang in itertools.islice(itertools.cycle(TEMPLATES), size):
        phrase = rng.choice(DATES_ZH if lang == "zh" else DATES_EN)
        text = template.format(d=phrase) if "{d}" in template else template
        rows.append((command, text, phrase if "{d}" in template else ("今天" if lang == "zh" else "today")))
    return rows


def _time(fn: object, rows: list[tuple[str | None, str, str]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn(rows)  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return best


def run_parser(rows: list[tuple[str | None, str, str]]) -> None:
    for command, text, _phrase in rows:
        parse(text, now=NOW, tz=TZ, command=command)


def run_baseline(rows: list[tuple[str | None, str, str]]) -> None:
    for _command, _text, phrase in rows:
        dateparser.parse(phrase, languages=["en", "zh"])


# A long message: ~4,000 characters of site chatter in both languages around one labor statement.
LONG_TEXT = (
    ("今天现场浇筑顺利，监理下午来巡查，提醒注意临边防护和材料堆放。 "
     "The crane arrived late but the crew caught up after lunch, thanks all. ") * 40
)[:3960] + " 张三 李四 各8小时 昨天"  # fmt: skip
DIGITS = "8" * 4000


def _per_call_ms(command: str | None, text: str, repeat: int = 20) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        parse(text, now=NOW, tz=TZ, command=command)
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> None:
    rows = corpus()
    run_parser(rows[:50])  # warm up regex compilation and imports
    run_baseline(rows[:50])
    # Interleaved rounds, best of each: load from other processes hits both sides alike.
    ours = base = float("inf")
    for _ in range(7):
        ours = min(ours, _time(run_parser, rows, repeat=1))
        base = min(base, _time(run_baseline, rows, repeat=1))
    n = len(rows)
    print(f"corpus: {n} messages ({sum(1 for r in rows if any(ord(c) > 0x3000 for c in r[1]))} Chinese)")
    print(f"foreman parse:          {n / ours:10.0f} messages/s  ({ours / n * 1e6:7.1f} µs/message)")
    print(f"dateparser.parse only:  {n / base:10.0f} messages/s  ({base / n * 1e6:7.1f} µs/message)")
    print(f"ratio (ours / baseline): {base / ours:.2f}  (must stay >= 5)")
    print(
        f"long text ({len(LONG_TEXT)} chars) as a message:    {_per_call_ms(None, LONG_TEXT):6.2f} ms  (target <= 20)"
    )
    print(
        f"long text ({len(LONG_TEXT)} chars) as /log-labor:  {_per_call_ms('/log-labor', LONG_TEXT):6.2f} ms"
    )
    print(f"/log-labor with {len(DIGITS)} digits:            {_per_call_ms('/log-labor', DIGITS):6.2f} ms")


if __name__ == "__main__":
    main()
