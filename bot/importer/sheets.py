"""Reading a CSV or XLSX sheet: header names (English export columns or Chinese) matched to fields."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Header words per field, by kind; matched case-insensitively, ignoring spaces, "_", "-" and "%".
_COMMON = {
    "project": ("project", "项目", "项目编号"),
    "date": ("date", "日期"),
    "note": ("note", "notes", "备注", "说明"),
    "logged_by": ("logged_by", "logged by", "记录人"),
    "currency": ("currency", "币种", "货币"),
    "id": ("id", "编号"),
}
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "labor": _COMMON
    | {
        "user": ("user", "slack user", "用户"),
        "worker": ("worker", "name", "姓名", "工人"),
        "crew": ("crew", "班组"),
        "headcount": ("headcount", "people", "人数"),
        "days_each": ("days", "days each", "工日"),
        "hours_each": ("hours_each", "hours each", "hours", "工时"),
        "man_hours": ("man_hours", "man-hours", "总工时"),
        "overtime_hours": ("overtime_hours", "overtime hours", "overtime", "加班"),
        "rate": ("rate", "单价"),
        "rate_unit": ("rate_unit", "rate unit", "单位"),
        "cost": ("cost", "金额"),
        "task": ("task", "任务"),
        "approved": ("approved",),
    },
    "expenses": _COMMON
    | {
        "amount": ("amount", "金额"),
        "category": ("category", "类别"),
        "vendor": ("vendor", "供应商"),
        "task": ("task", "任务"),
        "receipt": ("receipt", "receipt url", "票据"),
    },
    "tasks": {k: v for k, v in _COMMON.items() if k not in ("date", "id", "currency", "logged_by")}
    | {
        "key": ("key", "id", "编号", "任务编号"),
        "title": ("title", "任务", "名称", "任务名称"),
        "owner": ("owner", "负责人"),
        "status": ("status", "状态"),
        "progress": ("progress", "progress %", "进度"),
        "start": ("start", "开始", "开始日期"),
        "due": ("due", "截止", "截止日期", "完成日期"),
        "weight": ("weight", "权重"),
        "blocker": ("blocker", "受阻原因"),
        "updated_at": ("updated_at", "updated at"),
    },
}
_FOLD_RE = re.compile(r"[\s_\-%()（）]+")
TOTAL_WORDS = {"total", "合计", "总计"}


class SheetError(Exception):
    """A file that cannot be read as a sheet of this kind; the message says why."""


@dataclass(frozen=True)
class Sheet:
    """The matched header (field per column) and the data rows with their spreadsheet row numbers."""

    fields: list[str | None]
    unknown: list[str]
    rows: list[tuple[int, list[Any]]]

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each row as {field: raw value}, skipping blank rows and an export's totals row."""
        for number, cells in self.rows:
            values = {
                f: c
                for f, c in zip(self.fields, cells, strict=False)
                if f is not None and c is not None and (c.__class__ is not str or c.strip())
            }
            if not values:
                continue
            first = cells[0] if cells else None
            if isinstance(first, str) and first.strip().lower() in TOTAL_WORDS and "date" not in values:
                continue
            yield number, values


def _fold(text: str) -> str:
    return _FOLD_RE.sub("", str(text).strip().lower())


def match_header(kind: str, header: list[Any]) -> tuple[list[str | None], list[str]]:
    """The field of each header cell (None for unknown columns) and the unknown names."""
    table = {_fold(word): field for field, words in HEADERS[kind].items() for word in words}
    fields: list[str | None] = []
    unknown: list[str] = []
    for cell in header:
        name = "" if cell is None else str(cell)
        field = table.get(_fold(name))
        if field is not None and field in fields:
            raise SheetError(f"two columns mean {field!r} (the second is {name!r})")
        fields.append(field)
        if field is None and name.strip():
            unknown.append(name.strip())
    return fields, unknown


def read_sheet(kind: str, path: Path) -> Sheet:
    """Read a CSV (UTF-8, with or without BOM) or the first worksheet of an XLSX."""
    if not path.exists():
        raise SheetError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise SheetError(f"{path.name}: use a .csv or .xlsx file")
    if not rows:
        raise SheetError(f"{path.name} is empty")
    fields, unknown = match_header(kind, rows[0])
    if not any(fields):
        raise SheetError(f"{path.name}: no known column in the header row (row 1)")
    return Sheet(fields, unknown, [(n, r) for n, r in enumerate(rows[1:], start=2)])


def _csv_rows(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # spreadsheets saved as CSV on Chinese Windows
        except UnicodeDecodeError:
            raise SheetError(f"{path.name}: not UTF-8 or GB18030 text") from None
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_rows(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged file
        raise SheetError(f"{path.name}: not a readable XLSX ({exc})") from None
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
