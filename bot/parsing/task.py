"""Task status updates: progress, done, blocked with a reason, unblocked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parsing.common import Context, take_task_key
from bot.parsing.durations import Scratch
from bot.parsing.messages import message
from bot.parsing.numbers import NUM, parse_number
from bot.parsing.result import TaskCandidate, TaskStatus, TaskUpdateIntent
from bot.parsing.task_titles import match_title

_I = re.IGNORECASE
# 七成 is 70 % (not before another word: 八成是 means "probably").
_PCT_RE = re.compile(
    rf"(?<![\d.])(\d{{1,3}}(?:\.\d+)?)\s*%|百分之\s*({NUM})|(?P<half>half[- ]done|一半|过半)"
    r"|(?<![\d一二两三四五六七八九十])(?P<tenths>10|[1-9]|[一二两三四五六七八九十])\s*成(?![\u4e00-\u9fff])",
    _I,
)
_UNBLOCKED_RE = re.compile(
    r"(?<![A-Za-z])(?:unblocked|resumed|back on track|no longer blocked)(?![A-Za-z])|恢复了?|解除了?|已解决|不卡了",
    _I,
)
_BLOCKED_RE = re.compile(
    r"(?<![A-Za-z])(?:blocked(?:\s+(?:by|on))?|stuck(?:\s+(?:on|with))?|on hold)(?![A-Za-z])\s*:?"
    r"|受阻了?|卡住了?|被卡了?|阻塞了?|停滞了?|停工了?",
    _I,
)
_WAITING_RE = re.compile(r"(?<![A-Za-z])waiting\s+(?:for|on)(?![A-Za-z])|等待", _I)
_NOT_DONE_RE = re.compile(
    r"(?<![A-Za-z])not\s+(?:yet\s+)?(?:done|finished|complete)|未完成|没完成|没有完成|还没", _I
)
_DONE_RE = re.compile(
    r"(?<![A-Za-z])(?:done|complete|completed|finished|closed)(?![A-Za-z])|已完成|完成了?|做完了?|搞定了?|完工了?|弄完了?",
    _I,
)
_STARTED_RE = re.compile(
    r"(?<![A-Za-z])(?:started|in progress|underway|begun)(?![A-Za-z])|进行中|已开始|开始了|在做", _I
)
_NOT_STATUS_RE = re.compile(
    r"^(?:due|owner|start|weight|title|rename|截止|负责人|开始日期|权重)(?![A-Za-z])", _I
)
_BARE_PROGRESS_RE = re.compile(r"^\s*(\d{1,3})\s*$")
_STRIP = " \t:：,，.。;；!！-—~、了"


@dataclass(frozen=True)
class TaskParse:
    """A task update with its error and whether the text said anything about status."""

    update: TaskUpdateIntent
    error: str | None
    has_signal: bool
    management: bool
    candidates: tuple[TaskCandidate, ...] = ()
    rest: str = ""


def _clean(text: str) -> str | None:
    text = " ".join(text.split()).strip(_STRIP)
    return text or None


def parse_task_update(text: str, ctx: Context, *, command: bool) -> TaskParse:
    """Read a task status update; under /task a bare number after the key is a percentage."""
    s = Scratch(text)
    key = take_task_key(s)
    if key is not None and _NOT_STATUS_RE.match(s.text.strip()):
        return TaskParse(TaskUpdateIntent(task=key), None, False, True)
    candidates: tuple[TaskCandidate, ...] = ()
    by_title = None
    if key is None and ctx.open_tasks:
        by_title = match_title(s.text, ctx.open_tasks)
        if by_title.kind == "one" and by_title.span is not None:
            key = by_title.candidates[0].key
            s.cut(*by_title.span)
        elif by_title.kind in ("several", "close"):
            candidates = by_title.candidates
    progress: int | None = None
    status: TaskStatus | None = None
    blocker: str | None = None
    m = s.take(_PCT_RE)
    if m is not None and m.start() > 0 and s.text[m.start() - 1] in "-−":
        progress = -1
    elif m is not None:
        if m.group("half"):
            value = 50.0
        elif m.group("tenths"):
            value = float(parse_number(m.group("tenths")) or 0) * 10
        else:
            raw = parse_number(m.group(1) or m.group(2))
            value = float(raw) if raw is not None else -1.0
        progress = round(value)
    elif command and (bm := _BARE_PROGRESS_RE.match(s.text)) is not None:
        progress = int(bm.group(1))
        s.text = ""
    if progress is not None:
        status = "done" if progress == 100 else "in_progress"
    signal = progress is not None
    if s.take(_UNBLOCKED_RE) is not None:
        status = "in_progress"
        signal = True
    else:
        bm2 = _BLOCKED_RE.search(s.text)
        wm = _WAITING_RE.search(s.text)
        if bm2 is not None:
            status = "blocked"
            signal = True
            blocker = _clean(s.text[bm2.end() :]) or _clean(s.text[: bm2.start()])
        elif wm is not None:
            status = "blocked"
            signal = True
            blocker = _clean(s.text[wm.start() :])
    if status is None:
        if _NOT_DONE_RE.search(s.text):
            status, signal = "in_progress", True
        elif _DONE_RE.search(s.text):
            status, progress, signal = "done", 100, True
        elif _STARTED_RE.search(s.text):
            status, signal = "in_progress", True
    update = TaskUpdateIntent(task=key, progress=progress, status=status, blocker=blocker)
    error = None
    if key is None and candidates:
        options = ", ".join(f"{c.key} {c.title}" for c in candidates)
        which = "task_which" if by_title is not None and by_title.kind == "several" else "task_not_sure"
        error = message(which, ctx.lang, options=options, key=candidates[0].key)
    elif key is None:
        error = message("task_no_key", ctx.lang)
    elif progress is not None and not 0 <= progress <= 100:
        error = message("task_bad_progress", ctx.lang, task=key)
    elif not signal:
        error = message("task_no_update", ctx.lang, task=key)
    return TaskParse(
        update=update,
        error=error,
        has_signal=signal and (key is not None or bool(candidates)),
        management=False,
        candidates=candidates,
        rest=s.text if status != "blocked" else "",
    )
