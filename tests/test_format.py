"""Money, percentages and ratios as every post, report and export shows them (contract §8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.views.format import money, percent, ratio


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("3200"), "CNY", "¥3,200.00"),
        (Decimal("0.005"), "CNY", "¥0.01"),
        (Decimal("-4950.5"), "CNY", "-¥4,950.50"),
        (Decimal("-0.004"), "USD", "$0.00"),
        (Decimal("1000"), "SGD", "1,000.00 SGD"),
        (Decimal("-12.345"), "SGD", "-12.35 SGD"),
    ],
)
def test_money_is_rounded_once_half_up_with_the_sign_before_the_symbol(
    amount: Decimal, currency: str, shown: str
) -> None:
    assert money(amount, currency) == shown


def test_percent_and_ratio_round_once_half_up() -> None:
    assert percent(Decimal("23.5453"), "en") == "23.5%"
    assert percent(Decimal("55"), "zh") == "55%"
    assert percent(None, "zh") == "暂无"
    assert ratio(Decimal("0.77495"), "en") == "0.77"
