"""The parser entry point: slash-command text and channel-message classification."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from bot.parsing.clock import CLOCK_IN_RE, CLOCK_OUT_RE, COMMAND_CLOCK_RE, parse_clock
from bot.parsing.common import Context, first_word, language_of, prepare
from bot.parsing.dates import local_now
from bot.parsing.expense import EXPENSE_VERB_RE, parse_expense
from bot.parsing.labor import parse_labor
from bot.parsing.result import ParseResult
from bot.parsing.task import parse_task_update

_LABOR_MANAGEMENT = {"list", "edit", "undo", "void", "approve", "help", "列表", "查看", "编辑", "修改", "撤销", "撤回",
                     "作废", "审批", "批准", "帮助"}  # fmt: skip
_EXPENSE_MANAGEMENT = {
    "list",
    "edit",
    "undo",
    "void",
    "help",
    "列表",
    "查看",
    "编辑",
    "修改",
    "撤销",
    "撤回",
    "作废",
    "帮助",
}
_TASK_MANAGEMENT = {"add", "list", "help", "new", "create", "添加", "新建", "列表", "查看", "帮助"}
# Questions are chit-chat, not statements: a trailing "?"/"吗", or an English question word first.
_QUESTION_RE = re.compile(
    r"[?？]\s*$|[吗么呢]\s*$|^(?:what|when|who|how|why|anyone|can|could|should|do|does|did|is|are)(?![A-Za-z'])",
    re.I,
)
_TASK_HINT_RE = re.compile(r"[A-Za-z]-\d")


def parse(
    text: str,
    *,
    now: datetime,
    tz: str = "UTC",
    currency: str = "CNY",
    command: str | None = None,
    standard_hours: float = 8.0,
    known_workers: Sequence[str] = (),
    known_crews: Sequence[str] = (),
) -> ParseResult:
    """Parse slash-command text (command="/log-labor" | "/expense" | "/task") or a channel message (None)."""
    clean = prepare(text)
    lang = language_of(clean)
    ctx = Context(
        now=now,
        tz=tz,
        today=local_now(now, tz).date(),
        currency=currency,
        standard_hours=standard_hours,
        known_workers=tuple(w for w in known_workers if w),
        known_crews=tuple(c for c in known_crews if c),
        lang=lang,
        command=command,
    )
    if command is not None:
        return _parse_command(clean, command.strip().lower(), ctx)
    return _classify(clean, ctx)


def _parse_command(text: str, command: str, ctx: Context) -> ParseResult:
    word = first_word(text)
    if command in ("/log-labor", "/labor", "/log"):
        if word in _LABOR_MANAGEMENT:
            return ParseResult(intent="none", lang=ctx.lang)
        m = COMMAND_CLOCK_RE.match(text)
        if m is not None:
            key = (m.group(1) or m.group(2)).lower().replace("-", "")
            return parse_clock(m.group(3), ctx, clock_in=key in ("in", "clockin", "上班", "签到"))
        lp = parse_labor(text, ctx, bare_number_is_hours=True)
        return ParseResult(intent="labor", lang=ctx.lang, date=lp.date, labor=lp.labor, error=lp.error)
    if command == "/expense":
        if word in _EXPENSE_MANAGEMENT:
            return ParseResult(intent="none", lang=ctx.lang)
        ep = parse_expense(text, ctx, allow_bare_amount=True)
        return ParseResult(intent="expense", lang=ctx.lang, date=ep.date, expense=ep.expense, error=ep.error)
    if command == "/task":
        if word in _TASK_MANAGEMENT:
            return ParseResult(intent="none", lang=ctx.lang)
        tp = parse_task_update(text, ctx, command=True)
        if tp.management:
            return ParseResult(intent="none", lang=ctx.lang)
        return ParseResult(intent="task_update", lang=ctx.lang, task_update=tp.update, error=tp.error)
    return ParseResult(intent="none", lang=ctx.lang)


def _classify(text: str, ctx: Context) -> ParseResult:
    """Channel messages: recognise a statement or return "none" (the bot never answers chit-chat)."""
    none = ParseResult(intent="none", lang=ctx.lang)
    if not text or _QUESTION_RE.search(text):
        return none
    if _TASK_HINT_RE.search(text):
        tp = parse_task_update(text, ctx, command=False)
        if tp.has_signal and tp.error is None:
            return ParseResult(intent="task_update", lang=ctx.lang, task_update=tp.update)
    lp = parse_labor(text, ctx, bare_number_is_hours=False)
    labor_like = lp.has_hours and (lp.has_people or lp.has_verb)
    labor = ParseResult(intent="labor", lang=ctx.lang, date=lp.date, labor=lp.labor, error=lp.error)
    clock_in = CLOCK_IN_RE.search(text)
    clock_out = CLOCK_OUT_RE.search(text)
    if (clock_in or clock_out) and not labor_like:
        first = min((m for m in (clock_in, clock_out) if m is not None), key=lambda m: m.start())
        rest = text[: first.start()] + " " + text[first.end() :]
        return parse_clock(rest, ctx, clock_in=first is clock_in)
    verb = EXPENSE_VERB_RE.search(text)
    ep = parse_expense(text, ctx, allow_bare_amount=verb is not None)
    expense = ParseResult(intent="expense", lang=ctx.lang, date=ep.date, expense=ep.expense, error=ep.error)
    if verb is not None and ep.expense.amount is not None:
        return expense
    if labor_like:
        return labor
    if ep.has_marked_amount:
        return expense
    return none
