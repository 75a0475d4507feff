"""CSV and XLSX export writers for typed columns (contract §7)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Kind = Literal["str", "int", "decimal", "float", "date", "datetime", "bool"]

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DECIMAL_FORMAT = "#,##0.00"
INT_FORMAT = "0"
_MIN_WIDTH = 6
_MAX_WIDTH = 60
# Excel runs a cell starting with one of these as a formula when a CSV is opened (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One exported column: row key, human header, value kind, and whether the XLSX totals row sums it."""

    key: str
    header: str
    kind: Kind
    total: bool = False


LABOR_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", "str"),
    Column("project", "Project", "str"),
    Column("date", "Date", "date"),
    Column("user", "User", "str"),
    Column("worker", "Worker", "str"),
    Column("crew", "Crew", "str"),
    Column("headcount", "Headcount", "int"),
    Column("hours_each", "Hours each", "decimal"),
    Column("man_hours", "Man-hours", "decimal", total=True),
    Column("overtime_hours", "Overtime hours", "decimal", total=True),
    Column("rate", "Rate", "decimal"),
    Column("rate_unit", "Rate unit", "str"),
    Column("cost", "Cost", "decimal", total=True),
    Column("currency", "Currency", "str"),
    Column("task", "Task", "str"),
    Column("note", "Note", "str"),
    Column("logged_by", "Logged by", "str"),
    Column("approved", "Approved", "bool"),
)

EXPENSE_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", "str"),
    Column("project", "Project", "str"),
    Column("date", "Date", "date"),
    Column("amount", "Amount", "decimal", total=True),
    Column("currency", "Currency", "str"),
    Column("category", "Category", "str"),
    Column("vendor", "Vendor", "str"),
    Column("task", "Task", "str"),
    Column("note", "Note", "str"),
    Column("receipt", "Receipt", "str"),
    Column("logged_by", "Logged by", "str"),
)

TASK_COLUMNS: tuple[Column, ...] = (
    Column("key", "Key", "str"),
    Column("project", "Project", "str"),
    Column("title", "Title", "str"),
    Column("owner", "Owner", "str"),
    Column("status", "Status", "str"),
    Column("progress", "Progress %", "int"),
    Column("start", "Start", "date"),
    Column("due", "Due", "date"),
    Column("weight", "Weight", "decimal"),
    Column("blocker", "Blocker", "str"),
    Column("updated_at", "Updated at", "datetime"),
)


def _decimal(value: Any) -> Decimal:
    """A Decimal from a Decimal, int or numeric string; floats go through repr to avoid binary noise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _csv_text(column: Column, value: Any) -> str:
    """One CSV field: ISO dates, '.' decimals, true/false, empty for None."""
    if value is None:
        return ""
    kind = column.kind
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))
    if kind == "decimal":
        # Fixed-point 'f' keeps "1E+3" style exponents out of the file.
        return format(_decimal(value), "f")
    if kind == "float":
        return repr(float(value))
    if kind in ("date", "datetime"):
        return str(value.isoformat())
    text = str(value)
    if text.startswith(_FORMULA_PREFIXES):
        # The OWASP mitigation: a leading apostrophe makes spreadsheets show the text instead of running it.
        return "'" + text
    return text


def write_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel detects Chinese text), header row of column keys."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.key for column in columns])
    for row in rows:
        writer.writerow([_csv_text(column, row.get(column.key)) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def display_width(text: str) -> int:
    """Width of text in monospace cells: East Asian wide and fullwidth characters count double."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _xlsx_value(column: Column, value: Any) -> Any:
    """A cell value of the column's kind, as openpyxl stores it natively."""
    if value is None:
        return None
    kind = column.kind
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "decimal":
        return _decimal(value)
    if kind == "float":
        return float(value)
    if kind == "datetime":
        if isinstance(value, datetime) and value.tzinfo is not None:
            # Excel has no time zones: keep the wall-clock time of the offset the caller chose.
            return value.replace(tzinfo=None)
        return value
    if kind == "date":
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _shown(column: Column, value: Any) -> str:
    """Roughly what Excel shows for a value, to size the column."""
    if value is None:
        return ""
    if column.kind == "decimal":
        return f"{_decimal(value):,.2f}"
    if column.kind == "date" and isinstance(value, date):
        return "0000-00-00"
    if column.kind == "datetime":
        return "0000-00-00 00:00"
    return str(value)


def _number_format(column: Column) -> str | None:
    return {
        "date": DATE_FORMAT,
        "datetime": DATETIME_FORMAT,
        "decimal": DECIMAL_FORMAT,
        "int": INT_FORMAT,
    }.get(column.kind)


def _sheet_title(title: str) -> str:
    """A title Excel accepts: no []:*?/\\ and at most 31 characters."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("_", title).strip("'").strip()
    return cleaned[:31] or "Sheet"


def write_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    sheet_title: str,
    totals_label: str = "Total",
) -> bytes:
    """An XLSX workbook: typed cells, bold frozen header with autofilter, fitted widths, a totals row.

    Totals are written as values rather than SUM formulas, because openpyxl cannot cache a formula's
    result and readers other than Excel would see an empty cell.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _sheet_title(sheet_title)
    bold = Font(bold=True)
    widths = [display_width(column.header) for column in columns]
    # Money is totalled per currency: 3,200 CNY and 480 USD are not 3,680 of anything.
    by_currency = next((i for i, column in enumerate(columns) if column.key == "currency"), None)
    totals_of: dict[Any, list[Any]] = {}

    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = bold
        cell.data_type = "s"

    row_number = 1
    for row in rows:
        row_number += 1
        for index, column in enumerate(columns):
            raw = row.get(column.key)
            value = _xlsx_value(column, raw)
            cell = sheet.cell(row=row_number, column=index + 1, value=value)
            if column.kind == "str" and value is not None:
                # openpyxl turns any string starting with "=" into a formula; user text must stay text.
                cell.data_type = "s"
            number_format = _number_format(column)
            if number_format and value is not None:
                cell.number_format = number_format
            widths[index] = max(widths[index], display_width(_shown(column, raw)))
            if column.total and value is not None:
                group = totals_of.setdefault(
                    row.get("currency") if by_currency is not None else None, [None] * len(columns)
                )
                group[index] = value if group[index] is None else group[index] + value

    last_column = get_column_letter(max(len(columns), 1))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_column}{row_number}"

    if any(column.total for column in columns):
        label_index = next((i for i, column in enumerate(columns) if not column.total), None)
        groups = list(totals_of.items()) or [(None, [None] * len(columns))]
        for offset, (currency, totals) in enumerate(groups, start=1):
            totals_row = row_number + offset
            if label_index is not None:
                label = sheet.cell(row=totals_row, column=label_index + 1, value=totals_label)
                label.data_type = "s"
                label.font = bold
            if by_currency is not None and len(groups) > 1:
                sheet.cell(row=totals_row, column=by_currency + 1, value=currency).font = bold
            for index, column in enumerate(columns):
                if not column.total:
                    continue
                # An empty column still totals to zero, so the row always reads as a number.
                value = totals[index] if totals[index] is not None else 0
                cell = sheet.cell(row=totals_row, column=index + 1, value=value)
                cell.font = bold
                number_format = _number_format(column)
                if number_format:
                    cell.number_format = number_format
                widths[index] = max(widths[index], display_width(_shown(column, value)))

    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(
            max(width + 2, _MIN_WIDTH), _MAX_WIDTH
        )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WAGE_COLUMNS: tuple[Column, ...] = (
    Column("project", "Project", "str"),
    Column("month", "Month", "str"),
    Column("person", "Person", "str"),
    Column("crew", "Crew", "str"),
    Column("days", "Days", "int", total=True),
    Column("man_hours", "Man-hours", "decimal", total=True),
    Column("overtime_hours", "Overtime hours", "decimal", total=True),
    Column("gross", "Gross", "decimal", total=True),
    Column("advances", "Advances", "decimal", total=True),
    Column("paid", "Paid", "decimal", total=True),
    Column("balance", "Balance", "decimal", total=True),
    Column("currency", "Currency", "str"),
    Column("status", "Status", "str"),
)

FUND_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", "str"),
    Column("project", "Project", "str"),
    Column("date", "Date", "date"),
    Column("kind", "Kind", "str"),
    Column("person", "Person", "str"),
    Column("amount", "Amount", "decimal", total=True),
    Column("currency", "Currency", "str"),
    Column("note", "Note", "str"),
    Column("logged_by", "Logged by", "str"),
)
