"""Tests for earned value, with the expected figures worked out by hand in the comments."""

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.calendar import ProjectCalendar
from bot.domain.metrics import EarnedValue, TaskProgress, earned_value, percent_complete, planned_percent

D = Decimal
# Mon-Fri, no holidays. March 2026: Mon 2, Fri 6, Mon 9, Fri 13, Mon 16, Fri 20.
CAL = ProjectCalendar(tz="UTC")
CN = ProjectCalendar(tz="Asia/Shanghai", holidays_country="CN")

# A: weight 2, 50 % done, planned Mon 2 -> Fri 13 March (9 workdays after the start: 3-6, 9-13).
TASK_A = TaskProgress(weight=D(2), progress=50, start=date(2026, 3, 2), due=date(2026, 3, 13))
# B: weight 1, done, no start (a step to 100 % on its due date Fri 6 March).
TASK_B = TaskProgress(weight=D(1), progress=100, start=None, due=date(2026, 3, 6))
# C: weight 1, not started, planned Tue 10 -> Fri 20 March.
TASK_C = TaskProgress(weight=D(1), progress=0, start=date(2026, 3, 10), due=date(2026, 3, 20))
MONDAY_9 = date(2026, 3, 9)


def test_percent_complete_weighted() -> None:
    # (2×50 + 1×100 + 1×0) / (2+1+1) = 200 / 4 = 50.
    assert percent_complete([TASK_A, TASK_B, TASK_C]) == D("50.00")


def test_percent_complete_rounds_and_clamps() -> None:
    thirds = [
        TaskProgress(D(1), 0, None, None),
        TaskProgress(D(1), 0, None, None),
        TaskProgress(D(1), 1, None, None),
    ]
    # 1/3 = 0.333… -> 0.33.
    assert percent_complete(thirds) == D("0.33")
    # Progress outside 0..100 is clamped: (100 + 0) / 2 = 50.
    assert percent_complete([TaskProgress(D(1), 150, None, None), TaskProgress(D(1), -5, None, None)]) == D(
        "50.00"
    )
    # Fractional weights: (0.5×80 + 1.5×20) / 2 = (40 + 30) / 2 = 35.
    assert (
        percent_complete([TaskProgress(D("0.5"), 80, None, None), TaskProgress(D("1.5"), 20, None, None)])
        == 35
    )


def test_percent_complete_without_weight_is_zero() -> None:
    assert percent_complete([]) == 0
    assert percent_complete([TaskProgress(D(0), 80, None, None)]) == 0


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 2, 27), D("0.00")),  # before the start
        (date(2026, 3, 2), D("0.00")),  # on the start: no workday elapsed yet
        (date(2026, 3, 3), D("11.11")),  # 1 of 9 workdays = 11.111…
        (date(2026, 3, 6), D("44.44")),  # 4 of 9 = 44.444…
        (date(2026, 3, 7), D("44.44")),  # Saturday adds nothing
        (date(2026, 3, 8), D("44.44")),  # nor Sunday
        (MONDAY_9, D("55.56")),  # 5 of 9 = 55.555… -> 55.56
        (date(2026, 3, 12), D("88.89")),  # 8 of 9 = 88.888…
        (date(2026, 3, 13), D("100.00")),  # due date
        (date(2026, 4, 1), D("100.00")),  # after
    ],
)
def test_planned_percent_linear_in_workdays(on: date, expected: Decimal) -> None:
    assert planned_percent(TASK_A, on, CAL) == expected


def test_planned_percent_missing_dates() -> None:
    no_due = TaskProgress(D(1), 0, date(2026, 3, 2), None)
    assert planned_percent(no_due, date(2030, 1, 1), CAL) == 0
    # No start: a step at the due date.
    assert planned_percent(TASK_B, date(2026, 3, 5), CAL) == 0
    assert planned_percent(TASK_B, date(2026, 3, 6), CAL) == 100
    # A start after the due date is treated the same way.
    backwards = TaskProgress(D(1), 0, date(2026, 3, 20), date(2026, 3, 10))
    assert planned_percent(backwards, date(2026, 3, 9), CAL) == 0
    assert planned_percent(backwards, date(2026, 3, 10), CAL) == 100


def test_planned_percent_without_workdays_in_span_is_a_step() -> None:
    # Saturday 7 -> Sunday 8 March: zero workdays between, so 0 until the due date, 100 from it.
    weekend = TaskProgress(D(1), 0, date(2026, 3, 7), date(2026, 3, 8))
    assert planned_percent(weekend, date(2026, 3, 7), CAL) == 0
    assert planned_percent(weekend, date(2026, 3, 8), CAL) == 100


def test_planned_percent_skips_chinese_holidays() -> None:
    # 30 Sep -> Mon 12 Oct 2026: workdays after the start are 8, 9, 10 (make-up Saturday) and 12 = 4.
    golden_week = TaskProgress(D(1), 0, date(2026, 9, 30), date(2026, 10, 12))
    assert planned_percent(golden_week, date(2026, 10, 7), CN) == D("0.00")  # the break: nothing planned
    assert planned_percent(golden_week, date(2026, 10, 9), CN) == D("50.00")  # 2 of 4
    assert planned_percent(golden_week, date(2026, 10, 10), CN) == D("75.00")  # 3 of 4 (make-up day)
    assert planned_percent(golden_week, date(2026, 10, 11), CN) == D("75.00")  # Sunday


def test_earned_value_worked_example() -> None:
    # On Mon 9 March, BAC 100,000, AC 40,000:
    #   % complete = 50 (see above)                     EV = 100,000 × 50 % = 50,000.00
    #   planned %  = (2×500/9 + 1×100 + 1×0) / 4 = (1000/9 + 900/9) / 4 = 1900/36 = 52.777… -> 52.78
    #   PV  = 100,000 × 52.777… % = 52,777.777… -> 52,777.78
    #   CPI = 50,000 / 40,000 = 1.25 -> 1.250
    #   SPI = 50,000 / 52,777.777… = 1800/1900 = 0.947368… -> 0.947
    #   EAC = 100,000 / 1.25 = 80,000.00
    result = earned_value(bac=D(100000), tasks=[TASK_A, TASK_B, TASK_C], ac=D(40000), on=MONDAY_9, cal=CAL)
    assert result == EarnedValue(
        bac=D(100000),
        pct_complete=D("50.00"),
        planned_pct=D("52.78"),
        ev=D("50000.00"),
        pv=D("52777.78"),
        ac=D(40000),
        cpi=D("1.250"),
        spi=D("0.947"),
        eac=D("80000.00"),
    )
    assert str(result.cpi) == "1.250" and str(result.eac) == "80000.00"


def test_earned_value_over_budget_example() -> None:
    # One task, 30 % done, planned 0 -> 100 over Mon 2 .. Fri 13 March, on Fri 6 March (4/9 elapsed).
    #   EV  = 250,000 × 30 % = 75,000.00;   PV = 250,000 × 44.444… % = 111,111.111… -> 111,111.11
    #   CPI = 75,000 / 90,000.50 = 0.833328… -> 0.833
    #   SPI = 75,000 / 111,111.11… = 0.675 exactly
    #   EAC = 250,000 × 90,000.50 / 75,000 = 300,001.666… -> 300,001.67
    task = TaskProgress(D(1), 30, date(2026, 3, 2), date(2026, 3, 13))
    result = earned_value(bac=D(250000), tasks=[task], ac=D("90000.50"), on=date(2026, 3, 6), cal=CAL)
    assert (result.ev, result.pv) == (D("75000.00"), D("111111.11"))
    assert (result.cpi, result.spi, result.eac) == (D("0.833"), D("0.675"), D("300001.67"))


def test_no_actual_cost_leaves_cpi_and_eac_undefined() -> None:
    # AC = 0: CPI = EV/0 and EAC = BAC/CPI are undefined; SPI = 50,000 / 52,777.78 still is.
    result = earned_value(bac=D(100000), tasks=[TASK_A, TASK_B, TASK_C], ac=D(0), on=MONDAY_9, cal=CAL)
    assert result.cpi is None and result.eac is None
    assert result.spi == D("0.947")


def test_no_earned_value_leaves_cpi_and_eac_undefined() -> None:
    # Nothing done yet but money spent: EV = 0, CPI = 0 would give EAC = BAC/0, so both are None;
    # SPI = 0 / PV = 0 is defined (PV = 100,000 × 55.555… % = 55,555.56).
    started = TaskProgress(D(1), 0, date(2026, 3, 2), date(2026, 3, 13))
    result = earned_value(bac=D(100000), tasks=[started], ac=D(5000), on=MONDAY_9, cal=CAL)
    assert result.ev == 0 and result.pv == D("55555.56")
    assert result.cpi is None and result.eac is None
    assert result.spi == D("0.000")


def test_no_planned_value_leaves_spi_undefined() -> None:
    # Before any task starts PV = 0: SPI = EV/0 undefined; CPI = 10,000 / 2,000 = 5 is fine.
    early = TaskProgress(D(1), 10, date(2026, 3, 16), date(2026, 3, 20))
    result = earned_value(bac=D(100000), tasks=[early], ac=D(2000), on=MONDAY_9, cal=CAL)
    assert result.pv == 0 and result.spi is None
    assert result.ev == D("10000.00") and result.cpi == D("5.000") and result.eac == D("20000.00")


def test_empty_project_is_all_undefined() -> None:
    result = earned_value(bac=D(100000), tasks=[], ac=D(0), on=MONDAY_9, cal=CAL)
    assert (result.pct_complete, result.planned_pct, result.ev, result.pv) == (0, 0, 0, 0)
    assert (result.cpi, result.spi, result.eac) == (None, None, None)


def test_zero_budget() -> None:
    # BAC 0: EV = PV = 0, so every ratio is undefined even with progress and cost.
    result = earned_value(bac=D(0), tasks=[TASK_A], ac=D(100), on=MONDAY_9, cal=CAL)
    assert (result.ev, result.pv, result.cpi, result.spi, result.eac) == (0, 0, None, None, None)


def test_accepts_a_generator() -> None:
    result = earned_value(bac=D(1000), tasks=(t for t in [TASK_A, TASK_B]), ac=D(100), on=MONDAY_9, cal=CAL)
    # (2×50 + 100) / 3 = 66.666… -> 66.67; EV = 666.666… -> 666.67.
    assert result.pct_complete == D("66.67") and result.ev == D("666.67")
