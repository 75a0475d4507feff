"""Numbers in English and Chinese text: digits with separators, Chinese numerals, halves."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Characters that may form a Chinese numeral; used by other modules to build their patterns.
CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUMERAL_CHARS = CN_DIGITS + "十百千万"
CN_NUM = f"[{CN_NUMERAL_CHARS}]+"
# Digits: "1,250.50", "8", ".5"; thousands separators only in groups of three.
DIGIT_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
NUM = f"(?:{DIGIT_NUM}|{CN_NUM})"

_CN_DIGIT_VALUE = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}
_DIGIT_RE = re.compile(DIGIT_NUM)
_CN_RE = re.compile(CN_NUM)
_SUFFIX_RE = re.compile(rf"({DIGIT_NUM})\s*([万千kK])")
_HALF_RE = re.compile(rf"({NUM})\s*个?半")


def _parse_cn_section(text: str) -> int | None:
    """Value of a Chinese numeral below 10,000 ("三千二百", "十五", "两千五")."""
    total = 0
    digit: int | None = None
    last_unit = 10_000
    zero = False  # a 零 before the last digit: "五百零七" is 507, not 570
    for ch in text:
        if ch in _CN_DIGIT_VALUE:
            if digit is not None and digit != 0:
                return None  # two digits in a row ("三四") is a range, not a number
            zero = zero or digit == 0
            digit = _CN_DIGIT_VALUE[ch]
        elif ch in _CN_UNIT_VALUE:
            unit = _CN_UNIT_VALUE[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            return None
    if digit is not None:
        # "两千五" means 2500: a trailing digit takes the next unit down (colloquial).
        colloquial = last_unit <= 1000 and total and last_unit > 10 and not zero
        total += digit * (last_unit // 10 if colloquial else 1)
    return total


def parse_cn_integer(text: str) -> int | None:
    """Value of a Chinese integer numeral such as "十五", "二十四", "三万二千" or "两"."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    if all(ch in _CN_DIGIT_VALUE for ch in text) and len(text) > 1:
        # "二〇二六" is a digit-by-digit year.
        if len(text) == 4:
            return int("".join(str(_CN_DIGIT_VALUE[ch]) for ch in text))
        return None
    if "万" in text:
        head, _, tail = text.partition("万")
        high = _parse_cn_section(head) if head else 1
        low = _parse_cn_section(tail) if tail else 0
        if len(tail) == 1 and tail in _CN_DIGIT_VALUE and low:
            low *= 1000  # "三万五" means 35000, as "两千五" means 2500 (contract §5)
        if high is None or low is None:
            return None
        return high * 10_000 + low
    return _parse_cn_section(text)


def parse_number(text: str) -> Decimal | None:
    """Parse "1,250.50", "三", "两", "十五", "半", "一个半", "3.2万" or "1.2k" into a Decimal."""
    s = text.strip()
    if not s:
        return None
    if s == "半":
        return Decimal("0.5")
    if s.endswith("半"):
        m = _HALF_RE.fullmatch(s)
        if m:
            whole = parse_number(m.group(1))
            return None if whole is None else whole + Decimal("0.5")
        return None
    m = _SUFFIX_RE.fullmatch(s)
    if m:
        base = Decimal(m.group(1).replace(",", ""))
        factor = 10_000 if m.group(2) == "万" else 1000
        return _plain(base * factor)
    if _DIGIT_RE.fullmatch(s):
        try:
            return Decimal(s.replace(",", ""))
        except InvalidOperation:
            return None
    if _CN_RE.fullmatch(s):
        value = parse_cn_integer(s)
        return None if value is None else Decimal(value)
    return None


def _plain(value: Decimal) -> Decimal:
    """Drop exponent and needless trailing zeros that multiplication introduces ("3.2"×10000)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()
