"""Generated statements and random text: the parser reads exactly what was written, and nothing else.

(a) statements built from a small grammar (amount × currency × category × date phrase × word order, in
    English and Chinese; hours × headcount × date × order for labor) parse to exactly the built values;
(b) random text never yields a record holding a number that is not in the text;
(c) random text up to 4,000 characters parses within a generous deadline (no catastrophic backtracking).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.parsing.parse_support import run

TODAY = "2026-11-26"  # parse_support's NOW is Thursday 2026-11-26 in Shanghai
_CN_DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """The standard Chinese numeral for 0 < n < 10^8 (三千二百零四, 一万零四十, 一百二十万), built independently."""

    def below_10k(v: int, leading: bool) -> str:
        out = ""
        zero = False
        for unit, ch in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, v = divmod(v, unit)
            if d:
                if zero or (not leading and not out and unit < 1000):
                    out += "零"
                out += _CN_DIGITS[d] + ch
                zero = False
            elif out:
                zero = v > 0
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return below_10k(low, True)
    text = below_10k(high, True) + "万"
    if low:
        text += below_10k(low, False) if low >= 1000 else "零" + below_10k(low, True)
    return text


DATES = [
    (None, TODAY), ("yesterday", "2026-11-25"), ("昨天", "2026-11-25"), ("前天", "2026-11-24"),
    ("上周五", "2026-11-20"), ("周一", "2026-11-23"), ("11月24日", "2026-11-24"), ("3天前", "2026-11-23"),
    ("20号", "2026-11-20"), ("上个月30号", "2026-10-30"), ("Mon", "2026-11-23"), ("24 Nov", "2026-11-24"),
    ("2026-11-24", "2026-11-24"), ("11/24", "2026-11-24"), ("the 20th", "2026-11-20"),
    ("last Friday", "2026-11-20"), ("3 days ago", "2026-11-23"), ("上週五", "2026-11-20"),
    ("禮拜一", "2026-11-23"), ("十一月二十号", "2026-11-20"),
]  # fmt: skip
CATEGORIES = [
    (None, "other"), ("cement", "material"), ("rebar", "material"), ("crane rental", "equipment"),
    ("excavator", "equipment"), ("wages", "labor"), ("subcontract", "subcontract"), ("水泥", "material"),
    ("钢筋", "material"), ("吊车", "equipment"), ("人工", "labor"), ("分包", "subcontract"),
]  # fmt: skip
PREFIXES = [("¥", "CNY"), ("$", "USD"), ("€", "EUR"), ("US$", "USD"), ("RMB ", "CNY"), ("USD ", "USD"),
            ("EUR ", "EUR"), ("CNY ", "CNY")]  # fmt: skip
SUFFIXES = [("元", "CNY"), ("块", "CNY"), ("美元", "USD"), ("欧元", "EUR"), (" dollars", "USD"), (" euros", "EUR"),
            (" yuan", "CNY"), (" USD", "USD"), ("$", "USD"), ("€", "EUR"), ("人民币", "CNY")]  # fmt: skip


@st.composite
def expense_statements(draw: st.DrawFn) -> tuple[str, Decimal, str, str, str]:
    """(text, amount, currency, category, date) from the expense grammar."""
    n = draw(st.integers(min_value=1, max_value=99_999_999))
    form = draw(st.sampled_from(["digits", "commas", "decimal", "chinese", "wan", "k"]))
    amount = Decimal(n)
    if form == "commas":
        written = f"{n:,}"
    elif form == "decimal":
        cents = draw(st.integers(min_value=1, max_value=99))
        written = f"{n}.{cents:02d}"
        amount = Decimal(written)
    elif form == "chinese":
        written = chinese(n)
    elif form == "wan" and n >= 10_000 and n % 1000 == 0:
        written = f"{Decimal(n) / 10_000}万"
    elif form == "k" and n >= 1000 and n % 100 == 0:
        written = f"{Decimal(n) / 1000}k"
    else:
        written = str(n)
    style = draw(st.sampled_from(["prefix", "suffix", "none"] if form != "chinese" else ["suffix"]))
    if style == "prefix":
        symbol, currency = draw(st.sampled_from(PREFIXES))
        money = symbol + written
    elif style == "suffix":
        options = SUFFIXES if form != "chinese" else [s for s in SUFFIXES if "\u4e00" <= s[0][0] <= "\u9fff"]
        suffix, currency = draw(st.sampled_from(options))
        money = written + suffix
    else:
        money, currency = written, "CNY"
    phrase, day = draw(st.sampled_from(DATES))
    category_word, category = draw(st.sampled_from(CATEGORIES))
    parts = [p for p in (phrase, category_word) if p]
    if style == "none":
        # A bare number right after an English day-month is read as its year ("14th April 15"): amount first.
        parts = draw(st.permutations(parts))
        words = [money, *parts]
    else:
        words = draw(st.permutations([money, *parts]))
    return " ".join(words), amount, currency, category, day


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statement=expense_statements())
def test_generated_expenses_parse_to_their_values(statement: tuple[str, Decimal, str, str, str]) -> None:
    text, amount, currency, category, day = statement
    out = run(text, "/expense", currency="CNY").to_contract()
    assert out["error"] is None, (text, out)
    assert Decimal(out["expense"]["amount"]) == amount, (text, out)
    assert out["expense"]["currency"] == currency, (text, out)
    assert out["expense"]["category"] == category, (text, out)
    assert out["date"] == day, (text, out)


HOUR_FORMS = [
    "{h}h",
    "{h} hours",
    "{h}小时",
    "{cn}小时",
    "{cn}个小时",
    "{h}小時",
    "{h}h{m}m",
    "{h} hrs {m} min",
]
HEAD_FORMS = ["{n}人", "{n} workers", "{cn}个人", "{n}個人", "x{n}"]


@st.composite
def labor_statements(draw: st.DrawFn) -> tuple[str, float, int, str]:
    """(text, hours each, headcount, date) from the labor grammar."""
    hours = draw(st.integers(min_value=1, max_value=12))
    minutes = draw(st.sampled_from([15, 30, 45]))
    form = draw(st.sampled_from(HOUR_FORMS))
    each = hours + (minutes / 60 if "{m}" in form else 0.0)
    hour_text = form.format(h=hours, m=minutes, cn=chinese(hours))
    heads = draw(st.integers(min_value=1, max_value=30))
    head_text = None if heads == 1 else draw(st.sampled_from(HEAD_FORMS)).format(n=heads, cn=chinese(heads))
    phrase, day = draw(st.sampled_from(DATES))
    words = draw(st.permutations([p for p in (hour_text, head_text, phrase) if p]))
    return " ".join(words), each, heads, day


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statement=labor_statements())
def test_generated_labor_parses_to_its_values(statement: tuple[str, float, int, str]) -> None:
    text, each, heads, day = statement
    out = run(text, "/log-labor").to_contract()
    assert out["error"] is None, (text, out)
    assert abs(out["labor"]["hours_each"] - each) < 1e-3, (text, out)
    assert out["labor"]["headcount"] == heads, (text, out)
    assert out["date"] == day, (text, out)


# (b) Random text from digits, separators, units and a few words; no Chinese numerals or number words, so
# every number a record may hold must come from the digits written.
_ALPHABET = "0123456789 .,:-/%$¥€kK元块人小时天号月日hm"
_WORDS = ["paid", "worked", "h", "hours", "workers", "元", "人", "yesterday", "昨天", "T-3", "done", "ot",
          "lunch", "crew", "rate", "/day", "x", "each", "各", "加班", "total", "ago", "半天", "完成"]  # fmt: skip
RANDOM_TEXT = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.text(alphabet=_ALPHABET, max_size=6)), max_size=10
).map(" ".join)
_NUMBER_RE = re.compile(r"\d*\.\d+|\d+(?:\.\d+)?")


def _numbers_in(text: str) -> set[Decimal]:
    """Every value the digits of text can stand for, with separators read or not, and any multiplier."""
    values: set[Decimal] = set()
    for candidate in (text, re.sub(r"(?<=\d),(?=\d)", "", text)):
        tokens = [Decimal(t) for t in _NUMBER_RE.findall(candidate)]
        for t in tokens:
            for factor in (1, 1000):
                values.add(t * factor)
                values.update(t * factor + Decimal(d) * factor / 10 for d in range(10))
    return values


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=RANDOM_TEXT, command=st.sampled_from([None, "/log-labor", "/expense", "/task"]))
def test_random_text_never_invents_a_number(text: str, command: str | None) -> None:
    out = run(text, command).to_contract()
    if out["error"] is not None or out["intent"] == "none":
        return
    numbers = _numbers_in(text)
    if out["expense"] is not None:
        assert Decimal(out["expense"]["amount"]) in numbers, (text, out)
    if out["task_update"] is not None and out["task_update"]["progress"] is not None:
        assert Decimal(out["task_update"]["progress"]) in numbers | {Decimal(100), Decimal(50)}, (text, out)
    labor = out["labor"]
    if labor is not None:
        named = len(labor["users"]) + len(labor["workers"])
        assert labor["headcount"] is None or Decimal(labor["headcount"]) in numbers | {1, named}, (text, out)
        if not re.search(r"[:\-/到点~]", text):
            hours = Decimal(str(labor["hours_each"]))
            heads = Decimal(labor["headcount"] or 1)
            derived = set()
            for n in numbers | {Decimal("0.5"), Decimal(1)}:
                for v in (n, n + Decimal("0.5"), n / 60, n * 8, (n + Decimal("0.5")) * 8, n / 2 * 8):
                    derived.update({v, v / heads})
            assert any(abs(hours - v) < Decimal("0.001") for v in derived), (text, out)


# (c) Linear time: long random text and long runs of one fragment, under a generous per-example deadline.
_FRAGMENTS = ["8", "8 ", "1,", "8h ", "三", "1点", "1:", "-", "a", "T-1 ", "11/24 ", "7:30-17:00 ", "张三", "元",
              "one and ", "¥", " ", "号", "1e", "百分之"]  # fmt: skip
LONG_TEXT = st.one_of(
    st.text(alphabet=_ALPHABET + "abcdefT张三李四今天各干了个加班", max_size=4000),
    st.builds(lambda fragment, n: (fragment * n)[:4000], st.sampled_from(_FRAGMENTS), st.integers(1, 4000)),
)


@settings(
    max_examples=60, deadline=timedelta(milliseconds=1500), suppress_health_check=[HealthCheck.too_slow]
)
@given(text=LONG_TEXT, command=st.sampled_from([None, "/log-labor", "/expense", "/task"]))
def test_long_text_parses_within_deadline(text: str, command: str | None) -> None:
    out = run(text, command).to_contract()
    assert out["intent"] in {"labor", "clock_in", "clock_out", "expense", "task_update", "none"}
