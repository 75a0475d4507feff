"""Acknowledgement latency and CPU of a signed `/log-labor 8h` through the real app, against a no-op Bolt app.

Both apps get the same signed slash-command payloads through `App.dispatch` (signature check, parsing,
authorization, listener), one at a time. Each request is a new person's entry (a new trigger id and user),
so every one is stored: ours parses the text and stores the entry in SQLite (through the group-commit
writer, as a worker does); the baseline acks with nothing. Prints p50/p99 in ms and the CPU per request
(the process's CPU time, the writer thread's included) for both, and the ratios.

    .venv/bin/python bench/bench_ack.py [--n 2000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from slack_bolt import App

from bot.app import build_app, build_services
from bot.config import Settings
from bot.console.fake_slack import FakeSlack
from bot.console.inline import InlineExecutor
from bot.console.payloads import Payloads
from storage.db import upgrade

SECRET = "bench-secret"


def timed(app: App, payloads: Payloads, bodies: list[str]) -> tuple[list[float], float]:
    """Wall ms of each request, and CPU ms per request over all of them."""
    requests = [payloads.request(body) for body in bodies]
    samples = []
    cpu = time.process_time()
    for request in requests:
        started = time.perf_counter()
        response = app.dispatch(request)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status == 200 and "L-" in response.body, response.body
    return samples, (time.process_time() - cpu) * 1000 / len(requests)


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
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
        ours = build_app(settings, services=build_services(settings), listener_executor=InlineExecutor())
        baseline = App(
            signing_secret=SECRET,
            process_before_response=True,
            token_verification_enabled=False,
            client=ours.client,
        )

        @baseline.command("/log-labor")
        def noop(ack) -> None:  # type: ignore[no-untyped-def]
            ack(text="L-0 ok")

        payloads = Payloads(secret=SECRET, team_id="TBENCH", response_base=fake.base)
        created = ours.dispatch(
            payloads.request(payloads.command_body("/project", "create Bench", user="U1", channel="C1"))
        )
        assert created.status == 200, created.body
        people = iter(range(10**9))

        def bodies(count: int) -> list[str]:
            return [
                payloads.command_body("/log-labor", "8h", user=f"U{next(people):08d}", channel="C1")
                for _ in range(count)
            ]

        timed(baseline, payloads, bodies(200))
        timed(ours, payloads, bodies(200))
        base, base_cpu = timed(baseline, payloads, bodies(n))
        our, our_cpu = timed(ours, payloads, bodies(n))
    (base_p50, base_p99), (our_p50, our_p99) = summary(base), summary(our)
    print(f"requests per app: {n} (each a new person's entry)")
    print(
        f"baseline (no-op Bolt ack): p50 {base_p50:.2f} ms  p99 {base_p99:.2f} ms  CPU {base_cpu:.3f} ms/request"
    )
    print(
        f"foreman /log-labor 8h    : p50 {our_p50:.2f} ms  p99 {our_p99:.2f} ms  CPU {our_cpu:.3f} ms/request"
    )
    print(f"ratio (ours / baseline): p50 {our_p50 / base_p50:.1f}  CPU {our_cpu / base_cpu:.1f}")


if __name__ == "__main__":
    main()
