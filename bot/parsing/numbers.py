"""Numbers in English and Chinese text, read once by one small grammar.

Every number Foreman reads — amounts, hours, headcounts, day-of-month dates, percentages — goes through
`parse_number`, which accepts:

- digits with thousands separators and decimals: ``1,250.50``, ``8``, ``.5``; ``1e9`` notation is NOT
  a number (the caller sees it as a number-like span it did not use, and refuses);
- multipliers after digits: ``2.5k``, ``3千``, ``1.2万``, ``3万5`` (= 35000), ``4.7 billion``;
- Chinese numerals by a positional grammar (not a list of forms): digits 零〇一二两俩仨三…九, small units
  十百千, big units 万亿, zeros (``二百零三`` = 203, ``一万零四十`` = 10040), leading units (``十五``,
  ``千一`` = 1100, ``万九`` = 19000), the colloquial trailing digit that takes the next unit down
  (``三万五`` = 35000, ``两千五`` = 2500, ``百二万`` = 1200000), 廿 卅 卌 (20 30 40), digit-by-digit years
  (``二零一五``), decimals (``一点五``, ``零点77``) and halves (``一个半`` = 1.5);
- financial forms 壹贰叁肆伍陆柒捌玖拾佰仟 and their traditional spellings (貳參陸), read as plain numerals;
- English number words: ``forty``, ``twenty-one``, ``a hundred``, ``one thousand two hundred``,
  ``two and a half``, ``one and three quarters``.

Traditional characters are folded to simplified ones by `to_simplified` before any parsing.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "CN_DIGITS",
    "CN_NUMERAL_CHARS",
    "CN_NUM",
    "DIGIT_NUM",
    "NUM",
    "EN_NUM",
    "parse_number",
    "parse_cn_integer",
    "to_simplified",
]

# Traditional → simplified for the characters Foreman's grammar reads (dates, units, numerals, keywords).
_TRADITIONAL = str.maketrans(
    "週禮兩個時萬塊錢號點這幣鐘頭幾億貳參陸後單價資費買購採報銷張劉陳楊黃趙吳鄭謝許韓馮鄧羅鋼組隊開會嗎麼們來過還沒層"
    "樓澆築進結總計額設備機車議問題鐵磚區門電線氣裝廠務勞歐圓從兒與間離簽實際碼幹於為戶臺灣預員師貨運則帳賬項處雙錯誤"
    "聯業場現當舊邊補貼鐘週"
    "發類別應確認編輯負責態險響錄無況質訪監檢驗給頁條紀損壞歷關閉數據華雜狀權術極緩",
    "周礼两个时万块钱号点这币钟头几亿贰叁陆后单价资费买购采报销张刘陈杨黄赵吴郑谢许韩冯邓罗钢组队开会吗么们来过还没层"
    "楼浇筑进结总计额设备机车议问题铁砖区门电线气装厂务劳欧圆从儿与间离签实际码干于为户台湾预员师货运则账账项处双错误"
    "联业场现当旧边补贴钟周"
    "发类别应确认编辑负责态险响录无况质访监检验给页条纪损坏历关闭数据华杂状权术极缓",
)

CN_DIGITS = "零〇一二两俩仨三四五六七八九"
_FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"
CN_NUMERAL_CHARS = CN_DIGITS + "十百千万亿廿卅卌" + _FINANCIAL
CN_NUM = f"[{CN_NUMERAL_CHARS}]+(?:点[{CN_DIGITS}0-9]+)?"
# A Chinese number standing on its own (an amount or a count without a unit): two characters or more, one of
# them 十, 百, 千, 万 or 亿, starting as a number does (三千二, 一万二, 十二; not the words 万一, 千万), and
# not run into a word (十二层 is a floor, 五十袋 what was bought).
STANDALONE_CN_NUM = (
    rf"(?<![{CN_NUMERAL_CHARS}])(?=[{CN_NUMERAL_CHARS}]*[十百千万亿拾佰仟])"
    rf"[一二两俩仨三四五六七八九十壹贰叁肆伍陆柒捌玖拾][{CN_NUMERAL_CHARS}]+"
    rf"(?![{CN_NUMERAL_CHARS}\u4e00-\u9fff])"
)
# Digits: "1,250.50", "8", ".5"; thousands separators only in groups of three.
DIGIT_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}  # fmt: skip
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_EN_WORD = "|".join(sorted([*_EN_UNITS, *_EN_TENS], key=len, reverse=True))
# An English number phrase: "forty", "twenty-one", "a hundred", "one thousand two hundred and five",
# "two and a half", "one and three quarters".
_EN_ATOM = rf"(?:(?:{_EN_WORD})(?:[- ](?:{'|'.join(_EN_UNITS)}))?)"
EN_NUM = (
    rf"(?:(?:{_EN_ATOM}|an?)(?:\s+(?:hundred|thousand|million|billion)(?:\s+(?:and\s+)?{_EN_ATOM})?)*"
    rf"(?:\s+and\s+(?:a\s+|one\s+|two\s+|three\s+)?(?:half|quarters?))?)"
)
NUM = f"(?:{DIGIT_NUM}|{CN_NUM})"

_CN_DIGIT_VALUE = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "仨": 3, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8,
    "玖": 9,
}  # fmt: skip
_CN_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNIT = {"万": 10_000, "亿": 100_000_000}
_CN_TENS = {"廿": 20, "卅": 30, "卌": 40}
_DIGIT_RE = re.compile(DIGIT_NUM)
# "5w" is how a site writes 5万 (w for wan), as "2.5k" is 2500.
_MULT_RE = re.compile(rf"({DIGIT_NUM})\s*(k|K|w|W|千|万|亿|thousand|million|billion|bn|m)(?:\s*(\d))?", re.I)
_HALF_RE = re.compile(r"(.+?)\s*个?半")
_EN_FRACTION_RE = re.compile(r"(.+?)\s+and\s+(a|one|two|three)?\s*(half|quarters?)$", re.I)
_MULTIPLIERS = {"k": 1000, "千": 1000, "万": 10_000, "w": 10_000, "亿": 100_000_000, "thousand": 1000, "million": 10**6,
                "m": 10**6, "billion": 10**9, "bn": 10**9}  # fmt: skip


def spaced(pattern: re.Pattern[str], text: str) -> str:
    """`text` with a space on each side of every match of `pattern` in its simplified form: keywords glued to
    their values (工時6, 概率高) are split off whichever script was typed, and the values stay as typed
    (to_simplified keeps each character's position)."""
    pieces, last = [], 0
    for m in pattern.finditer(to_simplified(text)):
        pieces += [text[last : m.start()], f" {text[m.start() : m.end()]} "]
        last = m.end()
    return "".join([*pieces, text[last:]])


def to_simplified(text: str) -> str:
    """Fold the traditional characters Foreman's grammar reads into simplified ones (週→周, 兩→两, 萬→万)."""
    return text.translate(_TRADITIONAL)


def _cn_integer(text: str) -> int | None:
    """The positional grammar for Chinese integers (see the module docstring)."""
    if not text:
        return None
    if len(text) > 1 and all(ch in _CN_DIGIT_VALUE for ch in text):
        # "二零一五" is read digit by digit (a year); "三四" (a range) has no zero and is refused.
        if any(_CN_DIGIT_VALUE[ch] == 0 for ch in text) or len(text) == 4:
            return int("".join(str(_CN_DIGIT_VALUE[ch]) for ch in text))
        return None
    total = 0  # everything above the current big unit, already scaled
    section = 0  # the part below the current big unit
    pending: int | None = None  # a digit waiting for its unit
    last_small = 10_000  # units inside a section must descend
    last_big = 10**12
    zero_before = False  # a zero cancels the colloquial reading of a trailing digit
    prev_digit = False
    for ch in text:
        if ch in _CN_DIGIT_VALUE:
            value = _CN_DIGIT_VALUE[ch]
            if value == 0:
                zero_before = True
                prev_digit = False
                continue
            if prev_digit:
                return None
            pending = value
            prev_digit = True
        elif ch in _CN_TENS:
            if prev_digit or last_small <= 10:
                return None
            section += _CN_TENS[ch]
            last_small = 10
            zero_before = False
            prev_digit = False
        elif ch in _CN_SMALL_UNIT:
            unit = _CN_SMALL_UNIT[ch]
            if unit >= last_small:
                return None
            section += (1 if pending is None else pending) * unit
            pending = None
            last_small = unit
            zero_before = False
            prev_digit = False
        elif ch in _CN_BIG_UNIT:
            unit = _CN_BIG_UNIT[ch]
            if pending is not None:
                section += pending * (last_small // 10 if not zero_before and last_small < 10_000 else 1)
            if section == 0:
                section = 1
            if unit >= last_big:
                # "百二万" after nothing bigger is fine; "万万" or "万…亿" is re-scaled: 一万亿.
                total = (total + section) * unit
            else:
                total += section * unit
            last_big = min(last_big, unit) if unit < last_big else unit
            section, pending, last_small, zero_before, prev_digit = 0, None, 10_000, False, False
        else:
            return None
    if pending is not None:
        if zero_before or last_small == 10_000:
            # "一万零四" → 4; "万九" → the digit after a big unit takes the next unit down.
            if not zero_before and last_big < 10**12 and section == 0:
                pending *= last_big // 10
            section += pending
        else:
            section += pending * (last_small // 10)
    return total + section


def parse_cn_integer(text: str) -> int | None:
    """Value of a Chinese integer numeral such as "十五", "二百零三", "三万五" or "两"."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    return _cn_integer(text)


def _cn_decimal(text: str) -> Decimal | None:
    head, _, tail = text.partition("点")
    whole: Decimal | None
    if _DIGIT_RE.fullmatch(head):
        whole = Decimal(head)
    else:
        n = parse_cn_integer(head) if head else None
        whole = None if n is None else Decimal(n)
    if whole is None or not tail:
        return None
    digits = "".join(str(_CN_DIGIT_VALUE[ch]) if ch in _CN_DIGIT_VALUE else ch for ch in tail)
    if not digits.isdigit():
        return None
    return whole + Decimal("0." + digits)


def _en_integer(text: str) -> int | None:
    words = re.split(r"[\s-]+", text.strip().lower())
    total = 0
    current = 0
    seen = False
    for w in words:
        if w == "and" and seen:
            continue
        if w in ("a", "an") and not seen:
            current = 1
            seen = True
        elif w in _EN_UNITS:
            current += _EN_UNITS[w]
            seen = True
        elif w in _EN_TENS:
            current += _EN_TENS[w]
            seen = True
        elif w in _EN_SCALES and seen:
            scale = _EN_SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            return None
    return total + current if seen else None


_FRACTIONS = {"half": Decimal("0.5"), "quarter": Decimal("0.25"), "quarters": Decimal("0.25")}
_COUNTS = {None: 1, "a": 1, "one": 1, "two": 2, "three": 3}


def parse_en_number(text: str) -> Decimal | None:
    """Value of an English number phrase ("forty", "a hundred", "two and a half", "one and three quarters")."""
    s = " ".join(text.lower().split())
    m = _EN_FRACTION_RE.fullmatch(s)
    if m is not None:
        whole = _en_integer(m.group(1))
        if whole is None:
            return None
        return whole + _COUNTS[m.group(2)] * _FRACTIONS[m.group(3)]
    n = _en_integer(s)
    return None if n is None else Decimal(n)


def parse_number(text: str) -> Decimal | None:
    """Parse "1,250.50", "三", "两", "十五", "半", "一个半", "3.2万", "1.2k", "forty" into a Decimal."""
    s = text.strip()
    if s.isascii() and s.isdigit():
        return Decimal(s)
    s = to_simplified(s)
    if not s:
        return None
    if s == "半":
        return Decimal("0.5")
    if s.endswith("半") and len(s) > 1:
        m = _HALF_RE.fullmatch(s)
        if m:
            whole = parse_number(m.group(1))
            return None if whole is None else whole + Decimal("0.5")
        return None
    if _DIGIT_RE.fullmatch(s):
        try:
            return Decimal(s.replace(",", ""))
        except InvalidOperation:
            return None
    m = _MULT_RE.fullmatch(s)
    if m:
        base = Decimal(m.group(1).replace(",", ""))
        factor = _MULTIPLIERS[m.group(2).lower()]
        tail = Decimal(m.group(3)) * factor / 10 if m.group(3) else 0
        return _plain(base * factor + tail)
    if s[0].isdigit() and any(ch in CN_NUMERAL_CHARS for ch in s):
        # "3万5", "2万零50": digits standing in for a Chinese numeral's digit.
        head = _DIGIT_RE.match(s)
        if head is not None and "." not in head.group(0) and "," not in head.group(0):
            rest = s[head.end() :]
            if rest and rest[0] in "十百千万亿":
                n = parse_cn_integer(_digits_to_cn(head.group(0)) + rest)
                return None if n is None else Decimal(n)
        return None
    if "点" in s:
        return _cn_decimal(s)
    if all(ch in CN_NUMERAL_CHARS for ch in s):
        value = parse_cn_integer(s)
        return None if value is None else Decimal(value)
    if s[0].isascii() and s[0].isalpha():
        return parse_en_number(s)
    return None


def _digits_to_cn(digits: str) -> str:
    n = int(digits)
    if n < 10:
        return "零一二三四五六七八九"[n]
    # Multi-digit heads ("12万") are spelled with units so the grammar can scale them.
    out = ""
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, unit)
        if d:
            out += "零一二三四五六七八九"[d] + ch
        elif out and n:
            out += "零"
    if n:
        out += "零一二三四五六七八九"[n]
    return out


def _plain(value: Decimal) -> Decimal:
    """Drop exponent and needless trailing zeros that multiplication introduces ("3.2"×10000)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()
