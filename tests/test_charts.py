"""Tests for the PNG charts: valid, non-blank images, and Chinese text without missing glyphs."""

import io
import logging
import warnings
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from matplotlib import image

from bot.reports import charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATES = [date(2026, 3, 2) + timedelta(days=i) for i in range(14)]


def _assert_png(data: bytes, *, min_bytes: int = 10_000, min_std: float = 0.05) -> np.ndarray:
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > min_bytes
    pixels = image.imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (400, 800)  # 8×4 in at 100 dpi
    assert float(pixels[..., :3].std()) > min_std, "image looks blank"
    return pixels


def _render_without_glyph_warnings(caplog: pytest.LogCaptureFixture, render) -> bytes:
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        data = render()
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "Glyph" in m or "missing" in m or "CJK" in m], messages
    return data


def _burn(lang: str, title: str) -> bytes:
    return charts.burn_chart(
        dates=DATES,
        actual=[Decimal(4200 * i) for i in range(14)],
        planned=[Decimal(4000 * i) for i in range(14)],
        bac=Decimal(80000),
        lang=lang,
        title=title,
    )


def _scurve(lang: str, title: str) -> bytes:
    return charts.scurve_chart(
        dates=DATES,
        actual_pct=[Decimal(min(100, i * i * 0.6)) for i in range(14)],
        planned_pct=[Decimal(min(100, i * i * 0.55)) for i in range(14)],
        lang=lang,
        title=title,
    )


def _labor(lang: str, title: str) -> bytes:
    return charts.labor_chart(
        dates=DATES,
        series={
            "钢筋班": [40.0 if d.weekday() < 5 else 0.0 for d in DATES],
            "木工班": [24.0 + 8 * (i % 3) for i in range(14)],
            "Electricians": [8.0] * 14,
        },
        lang=lang,
        title=title,
    )


def test_a_cjk_font_is_available() -> None:
    assert charts.cjk_font_family() is not None


@pytest.mark.parametrize("render", [_burn, _scurve, _labor])
def test_english_charts(render, caplog: pytest.LogCaptureFixture) -> None:
    _assert_png(_render_without_glyph_warnings(caplog, lambda: render("en", "Project GZ-01")))


@pytest.mark.parametrize("render", [_burn, _scurve, _labor])
def test_chinese_charts_have_no_missing_glyphs(render, caplog: pytest.LogCaptureFixture) -> None:
    _assert_png(_render_without_glyph_warnings(caplog, lambda: render("zh", "广州一号楼 钢筋班/木工班 进度")))


def test_chinese_labels_use_the_cjk_font() -> None:
    # The same chart with and without Chinese text differs, i.e. the glyphs were drawn, not dropped.
    assert _labor("zh", "钢筋班") != _labor("zh", "")


def test_empty_data_renders_a_placeholder(caplog: pytest.LogCaptureFixture) -> None:
    for lang in ("en", "zh"):
        data = _render_without_glyph_warnings(
            caplog,
            lambda lang=lang: charts.burn_chart(
                dates=[], actual=[], planned=[], bac=None, lang=lang, title="空"
            ),
        )
        # A placeholder is mostly white: only the title, frame and message.
        _assert_png(data, min_bytes=2_000, min_std=0.01)
        _assert_png(
            charts.labor_chart(dates=[], series={}, lang=lang, title="Labor"), min_bytes=2_000, min_std=0.01
        )
        _assert_png(
            charts.scurve_chart(dates=[], actual_pct=[], planned_pct=[], lang=lang, title="S"),
            min_bytes=2_000,
            min_std=0.01,
        )


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError, match="actual"):
        charts.burn_chart(
            dates=DATES, actual=[Decimal(1)], planned=[Decimal(1)] * 14, bac=None, lang="en", title="x"
        )
    with pytest.raises(ValueError, match="钢筋班"):
        charts.labor_chart(dates=DATES, series={"钢筋班": [1.0]}, lang="zh", title="x")


def test_single_day_and_gaps() -> None:
    _assert_png(charts.labor_chart(dates=[date(2026, 3, 2)], series={"A": [8.0]}, lang="en", title="One day"))
    sparse = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 30)]
    _assert_png(
        charts.burn_chart(
            dates=sparse,
            actual=[Decimal(1), Decimal(5), Decimal(9)],
            planned=[Decimal(2), Decimal(4), Decimal(10)],
            bac=None,
            lang="en",
            title="Sparse",
        )
    )


def test_many_crews_and_missing_values() -> None:
    series = {f"班组{i}": [float(i)] * len(DATES) for i in range(12)}
    series["班组0"] = [None] * len(DATES)  # type: ignore[list-item]
    _assert_png(charts.labor_chart(dates=DATES, series=series, lang="zh", title="十二个班组"))


def test_the_glyph_check_would_catch_tofu(caplog: pytest.LogCaptureFixture) -> None:
    # Proof that the check above is not vacuous: Chinese in a Latin-only font does warn.
    from matplotlib.figure import Figure

    def render_latin_only() -> bytes:
        figure = Figure(figsize=(2, 1))
        figure.text(0.1, 0.5, "钢筋班", family="DejaVu Sans")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()

    with pytest.raises(AssertionError, match="missing from font"):
        _render_without_glyph_warnings(caplog, render_latin_only)


def test_renders_concurrently_in_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda i: _labor("zh" if i % 2 else "en", f"并发 {i}"), range(8)))
    for data in results:
        _assert_png(data)
