"""The `foreman` command (contract §3)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings, SettingsError, load_settings


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 instant: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="foreman", description="Foreman: project records and posts in Slack."
    )
    sub = parser.add_subparsers(dest="cmd")

    console = sub.add_parser("console", help="offline conversation with the real app")
    console.add_argument("--user", action="append", help="Slack user id(s) to act as (first is current)")
    console.add_argument("--channel", action="append", help="channel id(s) (first is current)")

    sub.add_parser("socket", help="Socket Mode (needs SLACK_APP_TOKEN)")

    serve = sub.add_parser("serve", help="HTTP mode on gunicorn")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--workers", type=int, default=2)

    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])

    tick = sub.add_parser("tick", help="run one scheduler tick")
    tick.add_argument("--now", type=_instant, default=None)

    parse = sub.add_parser("parse", help="print the parse of TEXT as JSON")
    parse.add_argument("--command", dest="context", choices=["/log-labor", "/expense", "/task"], default=None)
    parse.add_argument("--now", type=_instant, default=None)
    parse.add_argument("--tz", default="UTC")
    parse.add_argument("--currency", default="CNY")
    parse.add_argument("--worker", action="append", default=[], help="a roster worker's name (repeatable)")
    parse.add_argument("--crew", action="append", default=[], help="a roster crew's name (repeatable)")
    parse.add_argument(
        "--member", action="append", default=[], help="a Slack member as NAME=UID (repeatable)"
    )
    parse.add_argument("--task", action="append", default=[], help="an open task as KEY=TITLE (repeatable)")
    parse.add_argument("text", nargs="+")

    export = sub.add_parser("export", help="write an export (CSV or XLSX)")
    export.add_argument("kind", choices=["labor", "expenses", "tasks", "wages", "funds", "daily"])
    export.add_argument("--month", default=None, help="wages: YYYY-MM (default: last month)")
    export.add_argument("--project", default=None)
    export.add_argument("--from", dest="date_from", default=None)
    export.add_argument("--to", dest="date_to", default=None)
    export.add_argument("--format", choices=["csv", "xlsx", "pdf"], default=None)
    export.add_argument("-o", "--output", default=None)

    clock = sub.add_parser("clock", help="set, advance or show the test clock (FOREMAN_CLOCK_FILE)")
    clock_sub = clock.add_subparsers(dest="clock_action", required=True)
    clock_set = clock_sub.add_parser("set", help="set the test clock to an ISO-8601 instant")
    clock_set.add_argument("instant")
    clock_advance = clock_sub.add_parser("advance", help="move the test clock on by <N>m, <N>h or <N>d")
    clock_advance.add_argument("step")
    clock_sub.add_parser("show", help="print the test clock's instant")

    imp = sub.add_parser("import", help="import history from CSV or XLSX")
    imp.add_argument("kind", choices=["labor", "expenses", "tasks"])
    imp.add_argument("file")
    imp.add_argument("--project", default=None)
    imp.add_argument("--dry-run", action="store_true")
    imp.add_argument("--skip-invalid", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and `python -m bot`."""
    args = _parser().parse_args(argv)
    if args.cmd == "parse":
        return _parse(args)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"foreman: configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.foreman_log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    _quiet_libraries()
    command = args.cmd or settings.mode
    if command == "clock":
        return _clock(settings, args)
    if settings.foreman_clock_file and command not in ("db", "export"):
        from bot.clock import ClockError, read_instant

        try:
            instant = read_instant(settings.foreman_clock_file)
        except ClockError as exc:
            print(f"foreman: configuration error: FOREMAN_CLOCK_FILE: {exc}", file=sys.stderr)
            return 2
        logging.getLogger("foreman").warning(
            "test clock on: now is %s, read from FOREMAN_CLOCK_FILE %s",
            instant.isoformat(),
            settings.foreman_clock_file,
        )
    try:
        from storage.db import upgrade

        upgrade(settings.database_url)
    except Exception as exc:  # the one line a user needs, not a traceback
        print(
            f"foreman: DATABASE_URL: cannot migrate the database: {str(exc).splitlines()[0]}", file=sys.stderr
        )
        return 2
    if command == "db":
        print("database is up to date")
        return 0
    if command == "console":
        from bot.console.repl import run_console

        return run_console(
            settings, users=getattr(args, "user", None), channels=getattr(args, "channel", None)
        )
    if command == "tick":
        if not (settings.slack_bot_token or settings.oauth):
            print(
                "foreman: configuration error: SLACK_BOT_TOKEN: a tick posts to Slack and needs a bot token "
                "(or OAuth settings); offline, use :tick in `foreman console`",
                file=sys.stderr,
            )
            return 2
        return _tick(settings, args.now)
    if command == "export":
        return _export(settings, args)
    if command == "import":
        from bot.importer.cli import import_command

        return import_command(
            settings,
            kind=args.kind,
            file=args.file,
            project=args.project,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
        )
    if command == "socket":
        if not settings.slack_app_token:
            print(
                "foreman: configuration error: SLACK_APP_TOKEN: Socket Mode needs an app-level token (xapp-…)",
                file=sys.stderr,
            )
            return 2
        return _socket(settings)
    if not (settings.slack_bot_token or settings.oauth) or not settings.slack_signing_secret:
        missing = "SLACK_SIGNING_SECRET" if settings.slack_bot_token or settings.oauth else "SLACK_BOT_TOKEN"
        print(
            f"foreman: configuration error: {missing}: HTTP mode needs a bot token (or OAuth settings) "
            "and the signing secret",
            file=sys.stderr,
        )
        return 2
    return _serve(
        settings, getattr(args, "host", "0.0.0.0"), getattr(args, "port", 3000), getattr(args, "workers", 2)
    )


def _quiet_libraries() -> None:
    for name in ("apscheduler", "slack_bolt.App", "slack_sdk", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _parse(args: argparse.Namespace) -> int:
    from bot.clock import Clock, ClockError
    from bot.parsing import parse

    now = args.now
    if now is None:
        try:
            now = Clock(load_settings().foreman_clock_file)()
        except SettingsError:
            now = Clock()()  # parse needs no other setting; a broken one elsewhere does not stop it
        except ClockError as exc:
            print(f"foreman: configuration error: FOREMAN_CLOCK_FILE: {exc}", file=sys.stderr)
            return 2
    result = parse(
        " ".join(args.text),
        now=now,
        tz=args.tz,
        currency=args.currency.upper(),
        command=args.context,
        known_workers=args.worker,
        known_crews=args.crew,
        known_members=[tuple(m.split("=", 1)) for m in args.member if "=" in m],
        open_tasks=[tuple(t.split("=", 1)) for t in args.task if "=" in t],
    )
    print(json.dumps(result.to_contract(), ensure_ascii=False))
    return 0


def _tick(settings: Settings, now: datetime | None) -> int:
    from bot.app import build_services
    from bot.scheduler.tick import tick

    services = build_services(settings)
    for post in tick(services, (now or services.clock()).astimezone(UTC)):
        print(json.dumps(post.to_json(), ensure_ascii=False), flush=True)
    return 0


def _clock(settings: Settings, args: argparse.Namespace) -> int:
    from bot.clock import ClockError, parse_instant, parse_step, read_instant, write_instant

    path = settings.foreman_clock_file
    if not path:
        print(
            "foreman clock: FOREMAN_CLOCK_FILE is not set; set it to a file path to use a test clock",
            file=sys.stderr,
        )
        return 2
    try:
        if args.clock_action == "set":
            instant = parse_instant(args.instant)
        elif args.clock_action == "advance":
            instant = read_instant(path) + parse_step(args.step)
        else:
            instant = read_instant(path)
        if args.clock_action != "show":
            write_instant(path, instant)
    except ClockError as exc:
        print(f"foreman clock: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"foreman clock: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(instant.isoformat())
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_services
    from bot.reports.exports import ExportError, run_export
    from bot.services.wages import last_month

    if args.kind == "daily":  # the daily construction log (issue 16)
        from bot.reports.daily_export import cli_export

        return cli_export(settings, args)
    args.format = args.format or "csv"
    if args.format == "pdf":
        print("foreman export: PDF is for the daily log only", file=sys.stderr)
        return 2
    services = build_services(settings)
    month = args.month or (last_month(services.clock().date()) if args.kind == "wages" else None)
    try:
        with services.unit_of_work() as session:
            data = run_export(
                session,
                kind=args.kind,
                project_code=args.project,
                date_from=args.date_from,
                date_to=args.date_to,
                fmt=args.format,
                month=month,
            )
    except ExportError as exc:
        print(f"foreman export: {exc}", file=sys.stderr)
        return 2
    if args.output:
        Path(args.output).write_bytes(data)
    elif args.format == "xlsx":
        print("foreman export: XLSX needs -o FILE", file=sys.stderr)
        return 2
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _socket(settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import build_app, build_services, web_client
    from bot.scheduler.runner import start

    services = build_services(settings)
    app = build_app(settings, services=services, token_verification_enabled=True)
    if settings.foreman_scheduler == "on":
        start(services)
    SocketModeHandler(
        app, settings.slack_app_token, web_client=web_client(settings, settings.slack_bot_token)
    ).start()
    return 0


def _serve(settings: Settings, host: str, port: int, workers: int) -> int:
    from bot.wsgi import GunicornServer

    def factory() -> object:
        from bot.app import build_app, build_services
        from bot.scheduler.runner import start
        from bot.wsgi import ForemanWSGI

        services = build_services(settings)
        app = build_app(settings, services=services)
        if settings.foreman_scheduler == "on":
            start(services)
        return ForemanWSGI(app)

    GunicornServer(factory, host=host, port=port, workers=workers).run()
    return 0
