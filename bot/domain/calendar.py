"""A project's working calendar (workdays, holidays, make-up workdays) and its local wall-clock time."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

# Far enough to cross any real holiday season; a calendar that finds no workday within it is broken.
_MAX_SCAN_DAYS = 3660

_WEEKDAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "周一", "星期一", "礼拜一", "一"),
        ("tue", "tues", "tuesday", "周二", "星期二", "礼拜二", "二"),
        ("wed", "weds", "wednesday", "周三", "星期三", "礼拜三", "三"),
        ("thu", "thur", "thurs", "thursday", "周四", "星期四", "礼拜四", "四"),
        ("fri", "friday", "周五", "星期五", "礼拜五", "五"),
        ("sat", "saturday", "周六", "星期六", "礼拜六", "六"),
        ("sun", "sunday", "周日", "周天", "星期日", "星期天", "礼拜日", "礼拜天", "日", "天"),
    )
):
    for _name in _names:
        _WEEKDAY_NAMES[_name] = _index

_ITEM_SEPARATORS = re.compile(r"[,，、;；/\s]+")
_RANGE_SEPARATORS = re.compile(r"\s*(?:-|–|—|~|～|至|到|to)\s*")
_USAGE = 'use day names or ranges, e.g. "Mon-Fri", "Mon,Tue,Thu" or "周一至周五"'


def _weekday(name: str, text: str) -> int:
    """Map one day name (English or Chinese) to its weekday number, Monday = 0."""
    key = name.strip().lower().rstrip(".")
    if key not in _WEEKDAY_NAMES:
        raise ValueError(f"unknown day {name!r} in workdays {text!r}: {_USAGE}")
    return _WEEKDAY_NAMES[key]


def parse_workdays(text: str) -> tuple[int, ...]:
    """Parse a workday set such as "Mon-Fri", "Mon,Tue,Thu" or "周一至周五" into sorted weekday numbers."""
    if not text or not text.strip():
        raise ValueError(f"workdays are empty: {_USAGE}")
    days: set[int] = set()
    normalized = _RANGE_SEPARATORS.sub("-", text.strip())
    for item in _ITEM_SEPARATORS.split(normalized):
        if not item:
            continue
        parts = item.split("-")
        if len(parts) == 1:
            days.add(_weekday(parts[0], text))
        elif len(parts) == 2 and parts[0] and parts[1]:
            first, last = _weekday(parts[0], text), _weekday(parts[1], text)
            # A range may wrap past Sunday (e.g. "Sun-Thu"), as in Sunday-first working weeks.
            span = (last - first) % 7
            days.update((first + step) % 7 for step in range(span + 1))
        else:
            raise ValueError(f"bad range {item!r} in workdays {text!r}: {_USAGE}")
    if not days:
        raise ValueError(f"workdays are empty: {_USAGE}")
    return tuple(sorted(days))


# add_workdays and at_local answers kept per calendar (a few per project setting and day in practice).
_SHIFTS_KEPT = 4096


class ProjectCalendar:
    """Workdays of a project: its weekdays, minus the country's holidays, plus that country's make-up workdays."""

    def __init__(
        self, *, tz: str, workdays: Iterable[int] = (0, 1, 2, 3, 4), holidays_country: str | None = None
    ) -> None:
        try:
            self.zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {tz!r}") from exc
        self.tz = tz
        self.workdays = frozenset(workdays)
        if not self.workdays or not self.workdays <= set(range(7)):
            raise ValueError(
                f"workdays must be a non-empty subset of 0..6 (Mon=0), got {sorted(self.workdays)}"
            )
        self.holidays_country = holidays_country.upper() if holidays_country else None
        self._years: dict[int, holidays.HolidayBase] = {}
        self._cumulative: dict[int, list[int]] = {}
        # add_workdays and at_local answers: projects with the same settings share a calendar, and a tick
        # asks each project the same few dates.
        self._shifted: dict[tuple[date, int], date] = {}
        self._instants: dict[tuple[date, time], datetime] = {}
        self._lock = threading.Lock()
        if self.holidays_country and self.holidays_country not in holidays.list_supported_countries():
            raise ValueError(f"unknown holiday calendar {holidays_country!r}")

    def __repr__(self) -> str:
        return (
            f"ProjectCalendar(tz={self.tz!r}, workdays={tuple(sorted(self.workdays))!r}, "
            f"holidays_country={self.holidays_country!r})"
        )

    def _holidays_for(self, year: int) -> holidays.HolidayBase:
        """The country's holidays of one year, built once and cached."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        assert self.holidays_country is not None
        with self._lock:
            if year not in self._years:
                self._years[year] = holidays.country_holidays(self.holidays_country, years=year)
            return self._years[year]

    def is_holiday(self, d: date) -> bool:
        """Whether d is a public holiday (day off) of the project's holiday calendar."""
        return self.holidays_country is not None and d in self._holidays_for(d.year)

    def is_makeup_workday(self, d: date) -> bool:
        """Whether d is a weekend day that the holiday calendar turns into a workday (China's 调休)."""
        if self.holidays_country is None:
            return False
        # The library records a make-up day with the holiday it pays for, which may be in the next year
        # (e.g. a late-December Saturday worked for the New Year break).
        return any(d in self._holidays_for(year).weekend_workdays for year in (d.year, d.year + 1))

    def is_workday(self, d: date) -> bool:
        """Whether work is scheduled on d: a project weekday that is not a holiday, or a make-up workday."""
        if d.weekday() in self.workdays and not self.is_holiday(d):
            return True
        return self.is_makeup_workday(d)

    def _year_counts(self, year: int) -> list[int]:
        """Running workday counts of a year: item i is the number of workdays from 1 January to day i + 1."""
        counts = self._cumulative.get(year)
        if counts is None:
            counts = []
            running = 0
            day = date(year, 1, 1)
            while day.year == year:
                running += self.is_workday(day)
                counts.append(running)
                day += timedelta(days=1)
            self._cumulative[year] = counts
        return counts

    def _workdays_through(self, d: date) -> int:
        """Workdays from 1 January of d's year up to and including d."""
        return self._year_counts(d.year)[d.timetuple().tm_yday - 1]

    def workdays_between(self, a: date, b: date) -> int:
        """Count workdays d with a < d <= b (a excluded, b included); negative count of (b, a] when b < a."""
        if b < a:
            return -self.workdays_between(b, a)
        # Running counts per year make this O(years) rather than O(days): planned % asks it per task per day.
        if a.year == b.year:
            return self._workdays_through(b) - self._workdays_through(a)
        rest_of_first = self._year_counts(a.year)[-1] - self._workdays_through(a)
        whole_years = sum(self._year_counts(year)[-1] for year in range(a.year + 1, b.year))
        return rest_of_first + whole_years + self._workdays_through(b)

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th workday after d (before d when n < 0); d itself when n == 0."""
        found = self._shifted.get((d, n))
        if found is None:
            if len(self._shifted) >= _SHIFTS_KEPT:
                self._shifted.clear()
            found = self._shifted[(d, n)] = self._add_workdays(d, n)
        return found

    def _add_workdays(self, d: date, n: int) -> date:
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        current = d
        scanned = 0
        while remaining:
            current += step
            scanned += 1
            if scanned > _MAX_SCAN_DAYS * max(1, abs(n)):
                raise ValueError(f"no workday found near {d.isoformat()} in {self!r}")
            if self.is_workday(current):
                remaining -= 1
        return current

    def previous_workday(self, d: date) -> date:
        """The latest workday strictly before d."""
        return self.add_workdays(d, -1)

    def next_workday(self, d: date) -> date:
        """The earliest workday strictly after d."""
        return self.add_workdays(d, 1)

    def local_date(self, instant: datetime) -> date:
        """The project's calendar date at an aware instant."""
        return self.local_datetime(instant).date()

    def local_datetime(self, instant: datetime) -> datetime:
        """An aware instant expressed in the project's timezone."""
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("instant must be timezone-aware")
        return instant.astimezone(self.zone)

    def at_local(self, d: date, t: time) -> datetime:
        """The aware UTC instant when the project's wall clock shows t on d.

        A time skipped by a spring-forward change is moved forward by the gap (02:30 → 03:30);
        a time repeated by a fall-back change means its first occurrence.
        """
        found = self._instants.get((d, t))
        if found is None:
            if len(self._instants) >= _SHIFTS_KEPT:
                self._instants.clear()
            # fold=0 resolves both cases as documented: in a gap it applies the offset from before the
            # change (so the wall time lands after it, shifted by the gap), in a repeat the earlier offset.
            local = datetime.combine(d, t.replace(tzinfo=None, fold=0), tzinfo=self.zone)
            found = self._instants[(d, t)] = local.astimezone(UTC)
        return found
