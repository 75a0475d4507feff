"""The wage sheet (工资表) as an XLSX to print and sign: headers in the project's language, one row per
person, a totals row, and a signature column (people without Slack sign the printout)."""

from __future__ import annotations

from typing import Any

from bot.domain.wages import Sheet
from bot.reports.writers import Column, write_xlsx
from bot.views.catalog import t
from bot.views.wage_views import status_text

_HEADERS = {
    "en": ("Person", "Crew", "Days", "Man-hours", "Overtime hours", "Gross", "Advances", "Paid", "Balance",
           "Status", "Note"),
    "zh": ("姓名", "班组", "出勤天数", "工时", "加班工时", "应发工资", "借支", "已发", "余额", "确认状态", "备注"),
}  # fmt: skip
_KEYS = ("person", "crew", "days", "man_hours", "overtime_hours", "gross", "advances", "paid", "balance",
         "status", "note")  # fmt: skip
_KINDS = ("str", "str", "int", "decimal", "decimal", "decimal", "decimal", "decimal", "decimal", "str", "str")
_TOTALS = {"days", "man_hours", "overtime_hours", "gross", "advances", "paid", "balance"}


def columns(lang: str) -> tuple[Column, ...]:
    """The sheet's columns in the project's language, the signature column last."""
    headers = _HEADERS["zh" if lang == "zh" else "en"]
    cols = tuple(
        Column(key, header, kind, total=key in _TOTALS)  # type: ignore[arg-type]
        for key, header, kind in zip(_KEYS, headers, _KINDS, strict=True)
    )
    return (*cols, Column("signature", t(lang, "wages.xlsx.signature"), "str"))


def rows(sheet: Sheet, lang: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per person; `names` are Slack users' display names."""
    missing = t(lang, "wages.rate_missing")
    return [
        {
            "person": names.get(line.user_id, line.user_id) if line.user_id else line.worker,
            "crew": line.crew,
            "days": line.days,
            "man_hours": line.man_hours,
            "overtime_hours": line.overtime_hours,
            "gross": None if line.rate_missing else line.gross,
            "advances": line.advances,
            "paid": line.paid,
            "balance": line.balance,
            "status": status_text(line, lang),
            "note": missing if line.rate_missing else None,
            "signature": None,
        }
        for line in sheet.lines
    ]


def wage_sheet_xlsx(sheet: Sheet, *, lang: str, names: dict[str, str] | None = None) -> bytes:
    """The XLSX bytes of the sheet."""
    title = f"{t(lang, 'wages.xlsx.title')} {sheet.project.code} {sheet.month}"
    return write_xlsx(
        columns(lang),
        rows(sheet, lang, names or {}),
        sheet_title=title,
        totals_label=t(lang, "wages.xlsx.total"),
    )
