"""The parser entry point: slash-command text and channel-message classification."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.parsing.clock import CLOCK_IN_RE, CLOCK_OUT_RE, COMMAND_CLOCK_RE, parse_clock
from bot.parsing.common import Context, first_word, language_of, prepare, strip_note
from bot.parsing.dates import local_now
from bot.parsing.expense import EXPENSE_VERB_RE, parse_expense
from bot.parsing.labor import parse_labor
from bot.parsing.leftover import NOT_A_RECORD_RE, OVERLONG_RE, SCIENTIFIC_RE, negative_span, unknown_spans
from bot.parsing.messages import message
from bot.parsing.result import ExpenseIntent, Intent, LaborIntent, ParseResult, TaskUpdateIntent
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
    known_members: Sequence[tuple[str, str]] = (),
    open_tasks: Sequence[tuple[str, str]] = (),
) -> ParseResult:
    """Parse slash-command text (command="/log-labor" | "/expense" | "/task") or a channel message (None).

    The parse is pure: everything it knows about the project comes in as arguments.
    known_workers / known_crews: roster names; known_members: Slack members as (display name, user id);
    open_tasks: (key, title) of open tasks, so a title in the text names its task.
    The result carries `lang` (the language typed), `unknown` (parts refused as not understood) and
    `candidates` (tasks to ask about when a title match is not certain).
    """
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
        known_members=tuple((n, u) for n, u in known_members if n and u),
        open_tasks=tuple((k, t) for k, t in open_tasks if k and t),
    )
    overlong = OVERLONG_RE.search(strip_note(clean))
    if overlong is not None:
        return _overlong(overlong.group(0), command, ctx)
    if command is not None:
        return _parse_command(clean, command.strip().lower(), ctx)
    return _classify(clean, ctx)


def _overlong(part: str, command: str | None, ctx: Context) -> ParseResult:
    """A number too long to be a quantity: refused at once, so any text parses in linear time."""
    intent = _COMMAND_INTENTS.get((command or "").strip().lower())
    if intent is None:
        return ParseResult(intent="none", lang=ctx.lang)
    shown = part if len(part) <= 24 else part[:24] + "…"
    example = _EXAMPLES[intent][ctx.lang]
    error = message("unknown_part", ctx.lang, parts=_quote([shown], ctx.lang), example=example)
    if intent == "labor":
        return ParseResult(intent=intent, lang=ctx.lang, date=ctx.today, labor=LaborIntent(), error=error,
                           unknown=(shown,))  # fmt: skip
    if intent == "expense":
        return ParseResult(intent=intent, lang=ctx.lang, date=ctx.today,
                           expense=ExpenseIntent(amount=None, currency=ctx.currency.upper()), error=error,
                           unknown=(shown,))  # fmt: skip
    return ParseResult(intent=intent, lang=ctx.lang, task_update=TaskUpdateIntent(task=None), error=error,
                       unknown=(shown,))  # fmt: skip


_COMMAND_INTENTS: dict[str, Intent] = {
    "/log-labor": "labor", "/labor": "labor", "/log": "labor", "/expense": "expense", "/task": "task_update",
}  # fmt: skip
_EXAMPLES = {
    "labor": {"en": "/log-labor 8h yesterday", "zh": "/log-labor 8小时 昨天"},
    "expense": {"en": "/expense $480 crane rental yesterday", "zh": "/expense ¥3200 材料 昨天"},
    "task_update": {"en": "/task T-12 70%", "zh": "/task T-12 70%"},
    # A shift with its break is logged as a range; a clock time takes nothing else.
    "clock_in": {"en": "/log-labor in 7:30", "zh": "/log-labor 上班 7:30"},
    "clock_out": {"en": "/log-labor 7:30-17:00 lunch 1h", "zh": "/log-labor 7:30-17:00 午休1小时"},
}


def _quote(parts: Sequence[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(f"“{p}”" for p in parts)
    return ", ".join(f"“{p}”" for p in parts)


def _checked(result: ParseResult, rest: str, text: str, ctx: Context) -> ParseResult:
    """Apply the no-silent-misread rule (see bot.parsing.leftover) to a labor, expense or task result.

    In a slash command the result becomes a refusal quoting what was not understood; in a channel
    message it becomes no record at all.
    """
    channel = ctx.command is None
    head = strip_note(text)
    negative = negative_span(head) if "-" in head or "−" in head or "–" in head or "负" in head else None
    if negative is not None:
        if channel:
            return ParseResult(intent="none", lang=ctx.lang)
        error = message("negative", ctx.lang, part=f"“{negative}”")
        return replace(result, error=error, unknown=(negative,))
    if result.intent in ("labor", "expense") and NOT_A_RECORD_RE.search(head):
        if channel:
            return ParseResult(intent="none", lang=ctx.lang)
        return replace(result, error=message("not_a_record", ctx.lang))
    scientific = tuple(m.group(0) for m in SCIENTIFIC_RE.finditer(head)) if "e" in head.lower() else ()
    unknown = scientific or (tuple(unknown_spans(rest)) if rest.strip() else ())
    if not unknown:
        return result
    if channel:
        return ParseResult(intent="none", lang=ctx.lang)
    example = _EXAMPLES[result.intent][ctx.lang]
    error = message("unknown_part", ctx.lang, parts=_quote(unknown, ctx.lang), example=example)
    return replace(result, error=error, unknown=unknown)


def _parse_command(text: str, command: str, ctx: Context) -> ParseResult:
    word = first_word(text)
    if command in ("/log-labor", "/labor", "/log"):
        if word in _LABOR_MANAGEMENT:
            return ParseResult(intent="none", lang=ctx.lang)
        m = COMMAND_CLOCK_RE.match(text)
        if m is not None:
            key = (m.group(1) or m.group(2)).lower().replace("-", "")
            clock, rest = parse_clock(m.group(3), ctx, clock_in=key in ("in", "clockin", "上班", "签到"))
            return _checked(clock, rest, text, ctx)
        lp = parse_labor(text, ctx, bare_number_is_hours=True)
        labor = ParseResult(intent="labor", lang=ctx.lang, date=lp.date, labor=lp.labor, error=lp.error)
        return _checked(labor, lp.rest, text, ctx)
    if command == "/expense":
        if word in _EXPENSE_MANAGEMENT:
            return ParseResult(intent="none", lang=ctx.lang)
        ep = parse_expense(text, ctx, allow_bare_amount=True)
        expense = ParseResult(
            intent="expense", lang=ctx.lang, date=ep.date, expense=ep.expense, error=ep.error
        )
        return _checked(expense, ep.rest, text, ctx)
    if command == "/task":
        if word in _TASK_MANAGEMENT:
            return ParseResult(intent="none", lang=ctx.lang)
        tp = parse_task_update(text, ctx, command=True)
        if tp.management:
            return ParseResult(intent="none", lang=ctx.lang)
        task = ParseResult(
            intent="task_update",
            lang=ctx.lang,
            task_update=tp.update,
            error=tp.error,
            candidates=tp.candidates,
        )
        return _checked(task, tp.rest, text, ctx)
    return ParseResult(intent="none", lang=ctx.lang)


def _classify(text: str, ctx: Context) -> ParseResult:
    """Channel messages: recognise a statement or return "none" (the bot never answers chit-chat)."""
    none = ParseResult(intent="none", lang=ctx.lang)
    if not text or _QUESTION_RE.search(text):
        return none
    if _TASK_HINT_RE.search(text) or ctx.open_tasks:
        tp = parse_task_update(text, ctx, command=False)
        if tp.has_signal and (tp.error is None or tp.candidates):
            task = ParseResult(
                intent="task_update",
                lang=ctx.lang,
                task_update=tp.update,
                error=tp.error,
                candidates=tp.candidates,
            )
            return _checked(task, tp.rest, text, ctx)
    lp = parse_labor(text, ctx, bare_number_is_hours=False)
    labor_like = lp.has_hours and (lp.has_people or lp.has_verb)
    labor = ParseResult(intent="labor", lang=ctx.lang, date=lp.date, labor=lp.labor, error=lp.error)
    clock_in = CLOCK_IN_RE.search(text)
    clock_out = CLOCK_OUT_RE.search(text)
    if (clock_in or clock_out) and not labor_like:
        first = min((m for m in (clock_in, clock_out) if m is not None), key=lambda m: m.start())
        rest = text[: first.start()] + " " + text[first.end() :]
        clock, left = parse_clock(rest, ctx, clock_in=first is clock_in)
        return _checked(clock, left, text, ctx)
    verb = EXPENSE_VERB_RE.search(text)
    ep = parse_expense(text, ctx, allow_bare_amount=verb is not None)
    expense = ParseResult(intent="expense", lang=ctx.lang, date=ep.date, expense=ep.expense, error=ep.error)
    if labor_like and lp.labor.rate_amount is not None:
        return _checked(labor, lp.rest, text, ctx)
    if verb is not None and ep.expense.amount is not None:
        return _checked(expense, ep.rest, text, ctx)
    if labor_like:
        return _checked(labor, lp.rest, text, ctx)
    if ep.has_marked_amount:
        return _checked(expense, ep.rest, text, ctx)
    return none
