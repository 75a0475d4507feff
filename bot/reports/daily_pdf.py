"""The daily construction log as files: PDF (one page per day, the common 施工日志 layout) and XLSX (one
row per day).

Chinese is drawn with reportlab's built-in CID font STSong-Light (Adobe's Simplified Chinese font
pack, standard in PDF readers): nothing to ship or register from disk, and the text stays real,
searchable text in the PDF.
"""

from __future__ import annotations

import io
import logging
import urllib.request
from collections.abc import Callable, Sequence
from urllib.parse import urlparse
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Image,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from bot.services.daily_log import DailyLogData
from bot.views import daily_views
from bot.views.catalog import t
from bot.views.format import day as fmt_day

log = logging.getLogger(__name__)
FONT = "STSong-Light"
Fetch = Callable[[str], bytes | None]
THUMB = 38 * mm
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# Readers substitute a system CJK font for the (not embedded) CID font; these few characters are often
# missing from the substitutes, so the PDF writes their common equivalents.
_PDF_CHARS = str.maketrans({"℃": "°C", "·": "/", "、": "，"})


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def slack_fetcher(token: str | None, api_url: str) -> Fetch:
    """Downloads a shared photo with the bot token, only from Slack's file hosts or the configured API host
    (never sends the token elsewhere); None when it cannot."""
    allowed = urlparse(api_url).hostname

    def fetch(url: str) -> bytes | None:
        host = urlparse(url).hostname or ""
        if not token or not (host == allowed or host == "files.slack.com" or host.endswith(".slack.com")):
            return None
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - host checked above
                data: bytes = response.read(MAX_PHOTO_BYTES + 1)
        except OSError as exc:
            log.warning("photo download failed: %s", exc)
            return None
        return data if len(data) <= MAX_PHOTO_BYTES else None

    return fetch


def _thumb(data: bytes | None) -> Image | None:
    """A small re-encoded copy of the photo (keeps the PDF small), or None when the bytes are no image."""
    if not data:
        return None
    from PIL import Image as PILImage  # pillow comes with matplotlib

    try:
        with PILImage.open(io.BytesIO(data)) as img:
            img.load()
            small = img.convert("RGB")
    except (OSError, ValueError, SyntaxError):
        return None
    small.thumbnail((400, 400))
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80)
    width, height = small.size
    scale = THUMB / max(width, height, 1)
    out.seek(0)
    return Image(out, width=width * scale, height=height * scale)


def _page(data: DailyLogData, lang: str, fetch: Fetch | None, frame: tuple[float, float]) -> list[object]:
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13)
    head = ParagraphStyle("head", fontName=font, fontSize=10, leading=13, alignment=1)

    def para(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text.translate(_PDF_CHARS)).replace("\n", "<br/>"), style)

    weather = dict(daily_views.sections(data, lang)).get(daily_views.section_title("weather", lang), [])
    status = daily_views.status_name(data.status, lang)
    rows: list[list[object]] = [
        [
            para(t(lang, "daily.pdf.project"), head),
            para(f"{data.name} ({data.code})"),
            para(t(lang, "daily.pdf.date"), head),
            para(f"{fmt_day(data.day, lang)}  {status}"),
        ],
        [para(t(lang, "daily.sec.weather"), head), para("\n".join(weather) or "—"), "", ""],
    ]
    for name, lines in daily_views.sections(data, lang):
        if name == daily_views.section_title("weather", lang):
            continue
        content: list[object] = [para("\n".join(lines) or "—")]
        if name == daily_views.section_title("photos", lang) and fetch is not None:
            thumbs = [_thumb(fetch(p.url)) for p in data.photos if p.url and not p.late]
            images = [i for i in thumbs if i is not None]
            if images:
                content.append(Table([images[:4]], hAlign="LEFT"))
        rows.append([para(name, head), content, "", ""])
    late = daily_views.addendum(data, lang)
    if late:
        rows.append([para(t(lang, "daily.sec.addendum"), head), para("\n".join(late)), "", ""])
    recorded, confirmed = daily_views.signoff(data, lang)
    rows.append([para(t(lang, "daily.sec.signoff"), head), para(f"{recorded}\n{confirmed}"), "", ""])
    width = frame[0]
    table = Table(rows, colWidths=[28 * mm, width / 2 - 28 * mm, 22 * mm, width / 2 - 22 * mm])
    style = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")),
        ("BACKGROUND", (2, 0), (2, 0), colors.HexColor("#f0f0f0")),
    ]
    style += [("SPAN", (1, r), (3, r)) for r in range(1, len(rows))]
    table.setStyle(TableStyle(style))
    total = f"{t(lang, 'daily.file_title')}" if lang == "zh" else f"{t(lang, 'daily.file_title')} 施工日志"
    story: list[object] = [para(total, title), Spacer(1, 4 * mm), table]
    # Everything of one day on one page: a long day is shrunk to fit rather than spilling over.
    return [KeepInFrame(frame[0], frame[1], story, mode="shrink")]


def daily_pdf(logs: Sequence[DailyLogData], lang: str, *, fetch: Fetch | None = None) -> bytes:
    """One A4 page per day's log."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=t(lang, "daily.file_title"),
    )
    frame = (doc.width, doc.height - 2 * mm)
    story: list[object] = []
    for index, data in enumerate(logs):
        if index:
            story.append(PageBreak())
        story.extend(_page(data, lang, fetch, frame))
    doc.build(story)  # type: ignore[arg-type]
    return buffer.getvalue()


def daily_xlsx(logs: Sequence[DailyLogData], lang: str) -> bytes:
    """One row per day: each section's lines joined, headcount and man-hours as numbers."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = t(lang, "daily.file_title")[:31]
    ws.append(t(lang, "daily.xlsx.headers").split(","))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for data in logs:
        by = {
            name: lines
            for name, lines in zip(
                daily_views.ORDER, (x[1] for x in daily_views.sections(data, lang)), strict=True
            )
        }
        materials = by["materials"][: len([s for s in data.spend if not s.late])]  # deliveries follow
        deliveries = [x.text for x in data.section("delivery")]
        recorded, confirmed = daily_views.signoff(data, lang)
        ws.append(
            [
                data.day,
                fmt_day(data.day, lang)[11:].strip("()（）"),
                daily_views.status_name(data.status, lang),
                "\n".join(by["weather"]),
                data.headcount,
                float(data.man_hours),
                "\n".join(by["manpower"]),
                "\n".join(by["work"]),
                "\n".join(materials),
                "\n".join(deliveries),
                "\n".join(by["safety"]),
                "\n".join(by["quality"]),
                "\n".join(by["visit"]),
                "\n".join(by["problems"]),
                "\n".join(by["photos"]),
                "\n".join(by["note"]),
                recorded.split("：" if lang == "zh" else ": ", 1)[-1],
                confirmed.split("：" if lang == "zh" else ": ", 1)[-1] if data.confirmed else "",
                "\n".join(daily_views.addendum(data, lang)),
            ]
        )
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
        for c in ws[ws.max_row]:
            c.alignment = wrap
    for col, width in zip(
        "ABCDEFGHIJKLMNOPQRS",
        (12, 8, 10, 24, 8, 9, 30, 36, 36, 24, 30, 30, 24, 30, 30, 30, 20, 20, 30),
        strict=True,
    ):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
