"""Places written with a number (3号楼, level 3, #5, 5th floor): words, never a quantity or a date.

One definition serves the no-silent-misread check (a place left over is not a number left unread), the
bare number that is hours under /log-labor or the amount under /expense (`formwork on level 3` is not 3 h),
and English day-of-month ordinals (`8h on the 5th floor` is not the 5th).
"""

from __future__ import annotations

import re

__all__ = ["PLACE_RE", "ORDINAL_NOUNS", "blank_places"]

# What an English ordinal counts on a site when it is not a day of the month: "5th floor", "2nd shift".
ORDINAL_NOUNS = (
    r"floors?|fl|storeys?|stor(?:y|ies)|levels?|shifts?|days?|weeks?|times?|crews?|teams?|gangs?|phases?|stages?"
    r"|bays?|grids?|pours?|lifts?|coats?|units?|blocks?|buildings?|bldgs?|rooms?|rounds?|batch(?:es)?|loads?"
    r"|trucks?|trips?|rows?|columns?|spans?|layers?|courses?|steps?|sections?|zones?|areas?|parts?|items?|lots?"
    r"|houses?|gates?|lanes?|attempts?|tries|inspections?|visits?"
)
PLACE_RE = re.compile(
    r"\d+\s*(?:号楼|号线|号门|号机|号坑|号桩|号塔|栋|幢|层|楼|区|单元|号?房间?|轴)"
    r"|(?<![A-Za-z])(?:level|floor|unit|lot|block|building|bldg|room|grid|axis|zone|area|phase|gate|lane)\s*#?\s*\d+[A-Za-z]?"
    r"|#\s*\d+|[A-Za-z]\d+(?![\d.:/])"
    rf"|(?<![\w.])\d{{1,3}}(?:st|nd|rd|th)\s+(?:{ORDINAL_NOUNS})(?![A-Za-z])",
    re.IGNORECASE,
)


def blank_places(text: str) -> str:
    """The text with each place replaced by spaces (same length, so positions still hold)."""
    return PLACE_RE.sub(lambda m: " " * len(m.group(0)), text)
