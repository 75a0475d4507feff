"""Signed `/log-labor` over HTTP: gunicorn 2 workers × 8 threads running Foreman vs a no-op Bolt app.

A third app on the same server, the *bare write*, shows the ceiling any app of this shape can reach: its
listener parses nothing and checks nothing, it only makes the durable write an entry needs (claim the
delivery, read the person's day, take the project's next number, insert the row, commit before the ack)
with the driver alone: on SQLite through one writer thread per worker with group commit, on PostgreSQL
as one autocommitted statement per request. It writes its own narrow tables (`bench_*`) in the same
database, so it is cheaper than any real entry, never dearer.

The load generator is wrk (apt install wrk): 2 threads × 8 keep-alive connections = 16 concurrent clients,
each wrk thread sending its own disjoint list of unique signed requests (unique trigger_id and user, so
each is a new entry), counting the replies that acknowledge a stored entry. Afterwards every acknowledged
entry is counted in the database: none lost, none stored twice. Runs on SQLite and, when reachable,
PostgreSQL.

    .venv/bin/python bench/bench_http.py [--seconds 10] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "bench-secret"
TEAM = "T0BENCH"
CHANNEL = "C0BENCH"
THREADS = 2
CONNECTIONS = 16
# Requests per wrk thread: more than a run can send, so no request repeats (one Lua table of strings).
PER_THREAD = 30_000
WARM_UP = 3

LUA = r"""
local counter = 0
ids_file = os.getenv("BENCH_IDS")
local threads = {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  reqs = dofile(args[1] .. "/reqs_" .. id .. ".lua")
  i = 0
  acked = 0
  other = 0
  ids = {}
end
function request()
  i = i + 1
  if i > #reqs then i = 1 end
  return reqs[i]
end
function response(status, headers, body)
  local n = status == 200 and string.match(body, "L%-(%d+)")
  if n then
    acked = acked + 1
    ids[acked] = tonumber(n)
  else
    other = other + 1
  end
end
function done(summary, latency, requests)
  local a, o, sent = 0, 0, 0
  local f = io.open(ids_file, "w")
  for _, t in ipairs(threads) do
    a = a + t:get("acked")
    o = o + t:get("other")
    sent = sent + t:get("i")
    for _, n in ipairs(t:get("ids")) do f:write(n, "\n") end
  end
  f:close()
  io.write(string.format("ACKED %d OTHER %d SENT %d\n", a, o, sent))
  io.write(string.format("P50 %.3f P99 %.3f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lua_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def write_requests(folder: Path, run: str) -> None:
    """PER_THREAD unique signed requests per wrk thread, each thread its own file (disjoint users)."""
    from bot.console.payloads import sign

    ts = int(time.time())
    for thread in range(THREADS):
        lines = ["return {"]
        for n in range(PER_THREAD):
            user = f"U{run}T{thread}N{n:06d}"
            body = (
                f"token=x&team_id={TEAM}&team_domain=bench&channel_id={CHANNEL}&channel_name=bench"
                f"&user_id={user}&user_name={user.lower()}&command=%2Flog-labor&text=8h"
                f"&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fr&trigger_id={run}.{thread}.{n}"
                f"&api_app_id=A0BENCH"
            )
            headers = sign(SECRET, body, ts) | {
                "Content-Type": "application/x-www-form-urlencoded",
                "Host": "127.0.0.1",
                "Content-Length": str(len(body)),
            }
            raw = "POST /slack/events HTTP/1.1\r\n"
            raw += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n" + body
            lines.append(_lua_string(raw) + ",")
        lines.append("}")
        (folder / f"reqs_{thread}.lua").write_text("\n".join(lines))
    (folder / "bench.lua").write_text(LUA)


BARE_TABLES = (
    "CREATE TABLE bench_claims (id VARCHAR(64) PRIMARY KEY)",
    "CREATE TABLE bench_rows (id {serial} PRIMARY KEY, project INTEGER NOT NULL, person VARCHAR(32) NOT NULL,"
    " day VARCHAR(10) NOT NULL, hours INTEGER NOT NULL, number INTEGER NOT NULL)",
    "CREATE INDEX bench_rows_person ON bench_rows (project, person, day)",
    "CREATE UNIQUE INDEX bench_rows_number ON bench_rows (project, number)",
    "CREATE TABLE bench_counters (project INTEGER PRIMARY KEY, number INTEGER NOT NULL)",
    "INSERT INTO bench_counters VALUES (1, 0)",
)

# PostgreSQL: the whole write in one statement (one round trip, committed on its own).
BARE_PG = (
    "WITH claimed AS (INSERT INTO bench_claims VALUES (%(trigger)s) RETURNING 1),"
    " day AS (SELECT coalesce(sum(hours), 0) AS hours FROM bench_rows"
    " WHERE project = 1 AND person = %(person)s AND day = '2026-11-28'),"
    " next AS (UPDATE bench_counters SET number = number + 1 WHERE project = 1 RETURNING number)"
    " INSERT INTO bench_rows (project, person, day, hours, number)"
    " SELECT 1, %(person)s, '2026-11-28', 8, next.number FROM claimed, day, next RETURNING number"
)


def _bare_tables(url: str) -> None:
    from sqlalchemy import text

    from storage.db import make_engine

    engine = make_engine(url)
    serial = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
    with engine.begin() as conn:
        for statement in BARE_TABLES:
            conn.execute(text(statement.format(serial=serial)))
    engine.dispose()


def _bare_write(url: str) -> Any:
    """`write(trigger_id, person) -> number`: the bare durable write, for one worker."""
    import queue
    import threading

    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # as Foreman's own connections
        conn.execute(
            "PRAGMA busy_timeout=0"
        )  # the writer polls for the lock instead (SQLite's backoff convoys)
        jobs: queue.SimpleQueue[list[Any]] = queue.SimpleQueue()

        def one(trigger: str, person: str) -> int:
            conn.execute("SAVEPOINT entry")
            conn.execute("INSERT INTO bench_claims VALUES (?)", (trigger,))
            conn.execute(
                "SELECT coalesce(sum(hours), 0) FROM bench_rows WHERE project = 1 AND person = ? AND day = ?",
                (person, "2026-11-28"),
            ).fetchone()
            number = conn.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM bench_rows WHERE project = 1"
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO bench_rows (project, person, day, hours, number) VALUES (1, ?, ?, 8, ?)",
                (person, "2026-11-28", number),
            )
            conn.execute("RELEASE entry")
            return int(number)

        def writer() -> None:
            while True:
                batch = [jobs.get()]
                while len(batch) < 64:
                    try:
                        batch.append(jobs.get_nowait())
                    except queue.Empty:
                        break
                while True:  # the other worker's batch holds the write lock: poll, as Foreman's writer
                    try:
                        conn.execute("BEGIN IMMEDIATE")
                        break
                    except sqlite3.OperationalError:
                        time.sleep(0.001)
                for job in batch:
                    job[2] = one(job[0], job[1])
                conn.execute("COMMIT")
                for job in batch:
                    job[3].release()

        threading.Thread(target=writer, daemon=True).start()

        def write(trigger: str, person: str) -> int:
            done = threading.Lock()
            done.acquire()
            job = [trigger, person, 0, done]
            jobs.put(job)
            done.acquire()
            return int(job[2])

        return write

    import psycopg

    pool: queue.SimpleQueue[Any] = queue.SimpleQueue()
    for _ in range(8):
        pool.put(psycopg.connect(url.replace("+psycopg", ""), autocommit=True))

    def write_pg(trigger: str, person: str) -> int:
        conn = pool.get()
        try:
            return int(conn.execute(BARE_PG, {"trigger": trigger, "person": person}).fetchone()[0])
        finally:
            pool.put(conn)

    return write_pg


def serve(kind: str, url: str, port: int, fake_url: str) -> None:
    """Run gunicorn 2×8 with Foreman, a no-op Bolt app or the bare write (in this process; for --serve)."""
    from slack_bolt import Ack, App

    from bot.app import build_app, build_services
    from bot.config import Settings
    from bot.wsgi import ForemanWSGI, GunicornServer

    settings = Settings(
        database_url=url,
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url=fake_url,
        foreman_scheduler="off",
        _env_file=None,
    )  # type: ignore[call-arg]

    def factory() -> object:
        services = build_services(settings)
        if kind == "foreman":
            return ForemanWSGI(build_app(settings, services=services))
        app = App(
            signing_secret=SECRET,
            token="xoxb-bench",
            token_verification_enabled=False,
            process_before_response=True,
        )

        app.client.base_url = fake_url
        if kind == "bare":
            write = _bare_write(url)

            @app.command("/log-labor")
            def bare(ack: Ack, body: dict[str, Any]) -> None:
                ack(text=f"L-{write(body['trigger_id'], body['user_id'])} ok")

        else:

            @app.command("/log-labor")
            def noop(ack: Ack) -> None:
                ack(text="L-0 ok")

        app._foreman_services = services  # type: ignore[attr-defined]
        return ForemanWSGI(app)

    GunicornServer(factory, host="127.0.0.1", port=port, workers=2).run()


def _start(kind: str, url: str, fake_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", kind, "--url", url, "--port", str(port), "--fake", fake_url],
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{kind} server did not start")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def _wrk(base: str, folder: Path, seconds: int) -> dict[str, Any]:
    ids_file = folder / "acked.txt"
    out = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(folder / "bench.lua"),
            base,
            "--",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"BENCH_IDS": str(ids_file)},
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    acked, other, sent = map(int, re.search(r"ACKED (\d+) OTHER (\d+) SENT (\d+)", out).groups())  # type: ignore[union-attr]
    p50, p99 = map(float, re.search(r"P50 ([\d.]+) P99 ([\d.]+)", out).groups())  # type: ignore[union-attr]
    ids = [int(line) for line in ids_file.read_text().split()]
    return {"rate": rate, "acked": acked, "other": other, "sent": sent, "p50": p50, "p99": p99, "ids": ids}


def _prepare(url: str, fake_url: str) -> None:
    """A migrated database with the bench project (created through the app, as a pm would)."""
    from bot.app import build_app, build_services
    from bot.config import Settings
    from bot.console.payloads import Payloads
    from storage.db import upgrade

    upgrade(url)
    settings = Settings(
        database_url=url,
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url=fake_url,
        foreman_scheduler="off",
        _env_file=None,
    )  # type: ignore[call-arg]
    app = build_app(settings, services=build_services(settings))
    from slack_bolt.request import BoltRequest

    payloads = Payloads(secret=SECRET, team_id=TEAM, response_base=fake_url.removesuffix("/api/"))
    body = payloads.command_body("/project", "create BENCH budget 100000000", user="U0PM", channel=CHANNEL)
    response = app.dispatch(BoltRequest(body=body, headers=payloads.headers(body)))
    assert response.status == 200, response.body


def _stored(url: str, run: str) -> tuple[list[int], int]:
    """(numbers (L-n) of the entries stored by this run, distinct people among them)."""
    from sqlalchemy import text

    from storage.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT number, user_id FROM labor_entries WHERE user_id LIKE :p"), {"p": f"U{run}T%"}
        ).all()
    engine.dispose()
    return [int(r[0]) for r in rows], len({r[1] for r in rows})


def measure(label: str, url: str, folder: Path, seconds: int, fake_url: str) -> None:
    _prepare(url, fake_url)
    _bare_tables(url)
    results = {}
    for kind in ("noop", "bare", "foreman"):
        run = uuid.uuid4().hex[:6].upper()
        write_requests(folder, run)
        proc, base = _start(kind, url, fake_url)
        try:
            _wrk(base, folder, WARM_UP)  # imports, caches and connections warm; its entries are not counted
            run = uuid.uuid4().hex[:6].upper()
            write_requests(folder, run)
            results[kind] = _wrk(base, folder, seconds) | {"run": run}
        finally:
            _stop(proc)
    noop, bare, ours = results["noop"], results["bare"], results["foreman"]
    stored, people = _stored(url, ours["run"])
    acked = set(ours["ids"])
    lost = acked - set(stored)
    twice = len(stored) - people
    # Entries stored but not counted as acknowledged are the requests in flight when wrk stopped.
    verdict = "none lost, none twice" if not lost and not twice and len(acked) == ours["acked"] else "FAILED"
    print(f"{label}: gunicorn 2x8, wrk {THREADS} threads x {CONNECTIONS} connections, {seconds} s")
    print(
        f"  no-op Bolt app      {noop['rate']:8.0f} req/s   p50 {noop['p50']:6.2f} ms   p99 {noop['p99']:6.2f} ms"
    )
    print(
        f"  bare durable write  {bare['rate']:8.0f} req/s   p50 {bare['p50']:6.2f} ms   p99 {bare['p99']:6.2f} ms"
        f"   ratio {bare['rate'] / noop['rate']:.2f}"
    )
    print(
        f"  Foreman /log-labor  {ours['rate']:8.0f} req/s   p50 {ours['p50']:6.2f} ms   p99 {ours['p99']:6.2f} ms"
        f"   ratio {ours['rate'] / noop['rate']:.2f}"
    )
    print(
        f"  acknowledged entries {ours['acked']}, other replies {ours['other']}; stored {len(stored)} for "
        f"{people} people; acknowledged but missing {len(lost)}; stored twice {twice}; "
        f"in flight at the stop {len(set(stored) - acked)}: {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--serve", default=None)
    parser.add_argument("--url", default=None)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fake", default=None)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.url, args.port, args.fake)
        return 0
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt install wrk)")
    from bot.console.fake_slack import FakeSlack

    folder = Path(tempfile.mkdtemp())
    with FakeSlack(team_id=TEAM) as fake:
        measure("SQLite", f"sqlite:///{folder}/bench.db", folder, args.seconds, fake.url)
        try:
            import psycopg

            name = f"foreman_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except Exception as exc:
            print(f"PostgreSQL skipped: {exc}")
            return 0
        base = args.pg.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        try:
            measure("PostgreSQL", f"{base}/{name}", folder, args.seconds, fake.url)
        finally:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
