"""A local fake of the Slack Web API that records every call; used by the console and the tests."""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER_ID = "UFOREMAN0"
BOT_ID = "BFOREMAN0"


@dataclass
class Call:
    """One request the fake server received."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    response: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Failure:
    status: int
    retry_after: int | None
    times: int
    # http: answer `status` before reading the request; error: HTTP 200 with ok=false and `error`;
    # reset / timeout: accept the call (the message exists), then reset the connection / never answer.
    mode: str = "http"
    error: str | None = None
    delay: float = 0.0
    channel: str | None = None  # only calls to this channel (error mode)


class _Server(ThreadingHTTPServer):
    # Clients open a connection per call (slack_sdk does): with the default listen backlog of 5, a burst
    # of parallel calls overflows it and a dropped SYN is retried a whole second later.
    request_queue_size = 128


class FakeSlack:
    """A threaded HTTP server on 127.0.0.1, port 0; `url` ends in /api/ as SLACK_API_URL expects."""

    def __init__(
        self, *, team_id: str = "T0FOREMAN", team: str = "Foreman Demo", poll_interval: float = 0.5
    ) -> None:
        """`poll_interval`: how often the serving thread looks for `stop()`; stop waits up to that long
        (tests, which start and stop one server each, pass a short one)."""
        self.team_id = team_id
        self.team = team
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.refused: list[Call] = []
        self.files: dict[str, bytes] = {}  # shared files served at /files/<id>/<name> (url_private)
        self._failures: dict[str, list[_Failure]] = {}
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self.down = False
        self.invalid: list[tuple[str, list[str]]] = []  # payloads Slack would refuse (see validate)
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(poll_interval,), name="fake-slack", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/api/"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_user(
        self, user_id: str, *, name: str | None = None, is_admin: bool = False, tz: str = "Asia/Shanghai"
    ) -> None:
        """Make users.info know a user."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name or user_id.lower(),
            "real_name": name or user_id,
            "is_admin": is_admin,
            "is_owner": False,
            "is_bot": False,
            "tz": tz,
            "profile": {"display_name": name or user_id, "real_name": name or user_id},
        }

    def fail_next(
        self, method: str, *, status: int = 429, retry_after: int | None = 1, times: int = 1
    ) -> None:
        """Answer the next `times` calls of `method` with an HTTP error (429 carries Retry-After)."""
        with self._lock:
            self._failures.setdefault(method, []).append(_Failure(status, retry_after, times))

    def refuse_next(self, method: str, error: str, *, times: int = 1, channel: str | None = None) -> None:
        """Answer the next `times` calls of `method` (to `channel`, if given) with HTTP 200 and
        {"ok": false, "error": error}; such calls are kept in `refused`, not in `calls`."""
        with self._lock:
            self._failures.setdefault(method, []).append(
                _Failure(200, None, times, "error", error, channel=channel)
            )

    def drop_next(self, method: str, *, mode: str = "reset", delay: float = 2.0, times: int = 1) -> None:
        """Accept the next `times` calls of `method` (Slack has the message), then lose the answer:
        `reset` closes the connection abruptly, `timeout` answers nothing for `delay` seconds."""
        if mode not in ("reset", "timeout"):
            raise ValueError(mode)
        with self._lock:
            self._failures.setdefault(method, []).append(_Failure(200, None, times, mode, delay=delay))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until `method` was called at least `count` times; return its calls."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count or time.monotonic() >= deadline:
                    return found
                self._cond.wait(max(0.0, deadline - time.monotonic()))

    def _take_failure(
        self, method: str, modes: tuple[str, ...], args: dict[str, Any] | None = None
    ) -> _Failure | None:
        with self._lock:
            queue = self._failures.get(method)
            if not queue or queue[0].mode not in modes:
                return None
            wanted = queue[0].channel
            if wanted is not None and (args is None or args.get("channel") != wanted):
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def _record(self, call: Call) -> _Failure | None:
        failure = self._take_failure(call.method, ("error", "reset", "timeout"), call.args)
        with self._cond:
            (self.refused if failure is not None and failure.mode == "error" else self.calls).append(call)
            self._cond.notify_all()
        return failure

    def next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """The JSON body a real Slack would return for a successful call."""
        ok: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            return ok | {
                "url": "https://foreman-demo.slack.com/",
                "team": self.team,
                "user": "foreman",
                "team_id": self.team_id,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.update", "chat.scheduleMessage"):
            ts = args.get("ts") or self.next_ts()
            if method == "chat.postMessage":
                self._keep(args, ts)
            return ok | {
                "channel": args.get("channel"),
                "ts": ts,
                "message": {"text": args.get("text"), "ts": ts, "bot_id": BOT_ID},
            }
        if method == "chat.postEphemeral":
            return ok | {"message_ts": self.next_ts()}
        if method == "chat.getPermalink":
            return ok | {"permalink": f"https://foreman-demo.slack.com/archives/{args.get('channel')}/p1"}
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            view = args.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            return ok | {"view": (view or {}) | {"id": f"V{next(self._ts)}"}}
        if method == "users.info":
            user = self.users.get(str(args.get("user")))
            if user is None:
                user = {
                    "id": args.get("user"),
                    "team_id": self.team_id,
                    "name": str(args.get("user")).lower(),
                    "is_admin": False,
                    "is_bot": False,
                    "tz": "Asia/Shanghai",
                    "profile": {"display_name": args.get("user"), "real_name": args.get("user")},
                }
            return ok | {"user": user}
        if method == "users.list":
            return ok | {"members": list(self.users.values()), "response_metadata": {"next_cursor": ""}}
        if method == "conversations.open":
            users = str(args.get("users", ""))
            return ok | {"channel": {"id": "D" + users.split(",")[0][1:]}}
        if method == "conversations.history":
            return ok | self._history(args)
        if method == "conversations.info":
            return ok | {"channel": {"id": args.get("channel"), "name": "project", "is_member": True}}
        if method == "conversations.members":
            return ok | {"members": sorted(self.users), "response_metadata": {"next_cursor": ""}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return ok | {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            if isinstance(files, str):
                files = json.loads(files)
            return ok | {"files": [{"id": f["id"], "title": f.get("title")} for f in files or []]}
        return ok

    def _keep(self, args: dict[str, Any], ts: str) -> None:
        message = {"type": "message", "ts": ts, "text": args.get("text"), "bot_id": BOT_ID}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        if isinstance(args.get("metadata"), dict):
            message["metadata"] = args["metadata"]
        with self._lock:
            self.history.setdefault(str(args.get("channel")), []).append(message)

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; metadata only when asked for with include_all_metadata (as Slack does)."""
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        oldest = float(args.get("oldest") or 0)
        limit = int(args.get("limit") or 100)
        with self._lock:
            found = [
                dict(m) for m in self.history.get(str(args.get("channel")), []) if float(m["ts"]) > oldest
            ]
        found.reverse()
        if not with_metadata:
            for m in found:
                m.pop("metadata", None)
        return {"messages": found[:limit], "has_more": len(found) > limit}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSlack
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        path = urlparse(self.path).path
        headers = {k.lower(): v for k, v in self.headers.items()}
        early = None
        if path.startswith("/api/") and not self.fake.down:
            early = self.fake._take_failure(path.removeprefix("/api/"), ("http",))
        if early is not None:
            # Answered before the request was read: Slack never saw the call.
            self._fail(early)
            self.rfile.read(length)
            return
        raw = self.rfile.read(length)
        if path.startswith("/upload/"):
            file_id = path.rsplit("/", 1)[1]
            self.fake.uploads[file_id] = raw
            self.fake._record(Call("upload", {"file_id": file_id, "size": len(raw)}, headers))
            self._send(200, b"OK - " + str(len(raw)).encode(), "text/plain")
            return
        if path.startswith("/files/"):
            data = self.fake.files.get(path.split("/")[2])
            authorized = headers.get("authorization", "").startswith("Bearer xox")
            self.fake._record(Call("file_download", {"path": path, "authorized": authorized}, headers))
            if data is None or not authorized:
                self._send(404, b"not found", "text/plain")
                return
            self._send(200, data, "application/octet-stream")
            return
        if path.startswith("/response/"):
            args = json.loads(raw or b"{}")
            args["response_url"] = path
            self.fake._record(Call("response_url", args, headers))
            self._send(200, b"ok", "text/plain")
            return
        method = path.removeprefix("/api/")
        args = self._args(raw, headers)
        if self.fake.down:
            self._send(503, b"down", "text/plain")
            return
        call = Call(method, args, headers)
        refused = validate(self.fake, method, args)
        if refused is not None:
            self.fake._record(call)
            call.response = refused
            self._send(200, json.dumps(refused).encode(), "application/json")
            return
        failure = self.fake._record(call)
        if failure is not None and failure.mode == "error":
            call.response = {"ok": False, "error": failure.error}
            self._send(200, json.dumps(call.response).encode(), "application/json")
            return
        answer = self.fake.answer(method, args)
        call.response = answer
        if failure is not None:
            self._lose_answer(failure)
            return
        self._send(200, json.dumps(answer).encode(), "application/json")

    def _fail(self, failure: _Failure) -> None:
        extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
        body = json.dumps({"ok": False, "error": "ratelimited" if failure.status == 429 else "fatal_error"})
        self._send(failure.status, body.encode(), "application/json", extra)

    def _lose_answer(self, failure: _Failure) -> None:
        """The call was accepted; its answer never arrives (reset now, or silence for `delay` seconds)."""
        if failure.mode == "timeout":
            time.sleep(failure.delay)
        else:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()

    do_GET = do_POST

    def _args(self, raw: bytes, headers: dict[str, str]) -> dict[str, Any]:
        ctype = headers.get("content-type", "")
        args: dict[str, Any] = {}
        if "json" in ctype and raw:
            args = json.loads(raw)
        elif raw:
            args = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
        query = parse_qs(urlparse(self.path).query)
        args.update({k: v[0] for k, v in query.items()})
        for key in ("blocks", "view", "attachments", "metadata"):
            if isinstance(args.get(key), str):
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(args[key])
        return args

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


# --- Block Kit validation (issue 12): what real Slack refuses, the fake refuses too -----------------------

SPECIAL_MENTIONS = ("<!channel>", "<!here>", "<!everyone>", "<!channel|", "<!here|", "<!everyone|")


def validate(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to a payload it would refuse (None when it is fine); refusals are kept in
    `fake.invalid` so a test run can fail on any of them. Foreman never means @channel, @here or
    @everyone, so a payload containing one is refused too."""
    from bot.views.mrkdwn import problems

    found = problems(method, args)
    text = json.dumps(_rendered(args), ensure_ascii=False)
    found += [f"special mention {m}" for m in SPECIAL_MENTIONS if m in text]
    if not found:
        return None
    with fake._lock:
        fake.invalid.append((method, found))
    return {"ok": False, "error": "invalid_blocks", "errors": found}


def _rendered(value: Any, key: str = "") -> list[str]:
    """The strings Slack renders as mrkdwn (where a mention would ping): message text, file comments and
    mrkdwn text objects; plain_text and input values are shown as typed."""
    if isinstance(value, str):
        if key in ("blocks", "view"):
            with contextlib.suppress(ValueError):
                return _rendered(json.loads(value))
        return [value] if key in ("text", "initial_comment") else []
    if isinstance(value, list):
        return [s for item in value for s in _rendered(item)]
    if isinstance(value, dict):
        if value.get("type") == "plain_text":
            return []
        return [s for k, v in value.items() for s in _rendered(v, k)]
    return []
