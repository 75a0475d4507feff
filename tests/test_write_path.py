"""The write path: SQLite's single writer per process with group commit, and no acknowledged entry lost."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from bot.console.fake_slack import FakeSlack
from bot.console.payloads import Payloads
from storage.db import GroupCommit, make_engine
from storage.models import LaborEntry

SECRET = "kill-secret"


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT UNIQUE NOT NULL)"))
    yield engine
    engine.dispose()


def _note(body: str) -> object:
    def work(session: Session) -> str:
        session.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": body})
        return body

    return work


def _bodies(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(text("SELECT body FROM notes")))


def test_many_threads_each_get_their_own_result_once_committed(sqlite_engine: Engine) -> None:
    writer = GroupCommit(sqlite_engine)
    seen_after_return: list[bool] = []

    def one(n: int) -> str:
        body = writer.run(_note(f"n{n:03d}"))  # type: ignore[arg-type]
        # Committed before run returned: another connection sees it at once.
        with sqlite_engine.connect() as conn:
            seen_after_return.append(
                conn.execute(text("SELECT count(*) FROM notes WHERE body = :b"), {"b": body}).scalar() == 1
            )
        return body

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(200)))
    assert results == [f"n{n:03d}" for n in range(200)]
    assert all(seen_after_return) and len(seen_after_return) == 200
    assert _bodies(sqlite_engine) == results


def test_a_failing_request_rolls_back_alone(sqlite_engine: Engine) -> None:
    writer = GroupCommit(sqlite_engine)
    writer.run(_note("taken"))  # type: ignore[arg-type]
    gate = threading.Event()

    def slow_first(session: Session) -> str:
        gate.wait(5)  # hold the batch open so the next requests join it
        session.execute(text("INSERT INTO notes (body) VALUES ('first')"))
        return "first"

    def failing(session: Session) -> str:
        session.execute(text("INSERT INTO notes (body) VALUES ('half')"))
        session.execute(text("INSERT INTO notes (body) VALUES ('taken')"))  # unique: fails
        return "never"

    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(writer.run, slow_first)
        time.sleep(0.2)
        bad = pool.submit(writer.run, failing)
        good = pool.submit(writer.run, _note("third"))
        time.sleep(0.2)
        gate.set()
        assert first.result(10) == "first"
        with pytest.raises(Exception, match="UNIQUE"):
            bad.result(10)
        assert good.result(10) == "third"
    assert _bodies(sqlite_engine) == ["first", "taken", "third"]


def test_a_failed_commit_is_reported_to_every_request_of_the_batch(sqlite_engine: Engine) -> None:
    writer = GroupCommit(sqlite_engine)
    with sqlite_engine.begin() as conn:
        # Checked at COMMIT: every request of the batch must hear that nothing was stored.
        conn.execute(text("PRAGMA foreign_keys=ON"))
        conn.execute(
            text(
                "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES notes(id) "
                "DEFERRABLE INITIALLY DEFERRED)"
            )
        )

    def orphan(session: Session) -> str:
        session.execute(text("INSERT INTO child (parent) VALUES (999)"))
        return "orphan"

    with pytest.raises(Exception, match="FOREIGN KEY"):
        writer.run(orphan)
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM child")).scalar() == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: str, headers: dict[str, str]) -> str | None:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.read().decode() if response.status == 200 else None
    except (urllib.error.URLError, OSError):
        return None


def _worker_pids(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_killing_a_worker_mid_batch_keeps_every_acknowledged_entry(
    db_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": db_url,
        "SLACK_BOT_TOKEN": "xoxb-kill",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_slack.url,
        "FOREMAN_SCHEDULER": "off",
        "FOREMAN_LOG_LEVEL": "ERROR",
    }
    env.pop("SLACK_APP_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        payloads = Payloads(secret=SECRET, team_id="T0KILL", response_base=fake_slack.base)
        create = payloads.command_body("/project", "create KILL budget 5000", user="U0PM", channel="CK")
        assert _post(f"{base}/slack/events", create, payloads.headers(create)) is not None

        acked: dict[str, int] = {}
        lock = threading.Lock()
        stop = threading.Event()

        def client(k: int) -> None:
            n = 0
            while not stop.is_set():
                user = f"UK{k:02d}N{n:04d}"
                n += 1
                body = payloads.command_body("/log-labor", "8h", user=user, channel="CK")
                reply = _post(f"{base}/slack/events", body, payloads.headers(body))
                found = re.search(r"L-(\d+)", json.loads(reply)["text"]) if reply else None
                if found:
                    with lock:
                        acked[user] = int(found.group(1))

        with ThreadPoolExecutor(12) as pool:
            for k in range(12):
                pool.submit(client, k)
            while len(acked) < 40:
                time.sleep(0.05)
            workers = _worker_pids(proc.pid)
            assert workers
            for pid in workers:
                os.kill(pid, signal.SIGKILL)  # mid-stream: batches are being written and acknowledged
            before_kill = len(acked)
            time.sleep(1.5)  # the master starts a new worker; clients carry on against it
            stop.set()
        assert before_kill >= 40
    finally:
        proc.terminate()
        proc.wait(timeout=15)

    engine = make_engine(db_url)
    with Session(engine) as session:
        stored = {(e.user_id, e.number) for e in session.exec(select(LaborEntry)).all()}
    engine.dispose()
    missing = {(user, number) for user, number in acked.items()} - stored
    assert missing == set()
    assert len({user for user, _ in stored}) == len(stored)  # nobody's entry stored twice
