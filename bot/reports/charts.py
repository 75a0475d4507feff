"""PNG charts (budget burn, S-curve, labor man-hours) rendered off-screen, with Chinese text support."""

from __future__ import annotations

import importlib.util
import io
import logging
import threading
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import colormaps, font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.dates import AutoDateLocator, DateFormatter, date2num  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402

log = logging.getLogger(__name__)

FIGSIZE = (8.0, 4.0)
DPI = 100
LATIN_FAMILY = "DejaVu Sans"
# The package ships Noto Sans CJK (OFL); it is located without importing it, because its __init__
# rewrites matplotlib's global font settings.
_CJK_PACKAGE = "notojp_matplotlib"
_CJK_FILE = Path("fonts") / "NotoSansCJKjp-Regular.otf"
# Names of CJK fonts an OS may already have, for when the package is missing.
_SYSTEM_CJK_HINTS = (
    "Noto Sans CJK",
    "Noto Sans SC",
    "Source Han Sans",
    "WenQuanYi",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "PingFang",
    "SimHei",
    "AR PL",
)
# The bundled font is a Pan-CJK font whose default forms are Japanese; tagging text as Simplified
# Chinese makes libraqm pick the Chinese glyph variants.
TEXT_LANGUAGE = "zh-Hans"

_font_lock = threading.Lock()
_cjk_family: str | None = None
_cjk_resolved = False

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "date": "Date",
        "amount": "Amount",
        "actual_cost": "Actual cost (AC)",
        "planned_value": "Planned value (PV)",
        "bac": "Budget (BAC) {value}",
        "pct": "% complete",
        "actual_pct": "Actual % complete",
        "planned_pct": "Planned % complete",
        "man_hours": "Man-hours",
        "no_data": "No data yet",
    },
    "zh": {
        "date": "日期",
        "amount": "金额",
        "actual_cost": "实际成本 (AC)",
        "planned_value": "计划价值 (PV)",
        "bac": "总预算 (BAC) {value}",
        "pct": "完成百分比",
        "actual_pct": "实际完成 %",
        "planned_pct": "计划完成 %",
        "man_hours": "工时（人·小时）",
        "no_data": "暂无数据",
    },
}

_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def _bundled_cjk_font() -> Path | None:
    """Path of the CJK font shipped by the font package, if installed."""
    spec = importlib.util.find_spec(_CJK_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / _CJK_FILE
        if candidate.is_file():
            return candidate
    return None


def _system_cjk_family() -> str | None:
    """Family name of a CJK font already known to matplotlib's font manager."""
    for hint in _SYSTEM_CJK_HINTS:
        for entry in font_manager.fontManager.ttflist:
            if hint.lower() in entry.name.lower():
                return str(entry.name)
    return None


def cjk_font_family() -> str | None:
    """Register the CJK font once and return its family name (None if no CJK font exists)."""
    global _cjk_family, _cjk_resolved
    with _font_lock:
        if not _cjk_resolved:
            path = _bundled_cjk_font()
            if path is not None:
                font_manager.fontManager.addfont(str(path))
                _cjk_family = FontProperties(fname=str(path)).get_name()
            else:
                _cjk_family = _system_cjk_family()
                if _cjk_family is None:
                    log.warning("no CJK font found; Chinese chart labels will render as boxes")
            _cjk_resolved = True
        return _cjk_family


def _font(size: float | None = None) -> FontProperties:
    """Latin text in DejaVu Sans, falling back glyph by glyph to the CJK font for Chinese."""
    families = [LATIN_FAMILY]
    cjk = cjk_font_family()
    if cjk is not None:
        families.append(cjk)
    return FontProperties(family=families, size=size)


def _labels(lang: str) -> dict[str, str]:
    return _LABELS["zh"] if lang.lower().startswith("zh") else _LABELS["en"]


def _money(value: float, _position: object = None) -> str:
    return f"{value:,.0f}"


def _new_figure() -> tuple[Figure, Axes]:
    # A bare Figure with its own canvas keeps pyplot's global state (and its thread-unsafety) out.
    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.grid(True, axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _date_axis(axes: Axes) -> None:
    locator = AutoDateLocator(minticks=3, maxticks=8)
    axes.xaxis.set_major_locator(locator)
    # Numeric month-day reads the same in English and Chinese.
    axes.xaxis.set_major_formatter(DateFormatter("%m-%d"))


def _finish(
    figure: Figure, axes: Axes, *, title: str, xlabel: str, ylabel: str, legend_outside: bool = False
) -> bytes:
    """Title, axis labels and legend in the chart's fonts, then the PNG bytes."""
    font = _font()
    axes.set_title(title, fontproperties=_font(13))
    axes.set_xlabel(xlabel, fontproperties=font)
    axes.set_ylabel(ylabel, fontproperties=font)
    handles, names = axes.get_legend_handles_labels()
    if handles:
        if legend_outside:
            # A figure legend placed "outside" makes constrained layout shrink the axes to fit it.
            # Reversed so the legend reads top-down in the same order as the stacked bars.
            figure.legend(handles[::-1], names[::-1], prop=_font(9), loc="outside right upper", frameon=False)
        else:
            # Cumulative curves rise to the right, which leaves the lower right corner empty.
            axes.legend(prop=_font(9), loc="lower right", frameon=False)
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_fontproperties(font)
    for text in figure.findobj(Text):
        text.set_language(TEXT_LANGUAGE)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _no_data(axes: Axes, lang: str) -> None:
    axes.text(
        0.5,
        0.5,
        _labels(lang)["no_data"],
        transform=axes.transAxes,
        ha="center",
        va="center",
        color="#888888",
        fontproperties=_font(14),
    )
    axes.set_xticks([])
    axes.set_yticks([])


def _check_lengths(dates: Sequence[date], **series: Sequence[object]) -> None:
    for name, values in series.items():
        if len(values) != len(dates):
            raise ValueError(f"{name} has {len(values)} values for {len(dates)} dates")


def _floats(values: Sequence[Decimal | float | int | None]) -> list[float]:
    return [float("nan") if value is None else float(value) for value in values]


def burn_chart(
    *,
    dates: list[date],
    actual: list[Decimal],
    planned: list[Decimal],
    bac: Decimal | None,
    lang: str,
    title: str,
) -> bytes:
    """Cumulative actual cost against planned value (and the budget line) per day, as a PNG."""
    _check_lengths(dates, actual=actual, planned=planned)
    text = _labels(lang)
    figure, axes = _new_figure()
    if not dates:
        _no_data(axes, lang)
        return _finish(figure, axes, title=title, xlabel="", ylabel="")
    x = date2num(dates)
    axes.plot(
        x, _floats(planned), color=_PALETTE[0], linestyle="--", linewidth=1.8, label=text["planned_value"]
    )
    axes.plot(
        x,
        _floats(actual),
        color=_PALETTE[1],
        linewidth=2.2,
        marker="o",
        markersize=3,
        label=text["actual_cost"],
    )
    if bac is not None:
        axes.axhline(
            float(bac), color=_PALETTE[3], linewidth=1.2, label=text["bac"].format(value=_money(float(bac)))
        )
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(_money))
    _date_axis(axes)
    return _finish(figure, axes, title=title, xlabel=text["date"], ylabel=text["amount"])


def scurve_chart(
    *,
    dates: list[date],
    actual_pct: list[Decimal],
    planned_pct: list[Decimal],
    lang: str,
    title: str,
) -> bytes:
    """S-curve of actual against planned % complete per day, as a PNG."""
    _check_lengths(dates, actual_pct=actual_pct, planned_pct=planned_pct)
    text = _labels(lang)
    figure, axes = _new_figure()
    if not dates:
        _no_data(axes, lang)
        return _finish(figure, axes, title=title, xlabel="", ylabel="")
    x = date2num(dates)
    axes.plot(
        x, _floats(planned_pct), color=_PALETTE[0], linestyle="--", linewidth=1.8, label=text["planned_pct"]
    )
    axes.plot(
        x,
        _floats(actual_pct),
        color=_PALETTE[2],
        linewidth=2.2,
        marker="o",
        markersize=3,
        label=text["actual_pct"],
    )
    axes.set_ylim(0, 105)
    axes.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    _date_axis(axes)
    return _finish(figure, axes, title=title, xlabel=text["date"], ylabel=text["pct"])


def labor_chart(
    *,
    dates: list[date],
    series: dict[str, list[float]],
    lang: str,
    title: str,
) -> bytes:
    """Man-hours per day as bars stacked by crew, as a PNG."""
    _check_lengths(dates, **series)
    text = _labels(lang)
    figure, axes = _new_figure()
    if not dates or not series:
        _no_data(axes, lang)
        return _finish(figure, axes, title=title, xlabel="", ylabel="")
    x = date2num(dates)
    # Bars a bit narrower than the smallest gap between days, so neighbours never overlap.
    gaps = [later - earlier for earlier, later in zip(x, x[1:], strict=False) if later > earlier]
    width = 0.8 * min(gaps, default=1.0)
    bottom = [0.0] * len(dates)
    # Past eight crews the 20-colour table keeps neighbouring stacks distinguishable.
    colors = list(_PALETTE) if len(series) <= len(_PALETTE) else [colormaps["tab20"](i) for i in range(20)]
    for index, (crew, values) in enumerate(series.items()):
        heights = [0.0 if value is None else float(value) for value in values]
        axes.bar(x, heights, width=width, bottom=bottom, label=crew, color=colors[index % len(colors)])
        bottom = [base + height for base, height in zip(bottom, heights, strict=True)]
    axes.set_ylim(bottom=0)
    _date_axis(axes)
    return _finish(
        figure, axes, title=title, xlabel=text["date"], ylabel=text["man_hours"], legend_outside=True
    )


def funds_chart(
    *,
    dates: list[date],
    money_in: list[Decimal],
    money_out: list[Decimal],
    labels: tuple[str, str],
    lang: str,
    title: str,
) -> bytes:
    """Cumulative money received against money out (expenses, wages, advances) per day, as a PNG."""
    _check_lengths(dates, money_in=money_in, money_out=money_out)
    text = _labels(lang)
    figure, axes = _new_figure()
    if not dates:
        _no_data(axes, lang)
        return _finish(figure, axes, title=title, xlabel="", ylabel="")
    x = date2num(dates)
    axes.step(x, _floats(money_in), where="post", color=_PALETTE[2], linewidth=2.2, label=labels[0])
    axes.step(x, _floats(money_out), where="post", color=_PALETTE[3], linewidth=2.2, label=labels[1])
    axes.fill_between(
        x, _floats(money_in), _floats(money_out), step="post", color=_PALETTE[2], alpha=0.08, linewidth=0
    )
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(_money))
    _date_axis(axes)
    return _finish(figure, axes, title=title, xlabel=text["date"], ylabel=text["amount"])
