"""Tests for the CSV and XLSX writers: typed values, Chinese text and the contract's column order."""

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from openpyxl import load_workbook

from bot.reports.writers import (
    EXPENSE_COLUMNS,
    LABOR_COLUMNS,
    TASK_COLUMNS,
    Column,
    display_width,
    write_csv,
    write_xlsx,
)

LABOR_ROWS = [
    {
        "id": "L-1",
        "project": "GZ-01",
        "date": date(2026, 3, 2),
        "user": "U123",
        "worker": None,
        "crew": "钢筋班",
        "headcount": 5,
        "hours_each": Decimal("8"),
        "man_hours": Decimal("40"),
        "overtime_hours": Decimal("2.5"),
        "rate": Decimal("300"),
        "rate_unit": "day",
        "cost": Decimal("1593.75"),
        "currency": "CNY",
        "task": "T-12",
        "note": "等钢筋到货, then tie",
        "logged_by": "U999",
        "approved": True,
    },
    {
        "id": "L-2",
        "project": "GZ-01",
        "date": date(2026, 3, 3),
        "user": None,
        "worker": "老王",
        "crew": "木工班",
        "headcount": 1,
        "hours_each": Decimal("7.5"),
        "man_hours": Decimal("7.5"),
        "overtime_hours": Decimal("0"),
        "rate": None,
        "rate_unit": None,
        "cost": None,
        "currency": "CNY",
        "task": None,
        "note": "=1+1",
        "logged_by": "U999",
        "approved": False,
    },
]


def test_contract_column_order() -> None:
    assert ",".join(c.key for c in LABOR_COLUMNS) == (
        "id,project,date,user,worker,crew,headcount,hours_each,man_hours,overtime_hours,rate,rate_unit,"
        "cost,currency,task,note,logged_by,approved"
    )
    assert ",".join(c.key for c in EXPENSE_COLUMNS) == (
        "id,project,date,amount,currency,category,vendor,task,note,receipt,logged_by"
    )
    assert ",".join(c.key for c in TASK_COLUMNS) == (
        "key,project,title,owner,status,progress,start,due,weight,blocker,updated_at"
    )


def test_csv_has_bom_and_survives_chinese_round_trip() -> None:
    data = write_csv(LABOR_COLUMNS, LABOR_ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [c.key for c in LABOR_COLUMNS]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["crew"] == "钢筋班"
    assert first["note"] == "等钢筋到货, then tie"
    assert first["date"] == "2026-03-02"
    assert first["hours_each"] == "8"
    assert first["overtime_hours"] == "2.5"
    assert first["cost"] == "1593.75"
    assert first["approved"] == "true"
    assert first["worker"] == ""
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["worker"] == "老王"
    assert second["rate"] == "" and second["cost"] == ""
    assert second["approved"] == "false"
    # A formula-looking note is defused for spreadsheet apps.
    assert second["note"] == "'=1+1"


def test_csv_reads_back_with_dictreader_from_a_file(tmp_path) -> None:
    path = tmp_path / "labor.csv"
    path.write_bytes(write_csv(LABOR_COLUMNS, LABOR_ROWS))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["crew"] for row in rows] == ["钢筋班", "木工班"]
    assert list(rows[0]) == [c.key for c in LABOR_COLUMNS]


def test_csv_number_and_time_formats() -> None:
    columns = [
        Column("d", "D", "decimal"),
        Column("f", "F", "float"),
        Column("i", "I", "int"),
        Column("t", "T", "datetime"),
    ]
    row = {"d": Decimal("1E+3"), "f": 0.1, "i": 7, "t": datetime(2026, 3, 2, 8, 30, tzinfo=UTC)}
    text = write_csv(columns, [row]).decode("utf-8-sig")
    assert text.splitlines()[1] == "1000,0.1,7,2026-03-02T08:30:00+00:00"
    assert text.endswith("\r\n")


def test_csv_with_no_rows_is_just_the_header() -> None:
    assert (
        write_csv(EXPENSE_COLUMNS, []).decode("utf-8-sig")
        == ",".join(c.key for c in EXPENSE_COLUMNS) + "\r\n"
    )


def _load(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_xlsx_typed_cells_header_and_freeze() -> None:
    sheet = _load(write_xlsx(LABOR_COLUMNS, LABOR_ROWS, sheet_title="点工汇总 2026-03"))
    assert sheet.title == "点工汇总 2026-03"
    header = [cell.value for cell in sheet[1]]
    assert header == [c.header for c in LABOR_COLUMNS]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:R3"
    cells = {c.key: sheet.cell(row=2, column=i + 1) for i, c in enumerate(LABOR_COLUMNS)}
    assert isinstance(cells["date"].value, datetime)
    assert cells["date"].value.date() == date(2026, 3, 2)
    assert cells["date"].number_format == "yyyy-mm-dd"
    assert cells["id"].value == "L-1"  # contract §7: the id column holds the record's key
    assert isinstance(cells["headcount"].value, int) and cells["headcount"].value == 5
    assert isinstance(cells["man_hours"].value, int | float) and cells["man_hours"].value == 40
    assert cells["cost"].value == 1593.75
    assert cells["approved"].value is True
    assert cells["crew"].value == "钢筋班"
    assert cells["note"].value == "等钢筋到货, then tie"
    assert cells["worker"].value is None
    # A note starting with "=" stays text, not a formula.
    note = sheet.cell(row=3, column=[c.key for c in LABOR_COLUMNS].index("note") + 1)
    assert note.value == "=1+1" and note.data_type == "s"


def test_xlsx_totals_row_holds_values() -> None:
    sheet = _load(write_xlsx(LABOR_COLUMNS, LABOR_ROWS, sheet_title="Labor", totals_label="合计"))
    keys = [c.key for c in LABOR_COLUMNS]
    totals = {key: sheet.cell(row=4, column=i + 1).value for i, key in enumerate(keys)}
    assert totals["id"] == "合计"
    assert totals["man_hours"] == 47.5  # 40 + 7.5
    assert totals["overtime_hours"] == 2.5
    assert totals["cost"] == 1593.75  # the missing cost is skipped, not counted as zero
    assert totals["headcount"] is None  # not a total column
    assert sheet.cell(row=4, column=keys.index("cost") + 1).font.bold
    assert sheet.max_row == 4


def test_xlsx_totals_of_empty_export_are_zero() -> None:
    sheet = _load(write_xlsx(EXPENSE_COLUMNS, [], sheet_title="Expenses"))
    assert sheet.max_row == 2
    assert sheet.cell(row=2, column=1).value == "Total"
    assert sheet.cell(row=2, column=4).value == 0


def test_xlsx_tasks_with_datetimes_and_no_totals() -> None:
    shanghai = timezone(timedelta(hours=8))
    rows = [
        {
            "key": "T-12",
            "project": "GZ-01",
            "title": "二层楼板钢筋绑扎",
            "owner": "U1",
            "status": "in_progress",
            "progress": 70,
            "start": date(2026, 3, 2),
            "due": None,
            "weight": Decimal("3"),
            "blocker": None,
            "updated_at": datetime(2026, 3, 5, 17, 45, tzinfo=shanghai),
        }
    ]
    sheet = _load(write_xlsx(TASK_COLUMNS, rows, sheet_title="Tasks"))
    assert sheet.max_row == 2
    assert sheet["C2"].value == "二层楼板钢筋绑扎"
    assert sheet["F2"].value == 70
    assert sheet["H2"].value is None
    # The wall-clock time of the given offset is kept (Excel has no time zones).
    assert sheet["K2"].value == datetime(2026, 3, 5, 17, 45)
    assert sheet["K2"].number_format == "yyyy-mm-dd hh:mm"


def test_xlsx_column_widths_count_cjk_double() -> None:
    columns = [Column("a", "A", "str"), Column("b", "B", "str")]
    rows = [{"a": "钢筋班钢筋班钢筋班钢筋班", "b": "rebarrebarrebarrebar"}]
    sheet = _load(write_xlsx(columns, rows, sheet_title="W"))
    assert display_width("钢筋班钢筋班钢筋班钢筋班") == 24
    assert sheet.column_dimensions["A"].width == 26
    assert sheet.column_dimensions["B"].width == 22


def test_xlsx_sheet_title_is_sanitized() -> None:
    sheet = _load(
        write_xlsx([Column("a", "A", "str")], [], sheet_title="Labor [2026/03] a very long title indeed")
    )
    assert sheet.title == "Labor _2026_03_ a very long tit"
