"""The layout keeps telling the truth: thin adapters, pure views, one routing table in both languages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.commands.table import ROUTES

BOT = Path(__file__).resolve().parent.parent / "bot"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted((BOT / "views").rglob("*.py")), ids=lambda p: p.name)
def test_views_import_neither_storage_nor_sessions(path: Path) -> None:
    bad = {m for m in _imports(path) if m.split(".")[0] in ("storage", "sqlmodel", "sqlalchemy")}
    assert bad == set(), f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", sorted((BOT / "listeners").glob("*.py")), ids=lambda p: p.name)
def test_listener_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 150, f"{path.name} has {lines} lines"


@pytest.mark.parametrize("package", ["parsing", "services"])
def test_parsing_and_services_do_not_reach_up_into_the_scheduler(package: str) -> None:
    for path in (BOT / package).rglob("*.py"):
        assert not any(m.startswith("bot.scheduler") for m in _imports(path)), path.name


def test_every_slash_command_of_the_manifest_is_routed() -> None:
    manifest = (BOT.parent / "app_manifest.yml").read_text(encoding="utf-8")
    for command in ("/project", "/log-labor", "/expense", "/task", "/risk", "/report", "/daily", "/ooo"):
        assert command in manifest
        assert command in ROUTES


@pytest.mark.parametrize(
    ("command", "english", "chinese", "sub"),
    [
        ("/log-labor", "edit", "修改", "edit"),
        ("/log-labor", "approve", "审批", "approve"),
        ("/expense", "void", "作废", "void"),
        ("/expense", "list", "列表", "list"),
        ("/project", "budget", "预算", "budget"),
        ("/project", "create", "新建", "create"),
        ("/task", "add", "新增", "add"),
        ("/risk", "close", "关闭", "close"),
        ("/daily", "confirm", "确认", "confirm"),
        ("/daily", "weather", "天气", "add"),
        ("/ooo", "cancel", "取消", "cancel"),
        ("/ooo", "list", "列表", "list"),
        ("/report", "daily", "日志", "daily"),
    ],
)
def test_sub_command_words_route_alike_in_both_languages(
    command: str, english: str, chinese: str, sub: str
) -> None:
    route = ROUTES[command]
    assert route.words[english] == route.words[chinese] == sub
    assert route.handlers[sub] is not route.handlers[None]
