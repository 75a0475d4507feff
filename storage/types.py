"""Column types shared by the tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; SQLite hands back naive values, so they are re-tagged as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


_clock: Callable[[], datetime] | None = None


def use_clock(clock: Callable[[], datetime] | None) -> None:
    """Make `utcnow` (so every default timestamp) follow the app's test clock; None: the wall clock."""
    global _clock
    _clock = clock


def utcnow() -> datetime:
    """The current instant, aware, in UTC: the app's test clock when one is on, else the wall clock."""
    clock = _clock
    return datetime.now(UTC) if clock is None else clock().astimezone(UTC)


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact decimal stored as an integer count of 10^-places units (cents for money).

    Integers sum exactly in SQL on every database, unlike SQLite's REAL; a value with more digits than
    the column keeps is rounded half up once, here, the way PostgreSQL's numeric(p, s) rounds.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self._step = Decimal(1).scaleb(-places)

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        exact = value if isinstance(value, Decimal) else Decimal(str(value))
        return int(exact.quantize(self._step, rounding=ROUND_HALF_UP).scaleb(self.places))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places)

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        bound = self.process_bind_param(value, dialect)
        return "NULL" if bound is None else str(bound)

    @property
    def python_type(self) -> type:
        return Decimal


def Money() -> ScaledDecimal:  # noqa: N802 - reads as a column type
    """Money: exact to the cent."""
    return ScaledDecimal(2)


def Quantity() -> ScaledDecimal:  # noqa: N802 - reads as a column type
    """Hours and factors: exact to 0.001."""
    return ScaledDecimal(3)
