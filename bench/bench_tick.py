"""Time the 09:00 scheduler tick over N projects with 1M labor rows against the posting floor, same run.

Every project posts its standup digest at 09:00; one in eight also prompts its three logging members by DM
at the same minute (about 1.4 posts per project). The fake Slack runs in its own process. The baseline
("posting floor") replays exactly the calls the tick made (conversations.open + chat.postMessage, same
arguments) with slack_sdk alone, over the same number of parallel channel lanes. Also printed: the time
from the tick's start to its first post, and the CPU seconds this process spent on the tick and on the floor.

    .venv/bin/python bench/bench_tick.py [--projects 1000 10000] [--rows 1000000] [--database-url URL]
    .venv/bin/python bench/bench_tick.py --history   # 1,000 projects, 100k then 1M labor rows, and the ratio

The seeded SQLite database is kept as a template in the temp directory and copied for each run.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from bot.app import build_services  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.fake_slack import FakeSlack  # noqa: E402
from bot.scheduler import tick as tick_module  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.models import LaborEntry, Member, Project  # noqa: E402

TEAM = "T0BENCH"
NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # Thursday 09:00 in Shanghai
CREATED = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # so yesterday's posts are not due
HISTORY_DAYS = 200


def seed(url: str, n: int, rows: int) -> None:
    """n projects with 4 members each and `rows` labor rows spread over them, in bulk."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            insert(Project),
            [
                {
                    "team_id": TEAM,
                    "channel_id": f"C{i:06d}",
                    "name": f"Bench {i}",
                    "code": f"B{i}",
                    "timezone": "Asia/Shanghai",
                    "language": "en",
                    "currency": "CNY",
                    "budget": Decimal("100000000"),
                    "standup_time": "09:00",
                    "workdays": "0,1,2,3,4",
                    "start_date": date(2026, 1, 1),
                    "hours_per_day": Decimal(8),
                    "overtime_multiplier": Decimal("1.5"),
                    "thresholds": "50,80,100",
                    "stale_days": 3,
                    "tolerance": 15,
                    "meeting_every_weeks": 2,
                    "meeting_weekday": 1,
                    "meeting_time": "10:00",
                    "prompts_enabled": i % 8 == 0,
                    "prompt_minutes_before": 0,
                    "grace_minutes": 120,
                    "log_time": "18:00",
                    "created_by": "U0PM",
                    "created_at": CREATED,
                }
                for i in range(n)
            ],
        )
        ids = [r[0] for r in conn.execute(text("SELECT id FROM projects ORDER BY id"))]
        conn.execute(
            insert(Member),
            [
                {"team_id": TEAM, "project_id": pid, "user_id": f"U{pid}R{k}", "role": role}
                for pid in ids
                for k, role in enumerate(("pm", "tech", "foreman", "member"))
            ],
        )
    per = max(1, rows // n)
    stamp = datetime(2026, 6, 1, tzinfo=UTC)
    batch: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for pid in ids:
            for k in range(per):
                batch.append(
                    {
                        "team_id": TEAM,
                        "project_id": pid,
                        "batch": uuid.uuid4().hex,
                        "number": k + 1,
                        "work_date": date(2026, 11, 25) - timedelta(days=k % HISTORY_DAYS),
                        "user_id": f"U{pid}R{1 + k % 3}",
                        "headcount": 1,
                        "hours_each": Decimal(8),
                        "man_hours": Decimal(8),
                        "overtime_hours": Decimal(0),
                        "rate": Decimal(50),
                        "rate_unit": "h",
                        "cost": Decimal(400),
                        "currency": "CNY",
                        "source": "import",
                        "logged_by": f"U{pid}R2",
                        "approved": False,
                        "void": False,
                        "created_at": stamp,
                    }
                )
            if len(batch) >= 50_000:
                conn.execute(insert(LaborEntry), batch)
                batch = []
        if batch:
            conn.execute(insert(LaborEntry), batch)
    engine.dispose()


def _fake_process(conn: Any) -> None:
    with FakeSlack(team_id=TEAM) as fake:
        conn.send(fake.url)
        while True:
            command = conn.recv()
            if command == "calls":
                conn.send([(c.method, c.args, c.at) for c in fake.calls])
            elif command == "reset":
                fake.reset()
                conn.send(True)
            else:
                conn.send(True)
                return


class Machine:
    """CPU seconds of the whole machine and of the fake Slack's process over a phase (Linux /proc)."""

    def __init__(self, fake_pid: int) -> None:
        self._pid = fake_pid
        self._tick = os.sysconf("SC_CLK_TCK")

    def _read(self) -> tuple[float, float, float]:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        with open(f"/proc/{self._pid}/stat") as f:
            own = f.read().rsplit(")", 1)[1].split()
        idle = fields[3] + fields[4]
        return sum(fields) / self._tick, idle / self._tick, (int(own[11]) + int(own[12])) / self._tick

    def start(self) -> None:
        self._start = self._read()

    def stop(self) -> tuple[float, float]:
        """(the machine's busy share over the phase, the fake Slack's CPU seconds in it)."""
        total, idle, fake = self._read()
        t0, i0, f0 = self._start
        spent = total - t0
        return (1 - (idle - i0) / spent if spent else 0.0), fake - f0


class Fake:
    """The fake Slack in a child process, so its work does not share the measured process's GIL."""

    def __enter__(self) -> Fake:
        self._conn, child = mp.Pipe()
        self._proc = mp.get_context("fork").Process(target=_fake_process, args=(child,), daemon=True)
        self._proc.start()
        self.url: str = self._conn.recv()
        self.pid: int = self._proc.pid  # type: ignore[assignment]
        return self

    def calls(self) -> list[tuple[str, dict[str, Any], float]]:
        self._conn.send("calls")
        return self._conn.recv()  # type: ignore[no-any-return]

    def reset(self) -> None:
        self._conn.send("reset")
        self._conn.recv()

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._conn.recv()
        self._proc.join(5)


def replay(url: str, calls: list[tuple[str, dict[str, Any], float]], lanes: int) -> tuple[float, float]:
    """The same calls with slack_sdk alone, `lanes` threads as the tick has: a free thread takes the next
    channel with a call waiting, one call of a channel at a time, in order; seconds taken, and the CPU
    seconds this process spent."""
    client = WebClient(token="xoxb-bench", base_url=url)
    waiting: dict[str, deque[tuple[str, dict[str, Any]]]] = {}
    ready: deque[str] = deque()
    for method, args, _ in calls:
        if method not in ("chat.postMessage", "conversations.open"):
            continue
        where = str(args.get("channel") or args.get("users"))
        if where.startswith("D"):
            where = "U" + where[1:]  # a DM's open and post go one after the other
        if where not in waiting:
            waiting[where] = deque()
            ready.append(where)
        waiting[where].append((method, args))
    lock = threading.Lock()

    def run() -> None:
        while True:
            with lock:
                if not ready:
                    return
                where = ready.popleft()
                method, args = waiting[where].popleft()
            client.api_call(method, json=args)
            with lock:
                if waiting[where]:
                    ready.append(where)

    threads = [threading.Thread(target=run) for _ in range(lanes)]
    start, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, time.process_time() - cpu


def run(n: int, rows: int, url: str | None) -> float:
    if url is None:
        template = Path(tempfile.gettempdir()) / f"foreman-bench-tick-{n}-{rows}.db"
        if not template.exists():
            started = time.perf_counter()
            partial = template.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            upgrade(f"sqlite:///{partial}")
            seed(f"sqlite:///{partial}", n, rows)
            partial.rename(template)
            print(f"seeded {n} projects, {rows} labor rows in {time.perf_counter() - started:.1f} s")
        work = Path(tempfile.mkdtemp()) / "bench.db"
        shutil.copy(template, work)
        url = f"sqlite:///{work}"
        upgrade(url)  # a template seeded before the latest migration is brought up to date
    else:
        upgrade(url)
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM deliveries"))
            conn.execute(text("DELETE FROM channel_pace"))
            empty = conn.execute(text("SELECT count(*) FROM projects")).scalar() == 0
        engine.dispose()
        if empty:
            seed(url, n, rows)
    with Fake() as fake:
        settings = Settings(
            database_url=url,
            slack_bot_token="xoxb-bench",
            slack_signing_secret="s",
            slack_api_url=fake.url,
            foreman_scheduler="off",
            _env_file=None,
        )  # type: ignore[call-arg]
        services = build_services(settings)
        machine = Machine(fake.pid)
        machine.start()
        started, cpu = time.perf_counter(), time.process_time()
        mono = time.monotonic()
        posts = tick_module.tick(services, NOW)
        tick_s, tick_cpu = time.perf_counter() - started, time.process_time() - cpu
        tick_busy, tick_fake = machine.stop()
        calls = fake.calls()
        first = min((at for m, _, at in calls if m == "chat.postMessage"), default=mono) - mono
        fake.reset()
        machine.start()
        floor_s, floor_cpu = replay(fake.url, calls, tick_module.LANES)
        floor_busy, floor_fake = machine.stop()
        services.engine.dispose()
    dialect = url.split(":", 1)[0].split("+", 1)[0]
    made = sum(1 for m, _, _ in calls if m == "chat.postMessage")
    print(f"{n} projects, {rows} labor rows, {dialect}: {len(posts)} posts ({made} chat.postMessage)")
    print(
        f"  09:00 tick                          {tick_s:8.2f} s   first post after {first:.2f} s   "
        f"CPU {tick_cpu:.2f} s"
    )
    print(f"    machine {tick_busy:4.0%} busy, fake Slack's process CPU {tick_fake:.2f} s")
    print(
        f"  same calls, slack_sdk alone ({tick_module.LANES} lanes) {floor_s:8.2f} s   "
        f"ratio tick/floor {tick_s / floor_s:.2f}   CPU {floor_cpu:.2f} s"
    )
    print(f"    machine {floor_busy:4.0%} busy, fake Slack's process CPU {floor_fake:.2f} s")
    cores = os.cpu_count() or 1
    need = tick_cpu + tick_fake
    print(
        f"  the tick and the fake Slack used {need:.2f} CPU s: at least {need / cores:.2f} s on {cores} cores "
        f"even if spread perfectly, and at least {tick_cpu:.2f} s while the tick is one process; "
        f"1.5x the floor is {1.5 * floor_s:.2f} s"
    )
    return tick_s


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--history", action="store_true", help="1,000 projects with 100k then 1M labor rows: the ratio"
    )
    args = parser.parse_args()
    if args.history:
        if args.database_url:
            parser.error("--history runs on its own SQLite templates")
        short = run(1000, 100_000, None)
        long = run(1000, 1_000_000, None)
        print(
            f"history 1M / 100k rows, 1000 projects: tick {long:.2f} s / {short:.2f} s = {long / short:.2f}"
        )
        return 0
    for n in args.projects:
        run(n, args.rows, args.database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
