"""Money amounts, currencies, expense categories and vendors."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.parsing.numbers import (
    CN_NUM,
    CN_NUMERAL_CHARS,
    DIGIT_NUM,
    STANDALONE_CN_NUM,
    parse_number,
    to_simplified,
)
from bot.parsing.places import blank_places

__all__ = ["find_money", "parse_money", "category_of", "CATEGORIES"]

_SYMBOLS = {"¥": "CNY", "￥": "CNY", "$": "USD", "€": "EUR", "us$": "USD"}
_WORDS = {
    "元": "CNY", "块": "CNY", "块钱": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "kuai": "CNY",
    "usd": "USD", "dollars": "USD", "dollar": "USD", "bucks": "USD", "美元": "USD", "美金": "USD",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR", "人民币": "CNY", "us$": "USD", "$": "USD",
    "€": "EUR", "€ur": "EUR", "¥": "CNY", "美刀": "USD", "块人民币": "CNY", "元人民币": "CNY",
}  # fmt: skip
# An amount: digits (with separators or a k/万 suffix) or a Chinese numeral with an optional 万/千 tail.
_AMOUNT = rf"(?:{DIGIT_NUM}\s*(?:[万千]\d(?![\d.,])|万|千|[kKwW](?![A-Za-z]))?|{CN_NUM})"
_PREFIX_WORD = r"(?:rmb|cny|usd|eur|人民币)"
_SUFFIX_WORD = (
    r"(?:块钱|元人民币|块人民币|元|块|人民币|rmb|cny|yuan|kuai|usd|dollars?|bucks|eur|euros?|€ur|美元|美金|美刀|欧元"
    r"|(?<=[\dkKwW万千])(?:us\$|[$€¥])(?!\d))"
)
_SYMBOL = r"(?:us\$|[¥￥$€])"
# A number with a unit of time after it is a duration, never money (8h, ¥ 0.5 h, 2 days).
_TIME_UNIT = r"\s*(?:h|hrs?|hours?|mins?|minutes?|d|days?|wks?|weeks?|小时|分钟|天)(?![A-Za-z])"
_MONEY_RE = re.compile(
    rf"(?<![\d])(?P<sym>{_SYMBOL})\s*(?P<a1>{_AMOUNT})(?![\d.,]|\s*[月日号]|{_TIME_UNIT})(?:\s*(?P<w1>{_SUFFIX_WORD})(?![A-Za-z\d]|\s*\d))?"
    rf"|(?<![A-Za-z])(?P<pw>{_PREFIX_WORD})\s*(?P<a2>{_AMOUNT})(?![\d.,]|\s*[月日号]|{_TIME_UNIT})"
    rf"|(?<![A-Za-z0-9.,周期拜/:\-])(?P<a3>{_AMOUNT})\s*(?P<w3>{_SUFFIX_WORD})(?![A-Za-z])",
    re.IGNORECASE,
)
# Under /expense the amount may be a bare number (3200, 三千二); never part of a date, time, task key or ratio.
_BARE_RE = re.compile(
    rf"(?<![A-Za-z0-9_.,:/\-])(?P<a>{DIGIT_NUM}\s*(?:[万千]\d|万|千|[kKwW](?![A-Za-z]))?)"
    # Not a count of something (50袋, 3千5吨) nor a duration (8h, 0.5 day): a bare amount is never run
    # into a word and never takes a unit of time.
    rf"(?![\d.,:/\-]|\s*[%月日号点]|[\u4e00-\u9fff]|{_TIME_UNIT})"
    rf"|(?<![{CN_NUMERAL_CHARS}])(?P<c>{CN_NUM})(?=[元块])"
    rf"|(?P<s>{STANDALONE_CN_NUM})"
)

# Category keywords, checked in this order: the more specific kinds of spending first.
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("subcontract", ("subcontract", "sub-contract", "subcontractor", "分包")),
    ("equipment", ("crane", "excavator", "rental", "rent", "equipment", "forklift", "scaffold", "generator",
                   "吊车", "挖机", "挖掘机", "租赁", "租", "设备", "机械", "叉车", "脚手架", "发电机")),
    ("labor", ("wages", "wage", "labor", "labour", "payroll", "人工", "工资", "工钱", "劳务")),
    ("material", ("material", "materials", "cement", "rebar", "concrete", "sand", "brick", "bricks", "timber",
                  "lumber", "steel", "gravel", "材料", "水泥", "钢筋", "混凝土", "砂", "沙", "砖", "木材", "钢材",
                  "石子", "木方", "模板")),
)  # fmt: skip
_CATEGORY_RE = {
    name: re.compile(
        "|".join(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" if w.isascii() else re.escape(w) for w in words),
        re.IGNORECASE,
    )
    for name, words in CATEGORIES
}


def _amount(text: str) -> Decimal | None:
    compact = re.sub(r"\s+", "", text)
    value = parse_number(compact)
    if value is None and compact[-1:] in "万千" and compact[:-1]:
        head = parse_number(compact[:-1])
        if head is not None:
            value = head * (10_000 if compact[-1] == "万" else 1000)
    return value


def _currency_of(m: re.Match[str]) -> str:
    sym = m.group("sym")
    if sym:
        word = m.group("w1")
        return _WORDS[word.lower()] if word else _SYMBOLS[sym.lower()]
    word = m.group("pw") or m.group("w3")
    return _WORDS[word.lower()]


# 角 (毛) and 分 after a whole number of 元 (块): 2350元5角 = 2350.50, 100块五毛 = 100.50, 1元2角3分 = 1.23,
# 300元零5分 = 300.05, 100块5毛5 = 100.55 (the 分 may go unsaid after a 毛); written right after the 元.
_SUBUNIT_DIGIT = "[0-9零〇一二两三四五六七八九]"
_SUBUNIT_RE = re.compile(
    rf"(?:(?P<jiao>{_SUBUNIT_DIGIT})[角毛](?:(?P<fen>{_SUBUNIT_DIGIT})(?:分|(?![0-9.,\u4e00-\u9fff])))?"
    rf"|零(?P<fen_only>{_SUBUNIT_DIGIT})分)"
)
_YUAN_WORDS = {"元", "块", "块钱"}


def _with_subunits(text: str, m: re.Match[str], amount: Decimal) -> tuple[Decimal, int]:
    """The amount with the 角 and 分 written after its 元, and where the whole phrase ends."""
    word = m.group("w3") or m.group("w1")
    if word not in _YUAN_WORDS or amount != amount.to_integral_value():
        return amount, m.end()
    sub = _SUBUNIT_RE.match(text, m.end())
    if sub is None:
        # 3200元整: "exactly", part of how the amount is written, not a word for the note.
        return amount, m.end() + (1 if text[m.end() : m.end() + 1] == "整" else 0)
    jiao, fen = sub.group("jiao"), sub.group("fen") or sub.group("fen_only")
    cents = (int(parse_number(jiao) or 0) * 10 if jiao else 0) + (int(parse_number(fen) or 0) if fen else 0)
    return amount + Decimal(cents) / 100, sub.end()


def find_money(text: str, *, allow_bare: bool = False) -> tuple[Decimal, str | None, int, int] | None:
    """The first amount in text as (amount, currency or None, start, end); bare numbers only if allowed.

    Traditional script is read as simplified (1萬 is 1万) whoever calls; the positions hold in `text`."""
    text = to_simplified(text)
    for m in _MONEY_RE.finditer(text):
        amount = _amount(m.group("a1") or m.group("a2") or m.group("a3"))
        if amount is not None:
            amount, end = _with_subunits(text, m, amount)
            return amount, _currency_of(m), m.start(), end
    if allow_bare:
        for m in _BARE_RE.finditer(blank_places(text)):  # "level 3 rebar 3200" costs 3200, not 3
            amount = _amount(m.group("a") or m.group("c") or m.group("s"))
            if amount is not None:
                # The blanked place after "3200 " is not part of the amount.
                return amount, None, m.start(), m.start() + len(m.group(0).rstrip())
    return None


def parse_money(text: str) -> tuple[Decimal, str | None] | None:
    """Parse a phrase that is entirely an amount ("¥3,200", "$480", "1200 元", "3200") into (amount, currency)."""
    s = text.strip()
    found = find_money(s, allow_bare=True)
    if found is None:
        return None
    amount, currency, start, end = found
    if start != 0 or end != len(s):
        return None
    return amount, currency


def category_of(text: str) -> str:
    """The expense category named by words in text, else "other"."""
    for name, _words in CATEGORIES:
        if _CATEGORY_RE[name].search(text):
            return name
    return "other"
