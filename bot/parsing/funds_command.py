"""Grammar of /funds (contract §5): money received, wage advances and wages paid; pure text in, typed out.

`收款 500000 进度款`, `in 500000 2026-11-20 -- progress payment 3`, `借支 张三 500 昨天`,
`advance <@U123> 300`, `发工资 张三 3000`. Every number and date is used or the statement is refused
with the part not understood (no silent misreads); words that are neither become the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot.parsing.dates import find_date, local_now
from bot.parsing.money import find_money, parse_money
from bot.parsing.numbers import CN_NUMERAL_CHARS
from bot.parsing.record_commands import RecordSyntaxError

SUBCOMMANDS = {
    "in": "in", "receipt": "in", "received": "in", "receive": "in", "收款": "in", "进款": "in",
    "到账": "in", "回款": "in",
    "advance": "advance", "adv": "advance", "借支": "advance", "预支": "advance", "借款": "advance",
    "wage": "wage", "wages": "wage", "pay": "wage", "发工资": "wage", "工资": "wage", "付工资": "wage",
    "list": "list", "ls": "list", "列表": "list", "查看": "list", "清单": "list",
    "void": "void", "delete": "void", "作废": "void", "删除": "void",
    "undo": "undo", "撤销": "undo", "撤回": "undo",
    "help": "help", "?": "help", "帮助": "help",
}  # fmt: skip
_GLUED = sorted((w for w in SUBCOMMANDS if not w.isascii()), key=len, reverse=True)
_MENTION_RE = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_NOTE_RE = re.compile(r"(?:^|\s)(?:--|——)\s*(.*)$", re.DOTALL)
_NUMERIC_RE = re.compile(rf"\d|^[{CN_NUMERAL_CHARS}]+$|[{CN_NUMERAL_CHARS}][月日号天元块万千]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


@dataclass(frozen=True)
class Payment:
    """One /funds statement: the amount, its currency if stated, the date, whom it was paid to, a note."""

    amount: Decimal
    currency: str | None
    day: date
    user_id: str | None = None
    worker: str | None = None
    note: str | None = None


def split_glued(text: str) -> str:
    """`借支张三 500` → `借支 张三 500`: a Chinese sub-command may be glued to what follows."""
    text = " ".join(text.translate(_FULLWIDTH).split())
    head = text.split(" ", 1)[0]
    if head in SUBCOMMANDS:
        return text
    for word in _GLUED:
        if text.startswith(word):
            return f"{word} {text[len(word) :]}".strip()
    return text


def _person(text: str) -> tuple[str | None, str | None, str]:
    """The payee at the start: a mention or a name (cut before a glued amount); the rest of the text."""
    m = _MENTION_RE.match(text)
    if m is not None:
        return m.group(1), None, text[m.end() :].strip()
    head, _, rest = text.partition(" ")
    cut = re.search(r"[\d¥￥$€]", head)
    if cut is not None and cut.start() > 0:
        head, rest = head[: cut.start()], f"{head[cut.start() :]} {rest}".strip()
    if not head or cut is not None and cut.start() == 0:
        raise RecordSyntaxError("person", head)
    return None, head, rest


def _chinese_amount(text: str) -> tuple[Decimal, str | None, int, int] | None:
    """A leading amount in Chinese numerals without 元 (`三万五`, `两千五`), read like `三万五元`."""
    head = text.split(" ", 1)[0]
    if not head or any(ch not in CN_NUMERAL_CHARS for ch in head):
        return None
    found = parse_money(f"{head}元")
    return (found[0], None, 0, len(head)) if found else None


def parse_payment(text: str, *, now: datetime, tz: str, person: bool) -> Payment:
    """Read `[<payee>] <amount> [<currency>] [<date>] [words] [-- note]`; RecordSyntaxError names the
    part not understood."""
    text = " ".join(text.translate(_FULLWIDTH).split())
    note = None
    m = _NOTE_RE.search(text)
    if m is not None:
        note, text = m.group(1).strip() or None, text[: m.start()].strip()
    user_id = worker = None
    if person:
        if not text:
            raise RecordSyntaxError("person", "")
        user_id, worker, text = _person(text)
    if re.search(r"\d\s*[eE][+-]?\d", text):
        raise RecordSyntaxError("amount", text)
    found = find_money(text, allow_bare=True) or _chinese_amount(text)
    if found is None:
        raise RecordSyntaxError("amount", text)
    amount, currency, start, end = found
    before = text[:start]
    if before.rstrip().endswith(("-", "−")):
        raise RecordSyntaxError("amount", text[:end].strip())
    text = f"{before} {text[end:]}".strip()
    day, text = find_date(text, now=now, tz=tz)
    words = text.split()
    for word in words:
        if _NUMERIC_RE.search(word):
            raise RecordSyntaxError("text", word)
    described = " ".join(words) or None
    if described and note:
        note = f"{described} — {note}"
    return Payment(
        amount=amount,
        currency=currency,
        day=day or local_now(now, tz).date(),
        user_id=user_id,
        worker=worker,
        note=note or described,
    )
