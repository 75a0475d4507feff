"""Tests for the project calendar: workdays, China's make-up workdays, DST-correct local times."""

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from bot.domain.calendar import ProjectCalendar, parse_workdays


@pytest.fixture(scope="module")
def cn() -> ProjectCalendar:
    return ProjectCalendar(tz="Asia/Shanghai", holidays_country="CN")


@pytest.fixture(scope="module")
def plain() -> ProjectCalendar:
    return ProjectCalendar(tz="UTC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon-Fri", (0, 1, 2, 3, 4)),
        ("Mon-Sat", (0, 1, 2, 3, 4, 5)),
        ("Mon,Tue,Thu", (0, 1, 3)),
        ("mon, tue , thu", (0, 1, 3)),
        ("Monday to Friday", (0, 1, 2, 3, 4)),
        ("Mon–Fri", (0, 1, 2, 3, 4)),
        ("Sun-Thu", (0, 1, 2, 3, 6)),
        ("Fri,Mon-Wed", (0, 1, 2, 4)),
        ("周一至周五", (0, 1, 2, 3, 4)),
        ("周一到周六", (0, 1, 2, 3, 4, 5)),
        ("星期一至星期五", (0, 1, 2, 3, 4)),
        ("周一、周三、周五", (0, 2, 4)),
        ("周一至五", (0, 1, 2, 3, 4)),
        ("周日", (6,)),
    ],
)
def test_parse_workdays(text: str, expected: tuple[int, ...]) -> None:
    assert parse_workdays(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "Funday", "Mon-", "Mon--Fri", "Mon-Tue-Wed", "周八"])
def test_parse_workdays_rejects_bad_input(text: str) -> None:
    with pytest.raises(ValueError, match="workdays"):
        parse_workdays(text)


def test_constructor_validates() -> None:
    with pytest.raises(ValueError, match="timezone"):
        ProjectCalendar(tz="Mars/Olympus")
    with pytest.raises(ValueError, match="workdays"):
        ProjectCalendar(tz="UTC", workdays=())
    with pytest.raises(ValueError, match="workdays"):
        ProjectCalendar(tz="UTC", workdays=(0, 7))
    with pytest.raises(ValueError, match="holiday calendar"):
        ProjectCalendar(tz="UTC", holidays_country="XX")


def test_weekends_without_holidays(plain: ProjectCalendar) -> None:
    # 2026-03-06 is a Friday.
    assert plain.is_workday(date(2026, 3, 6))
    assert not plain.is_workday(date(2026, 3, 7))
    assert not plain.is_workday(date(2026, 3, 8))
    assert plain.is_workday(date(2026, 3, 9))


def test_custom_workdays() -> None:
    mon_sat = ProjectCalendar(tz="UTC", workdays=parse_workdays("Mon-Sat"))
    assert mon_sat.is_workday(date(2026, 3, 7))
    assert not mon_sat.is_workday(date(2026, 3, 8))


def test_china_national_day_2026(cn: ProjectCalendar) -> None:
    for day in range(1, 8):
        assert not cn.is_workday(date(2026, 10, day)), f"2026-10-{day:02} should be a day off"
    assert cn.is_workday(date(2026, 10, 8))


def test_china_makeup_workdays_2026(cn: ProjectCalendar) -> None:
    # Sunday 20 September and Saturday 10 October 2026 are worked to pay for the National Day break.
    assert date(2026, 9, 20).weekday() == 6
    assert date(2026, 10, 10).weekday() == 5
    assert cn.is_makeup_workday(date(2026, 9, 20))
    assert cn.is_workday(date(2026, 9, 20))
    assert cn.is_workday(date(2026, 10, 10))
    # The library's other 2026 make-up days (State Council notice of November 2025).
    for makeup in (date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9)):
        assert cn.is_workday(makeup), makeup
    # An ordinary weekend stays off.
    assert not cn.is_workday(date(2026, 9, 19))
    assert not cn.is_workday(date(2026, 10, 11))


def test_china_spring_festival_2026(cn: ProjectCalendar) -> None:
    # 15-23 February 2026 off (Sun 15 and Sat 21/Sun 22 are weekend days inside the break).
    for day in range(15, 24):
        assert not cn.is_workday(date(2026, 2, day)), day
    assert cn.is_workday(date(2026, 2, 24))


def test_makeup_day_counts_even_off_the_project_week() -> None:
    mon_thu = ProjectCalendar(tz="Asia/Shanghai", workdays=(0, 1, 2, 3), holidays_country="CN")
    assert mon_thu.is_workday(date(2026, 9, 20))
    assert not mon_thu.is_workday(date(2026, 9, 18))  # a Friday, outside the project's week


def test_workdays_between_is_half_open(plain: ProjectCalendar) -> None:
    friday, monday = date(2026, 3, 6), date(2026, 3, 9)
    assert plain.workdays_between(friday, friday) == 0
    assert plain.workdays_between(friday, monday) == 1  # Sat, Sun skipped; Monday counted
    assert plain.workdays_between(date(2026, 3, 2), friday) == 4  # Tue..Fri
    assert plain.workdays_between(monday, friday) == -1


def test_workdays_between_across_national_day(cn: ProjectCalendar) -> None:
    # (30 Sep, 11 Oct]: 1-7 off, 4 and 11 Sunday off; workdays are 8, 9, 10 (make-up Saturday).
    assert cn.workdays_between(date(2026, 9, 30), date(2026, 10, 11)) == 3


def test_add_and_previous_workday(cn: ProjectCalendar, plain: ProjectCalendar) -> None:
    assert plain.add_workdays(date(2026, 3, 6), 1) == date(2026, 3, 9)
    assert plain.add_workdays(date(2026, 3, 9), -1) == date(2026, 3, 6)
    assert plain.add_workdays(date(2026, 3, 7), 0) == date(2026, 3, 7)
    assert plain.add_workdays(date(2026, 3, 2), 10) == date(2026, 3, 16)
    assert cn.previous_workday(date(2026, 10, 8)) == date(2026, 9, 30)
    assert cn.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert cn.previous_workday(date(2026, 9, 21)) == date(2026, 9, 20)
    assert cn.next_workday(date(2026, 9, 30)) == date(2026, 10, 8)


def test_local_date() -> None:
    shanghai = ProjectCalendar(tz="Asia/Shanghai")
    # 16:30 UTC is already 00:30 the next day in Shanghai.
    assert shanghai.local_date(datetime(2026, 3, 1, 16, 30, tzinfo=UTC)) == date(2026, 3, 2)
    assert shanghai.local_date(datetime(2026, 3, 1, 15, 59, tzinfo=UTC)) == date(2026, 3, 1)
    other_offset = datetime(2026, 3, 1, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert shanghai.local_date(other_offset) == date(2026, 3, 2)
    with pytest.raises(ValueError, match="aware"):
        shanghai.local_date(datetime(2026, 3, 1, 12, 0))


@pytest.mark.parametrize(
    ("tz", "day", "expected_utc"),
    [
        # New York: EST (UTC-5) until Sunday 8 March 2026, EDT (UTC-4) after; back on 1 November.
        ("America/New_York", date(2026, 3, 7), datetime(2026, 3, 7, 14, 0, tzinfo=UTC)),
        ("America/New_York", date(2026, 3, 8), datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),
        ("America/New_York", date(2026, 3, 9), datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),
        ("America/New_York", date(2026, 10, 31), datetime(2026, 10, 31, 13, 0, tzinfo=UTC)),
        ("America/New_York", date(2026, 11, 1), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
        ("America/New_York", date(2026, 11, 2), datetime(2026, 11, 2, 14, 0, tzinfo=UTC)),
        # Berlin: CET (UTC+1) until Sunday 29 March 2026, CEST (UTC+2) until Sunday 25 October.
        ("Europe/Berlin", date(2026, 3, 28), datetime(2026, 3, 28, 8, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 3, 29), datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 3, 30), datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 10, 24), datetime(2026, 10, 24, 7, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 10, 25), datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),
        ("Europe/Berlin", date(2026, 10, 26), datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),
        # Shanghai has no DST.
        ("Asia/Shanghai", date(2026, 3, 8), datetime(2026, 3, 8, 1, 0, tzinfo=UTC)),
    ],
)
def test_at_local_nine_across_dst(tz: str, day: date, expected_utc: datetime) -> None:
    cal = ProjectCalendar(tz=tz)
    instant = cal.at_local(day, time(9, 0))
    assert instant == expected_utc
    assert instant.tzinfo is UTC
    assert cal.local_datetime(instant).time() == time(9, 0)
    assert cal.local_date(instant) == day


def test_at_local_in_spring_forward_gap_moves_forward() -> None:
    # 02:30 does not exist on 8 March 2026 in New York (02:00 EST jumps to 03:00 EDT): 03:30 EDT.
    ny = ProjectCalendar(tz="America/New_York")
    instant = ny.at_local(date(2026, 3, 8), time(2, 30))
    assert instant == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert ny.local_datetime(instant).time() == time(3, 30)
    berlin = ProjectCalendar(tz="Europe/Berlin")
    instant = berlin.at_local(date(2026, 3, 29), time(2, 30))
    assert instant == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert berlin.local_datetime(instant).time() == time(3, 30)


def test_at_local_in_fall_back_repeat_is_first_occurrence() -> None:
    # 01:30 happens twice on 1 November 2026 in New York; the first is 01:30 EDT = 05:30 UTC.
    ny = ProjectCalendar(tz="America/New_York")
    assert ny.at_local(date(2026, 11, 1), time(1, 30)) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert ny.at_local(date(2026, 11, 1), time(1, 30, fold=1)) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    berlin = ProjectCalendar(tz="Europe/Berlin")
    assert berlin.at_local(date(2026, 10, 25), time(2, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_holidays_of_other_countries() -> None:
    us = ProjectCalendar(tz="America/New_York", holidays_country="us")
    assert not us.is_workday(date(2026, 7, 3))  # Independence Day (Sat 4th) observed on Friday
    assert not us.is_workday(date(2026, 12, 25))
    assert us.is_workday(date(2026, 12, 24))
    assert not us.is_makeup_workday(date(2026, 12, 26))


@pytest.mark.parametrize("country", [None, "CN", "US"])
def test_workdays_between_matches_a_day_by_day_count(country: str | None) -> None:
    cal = ProjectCalendar(tz="UTC", workdays=(0, 1, 2, 3, 5), holidays_country=country)
    anchors = [
        date(2025, 12, 20),
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 2, 14),
        date(2026, 10, 10),
    ]
    ends = [
        date(2025, 12, 31),
        date(2026, 1, 4),
        date(2026, 3, 1),
        date(2026, 10, 7),
        date(2027, 1, 2),
        date(2028, 3, 1),
    ]
    for a in anchors:
        for b in ends:
            expected = sum(cal.is_workday(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
            if b < a:
                expected = -sum(cal.is_workday(b + timedelta(days=i)) for i in range(1, (a - b).days + 1))
            assert cal.workdays_between(a, b) == expected, (a, b)
