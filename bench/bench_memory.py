"""Resident memory of one worker after 1k and after 100k signed `/log-labor` requests.

The requests go through the real app (`App.dispatch`, SQLite file, the group-commit writer) from 8 threads,
like one gunicorn worker's 8 threads; each is a new entry (unique trigger_id and user). The ratio of the
RSS after the last request to the RSS after the first 1,000 is the figure (goal ≤ 1.2).

    .venv/bin/python bench/bench_memory.py [--requests 100000]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt.request import BoltRequest  # noqa: E402

from bot.app import build_app, build_services  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.fake_slack import FakeSlack  # noqa: E402
from bot.console.payloads import Payloads  # noqa: E402
from storage.db import upgrade  # noqa: E402

SECRET = "bench-secret"
THREADS = 8  # a gunicorn worker's threads (bot.wsgi.THREADS)


def rss_mb(kind: str = "VmRSS") -> float:
    """Resident MB of this process (VmRSS; RssAnon: heap; RssFile: mapped files such as SQLite's -shm)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {kind}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--first", type=int, default=1_000)
    args = parser.parse_args()
    with FakeSlack(team_id="TBENCH") as fake, tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        settings = Settings(
            database_url=url,
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=fake.url,
            foreman_scheduler="off",
            _env_file=None,
        )  # type: ignore[call-arg]
        app = build_app(settings, services=build_services(settings))
        payloads = Payloads(secret=SECRET, team_id="TBENCH", response_base=fake.base)

        def send(n: int) -> bool:
            text = "create Bench" if n < 0 else "8h"
            command = "/project" if n < 0 else "/log-labor"
            body = payloads.command_body(command, text, user=f"U{max(n, 0):07d}", channel="C1")
            response = app.dispatch(BoltRequest(body=body, headers=payloads.headers(body)))
            return response.status == 200 and "L-" in response.body

        def lane(numbers: range) -> int:
            return sum(send(n) for n in numbers)

        def run(pool: ThreadPoolExecutor, start: int, end: int) -> int:
            # Each thread sends every THREADS-th request in turn, so at most THREADS are in flight, as in a
            # worker. (Executor.map would create every request's Future up front: 100k of them take
            # ~190 MB of heap, and the allocator keeps much of it after they are gone.)
            return sum(pool.map(lane, [range(start + i, end, THREADS) for i in range(THREADS)]))

        send(-1)
        started = time.perf_counter()
        with ThreadPoolExecutor(THREADS) as pool:
            ok = run(pool, 0, args.first)
            gc.collect()
            first, first_anon = rss_mb(), rss_mb("RssAnon")
            ok += run(pool, args.first, args.requests)
            gc.collect()
            last, last_anon = rss_mb(), rss_mb("RssAnon")
        elapsed = time.perf_counter() - started
    print(
        f"{args.requests} requests ({ok} entries stored) in {elapsed:.0f} s through App.dispatch, {THREADS} threads"
    )
    print(f"RSS after {args.first:>7} requests {first:7.1f} MB   (heap {first_anon:.1f} MB)")
    print(
        f"RSS after {args.requests:>7} requests {last:7.1f} MB   (heap {last_anon:.1f} MB)   "
        f"ratio {last / first:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
