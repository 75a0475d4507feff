"""Scheduler tests run without the one-second channel pacing (a test checks the pacing itself)."""

from __future__ import annotations

import pytest

from bot.scheduler import posting


@pytest.fixture(autouse=True)
def _no_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posting, "CHANNEL_INTERVAL", 0.0)
