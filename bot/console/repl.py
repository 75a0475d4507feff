"""`foreman console`: type slash commands and messages, see what Foreman answers and posts."""

from __future__ import annotations

import json
import secrets
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from bot.app import build_app, build_services, services_of
from bot.clock import Clock, ClockError, parse_instant, write_instant
from bot.config import Settings
from bot.console import extras
from bot.console.fake_slack import FakeSlack
from bot.console.inline import InlineExecutor
from bot.console.payloads import Payloads
from bot.console.render import blocks_to_lines
from storage.types import use_clock

TEAM_ID = "T0CONSOLE"
_SHOWN = {
    "chat.postMessage", "chat.postEphemeral", "chat.update", "response_url", "views.open", "views.push",
    "views.update", "views.publish", "files.completeUploadExternal",
}  # fmt: skip
HELP = """\
Type what a user would type in Slack:
  /project create Demo budget 100000 CNY     a slash command (/project /log-labor /expense /funds /task /risk /report)
  钢筋班 5人 8小时                             a channel message (Foreman reads project channels)
Console commands:
  :user U123        act as another Slack user (:user U123 admin makes a workspace admin;
                    :user U2 ana names U2 "ana", so @ana in what you type mentions U2)
  :channel C123     move to another channel
  :click N          press button N of the last replies
  :edit TEXT        edit your last message      :delete   delete your last message
  :reply TEXT       answer in the thread of Foreman's last channel post (e.g. the meeting prompt)
  :dm TEXT          send TEXT to Foreman as a direct message (e.g. a standup answer)
  :home             open the App Home tab
  :tick [ISO]       run the scheduler tick (now, or at an ISO-8601 instant such as 2026-11-27T09:00+08:00)
  :now ISO          set the clock for everything (records, replies, buttons, ticks); :now off: the wall clock
  :help             this help                   :quit     leave
Files Foreman uploads (charts, exports) are also written under ./foreman-files/ and their paths printed.
"""


class Console:
    """The real app, fed signed payloads, talking to a local fake Slack; output goes to `out`."""

    def __init__(
        self,
        settings: Settings,
        *,
        users: list[str] | None = None,
        channels: list[str] | None = None,
        out: Callable[[str], None] = print,
    ) -> None:
        self.fake = FakeSlack(team_id=TEAM_ID).start()
        secret = secrets.token_hex(16)
        self.settings = settings.model_copy(
            update={
                "slack_api_url": self.fake.url,
                "slack_bot_token": "xoxb-console",
                "slack_signing_secret": secret,
                "slack_app_token": None,
                "slack_client_id": None,
                "slack_client_secret": None,
                "slack_state_secret": None,
            }
        )
        # The console's clock: the test clock file when set, else the wall clock until `:now` moves it.
        self.clock = Clock(settings.foreman_clock_file)
        self.private_clock: Path | None = None
        self.services = build_services(self.settings, clock=self.clock)
        use_clock(self.clock)
        self.app = build_app(self.settings, services=self.services, listener_executor=InlineExecutor())
        self.payloads = Payloads(secret=secret, team_id=TEAM_ID, response_base=self.fake.base)
        self.users = users or ["U0CONSOLE1"]
        self.user = self.users[0]
        self.channel = (channels or ["C0CONSOLE1"])[0]
        self.out = out
        self.buttons: list[dict[str, Any]] = []
        self.seen = 0  # how many of the fake server's calls have been shown
        self.last_post: dict[str, str] = {}  # Foreman's last top-level post, for :reply
        self.last_message: dict[str, str] = {}
        self.names: dict[str, str] = {}  # lower-case console name → user id, for @name mentions
        self.files_dir = extras.FILES_DIR
        for user in self.users:
            self.fake.add_user(user)
        self.scheduler = None
        if settings.foreman_scheduler == "on":
            from bot.scheduler.runner import start

            self.scheduler = start(self.services, watch_clock=True)

    def close(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        self.fake.stop()
        use_clock(None)
        if self.private_clock is not None:
            shutil.rmtree(self.private_clock.parent, ignore_errors=True)

    def handle(self, line: str) -> bool:
        """Act on one typed line; False when the user wants to leave."""
        line = line.strip()
        self._show_background()
        if not line:
            return True
        if line.startswith(":"):
            return self._console_command(line)
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            text = extras.mentions(text.strip(), self.names, command=True)
            body = self.payloads.command_body(command, text, user=self.user, channel=self.channel)
        else:
            line = extras.mentions(line, self.names, command=False)
            ts = self.fake.next_ts()
            self.last_message = {"ts": ts, "text": line}
            body = self.payloads.message_event(line, user=self.user, channel=self.channel, ts=ts)
        self._dispatch(body)
        return True

    def _dispatch(self, body: str) -> None:
        response = self.app.dispatch(self.payloads.request(body))
        self.buttons = []
        if response.status != 200:
            self.out(f"(Slack would show an error: HTTP {response.status})")
        elif response.body:
            self._show_payload("reply", _json(response.body))
        self._show_new_calls()

    def _show_new_calls(self) -> None:
        """Show the Web API calls made since the last look (replies, posts, uploads)."""
        calls = self.fake.calls[self.seen :]
        self.seen += len(calls)
        for call in calls:
            channel = str(call.args.get("channel") or "")
            # :reply answers in a channel thread; DMs (prompts, nudges) start with D.
            if (
                call.method == "chat.postMessage"
                and not call.args.get("thread_ts")
                and not channel.startswith("D")
            ):
                self.last_post = {
                    "channel": str(call.args.get("channel")),
                    "ts": str(call.response.get("ts")),
                }
            self._show_call(call.method, call.args, call.response)

    def _show_background(self) -> None:
        """Posts the in-process scheduler made while the console waited for input."""
        if any(c.method in _SHOWN for c in self.fake.calls[self.seen :]):
            self.out("── meanwhile, the scheduler ──")
        self._show_new_calls()

    def _show_payload(self, label: str, payload: dict[str, Any]) -> None:
        if payload.get("response_action") == "errors":
            for field, message in (payload.get("errors") or {}).items():
                self.out(f"  ! {field}: {message}")
            return
        visibility = (
            "only you see this" if payload.get("response_type", "ephemeral") == "ephemeral" else "channel"
        )
        self.out(f"── {label} ({visibility}) ──")
        self._show_message(payload)

    def _show_message(self, payload: dict[str, Any], context: dict[str, Any] | None = None) -> None:
        context = context or {"channel": self.channel}
        lines = blocks_to_lines(payload.get("blocks") or [], self.buttons, context=context)
        if not lines and payload.get("text"):
            lines = [str(payload["text"])]
        for line in lines:
            self.out(line)

    def _show_call(self, method: str, args: dict[str, Any], response: dict[str, Any]) -> None:
        if method == "chat.postMessage":
            where = args.get("channel")
            thread = " in thread" if args.get("thread_ts") else ""
            self.out(f"── Foreman posts to {where}{thread} ──")
            self._show_message(args, {"channel": where, "message_ts": response.get("ts")})
        elif method == "chat.postEphemeral":
            self.out(f"── to {args.get('user')} only ──")
            self._show_message(args)
        elif method == "chat.update":
            self.out(f"── Foreman updates a message in {args.get('channel')} ──")
            self._show_message(args)
        elif method == "response_url":
            self._show_payload("reply", args)
        elif method in ("views.open", "views.push", "views.update"):
            view = args.get("view") or {}
            self.out(f"── a form opens: {(view.get('title') or {}).get('text', '')} (forms need Slack) ──")
            self._show_message({"blocks": view.get("blocks", [])})
        elif method == "views.publish":
            self.out("── App Home ──")
            self._show_message({"blocks": (args.get("view") or {}).get("blocks", [])})
        elif method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            titles = ", ".join(str(f.get("title")) for f in files or [])
            self.out(f"── Foreman uploads a file to {args.get('channel_id')}: {titles} ──")
            ids = [str(f.get("id")) for f in files or []]
            for path in extras.save_uploads(self.fake, ids, self.files_dir):
                self.out(f"  saved: {path}")

    def _console_command(self, line: str) -> bool:
        name, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        if name in ("reply", "edit", "dm"):
            rest = extras.mentions(rest, self.names, command=False)
        if name in ("quit", "exit", "q"):
            return False
        if name == "help":
            self.out(HELP)
        elif name == "user" and rest:
            user, *flags = shlex.split(rest)
            self.user = user
            named = [f for f in flags if f != "admin"]
            if named:
                self.names[named[0].lstrip("@").lower()] = user
            known = next((n for n, u in self.names.items() if u == user), None)
            self.fake.add_user(user, name=known, is_admin="admin" in flags)
            self.out(f"(you are now {user}" + (f", @{known})" if known else ")"))
        elif name == "dm" and rest:
            ts = self.fake.next_ts()
            body = self.payloads.message_event(
                rest,
                user=self.user,
                channel="D" + self.user[1:],
                ts=ts,
                extra={"channel_type": "im"},
            )
            self._dispatch(body)
        elif name == "channel" and rest:
            self.channel = rest
            self.out(f"(you are now in {rest})")
        elif name == "click":
            self._click(rest)
        elif name == "edit" and self.last_message:
            self.last_message["text"] = rest
            body = self.payloads.message_changed(
                rest, user=self.user, channel=self.channel, ts=self.last_message["ts"]
            )
            self._dispatch(body)
        elif name == "delete" and self.last_message:
            body = self.payloads.message_deleted(
                user=self.user, channel=self.channel, ts=self.last_message["ts"]
            )
            self.last_message = {}
            self._dispatch(body)
        elif name == "reply" and rest and self.last_post:
            ts = self.fake.next_ts()
            body = self.payloads.message_event(
                rest, user=self.user, channel=self.last_post["channel"], ts=ts, thread_ts=self.last_post["ts"]
            )
            self._dispatch(body)
        elif name == "home":
            self._dispatch(self.payloads.app_home_opened(user=self.user))
        elif name == "tick":
            self._tick(rest)
        elif name == "now":
            self._now(rest)
        else:
            self.out("(unknown console command; :help lists them)")
        return True

    def _click(self, rest: str) -> None:
        try:
            button = self.buttons[int(rest) - 1]
        except (ValueError, IndexError):
            self.out("(no such button; :click N with N from the last replies)")
            return
        body = self.payloads.block_action(
            button["action_id"],
            button["value"],
            user=self.user,
            channel=button.get("channel"),
            message_ts=button.get("message_ts"),
        )
        self._dispatch(body)

    def _tick(self, rest: str) -> None:
        from bot.scheduler.tick import tick

        try:
            now = datetime.fromisoformat(rest) if rest else self.services.clock()
        except ValueError:
            self.out("(give an ISO-8601 instant, e.g. :tick 2026-11-27T09:00+08:00)")
            return
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        posts = tick(services_of(self.app), now.astimezone(UTC))
        self.buttons = []
        self._show_new_calls()
        self.out(f"(tick at {now.isoformat()}: {len(posts)} post(s))")

    def _now(self, rest: str) -> None:
        """`:now ISO` moves the console's clock (the shared test clock file when set); `:now off`."""
        shared = self.settings.foreman_clock_file
        if rest.lower() == "off":
            if shared:
                self.out(f"(the test clock FOREMAN_CLOCK_FILE={shared} is on; unset it for the wall clock)")
                return
            self.clock.path = None
            if self.private_clock is not None:
                shutil.rmtree(self.private_clock.parent, ignore_errors=True)
                self.private_clock = None
            self.out(f"(back on the wall clock: now is {_shown(self.clock())})")
            return
        if not rest:
            kind = "test clock" if self.clock.is_test else "wall clock"
            self.out(f"(now is {_shown(self.clock())} on the {kind}; :now ISO moves it)")
            return
        try:
            instant = parse_instant(rest)
        except ClockError:
            self.out("(give an ISO-8601 instant, e.g. :now 2026-11-27T09:00+08:00, or :now off)")
            return
        try:
            if shared:
                write_instant(shared, instant)
            else:
                if self.private_clock is None:
                    self.private_clock = Path(tempfile.mkdtemp(prefix="foreman-console-")) / "clock"
                write_instant(self.private_clock, instant)
                self.clock.path = self.private_clock
        except OSError as exc:
            self.out(f"(cannot write the clock file: {exc.strerror or exc})")
            return
        self.out(f"(now is {_shown(instant)} for records, replies, buttons and ticks; :now off to leave)")


def _shown(instant: datetime) -> str:
    return f"{instant.strftime('%a')} {instant.isoformat()}"


def _json(body: str) -> dict[str, Any]:
    try:
        value = json.loads(body)
        return value if isinstance(value, dict) else {"text": str(value)}
    except ValueError:
        parsed = parse_qs(body)
        return {"text": parsed.get("text", [body])[0]}


def run_console(
    settings: Settings, *, users: list[str] | None = None, channels: list[str] | None = None
) -> int:
    """The interactive loop; reads stdin until EOF or :quit."""
    console = Console(settings, users=users, channels=channels)
    interactive = sys.stdin.isatty()
    print(f"Foreman console — you are {console.user} in {console.channel}; database {settings.database_url}")
    print("Type :help for help, :quit to leave.")
    try:
        while True:
            try:
                line = input(f"{console.user}@{console.channel}> " if interactive else "")
            except EOFError:
                break
            if not interactive and line.strip():
                print(f"> {line}")
            if not console.handle(line):
                break
    finally:
        console.close()
    return 0
