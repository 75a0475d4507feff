"""The README's fortnight in the console, pasted as it is into `foreman console`, shows what the README
promises: standup digests, a budget alert with its chart saved under ./foreman-files/, the meeting prompt
answered in its thread, and the month's wage sheet with its XLSX."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "### A fortnight in the console"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"  # an XLSX is a zip

# Under pytest-xdist (`--dist loadgroup`) every test of this module runs on one worker, so the story is
# played once, not once per worker.
pytestmark = pytest.mark.xdist_group("readme_story")


def readme_story() -> str:
    """The first fenced block after the story's heading, exactly as a newcomer would copy it."""
    text = README.read_text(encoding="utf-8")
    assert HEADING in text, f"README lost its heading {HEADING!r}"
    after = text[text.index(HEADING) :]
    match = re.search(r"^```[^\n]*\n(.*?)^```$", after, flags=re.DOTALL | re.MULTILINE)
    assert match, "no fenced block after the story's heading"
    return match.group(1)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """One console run of the whole story in a fresh directory and database: (output, directory)."""
    cwd = tmp_path_factory.mktemp("story")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "FOREMAN_"))}
    # The story ticks by hand at each instant; the background scheduler would only race it.
    env |= {"FOREMAN_SCHEDULER": "off", "DATABASE_URL": f"sqlite:///{cwd / 'fortnight.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        cwd=cwd,
        input=readme_story(),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return result.stdout, cwd


def test_the_story_is_short_enough_to_read() -> None:
    lines = [ln for ln in readme_story().splitlines() if ln.strip()]
    assert 40 <= len(lines) <= 60
    assert lines[0].startswith(":now ") and any(ln.startswith(":user U2 ana") for ln in lines)


def test_every_line_is_understood(story: tuple[str, Path]) -> None:
    out, _ = story
    refusals = [
        "Slack would show an error",
        "unknown console command",
        "I couldn't",
        "I don't know",
        "nothing was stored",
        "未保存",
        "没看懂",
        "看不懂",
        "give an ISO-8601 instant",
        "no such button",
    ]
    assert not [r for r in refusals if r in out], out


def test_digests_cover_the_previous_workday(story: tuple[str, Path]) -> None:
    out, _ = story
    assert "Standup — Tower (`TOWER`), 2026-12-08 (Tue)" in out
    assert "Covering 2026-12-07 (Mon)" in out and "• material: ¥3,200.00" in out
    monday = out.index("Standup — Tower (`TOWER`), 2026-12-14 (Mon)")
    digest = out[monday : out.index("(tick at", monday)]
    assert "Covering 2026-12-11 (Fri) – 2026-12-13 (Sun)" in digest
    assert "*Overdue*: `T-1` Rebar L3 (<@U3>)" in digest and "*Not logged*: <@U3>" in digest


def test_the_budget_alert_comes_with_its_chart_saved_as_a_png(story: tuple[str, Path]) -> None:
    out, cwd = story
    alert = out.index("past the 50% mark")
    assert "has spent ¥66,444.25 of its ¥120,000.00 budget (55.4%)" in out[out.rindex("\n", 0, alert) : alert]
    saved = re.search(r"^  saved: (foreman-files/\S+\.png)$", out[alert:], flags=re.MULTILINE)
    assert saved, out[alert:]
    chart = cwd / saved.group(1)
    assert chart.is_file() and chart.read_bytes().startswith(PNG_MAGIC)


def test_the_meeting_prompt_is_answered_in_its_thread(story: tuple[str, Path]) -> None:
    out, _ = story
    prompt = out.index("Joint tech–management meeting — Tower, 2026-12-21 (Mon)")
    after = out[prompt:]
    assert "*Decisions needed*: re-plan overdue `T-1` — pm decides" in after
    assert "Recorded as the technical risk assessment for the 2026-12-21 meeting." in after
    assert "Recorded as the risk plan update for the 2026-12-21 meeting." in after


def test_the_wage_sheet_ends_the_story_with_its_xlsx(story: tuple[str, Path]) -> None:
    out, cwd = story
    sheet = out[out.index("*Wage sheet of TOWER, 2026-12* (CNY):") :]
    # 张三: 8 + 10 + 8 × 5 + 9 = 67 h and 2 h overtime (× 1.5) at ¥350 a day of 8 h, less his ¥500 advance.
    assert "• 张三 (钢筋班): 8 d, 67 h (+2 h OT), gross ¥3,062.50, advances ¥500.00" in sheet
    assert "*balance ¥2,562.50*" in sheet and "• 李四 (钢筋班): 8 d, 67 h (+2 h OT), gross ¥3,150.00" in sheet
    assert "*Total*: 134 h, gross ¥6,212.50, advances ¥500.00, paid ¥0.00, balance ¥5,712.50" in sheet
    saved = re.search(r"^  saved: (foreman-files/\S+\.xlsx)$", sheet, flags=re.MULTILINE)
    assert saved, sheet
    xlsx = cwd / saved.group(1)
    assert xlsx.is_file() and xlsx.read_bytes().startswith(ZIP_MAGIC)
