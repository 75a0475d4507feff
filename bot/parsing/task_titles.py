"""Tasks named by their title: a pure match of text against the open tasks (key, title) passed in.

- the whole title appears in the text → that task ("one"); several titles do → "several" (ask which);
- no title appears whole, but most of one does (a shared run of at least 60 % of the title, 2+ characters)
  → "close": the candidates are asked about, never guessed;
- otherwise "none": the text names no task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.parsing.numbers import to_simplified
from bot.parsing.result import TaskCandidate

__all__ = ["TitleMatch", "match_title"]

MatchKind = Literal["one", "several", "close", "none"]
# Close matches are only looked for in short statements (the comparison is quadratic in length).
_CLOSE_MAX_TEXT = 200


@dataclass(frozen=True)
class TitleMatch:
    """How the text names an open task; `span` is where the single exact title stands in the text."""

    kind: MatchKind
    candidates: tuple[TaskCandidate, ...] = ()
    span: tuple[int, int] | None = None


def _fold(text: str) -> str:
    return to_simplified(text).lower()


def _longest_common_run(a: str, b: str) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0] * (len(b) + 1)
        for j, other in enumerate(b, 1):
            if ch == other:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def match_title(text: str, open_tasks: Sequence[tuple[str, str]]) -> TitleMatch:
    """Match text against open tasks' titles (see the module docstring)."""
    folded = _fold(text)
    exact: list[tuple[TaskCandidate, int, int]] = []
    for key, title in open_tasks:
        needle = _fold(title).strip()
        if len(needle) < 2:
            continue
        idx = folded.find(needle)
        if idx >= 0:
            exact.append((TaskCandidate(key, title), idx, idx + len(needle)))
    if exact:
        # A title inside a longer matching title ("浇筑" in "三层楼板浇筑") is not a second match.
        kept = [e for e in exact if not any(o is not e and o[1] <= e[1] and e[2] <= o[2] and
                                            (o[2] - o[1]) > (e[2] - e[1]) for o in exact)]  # fmt: skip
        if len(kept) == 1:
            return TitleMatch("one", (kept[0][0],), (kept[0][1], kept[0][2]))
        return TitleMatch("several", tuple(e[0] for e in kept))
    if len(folded) > _CLOSE_MAX_TEXT:
        return TitleMatch("none")
    compact = "".join(folded.split())
    close = []
    for key, title in open_tasks:
        needle = "".join(_fold(title).split())
        if len(needle) < 2:
            continue
        run = _longest_common_run(needle, compact)
        if run >= 2 and run >= 0.6 * len(needle):
            close.append(TaskCandidate(key, title))
    return TitleMatch("close", tuple(close)) if close else TitleMatch("none")
